"""Outbound messages: the exact Graph API bodies, WhatsApp's limits, and the outbox codec."""

from __future__ import annotations

import json
import re

import pytest

from dresbach.kernel import limits
from dresbach.kernel.codec import decode, encode
from dresbach.kernel.errors import PermanentError
from dresbach.kernel.limits import LimitViolation, check, violations
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
from dresbach.platform.whatsapp.render import mark_read, render

TO = "5511987654321"
ENVELOPE = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": TO}


def buttons(*titles: str, body: str = "Posso ajudar com algo mais?") -> Buttons:
    return Buttons(
        body=body, buttons=tuple(Button(id=f"b:{i}", title=t) for i, t in enumerate(titles))
    )


def rows(count: int, prefix: str = "r") -> tuple[ListRow, ...]:
    return tuple(ListRow(id=f"{prefix}:{i}", title=f"Opção {i}") for i in range(count))


def menu(
    *sections: ListSection, body: str = "Escolha uma opção:", button: str = "Ver opções"
) -> ListMenu:
    return ListMenu(body=body, button=button, sections=sections)


# --- render -------------------------------------------------------------------------------------


def test_render_text() -> None:
    assert render(TO, Text(body="Olá! Como posso ajudar?")) == {
        **ENVELOPE,
        "type": "text",
        "text": {"body": "Olá! Como posso ajudar?", "preview_url": False},
    }


def test_render_text_with_link_preview_and_callback_data() -> None:
    message = Text(body="Acesse https://dresbach.com.br/cliente", preview_url=True)
    assert render(TO, message, "outbox:42") == {
        **ENVELOPE,
        "type": "text",
        "text": {"body": "Acesse https://dresbach.com.br/cliente", "preview_url": True},
        "biz_opaque_callback_data": "outbox:42",
    }


def test_render_callback_data_is_capped_at_512() -> None:
    exact = "x" * 512
    assert render(TO, Text(body="oi"), exact)["biz_opaque_callback_data"] == exact
    assert render(TO, Text(body="oi"), "y" * 600)["biz_opaque_callback_data"] == "y" * 512
    assert "biz_opaque_callback_data" not in render(TO, Text(body="oi"), "")
    assert "biz_opaque_callback_data" not in render(TO, Text(body="oi"), None)


def test_render_buttons_with_header_and_footer() -> None:
    message = Buttons(
        body="Você já é cliente da Dresbach?",
        buttons=(Button(id="qual:yes", title="Sim"), Button(id="qual:no", title="Ainda não")),
        header="Dresbach Hosting",
        footer="Responda tocando num botão",
    )
    assert render(TO, message, "outbox:7") == {
        **ENVELOPE,
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": "Você já é cliente da Dresbach?"},
            "header": {"type": "text", "text": "Dresbach Hosting"},
            "footer": {"text": "Responda tocando num botão"},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": "qual:yes", "title": "Sim"}},
                    {"type": "reply", "reply": {"id": "qual:no", "title": "Ainda não"}},
                ]
            },
        },
        "biz_opaque_callback_data": "outbox:7",
    }


def test_render_buttons_without_header_or_footer() -> None:
    message = Buttons(body="Confirma?", buttons=(Button(id="ok", title="Confirmo"),))
    assert render(TO, message) == {
        **ENVELOPE,
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": "Confirma?"},
            "action": {"buttons": [{"type": "reply", "reply": {"id": "ok", "title": "Confirmo"}}]},
        },
    }


def test_render_list_with_sections() -> None:
    message = ListMenu(
        body="Como posso ajudar hoje?",
        button="Ver opções",
        header="Menu principal",
        footer="Dresbach Assistente",
        sections=(
            ListSection(
                title="Área do Cliente",
                rows=(
                    ListRow(id="ca:boleto", title="Segunda via", description="Boleto ou Pix"),
                    ListRow(id="ca:suporte", title="Suporte técnico"),
                ),
            ),
            ListSection(
                title="Tech Ops",
                rows=(
                    ListRow(id="to:consultoria", title="Consultoria", description="LGPD e mais"),
                ),
            ),
        ),
    )
    assert render(TO, message) == {
        **ENVELOPE,
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": "Como posso ajudar hoje?"},
            "header": {"type": "text", "text": "Menu principal"},
            "footer": {"text": "Dresbach Assistente"},
            "action": {
                "button": "Ver opções",
                "sections": [
                    {
                        "title": "Área do Cliente",
                        "rows": [
                            {
                                "id": "ca:boleto",
                                "title": "Segunda via",
                                "description": "Boleto ou Pix",
                            },
                            {"id": "ca:suporte", "title": "Suporte técnico"},
                        ],
                    },
                    {
                        "title": "Tech Ops",
                        "rows": [
                            {
                                "id": "to:consultoria",
                                "title": "Consultoria",
                                "description": "LGPD e mais",
                            }
                        ],
                    },
                ],
            },
        },
    }


