"""Área do Cliente, the login: CPF/CNPJ, password, second factor. Transcripts.

Every step is also checked by `ClientAreaTranscript`: no reply and no slot holds the password,
the code or the full document; `secret.document` is empty once the password is sent.
"""

from __future__ import annotations

import pytest

from dresbach.features.client_area.flow import FLOW
from dresbach.features.client_area.flow.texts import TEXTS
from dresbach.features.client_area.login.sentences import DOCUMENT_ERRORS
from dresbach.features.client_area.model import CheckLogin, CheckSecondFactor, ResendEmailCode
from tests.support.client_area_transcript import (
    CLIENT,
    CNPJ,
    CNPJ_ALNUM,
    CODE,
    CPF,
    EMAIL,
    PASSWORD,
    ClientAreaTranscript,
)


def at_password(document: str = CPF) -> ClientAreaTranscript:
    chat = ClientAreaTranscript()
    chat.opens_the_area()
    chat.sends_document(document)
    assert chat.state == "password", chat.bot_said()
    return chat


def at_code(factor: str = "totp") -> ClientAreaTranscript:
    chat = at_password()
    chat.says(PASSWORD)
    chat.login_checked("ok", factor=factor)
    return chat


def test_the_area_asks_for_the_cpf_or_cnpj_first() -> None:
    chat = ClientAreaTranscript()
    chat.opens_the_area()
    said = chat.bot_said()
    assert "Qual é o CPF ou o CNPJ do titular da conta?" in said
    assert said.count("?") == 1
    assert chat.options() == ["Falar com atendente", "Menu principal"]


def test_login_with_a_cpf_the_password_and_the_authenticator_app() -> None:
    chat = at_password(CPF)
    said = chat.bot_said()
    assert "***.982.247-**" in said
    assert "sistema de faturamento" in said
    assert "não fica guardada" in said
    assert "Apagar para mim" in said
    assert said.endswith("Qual é a sua senha?")
    assert chat.conversation is not None
    assert chat.conversation.slots["secret.document"] == "52998224725"

    chat.says(PASSWORD)
    [login] = chat.last_of(CheckLogin)
    assert login.document == "52998224725"
    assert login.password == PASSWORD
    assert login.command_id.endswith(":login")
    assert chat.state == "checking"
    assert "Conferindo seus dados" in chat.bot_said()
    assert chat.conversation.slots["secret.document"] is None

    chat.login_checked("ok", factor="totp")
    assert chat.state == "totp"
    assert "Qual é o código de 6 dígitos que aparece lá?" in chat.bot_said()

    chat.says(CODE)
    [check] = chat.last_of(CheckSecondFactor)
    assert (check.client_id, check.method, check.code) == (CLIENT, "totp", CODE)
    assert check.command_id.endswith(":2fa")
    assert chat.state == "checking_code"

    chat.second_factor_checked("ok")
    assert chat.state == "home"
    assert chat.bot_said().startswith("Pronto, Maria! Você entrou na Área do Cliente.")
    slots = chat.conversation.slots
    assert slots["client_area.client_id"] == CLIENT
    assert slots["client_area.name"] == "Maria Souza"
    assert slots["client_area.login_at"] == chat.now.isoformat()
    assert slots["client_area.seen_at"] == chat.now.isoformat()
    assert chat.conversation.trail == ()


@pytest.mark.parametrize(
    ("typed", "normalized", "masked"),
    [
        (CPF, "52998224725", "***.982.247-**"),
        ("52998224725", "52998224725", "***.982.247-**"),
        ("123.456.789-09", "12345678909", "***.456.789-**"),
        (CNPJ, "11222333000181", "**.***.***/0001-**"),
        ("00.000.000/0001-91", "00000000000191", "**.***.***/0001-**"),
        (CNPJ_ALNUM, "12ABC34501DE35", "**.***.***/01DE-**"),
        ("12abc34501de35", "12ABC34501DE35", "**.***.***/01DE-**"),
    ],
)
def test_cpf_numeric_and_alphanumeric_cnpj_are_accepted(
    typed: str, normalized: str, masked: str
) -> None:
    chat = at_password(typed)
    assert masked in chat.bot_said()
    chat.says(PASSWORD)
    [login] = chat.last_of(CheckLogin)
    assert login.document == normalized


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("529.982.247-24", "Esse CPF ou CNPJ não é válido: os dígitos verificadores não conferem"),
        ("111.111.111-11", "Esse número não é válido: todos os dígitos são iguais."),
        ("9982247 25", "O CPF tem 11 dígitos e o CNPJ tem 14 caracteres."),
        ("5299822472٥", "O CPF e o CNPJ têm só números"),
        ("11.222.333/0001-80", "Esse CPF ou CNPJ não é válido"),
        ("222333000181", "O CPF tem 11 dígitos e o CNPJ tem 14 caracteres."),
        ("12ABC34501DE36", "Esse CPF ou CNPJ não é válido"),
        ("529982247A5", "O CPF tem só números, e o CNPJ termina sempre com dois números."),
        ("meu cpf", "Não encontrei um CPF ou CNPJ na sua mensagem."),
    ],
)
def test_a_mistyped_document_is_asked_again_with_the_reason(typed: str, reason: str) -> None:
    chat = ClientAreaTranscript()
    chat.opens_the_area()
    chat.says(typed)
    said = chat.bot_said()
    assert said.startswith(reason), said
    assert "Qual é o CPF ou o CNPJ do titular da conta?" in said
    assert said.count("?") == 1
    assert "recebi" not in said  # not even how long it was
    assert chat.state == "start"
    assert chat.last is not None
    assert chat.last.commands == ()
    assert chat.conversation is not None
    assert "secret.document" not in chat.conversation.slots


