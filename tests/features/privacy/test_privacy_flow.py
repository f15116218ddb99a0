"""The `privacidade` flow, as transcripts: the user says, the bot says, the jobs report."""

from __future__ import annotations

from dresbach.features.client_area.model import SESSION_SLOT
from dresbach.features.privacy.model import (
    EXPORT_FILENAME,
    READABLE_FILENAME,
    CorrectPersonalData,
    CountCorrectableData,
    ErasePersonalData,
    ExportPersonalData,
)
from dresbach.kernel.messages import Buttons, Document, ListMenu, Text
from dresbach.kernel.policy import Policy
from tests.support.privacy_transcript import PrivacyTranscript

OPTIONS = [
    "Baixar meus dados",
    "Corrigir meus dados",
    "Excluir meus dados",
    "Dados da Área do Cliente",
    "Falar com atendente",
]
POLICY = Policy(
    dpo_contact="encarregado@exemplo.com.br",
    controller="Exemplo Hospedagem LTDA",
    privacy_url="https://exemplo.com.br/privacidade",
    privacy_purpose="suporte técnico e vendas",
)


def last_body(chat: PrivacyTranscript) -> str:
    """The text of the bot's last message (without its buttons)."""
    assert chat.last is not None
    message = chat.last.replies[-1]
    assert isinstance(message, Text | Buttons | ListMenu)
    return message.body


def at_options(**kwargs: object) -> PrivacyTranscript:
    chat = PrivacyTranscript(policy=POLICY, **kwargs)  # type: ignore[arg-type]
    chat.says("oi")
    chat.taps("Privacidade e seus dados")
    return chat


def test_the_first_contact_notice_names_controller_purpose_policy_and_dpo() -> None:
    chat = PrivacyTranscript(policy=POLICY)
    chat.says("oi")
    notice = chat.said[1][1]
    assert "Controladora: Exemplo Hospedagem LTDA" in notice
    assert "Finalidade: suporte técnico e vendas" in notice
    assert "https://exemplo.com.br/privacidade" in notice
    assert "encarregado@exemplo.com.br" in notice
    assert "*privacidade*" in notice


def test_the_menu_offers_privacy_and_it_opens_the_options() -> None:
    chat = at_options()
    assert chat.place == "privacy.start"
    assert "LGPD" in chat.bot_said()
    assert chat.bot_said().count("?") == 1
    assert chat.options() == OPTIONS


def test_typing_4_at_the_menu_or_privacidade_anywhere_opens_the_options() -> None:
    chat = PrivacyTranscript()
    chat.says("oi")
    chat.says("4")
    assert chat.place == "privacy.start"

    chat = PrivacyTranscript()
    chat.says("oi")
    chat.taps("Consultoria Tech Ops")
    chat.taps("Segurança da informação")
    chat.says("Nosso site foi invadido e precisamos de ajuda")
    assert chat.conversation is not None
    assert chat.conversation.slots  # answers under way
    chat.says("Privacidade")
    assert chat.place == "privacy.start"
    assert chat.options() == OPTIONS
    assert not chat.conversation.slots  # left behind, as `menu` would


def test_a_first_message_about_ones_data_greets_then_opens_the_options() -> None:
    chat = PrivacyTranscript()
    chat.says("quero excluir meus dados")
    assert "LGPD" in chat.bot_said()
    assert chat.place == "privacy.start"


def test_privacidade_ends_a_client_area_session() -> None:
    chat = PrivacyTranscript()
    chat.says("oi")
    chat.taps("Área do Cliente")
    assert chat.conversation is not None
    chat.conversation = chat.conversation.with_slots(**{SESSION_SLOT: "c-1"})
    chat.says("privacidade")
    assert SESSION_SLOT not in chat.conversation.slots