def test_render_list_with_one_untitled_section() -> None:
    message = menu(ListSection(title=None, rows=(ListRow(id="a", title="Alfa"),)))
    assert render(TO, message)["interactive"] == {
        "type": "list",
        "body": {"text": "Escolha uma opção:"},
        "action": {"button": "Ver opções", "sections": [{"rows": [{"id": "a", "title": "Alfa"}]}]},
    }


def test_render_image_by_link_and_by_id() -> None:
    by_link = Image(link="https://cdn.dresbach.com.br/pix/qr-123.png", caption="QR Code do Pix")
    assert render(TO, by_link) == {
        **ENVELOPE,
        "type": "image",
        "image": {
            "link": "https://cdn.dresbach.com.br/pix/qr-123.png",
            "caption": "QR Code do Pix",
        },
    }
    assert render(TO, Image(media_id="1480293716345821")) == {
        **ENVELOPE,
        "type": "image",
        "image": {"id": "1480293716345821"},
    }


def test_render_document_with_filename_and_caption() -> None:
    message = Document(
        link="https://cdn.dresbach.com.br/faturas/2025-11.pdf",
        filename="fatura-novembro.pdf",
        caption="Sua fatura de novembro",
    )
    assert render(TO, message, "outbox:9") == {
        **ENVELOPE,
        "type": "document",
        "document": {
            "link": "https://cdn.dresbach.com.br/faturas/2025-11.pdf",
            "caption": "Sua fatura de novembro",
            "filename": "fatura-novembro.pdf",
        },
        "biz_opaque_callback_data": "outbox:9",
    }
    assert render(TO, Document(media_id="2093847561029384")) == {
        **ENVELOPE,
        "type": "document",
        "document": {"id": "2093847561029384"},
    }


PANEL = "https://srv1.dresbach.com.br:2083/cpsess4185/login/?session=site1%3aPaYk2x9"


def test_render_url_button_as_cta_url() -> None:
    message = UrlButton(body="Seu acesso ao cPanel.", display_text="Abrir o cPanel", url=PANEL)
    assert render(TO, message, "outbox:10") == {
        **ENVELOPE,
        "type": "interactive",
        "interactive": {
            "type": "cta_url",
            "body": {"text": "Seu acesso ao cPanel."},
            "action": {
                "name": "cta_url",
                "parameters": {"display_text": "Abrir o cPanel", "url": PANEL},
            },
        },
        "biz_opaque_callback_data": "outbox:10",
    }
    framed = UrlButton(
        body="b", display_text="Abrir", url=PANEL, header="Acesso", footer="Dresbach"
    )
    interactive = render(TO, framed)["interactive"]
    assert interactive["header"] == {"type": "text", "text": "Acesso"}
    assert interactive["footer"] == {"text": "Dresbach"}


def test_render_template_with_body_parameters() -> None:
    message = Template(name="lembrete_boleto", body_params=("Mariana", "R$ 49,90", "10/12/2025"))
    assert render(TO, message) == {
        **ENVELOPE,
        "type": "template",
        "template": {
            "name": "lembrete_boleto",
            "language": {"code": "pt_BR"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": "Mariana"},
                        {"type": "text", "text": "R$ 49,90"},
                        {"type": "text", "text": "10/12/2025"},
                    ],
                }
            ],
        },
    }


def test_render_template_without_parameters_has_no_components() -> None:
    assert render(TO, Template(name="retomar_conversa", language="en_US")) == {
        **ENVELOPE,
        "type": "template",
        "template": {"name": "retomar_conversa", "language": {"code": "en_US"}},
    }