@pytest.mark.parametrize("password", [PASSWORD, "cafe@com@leite1", "Ünïcødé-9!", "Senha forte 42"])
def test_a_password_typed_at_the_document_prompt_is_not_echoed(password: str) -> None:
    """#18.15: "O caractere “#” não vale…" sent one character of a password to WhatsApp."""
    chat = ClientAreaTranscript()
    chat.secrets.add(password)
    chat.opens_the_area()
    chat.says(password)
    said = chat.bot_said()
    assert "caractere" not in said
    assert "“" not in said
    answers = {TEXTS[key] for key in (*DOCUMENT_ERRORS.values(), "problem")}
    assert said.split("\n\n")[0] in answers  # a text of the catalog, nothing typed spliced in
    assert chat.state == "start"
    assert chat.last is not None
    assert chat.last.commands == ()


def test_sentences_at_the_document_prompt_get_an_answer_not_a_document_error() -> None:
    """#10.11: "não sou cliente ainda" and "meu site está fora do ar" got "O caractere “ã” não vale
    em CPF ou CNPJ"."""
    chat = ClientAreaTranscript()
    chat.opens_the_area()

    chat.says("não sou cliente ainda")
    said = chat.bot_said()
    assert said.startswith("Sem problema! A Área do Cliente é para quem já tem serviços")
    assert "?" not in said
    assert chat.options() == ["Menu principal", "Falar com atendente"]
    assert chat.state == "start"

    chat.says("meu site está fora do ar")
    said = chat.bot_said()
    assert said.startswith("Sinto muito pelo transtorno!")
    assert "Falar com atendente" in said
    assert "Qual é o CPF ou o CNPJ do titular da conta?" in said
    assert said.count("?") == 1

    chat.says("esqueci minha senha")
    said = chat.bot_said()
    assert said.startswith("Acontece! Você pode criar uma nova senha pelo site")
    assert "https://cliente.dresbach.com.br" in said
    assert "?" not in said

    chat.says("bom dia, tudo bem?")  # a greeting back, then the question again
    assert chat.bot_said().startswith("Bom dia! 😊\n\nNa Área do Cliente")

    chat.says("não lembro")
    assert chat.bot_said().startswith("Não encontrei um CPF ou CNPJ na sua mensagem.")

    for said in chat.said:
        assert "caractere" not in said[1]
    assert chat.state == "start"
    assert not chat.commands

    chat.sends_document(CPF)
    assert chat.state == "password"


def test_not_a_client_leads_to_the_menu_or_a_person() -> None:
    chat = ClientAreaTranscript()
    chat.opens_the_area()
    chat.says("ainda não tenho conta, quero contratar")
    chat.taps("Menu principal")
    assert chat.place == "menu.main"


@pytest.mark.parametrize(
    "sentence", ["meu CPF é 529.982.247-25", "cpf: 529 982 247 25", "é o 52998224725, obrigado"]
)
def test_a_document_inside_a_sentence_is_found(sentence: str) -> None:
    chat = ClientAreaTranscript()
    chat.secrets |= {CPF, "52998224725"}
    chat.opens_the_area()
    chat.says(sentence)
    assert chat.state == "password"
    assert "***.982.247-**" in chat.bot_said()


@pytest.mark.parametrize(
    "typed",
    ["esqueci minha senha", "Não lembro a senha", "esqueci", "qual senha?", "perdi a senha"],
)
def test_forgetting_the_password_is_not_a_try_at_the_password_prompt(typed: str) -> None:
    """#10.11: "esqueci minha senha" was sent as the password and counted toward the lockout."""
    chat = at_password()
    chat.says(typed)
    said = chat.bot_said()
    assert "https://cliente.dresbach.com.br" in said
    assert "nova senha" in said
    assert "?" not in said
    assert chat.state == "password"
    assert not chat.of(CheckLogin)

    chat.says(PASSWORD)  # the new password, later: the document is still there
    [login] = chat.last_of(CheckLogin)
    assert (login.document, login.password) == ("52998224725", PASSWORD)