def test_the_user_asks_for_a_copy_and_receives_a_readable_text_and_the_json() -> None:
    chat = at_options()
    chat.taps("Baixar meus dados")
    assert chat.place == "privacy.exporting"
    assert "reunindo tudo" in chat.bot_said()
    (command,) = chat.of(ExportPersonalData)
    assert command.command_id.endswith(":privacy:export")

    chat.says("já está pronto?")  # waiting: the bot says it is still at it
    assert "reunindo tudo" in chat.bot_said()
    assert chat.place == "privacy.exporting"

    replies = chat.data_exported("export-123")
    # first the copy a person reads, then the same data as JSON, then the menu
    readable, portable, menu = replies
    assert isinstance(readable, Document)
    assert readable.upload_ref == "export-123-txt"
    assert readable.filename == READABLE_FILENAME == "meus-dados-dresbach.txt"
    assert "para que usamos e por quanto tempo" in (readable.caption or "")
    assert isinstance(portable, Document)
    assert portable.upload_ref == "export-123"
    assert portable.filename == EXPORT_FILENAME == "meus-dados-dresbach.json"
    assert "JSON" in (portable.caption or "")
    assert "portabilidade" in (portable.caption or "")
    assert isinstance(menu, ListMenu)
    assert chat.place == "menu.main"


def test_a_copy_that_arrives_after_the_user_went_on_is_sent_where_they_are() -> None:
    chat = at_options()
    chat.taps("Baixar meus dados")
    chat.says("menu")
    chat.taps("Consultoria Tech Ops")
    replies = chat.data_exported("export-9")
    assert [r.filename for r in replies if isinstance(r, Document)] == [
        READABLE_FILENAME,
        EXPORT_FILENAME,
    ]
    assert len(replies) == 2
    assert chat.place == "techops.start"


def test_the_user_corrects_the_name_after_a_re_ask() -> None:
    chat = at_options()
    chat.taps("Corrigir meus dados")
    (count,) = chat.of(CountCorrectableData)
    assert count.command_id.endswith(":privacy:count")
    assert chat.place == "privacy.correct_checking"
    assert "conferindo" in chat.bot_said()
    chat.data_counted(names=2, emails=2)
    assert last_body(chat) == (
        "Nos seus cadastros da consultoria Tech Ops temos o seu nome e o seu e-mail.\n\n"
        "Qual dado você quer corrigir?"
    )
    assert chat.options() == ["Nome", "E-mail", "Outro dado"]
    chat.taps("Nome")
    assert chat.bot_said() == "Qual é o nome correto?"
    chat.says("12345")
    assert "Não consegui entender esse nome" in chat.bot_said()
    assert chat.place == "privacy.correct_name"
    chat.says("  Joana   Prado ")
    assert chat.place == "privacy.correcting"
    (command,) = chat.of(CorrectPersonalData)
    assert (command.field, command.value) == ("name", "Joana Prado")

    chat.data_corrected("name", 2)
    assert "Corrigi o seu nome nos seus 2 cadastros" in chat.bot_said()
    assert chat.place == "menu.main"


def test_the_user_corrects_the_email_typed_in_words() -> None:
    chat = at_options()
    chat.says("quero corrigir")
    chat.data_counted(names=1, emails=1)
    chat.says("o e-mail")
    assert chat.bot_said() == "Qual é o e-mail correto?"
    chat.says("joana@exemplo")
    assert "não parece completo" in chat.bot_said()
    chat.says("Joana@Exemplo.COM.br")
    (command,) = chat.of(CorrectPersonalData)
    assert (command.field, command.value) == ("email", "Joana@exemplo.com.br")
    chat.data_corrected("email", 1)
    assert "Corrigi o seu e-mail no seu cadastro" in chat.bot_said()


def test_nothing_to_correct_is_said_before_asking_for_a_new_value() -> None:
    chat = at_options()
    chat.taps("Corrigir meus dados")
    # we hold no name and no e-mail: the bot says so at once, and asks for nothing
    chat.data_counted(names=0, emails=0)
    said = chat.bot_said()
    assert said.startswith(
        "Não encontrei nenhum cadastro seu com nome ou e-mail, então não há nada para corrigir"
    )
    assert "Qual é o e-mail correto?" not in said
    assert chat.place == "privacy.start"
    assert chat.options() == OPTIONS
    assert chat.of(CorrectPersonalData) == []


