"""The worst sentences seen in the trial (#10.19), as transcripts: each is now said as a person of
the house would say it. (The operator's rejection quoted as the team's words is #10.14; "Pronto,
Loja!" was #10.15; their own tests hold them.)"""

from __future__ import annotations

from datetime import UTC, datetime

from dresbach.features.handoff.model import HumanJoined, HumanLeft
from dresbach.features.scheduling.model import SchedulingRules, SlotBooked, SlotsFound, free_slots
from dresbach.kernel.messages import Text
from dresbach.kernel.policy import Policy
from tests.support.techops_transcript import TechOpsTranscript, at

ROOM = "https://meet.google.com/abc-defg-hij"


def test_a_character_a_cnpj_cannot_have_is_not_quoted_back() -> None:
    chat = at("cnpj")
    chat.says("12.345.678/0001-9ã")
    said = chat.bot_said()
    assert said.startswith(
        "O CNPJ tem só letras e números; a pontuação é opcional. Confira o que foi digitado."
    )
    assert "caractere" not in said
    assert "“ã”" not in said


def test_a_cnpj_of_the_wrong_length_is_not_counted_back() -> None:
    chat = at("cnpj")
    chat.says("12345678901234567")
    said = chat.bot_said()
    assert said.startswith("O CNPJ tem 14 caracteres. Confira se faltou ou sobrou algum.")
    assert "recebi" not in said


def test_a_sentence_at_the_cnpj_prompt_is_not_read_as_a_cnpj() -> None:
    chat = at("cnpj")
    chat.says("meu site está fora do ar")
    assert chat.bot_said().startswith("Não encontrei um CNPJ na sua mensagem.")


def test_cancelar_in_the_middle_of_the_questions_claims_to_cancel_nothing() -> None:
    chat = at("urgency")
    chat.says("cancelar")
    assert chat.place == "menu.main"
    assert chat.bot_said().startswith("Tudo bem, paramos por aqui.\n\nComo posso ajudar você hoje?")


def test_outside_support_hours_the_day_and_time_are_written_out() -> None:
    chat = TechOpsTranscript(now=datetime(2026, 12, 5, 15, tzinfo=UTC))  # Saturday 12h
    chat.says("oi")
    chat.says("atendente")
    assert chat.bot_said() == (
        "A nossa equipe atende de segunda a sexta, das 9h às 18h. Agora estamos fora desse "
        "horário, mas a sua mensagem fica registrada e respondemos a partir de segunda, 07/12, "
        "às 9h. Pode deixar aqui o que você precisa."
    )


def test_asking_for_a_person_again_while_waiting() -> None:
    chat = TechOpsTranscript()
    chat.says("oi")
    chat.says("atendente")
    chat.says("quero falar com um humano")
    assert chat.bot_said() == (
        "Você já está na fila de atendimento. Assim que uma pessoa da nossa equipe estiver "
        "livre, ela responde por aqui."
    )


def test_the_person_hands_the_chat_back_in_plain_words() -> None:
    chat = TechOpsTranscript()
    chat.says("oi")
    chat.says("atendente")
    chat.receives(HumanJoined(**chat._internal(), handoff_id="7", operator="Ana Demonstração"))
    chat.receives(
        HumanLeft(**chat._internal(), handoff_id="7", operator="Ana Demonstração", closed=False)
    )
    assert chat.bot_said().startswith(
        "Ana Demonstração concluiu o atendimento. Se precisar de mais alguma coisa, continuo por "
        "aqui.\n\nComo posso ajudar você hoje?"
    )


def test_the_meeting_place_is_said_where_and_how() -> None:
    chat = TechOpsTranscript(policy=Policy(scheduling=SchedulingRules(meeting_url=ROOM)))
    chat.walk_to_pix()
    chat.payment_confirmed()
    found = free_slots(chat.policy.scheduling, now=chat.now, busy=[], count=5)
    chat.receives(SlotsFound(**chat._internal(), slot_ids=tuple(s.id for s in found)))
    assert chat.options()[0] == "quarta, 25/11, às 14h"
    chat.taps("quarta, 25/11, às 14h")
    chat.receives(
        SlotBooked(**chat._internal(), booking_id="bk-1", slot_id=found[0].id, ics_ref="ics-1")
    )
    said = chat.bot_said()
    assert said.startswith(
        "Reunião marcada para *quarta, 25/11/2026, às 14h (horário de Brasília)*.\n"
        f"*Onde:* Reunião online, pelo link {ROOM}\n\n"
    )
    assert "Como vai ser" not in said


def test_a_receipt_sent_is_checked_by_the_team() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_pix()
    chat.sends_file("image", "image/jpeg", media_id="img-1")
    assert chat.bot_said() == (
        "Recebi o seu comprovante. Alguém da nossa equipe vai conferir o pagamento, e eu aviso "
        "por aqui assim que ele for confirmado."
    )


def test_the_receipt_names_the_pix_identifier_in_words() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_pix()
    [receipt, _finding] = chat.payment_confirmed()
    assert isinstance(receipt, Text)
    assert f"*Identificador do Pix:* {chat.txid}" in receipt.body
    assert "txid" not in receipt.body
    assert receipt.body.endswith("O seu diagnóstico está garantido. Agradecemos a confiança!")
