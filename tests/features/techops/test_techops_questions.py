"""The qualification questions: every re-ask on bad input, `voltar`, corrections, CPF/CNPJ and
the name, as transcripts."""

from __future__ import annotations

import pytest

from dresbach.kernel.commands import CreatePixCharge, RecordLead
from dresbach.kernel.documents import Document
from dresbach.kernel.messages import Buttons
from tests.support.techops_transcript import TechOpsTranscript, at


def reasked(chat: TechOpsTranscript, state: str, says: str, *expected: str) -> None:
    """The answer is refused: the bot says why and asks the same question, in one message."""
    question = chat.bot_said().split("\n")[0]
    replies = chat.says(says)
    assert chat.place == f"techops.{state}"
    assert chat.last is not None
    assert chat.last.commands == ()
    said = chat.bot_said()
    for part in expected:
        assert part in said, said
    assert question.split("\n")[-1] in said or "?" in said
    assert len(replies) == 1


@pytest.mark.parametrize(
    ("state", "typed", "expected"),
    [
        ("start", "pizza de calabresa", "Desculpe, não entendi. Toque em *Ver áreas*"),
        ("description", "socorro", "Preciso de um pouco mais de detalhe"),
        ("description", "x" * 1001, "o limite aqui é de 1000 caracteres e a sua mensagem tem 1001"),
        ("company", "!", "Não consegui ler o nome da empresa"),
        ("size", "muita gente", "Desculpe, não entendi. Escolha uma das opções da lista"),
        ("urgency", "talvez", "Desculpe, não entendi. Toque em uma das opções de prazo"),
        ("email", "maria arroba gmail", "Esse e-mail não parece completo"),
        ("email", "maria@", "Esse e-mail não parece completo"),
        ("name_confirm", "12345", "Toque em *Sim, pode ser*"),
        ("cnpj_choice", "hein", "Toque em *Informar CNPJ*"),
        ("cnpj", "11.222.333/0001-80", "dígitos verificadores não conferem"),
        ("cnpj", "222333000181", "O CNPJ tem 14 caracteres. Confira se faltou ou sobrou algum."),
        ("cnpj", "529.982.247-25", "Esse número é um CPF"),
        ("cnpj", "00000000000000", "todos os números são iguais"),
        ("cnpj", "12ABC34501DE36", "dígitos verificadores não conferem"),
        ("cnpj", "12ABC34501DE3٥", "O CNPJ tem só letras e números"),
        ("cnpj", "é o da matriz", "Não encontrei um CNPJ na sua mensagem."),
    ],
)
def test_a_bad_answer_is_reasked_with_the_reason(state: str, typed: str, expected: str) -> None:
    chat = at(state)
    reasked(chat, state, typed, expected)


def test_the_name_typed_instead_of_tapping_is_taken_as_the_name() -> None:
    chat = at("name_confirm")
    chat.says("Ana Lima")
    assert chat.place == "techops.cnpj_choice"
    assert chat.conversation is not None
    assert chat.conversation.slots["techops.name"] == "Ana Lima"


def test_another_name_than_the_profile_one() -> None:
    chat = at("name_confirm")
    chat.taps("Usar outro nome")
    assert chat.place == "techops.name"
    assert "Como você se chama?" in chat.bot_said()
    reasked(chat, "name", "123", "Não consegui ler isso como um nome")
    chat.says("Ana Beatriz Lima")
    chat.taps("Pular")
    assert "*Nome:* Ana Beatriz Lima" in chat.bot_said()


def test_without_a_usable_profile_name_the_name_is_asked() -> None:
    for profile in ("", "🌸✨"):
        chat = TechOpsTranscript(name=profile)
        chat.says("oi")
        chat.taps("Consultoria Tech Ops")
        chat.taps("Diagnóstico técnico")
        chat.says("O servidor cai toda sexta-feira à noite.")
        chat.says("Oficina do Zé")
        chat.says("5")
        chat.says("sem pressa")
        chat.says("ze@oficina.com.br")
        assert chat.place == "techops.name"