def test_a_field_we_do_not_hold_is_said_before_asking_for_its_new_value() -> None:
    chat = at_options()
    chat.taps("Corrigir meus dados")
    chat.data_counted(names=1, emails=0)
    held = "Nos seus cadastros da consultoria Tech Ops temos o seu nome.\n"
    assert last_body(chat).startswith(held)
    assert chat.options() == ["Nome", "Outro dado"]

    chat.says("e-mail")  # typed, although not offered
    assert chat.bot_said().startswith(
        "Não temos e-mail seu guardado em nenhum cadastro, então não há o que corrigir."
    )
    assert "Qual é o e-mail correto?" not in chat.bot_said()
    assert chat.place == "privacy.correct_which"
    chat.taps("Nome")
    assert chat.bot_said() == "Qual é o nome correto?"


def test_a_correction_that_finds_nothing_after_all_still_says_so() -> None:
    # the records went away between the count and the correction (a purge, say)
    chat = at_options()
    chat.taps("Corrigir meus dados")
    chat.data_counted(names=0, emails=1)
    chat.taps("E-mail")
    chat.says("joana@exemplo.com.br")
    chat.data_corrected("email", 0)
    assert "Não encontrei nenhum cadastro seu com e-mail" in chat.bot_said()
    assert "nada foi alterado" in chat.bot_said()


def test_other_data_points_to_whatsapp_settings_and_the_dpo() -> None:
    chat = at_options()
    chat.taps("Corrigir meus dados")
    chat.data_counted(names=1, emails=1)
    chat.taps("Outro dado")
    said = chat.bot_said()
    assert "configurações do aplicativo" in said
    assert "encarregado@exemplo.com.br" in said
    assert chat.place == "privacy.start"


def test_client_area_data_needs_the_login_and_the_dpo_takes_its_requests() -> None:
    chat = at_options()
    chat.taps("Dados da Área do Cliente")
    said = chat.bot_said()
    assert "login" in said
    assert "encarregado@exemplo.com.br" in said
    assert chat.place == "privacy.start"
    assert chat.commands == []


def test_erasure_says_what_the_law_keeps_and_asks_before_anything_goes() -> None:
    chat = at_options()
    chat.taps("Excluir meus dados")
    said = chat.bot_said()
    assert "registros de pagamento" in said
    assert "cinco anos" in said
    assert "Código Tributário Nacional, arts. 173 e 174" in said
    assert last_body(chat).endswith("Confirma a exclusão?")
    assert said.count("?") == 1
    assert chat.options() == ["Sim, excluir", "Não, manter"]
    assert chat.of(ErasePersonalData) == []

    chat.taps("Não, manter")
    assert "não excluí nada" in chat.bot_said()
    assert chat.place == "privacy.start"
    assert chat.of(ErasePersonalData) == []


def test_after_the_erasure_the_conversation_starts_afresh_with_the_notice() -> None:
    chat = at_options()
    chat.taps("Excluir meus dados")
    chat.says("sim, pode excluir")
    assert chat.place == "privacy.erasing"
    (command,) = chat.of(ErasePersonalData)
    assert command.command_id.endswith(":privacy:erase")

    replies = chat.data_erased(kept_payments=1)
    assert len(replies) == 1
    assert isinstance(replies[0], Text)
    assert "Excluí seus dados pessoais" in replies[0].body
    assert "registros de pagamento" in replies[0].body
    assert chat.place == "menu.new"

    chat.says("oi")
    assert "LGPD" in chat.said[-2][1]  # the first-contact notice, again
    assert chat.place == "menu.main"


def test_an_unclear_answer_to_the_confirmation_asks_again() -> None:
    chat = at_options()
    chat.taps("Excluir meus dados")
    chat.says("talvez")
    assert "não entendi" in chat.bot_said()
    assert last_body(chat).endswith("Confirma a exclusão?")
    assert chat.place == "privacy.erase_confirm"


def test_a_failed_request_apologizes_with_the_dpo_contact_and_offers_the_options() -> None:
    chat = at_options()
    chat.taps("Baixar meus dados")
    chat.request_failed()
    said = chat.bot_said()
    assert "não consegui concluir" in said
    assert "encarregado@exemplo.com.br" in said
    assert chat.place == "privacy.start"


def test_unknown_words_at_the_options_are_not_understood() -> None:
    chat = at_options()
    chat.says("banana")
    assert "não entendi" in chat.bot_said()
    assert chat.place == "privacy.start"
    chat.says("quero apagar tudo")
    assert chat.place == "privacy.erase_confirm"