def test_mark_read() -> None:
    wamid = "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDM3MkVBMDhDQUIzM0U3MUMwMkM2AA=="
    assert mark_read(wamid, typing=False) == {
        "messaging_product": "whatsapp",
        "status": "read",
        "message_id": wamid,
    }
    assert mark_read(wamid, typing=True) == {
        "messaging_product": "whatsapp",
        "status": "read",
        "message_id": wamid,
        "typing_indicator": {"type": "text"},
    }


def test_rendered_bodies_are_json() -> None:
    for message in EVERY_KIND:
        if getattr(message, "upload_ref", None):
            continue  # resolved to a media id by the sender first (next test)
        body = render(TO, message, "outbox:1")
        assert json.loads(json.dumps(body)) == body


def test_an_unresolved_upload_is_never_sent() -> None:
    with pytest.raises(PermanentError, match="not resolved"):
        render(TO, Image(upload_ref="qr-1"))


# --- limits -------------------------------------------------------------------------------------


def test_limits_are_whatsapps() -> None:
    assert (limits.TEXT_BODY, limits.INTERACTIVE_BODY, limits.HEADER, limits.FOOTER) == (
        4096,
        1024,
        60,
        60,
    )
    assert (limits.MAX_BUTTONS, limits.BUTTON_TITLE, limits.BUTTON_ID) == (3, 20, 256)
    assert limits.URL_BUTTON_TEXT == 20
    assert (limits.LIST_BUTTON, limits.MAX_SECTIONS, limits.MAX_ROWS) == (20, 10, 10)
    assert (limits.SECTION_TITLE, limits.ROW_TITLE, limits.ROW_DESCRIPTION, limits.ROW_ID) == (
        24,
        24,
        72,
        200,
    )


AT_THE_LIMITS: list[Message] = [
    Text(body="a" * 4096),
    Buttons(
        body="b" * 1024,
        header="h" * 60,
        footer="f" * 60,
        buttons=(
            Button(id="i" * 256, title="1" * 20),
            Button(id="j", title="2" * 20),
            Button(id="k", title="3" * 20),
        ),
    ),
    ListMenu(
        body="b" * 1024,
        button="v" * 20,
        header="h" * 60,
        footer="f" * 60,
        sections=(
            ListSection(
                title="s" * 24,
                rows=(
                    ListRow(id="r" * 200, title="t" * 24, description="d" * 72),
                    *rows(4, "a"),
                ),
            ),
            ListSection(title="Outra seção", rows=rows(5, "b")),
        ),
    ),
    ListMenu(
        body="Escolha:",
        button="Ver",
        sections=tuple(
            ListSection(title=f"Seção {i}", rows=(ListRow(id=f"s{i}", title=f"Item {i}"),))
            for i in range(10)
        ),
    ),
    Image(link="https://cdn.dresbach.com.br/a.png", caption="c" * 1024),
    Image(media_id="1480293716345821"),
    Document(link="https://cdn.dresbach.com.br/a.pdf", filename="a.pdf"),
    Document(media_id="2093847561029384", caption="Comprovante"),
    Template(name="lembrete_boleto", body_params=("Mariana",)),
    UrlButton(body="b" * 1024, display_text="d" * 20, url=PANEL, header="h" * 60, footer="f" * 60),
]


@pytest.mark.parametrize("message", AT_THE_LIMITS, ids=lambda m: type(m).__name__)
def test_messages_exactly_at_the_limits_pass(message: Message) -> None:
    assert violations(message) == []
    check(message)


def one_violation(message: Message, expected: str) -> None:
    problems = violations(message)
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected), problems
    with pytest.raises(LimitViolation, match=re.escape(expected)):
        check(message)


def test_text_over_4096() -> None:
    one_violation(Text(body="a" * 4097), "text body has 4097 characters (limit 4096)")


def test_text_empty() -> None:
    one_violation(Text(body="  \n "), "text body is empty")


def test_four_buttons() -> None:
    one_violation(buttons("Um", "Dois", "Três", "Quatro"), "4 buttons (1 to 3)")


def test_no_buttons() -> None:
    one_violation(buttons(), "0 buttons (1 to 3)")


def test_button_title_21() -> None:
    one_violation(buttons("x" * 21, "Não"), "button title has 21 characters (limit 20)")