def test_a_likely_typo_in_the_email_domain_is_questioned_once() -> None:
    chat = at("email")
    chat.says("maria@gmial.com")
    assert chat.place == "techops.email"
    assert "*gmail.com*" in chat.bot_said()
    chat.says("maria@gmail.com")
    assert chat.place == "techops.name_confirm"

    chat = at("email")
    chat.says("maria@hotmail.con")
    assert "*hotmail.com*" in chat.bot_said()
    chat.says("maria@hotmail.con")  # the same again: the customer is sure
    assert chat.place == "techops.name_confirm"


def test_typed_answers_for_the_options() -> None:
    chat = at("start")
    chat.says("preciso de adequação à LGPD")
    assert chat.place == "techops.description"
    chat.says("Coletamos dados de clientes sem política de privacidade.")
    chat.says("Loja da Ana")
    chat.says("uns 30 funcionários")
    chat.says("nas próximas semanas")
    chat.says("ana@lojadaana.com")
    chat.says("sim")
    chat.says("pular")
    summary = chat.bot_said()
    assert "LGPD e governança digital" in summary
    assert "De 10 a 49 pessoas" in summary
    assert "Nas próximas semanas" in summary
    assert "*CNPJ:* não informado" in summary


@pytest.mark.parametrize(
    ("typed", "shown", "kept"),
    [
        ("11.222.333/0001-81", "11.222.333/0001-81", "11222333000181"),
        ("00000000000191", "00.000.000/0001-91", "00000000000191"),
        ("12.ABC.345/01DE-35", "12.ABC.345/01DE-35", "12ABC34501DE35"),
        ("12abc34501de35", "12.ABC.345/01DE-35", "12ABC34501DE35"),
    ],
)
def test_numeric_and_alphanumeric_cnpjs_are_accepted(typed: str, shown: str, kept: str) -> None:
    chat = at("cnpj")
    chat.says(typed)
    assert chat.place == "techops.summary"
    # shown in full for the customer to check (#10.17); the outbox keeps it masked and sealed
    assert f"*CNPJ:* {shown}" in chat.bot_said()
    assert chat.conversation is not None
    assert chat.conversation.slots["secret.techops.cnpj"] == kept  # sealed at rest by the runtime
    chat.taps("Está tudo certo")
    chat.taps("Pagar e agendar")
    assert chat.of(CreatePixCharge)[0].payer_document == kept  # the PSP gets it, in a sealed job
    assert chat.of(RecordLead)[0].answers["cnpj"] == Document(kind="cnpj", value=kept).masked


def test_a_cnpj_typed_at_the_choice_is_taken_at_once() -> None:
    chat = at("cnpj_choice")
    chat.says("12.ABC.345/01DE-35")
    assert chat.place == "techops.summary"
    chat = at("cnpj_choice")
    chat.says("11.222.333/0001-80")
    assert chat.place == "techops.cnpj"
    assert "dígitos verificadores" in chat.bot_said()


def test_the_cnpj_can_be_skipped_from_its_question() -> None:
    chat = at("cnpj")
    chat.says("pular")
    assert chat.place == "techops.summary"
    assert "não informado" in chat.bot_said()


def test_voltar_goes_back_one_question_and_keeps_the_answers() -> None:
    chat = at("email")
    chat.says("voltar")
    assert chat.place == "techops.urgency"
    chat.says("voltar")
    assert chat.place == "techops.size"
    chat.taps("250 pessoas ou mais")
    chat.taps("Sem pressa")
    chat.says("maria@boamassa.com.br")
    chat.taps("Sim, pode ser")
    chat.taps("Pular")
    summary = chat.bot_said()
    assert "Padaria Boa Massa" in summary  # answered before going back
    assert "ransomware" in summary
    assert "250 pessoas ou mais" in summary  # answered again
    assert "Sem pressa" in summary


def test_voltar_at_the_first_question_leaves_for_the_menu() -> None:
    chat = at("start")
    chat.says("voltar")
    assert chat.place == "menu.main"