@pytest.mark.parametrize("password", ["Esqueci#2026", "minha senha 123", "esquecimento"])
def test_a_password_is_never_taken_for_a_sentence(password: str) -> None:
    chat = at_password()
    chat.secrets.add(password)
    chat.says(password)
    [login] = chat.last_of(CheckLogin)
    assert login.password == password


def test_a_wrong_password_and_an_unknown_document_get_the_same_answer() -> None:
    wrong_password = at_password(CPF)
    wrong_password.says("senha-errada")
    wrong_password.login_checked("failed")
    unknown = at_password(CNPJ)
    unknown.says(PASSWORD)
    unknown.login_checked("failed")
    assert wrong_password.bot_said() == unknown.bot_said()
    assert wrong_password.bot_said().startswith("O CPF/CNPJ ou a senha não conferem.")
    for chat in (wrong_password, unknown):
        assert chat.state == "start"
        assert chat.conversation is not None
        assert not any(chat.conversation.slots.values())


def test_a_locked_login_says_for_how_long_and_promises_no_e_mail() -> None:
    """#18.10: it said an e-mail was sent; for an unknown document none can be, and saying so
    only for known ones would tell which documents are clients."""
    chat = at_password()
    chat.says(PASSWORD)
    chat.login_checked("locked")
    said = chat.bot_said()
    assert "bloqueado por 15 minutos" in said
    assert "e-mail" not in said
    assert "senha" not in said  # no detail on why
    assert chat.place == "menu.main"
    assert chat.conversation is not None
    assert not any(chat.conversation.slots.values())


def test_an_unavailable_billing_system_asks_to_try_again_shortly() -> None:
    chat = at_password()
    chat.says(PASSWORD)
    chat.login_checked("unavailable")
    assert chat.bot_said().startswith("O nosso sistema está indisponível no momento.")
    assert chat.state == "start"


def test_an_account_without_a_second_factor_is_not_let_in_and_no_chat_code_is_offered() -> None:
    chat = at_password()
    chat.says(PASSWORD)
    chat.login_checked("ok", factor=None)
    said = chat.bot_said()
    assert "verificação em duas etapas" in said
    assert "https://cliente.dresbach.com.br" in said
    assert chat.place == "menu.main"
    assert not chat.of(CheckSecondFactor)
    assert not chat.of(ResendEmailCode)


def test_a_failed_totp_code_is_asked_again_and_the_next_one_lets_in() -> None:
    chat = at_code("totp")
    chat.says("111111")
    chat.second_factor_checked("failed")
    assert chat.state == "totp"
    assert chat.bot_said().startswith("Esse código não confere.")
    assert "Qual é o código de 6 dígitos" in chat.bot_said()
    chat.says("123 456")
    assert chat.last_of(CheckSecondFactor)[0].code == "123456"
    chat.second_factor_checked("ok")
    assert chat.state == "home"


def test_a_locked_second_factor_ends_the_login() -> None:
    chat = at_code("totp")
    chat.says(CODE)
    chat.second_factor_checked("locked")
    said = chat.bot_said()
    assert "bloqueado por 15 minutos" in said
    assert "e-mail" not in said  # none was sent for this answer
    assert chat.place == "menu.main"
    assert chat.conversation is not None
    assert not any(chat.conversation.slots.values())


def test_a_second_factor_lockout_names_the_e_mail_the_notice_went_to() -> None:
    """#18.10: the notice is sent, and the chat says where."""
    chat = at_code("email")
    chat.says(CODE)
    chat.second_factor_checked("locked", email_masked=EMAIL)
    said = chat.bot_said()
    assert "bloqueado por 15 minutos" in said
    assert f"enviamos um aviso para o e-mail {EMAIL}" in said
    assert chat.place == "menu.main"


@pytest.mark.parametrize(
    ("document", "name", "greeting"),
    [
        (CPF, "Maria Souza", "Pronto, Maria! Você entrou na Área do Cliente."),
        (CNPJ, "Loja Exemplo Ltda", "Pronto! Você entrou na Área do Cliente da conta *Loja"),
        (CNPJ_ALNUM, "Padaria Boa Massa", "Pronto! Você entrou na Área do Cliente da conta *Pad"),
        (CPF, "", "Pronto! Você entrou na Área do Cliente."),
    ],
)
def test_the_greeting_uses_a_first_name_only_for_a_person(
    document: str, name: str, greeting: str
) -> None:
    """#10.15: "Pronto, Loja!" greeted a company by the first word of its name."""
    chat = at_password(document)
    chat.says(PASSWORD)
    chat.login_checked("ok", factor="totp", name=name)
    chat.says(CODE)
    chat.second_factor_checked("ok")
    said = chat.bot_said()
    assert said.startswith(greeting), said
    assert "Pronto, Loja" not in said
    assert "Pronto, Padaria" not in said