def test_button_id_257() -> None:
    message = Buttons(body="Ok?", buttons=(Button(id="i" * 257, title="Sim"),))
    one_violation(message, "button id has 257 characters (limit 256)")


def test_duplicate_button_titles() -> None:
    one_violation(buttons("Sim", "Não", "Sim"), "button titles are not unique")


def test_interactive_body_1025() -> None:
    one_violation(buttons("Sim", body="b" * 1025), "interactive body has 1025 characters")
    one_violation(
        menu(ListSection(title=None, rows=rows(2)), body="b" * 1025),
        "interactive body has 1025 characters (limit 1024)",
    )


def test_header_and_footer_61() -> None:
    message = Buttons(body="Ok?", buttons=(Button(id="s", title="Sim"),), header="h" * 61)
    one_violation(message, "header has 61 characters (limit 60)")
    message = Buttons(body="Ok?", buttons=(Button(id="s", title="Sim"),), footer="f" * 61)
    one_violation(message, "footer has 61 characters (limit 60)")
    listing = ListMenu(
        body="Ok?", button="Ver", header="h" * 61, sections=(ListSection(title=None, rows=rows(1)),)
    )
    one_violation(listing, "header has 61 characters (limit 60)")


def test_eleven_rows_across_sections() -> None:
    message = menu(
        ListSection(title="Primeira", rows=rows(6, "a")),
        ListSection(title="Segunda", rows=rows(5, "b")),
    )
    one_violation(message, "11 rows (1 to 10 in all)")


def test_eleven_sections() -> None:
    message = menu(
        *(
            ListSection(title=f"Seção {i}", rows=(ListRow(id=f"s{i}", title="Item"),))
            for i in range(11)
        )
    )
    problems = violations(message)
    assert "11 sections (1 to 10)" in problems
    assert "11 rows (1 to 10 in all)" in problems


def test_list_without_rows() -> None:
    one_violation(menu(ListSection(title=None, rows=())), "0 rows (1 to 10 in all)")


def test_row_title_25() -> None:
    message = menu(ListSection(title=None, rows=(ListRow(id="r", title="t" * 25),)))
    one_violation(message, "row title has 25 characters (limit 24)")


def test_row_description_73() -> None:
    message = menu(
        ListSection(title=None, rows=(ListRow(id="r", title="T", description="d" * 73),))
    )
    one_violation(message, "row description has 73 characters (limit 72)")


def test_row_id_201() -> None:
    message = menu(ListSection(title=None, rows=(ListRow(id="r" * 201, title="T"),)))
    one_violation(message, "row id has 201 characters (limit 200)")


def test_duplicate_row_ids_across_sections() -> None:
    message = menu(
        ListSection(title="A", rows=(ListRow(id="x", title="Um"),)),
        ListSection(title="B", rows=(ListRow(id="x", title="Dois"),)),
    )
    one_violation(message, "row ids are not unique")


def test_section_title_25() -> None:
    message = menu(ListSection(title="s" * 25, rows=rows(1)))
    one_violation(message, "section title has 25 characters (limit 24)")


def test_several_sections_need_titles() -> None:
    message = menu(
        ListSection(title="A", rows=rows(1, "a")), ListSection(title=None, rows=rows(1, "b"))
    )
    one_violation(message, "a list with several sections needs section titles")


def test_list_button_21() -> None:
    message = menu(ListSection(title=None, rows=rows(1)), button="v" * 21)
    one_violation(message, "list button has 21 characters (limit 20)")


@pytest.mark.parametrize(
    "message",
    [
        Image(link="https://cdn.dresbach.com.br/a.png", media_id="1480293716345821"),
        Image(),
        Image(caption="Só legenda"),
        Document(link="https://cdn.dresbach.com.br/a.pdf", media_id="2093847561029384"),
        Document(filename="a.pdf"),
    ],
)
def test_media_needs_exactly_one_of_link_or_id(message: Message) -> None:
    one_violation(message, "media needs exactly one of link, media_id or upload_ref")


def test_caption_1025() -> None:
    one_violation(
        Image(media_id="1", caption="c" * 1025), "caption has 1025 characters (limit 1024)"
    )


def test_url_button_text_21() -> None:
    message = UrlButton(body="Seu acesso.", display_text="d" * 21, url=PANEL)
    one_violation(message, "button text has 21 characters (limit 20)")