def test_correcting_an_answer_from_the_summary_returns_to_the_summary() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_summary()
    chat.taps("Corrigir")
    assert chat.place == "techops.fix"
    assert "Qual informação você quer corrigir?" in chat.bot_said()
    assert chat.options() == [
        "Área",
        "Situação",
        "Empresa",
        "Porte da empresa",
        "Urgência",
        "E-mail",
        "Nome",
        "CNPJ",
    ]
    chat.taps("E-mail")
    assert chat.place == "techops.email"
    reasked(chat, "email", "maria@", "não parece completo")
    chat.says("financeiro@boamassa.com.br")
    assert chat.place == "techops.summary"
    assert "financeiro@boamassa.com.br" in chat.bot_said()
    assert "Padaria Boa Massa" in chat.bot_said()

    chat.says("corrigir")
    chat.says("empresa")
    chat.says("Padaria Boa Massa Ltda")
    assert chat.place == "techops.summary"
    assert "Padaria Boa Massa Ltda" in chat.bot_said()

    chat.taps("Corrigir")
    chat.taps("CNPJ")
    chat.taps("Informar CNPJ")
    chat.says("12ABC34501DE35")
    assert chat.place == "techops.summary"
    assert "*CNPJ:* 12.ABC.345/01DE-35" in chat.bot_said()  # theirs to check, in full (#10.17)

    chat.taps("Está tudo certo")
    recorded = chat.of(RecordLead)[-1]
    answers = recorded.answers
    assert answers["email"] == "financeiro@boamassa.com.br"
    assert answers["company"] == "Padaria Boa Massa Ltda"
    assert answers["cnpj"] == "**.***.***/01DE-**"  # recorded masked
    assert recorded.document == "12ABC34501DE35"  # for the runtime to seal, for the receipt
    assert "12ABC34501DE35" not in repr(recorded)


def test_correcting_the_area_changes_the_fee_offered() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_summary()
    chat.taps("Corrigir")
    chat.taps("Área")
    chat.taps("Arquitetura de sistemas")
    assert chat.place == "techops.summary"
    assert "Arquitetura de sistemas" in chat.bot_said()
    chat.taps("Está tudo certo")
    assert "R$ 2.000,00" in chat.bot_said()


def test_back_from_the_offer_to_correct_records_the_new_answers_once() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_offer()
    chat.says("voltar")
    assert chat.place == "techops.summary"
    chat.taps("Está tudo certo")  # nothing changed: nothing recorded again
    assert chat.last_of(RecordLead) == []
    chat.says("voltar")
    chat.taps("Corrigir")
    chat.taps("Urgência")
    chat.taps("Sem pressa")
    chat.taps("Está tudo certo")
    [again] = chat.last_of(RecordLead)
    assert (again.status, again.answers["urgency"]) == ("offered", "flexible")


def test_the_longest_answers_still_fit_one_summary_message() -> None:
    chat = at("description")
    chat.says("Contexto: " + "o sistema trava sempre que muitos clientes acessam. " * 19)
    chat.says("Empresa " + "Muito Grande " * 7)
    chat.taps("250 pessoas ou mais")
    chat.taps("É urgente")
    chat.says(("a" * 64) + "@" + ("empresa-com-nome-comprido." * 7) + "com.br")
    chat.says("Maria " + "Souza " * 12)
    chat.taps("Informar CNPJ")
    chat.says("12.ABC.345/01DE-35")
    assert chat.place == "techops.summary"
    assert chat.last is not None
    [summary] = chat.last.replies  # the Transcript checks WhatsApp's limits on it
    assert isinstance(summary, Buttons)
    assert summary.body.startswith("Confira os seus dados")
    assert summary.body.endswith("Está tudo certo?")
    assert "…" in summary.body  # the description is shortened in the summary


def test_question_marks_in_the_answers_do_not_add_questions_to_the_summary() -> None:
    chat = at("description")
    chat.says("Por que o site cai toda noite? E os backups, funcionam??")
    chat.says("Quem Somos? Ltda")
    chat.taps("De 2 a 9 pessoas")
    chat.taps("Sem pressa")
    chat.says("ana@quemsomos.com.br")
    chat.taps("Sim, pode ser")
    chat.taps("Pular")
    summary = chat.bot_said()
    assert summary.count("?") == 1
    assert "Por que o site cai toda noite. E os backups, funcionam." in summary
    assert "Quem Somos. Ltda" in summary
    chat.taps("Está tudo certo")
    answers = chat.of(RecordLead)[-1].answers
    assert answers["description"] == "Por que o site cai toda noite? E os backups, funcionam??"