@pytest.mark.parametrize("typed", ["12345", "1234567", "abcdef", "12a456", "٢٨٧٠٨٢", "código"])
def test_only_six_digits_are_taken_as_a_code(typed: str) -> None:
    chat = at_code("totp")
    chat.says(typed)
    assert chat.state == "totp"
    assert chat.bot_said().startswith("O código tem exatamente 6 números.")
    assert chat.last is not None
    assert chat.last.commands == ()


def test_the_e_mail_code_with_a_resend_then_expired_then_resent() -> None:
    chat = at_code("email")
    said = chat.bot_said()
    assert chat.state == "email_code"
    assert EMAIL in said
    assert "5 minutos" in said
    assert chat.options() == ["Reenviar código"]

    chat.taps("Reenviar código")
    [resend] = chat.last_of(ResendEmailCode)
    assert resend.client_id == CLIENT
    assert "enviei um novo código" in chat.bot_said()
    assert chat.state == "email_code"

    chat.says(CODE)
    assert chat.last_of(CheckSecondFactor)[0].method == "email"
    chat.second_factor_checked("expired")
    assert chat.state == "email_code"
    assert chat.bot_said().startswith("Esse código expirou")
    assert chat.options() == ["Reenviar código"]
    chat.taps("Reenviar código")
    assert chat.last_of(ResendEmailCode)

    chat.says(CODE)
    chat.second_factor_checked("ok")
    assert chat.state == "home"


def test_resending_the_e_mail_code_has_a_limit() -> None:
    chat = at_code("email")
    for _ in range(4):
        chat.chooses("ca:resend", "Reenviar código")  # the button of the first message
    assert len(chat.of(ResendEmailCode)) == 3
    assert "Já enviei vários códigos" in chat.bot_said()
    assert chat.state == "email_code"


def test_the_password_and_code_states_are_sensitive() -> None:
    sensitive = {name for name, state in FLOW.states.items() if state.sensitive}
    assert sensitive == {
        "start",
        "password",
        "checking",
        "totp",
        "email_code",
        "checking_code",
        "finishing_login",  # a password typed in the chat while the Flow's login is checked
    }
    assert all(not state.sensitive for name, state in FLOW.states.items() if name not in sensitive)


def test_no_slot_holds_the_document_or_the_password_once_it_is_sent() -> None:
    chat = at_password(CNPJ_ALNUM)
    chat.says(PASSWORD)
    assert chat.conversation is not None
    slots = chat.conversation.slots
    assert slots["secret.document"] is None
    values = repr(dict(slots))
    for secret in (PASSWORD, "12ABC34501DE35", CNPJ_ALNUM):
        assert secret not in values
    assert not any(k.startswith("secret.") and v for k, v in slots.items())


def test_back_from_checking_the_password_needs_the_document_again() -> None:
    chat = at_password()
    chat.says(PASSWORD)
    chat.says("voltar")
    assert chat.state == "password"
    chat.says(PASSWORD)
    assert chat.state == "start"
    assert chat.bot_said().startswith("Preciso do CPF ou CNPJ de novo")
    assert len(chat.of(CheckLogin)) == 1


def test_typing_while_the_login_is_checked_says_to_wait() -> None:
    chat = at_password()
    chat.says(PASSWORD)
    chat.says("e aí?")
    assert "Ainda estou conferindo" in chat.bot_said()
    assert chat.state == "checking"


def test_news_of_a_login_the_customer_left_is_dropped_silently() -> None:
    chat = at_password()
    chat.says(PASSWORD)
    chat.says("menu")
    assert chat.place == "menu.main"
    assert chat.login_checked("ok") == []
    assert chat.place == "menu.main"


def test_a_second_factor_result_for_another_client_is_ignored() -> None:
    chat = at_code("totp")
    chat.says(CODE)
    assert chat.second_factor_checked("ok", client_id="c-9999") == []
    assert chat.state == "checking_code"


def test_a_question_mark_typed_as_a_document_is_not_quoted_back() -> None:
    chat = ClientAreaTranscript()
    chat.opens_the_area()
    chat.says("?")
    said = chat.bot_said()
    assert said.startswith("Não encontrei um CPF ou CNPJ na sua mensagem.")
    assert said.count("?") == 1
