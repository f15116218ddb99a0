"""`dresbach chat` shows each Graph API body as terminal text and numbers what can be chosen.

The bodies come from the real WhatsApp renderer, so these tests follow the shapes Meta gets.
"""

from __future__ import annotations

from dresbach.cli.chat import labels, render
from dresbach.kernel.messages import (
    Button,
    Buttons,
    Document,
    Image,
    ListMenu,
    ListRow,
    ListSection,
    Message,
    Template,
    Text,
    UrlButton,
)
from dresbach.platform.whatsapp.render import render as graph_body

TO = "5511988887777"


def shown(message: Message) -> tuple[str, list[tuple[str, str, str]]]:
    return render(graph_body(TO, message, callback_data="wamid.x#0"))


def test_text_is_shown_as_is_with_its_line_breaks() -> None:
    assert shown(Text(body="Olá!\n\nTudo *bem*?")) == ("Olá!\n\nTudo *bem*?", [])


def test_buttons_are_numbered_between_header_body_and_footer() -> None:
    message = Buttons(
        header="Menu",
        body="Como posso ajudar você hoje?",
        footer="Digite menu para voltar.",
        buttons=(
            Button(id="menu:techops", title="Consultoria Tech Ops"),
            Button(id="menu:client_area", title="Área do Cliente"),
        ),
    )
    text, choices = shown(message)
    assert text == (
        "*Menu*\n"
        "Como posso ajudar você hoje?\n"
        "  1. Consultoria Tech Ops\n"
        "  2. Área do Cliente\n"
        "_Digite menu para voltar._"
    )
    assert choices == [
        ("button_reply", "menu:techops", "Consultoria Tech Ops"),
        ("button_reply", "menu:client_area", "Área do Cliente"),
    ]


def test_buttons_without_header_or_footer_show_only_body_and_options() -> None:
    text, choices = shown(Buttons(body="Confirma?", buttons=(Button(id="y", title="Sim"),)))
    assert text == "Confirma?\n  1. Sim"
    assert choices == [("button_reply", "y", "Sim")]


def test_list_shows_its_label_sections_and_rows_numbered_across_sections() -> None:
    message = ListMenu(
        body="Escolha um período:",
        button="Ver períodos",
        sections=(
            ListSection(
                title="Segunda",
                rows=(
                    ListRow(id="period:am", title="Manhã", description="Das 8h ao meio-dia"),
                    ListRow(id="period:pm", title="Tarde"),
                ),
            ),
            ListSection(title=None, rows=(ListRow(id="go:human", title="Falar com atendente"),)),
        ),
        footer="Horário de Brasília",
    )
    text, choices = shown(message)
    assert text == (
        "Escolha um período:\n"
        "[Ver períodos]\n"
        "  Segunda\n"
        "  1. Manhã\n"
        "  2. Tarde\n"
        "  3. Falar com atendente\n"
        "_Horário de Brasília_"
    )
    assert choices == [
        ("list_reply", "period:am", "Manhã"),
        ("list_reply", "period:pm", "Tarde"),
        ("list_reply", "go:human", "Falar com atendente"),
    ]


def test_options_that_hold_numbers_are_lettered_so_a_typed_number_stays_a_number() -> None:
    message = ListMenu(
        body="Quantas pessoas trabalham na empresa?",
        button="Ver opções",
        sections=(
            ListSection(
                title=None,
                rows=(
                    ListRow(id="size:solo", title="Só eu"),
                    ListRow(id="size:2-9", title="De 2 a 9 pessoas"),
                    ListRow(id="size:250+", title="250 pessoas ou mais"),
                ),
            ),
        ),
    )
    text, choices = shown(message)
    assert text == (
        "Quantas pessoas trabalham na empresa?\n"
        "[Ver opções]\n"
        "  a. Só eu\n"
        "  b. De 2 a 9 pessoas\n"
        "  c. 250 pessoas ou mais"
    )
    assert labels(choices) == ["a", "b", "c"]


def test_image_shows_its_caption_and_offers_no_choice() -> None:
    assert shown(Image(link="https://x.test/qr.png", caption="QR Code Pix")) == (
        "[imagem: QR Code Pix]",
        [],
    )
    assert shown(Image(media_id="123")) == ("[imagem]", [])


def test_document_shows_its_filename_and_caption() -> None:
    message = Document(link="https://x.test/f.pdf", filename="fatura-123.pdf", caption="Sua fatura")
    assert shown(message) == ("[documento fatura-123.pdf: Sua fatura]", [])
    assert shown(Document(media_id="9")) == ("[documento]", [])


def test_a_url_button_shows_its_text_and_link_and_offers_no_choice() -> None:
    message = UrlButton(
        body="PDF da fatura 123", display_text="Abrir o PDF", url="https://x.test/dl.php?id=123"
    )
    assert shown(message) == (
        "PDF da fatura 123\n  [Abrir o PDF] https://x.test/dl.php?id=123",
        [],
    )


def test_template_shows_its_name() -> None:
    message = Template(name="lembrete_fatura", body_params=("Maria", "10/07"))
    assert shown(message) == ("[modelo lembrete_fatura]", [])


def test_an_unknown_kind_is_named_not_an_error() -> None:
    assert render({"type": "reaction", "reaction": {"emoji": "👍"}}) == ("[reaction]", [])