@pytest.mark.parametrize(
    "url", ["", "srv1.dresbach.com.br/login", "javascript:alert(1)", "https://a b.com.br/"]
)
def test_url_button_needs_an_http_link(url: str) -> None:
    message = UrlButton(body="Seu acesso.", display_text="Abrir", url=url)
    one_violation(message, "button url is not an http(s) link")


def test_url_button_body_and_text_must_not_be_empty() -> None:
    assert len(violations(UrlButton(body=" ", display_text=" ", url=PANEL))) == 2
    one_violation(
        UrlButton(body="b" * 1025, display_text="Abrir", url=PANEL),
        "interactive body has 1025 characters (limit 1024)",
    )


def test_template_without_name() -> None:
    one_violation(Template(name=""), "template without a name")


def test_every_problem_is_reported_at_once() -> None:
    message = Buttons(
        body="b" * 1025,
        header="h" * 61,
        buttons=tuple(Button(id=f"{i}", title="x" * 21) for i in range(4)),
    )
    assert len(violations(message)) == 1 + 1 + 1 + 1 + 4  # body, header, count, unique, titles


@pytest.mark.parametrize(
    "message",
    [
        Buttons(body="", buttons=(Button(id="s", title="Sim"),)),
        ListMenu(body=" ", button="Ver", sections=(ListSection(title=None, rows=rows(1)),)),
    ],
    ids=["buttons", "list"],
)
def test_interactive_with_empty_body_is_a_violation(message: Message) -> None:
    assert violations(message) != []


# --- codec --------------------------------------------------------------------------------------


EVERY_KIND: list[Message] = [
    Text(body="Olá! Como posso ajudar?"),
    Text(body="Veja https://dresbach.com.br", preview_url=True),
    Buttons(
        body="Já é cliente?", buttons=(Button(id="y", title="Sim"), Button(id="n", title="Não"))
    ),
    Buttons(
        body="Confirma?",
        header="Agendamento",
        footer="Dresbach",
        buttons=(Button(id="ok", title="Confirmo"),),
    ),
    ListMenu(
        body="Escolha:",
        button="Ver opções",
        header="Menu",
        footer="Rodapé",
        sections=(
            ListSection(
                title="Área do Cliente",
                rows=(
                    ListRow(id="a", title="Boleto", description="Segunda via"),
                    ListRow(id="b", title="DNS"),
                ),
            ),
            ListSection(title="Tech Ops", rows=(ListRow(id="c", title="Consultoria"),)),
        ),
    ),
    ListMenu(body="Escolha:", button="Ver", sections=(ListSection(title=None, rows=rows(3)),)),
    Image(link="https://cdn.dresbach.com.br/qr.png", caption="QR Code"),
    Image(media_id="1480293716345821"),
    Document(link="https://cdn.dresbach.com.br/f.pdf", filename="fatura.pdf", caption="Fatura"),
    Document(media_id="2093847561029384"),
    Template(name="lembrete_boleto", body_params=("Mariana", "R$ 49,90")),
    Template(name="retomar_conversa", language="en_US"),
    Image(upload_ref="qr-1a2b3c", caption="QR Code Pix"),
    Document(upload_ref="invoice-77", filename="fatura.pdf"),
    Text(body="Pagamento confirmado.", fallback=Template(name="pagamento_confirmado")),
    UrlButton(body="PDF da fatura 2026-0512", display_text="Abrir o PDF", url=PANEL),
    UrlButton(body="Acesso", display_text="Abrir", url=PANEL, header="Painel", footer="Dresbach"),
]


@pytest.mark.parametrize("message", EVERY_KIND, ids=lambda m: type(m).__name__)
def test_codec_round_trips_through_json(message: Message) -> None:
    encoded = encode(message)
    assert decode(encoded) == message
    stored = json.loads(json.dumps(encoded, ensure_ascii=False))
    assert decode(stored) == message


def test_codec_covers_every_message_kind() -> None:
    kinds = {type(m) for m in EVERY_KIND}
    assert kinds == {Text, Buttons, ListMenu, UrlButton, Image, Document, Template}
    assert {encode(m)["t"] for m in EVERY_KIND} == {
        "text",
        "buttons",
        "list",
        "url_button",
        "image",
        "document",
        "template",
    }


def test_codec_refuses_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown message kind"):
        decode({"t": "carousel"})
