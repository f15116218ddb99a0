"""The Pix after the offer: receipts sent by the customer, reminders, expiry, a new Pix."""

from __future__ import annotations

import pytest

from dresbach.kernel.commands import CreatePixCharge, QueueReceiptReview, RecordLead
from dresbach.kernel.messages import Text
from tests.support.techops_transcript import CODE, TechOpsTranscript


def test_a_receipt_sent_as_an_image_is_kept_for_the_team() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_pix()
    chat.sends_file("image", "image/jpeg", media_id="img-77")
    assert chat.place == "techops.awaiting_payment"
    assert "Recebi o seu comprovante" in chat.bot_said()
    assert "Alguém da nossa equipe vai conferir o pagamento" in chat.bot_said()
    [review] = chat.last_of(QueueReceiptReview)
    assert review.txid == chat.txid
    assert (review.media_id, review.mime_type, review.filename) == ("img-77", "image/jpeg", None)
    assert review.command_id.endswith(":receipt")


def test_a_receipt_sent_as_a_pdf_document_is_kept_for_an_operator() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_pix()
    chat.sends_file("document", "application/pdf", filename="comprovante.pdf", media_id="doc-9")
    [review] = chat.last_of(QueueReceiptReview)
    assert (review.media_id, review.mime_type, review.filename) == (
        "doc-9",
        "application/pdf",
        "comprovante.pdf",
    )
    chat.payment_confirmed()  # the operator confirms it
    assert chat.place == "techops.paid"


def test_an_audio_is_not_a_receipt() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_pix()
    chat.sends_file("audio", "audio/ogg")
    assert "envie uma foto (imagem) ou um PDF" in chat.bot_said()
    assert chat.last_of(QueueReceiptReview) == []


def test_a_receipt_after_the_payment_is_not_needed() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_pix()
    chat.payment_confirmed()
    chat.sends_file("image", "image/png")
    assert "não é preciso enviar comprovante" in chat.bot_said()
    assert chat.of(QueueReceiptReview) == []


def test_paguei_gets_a_calm_answer() -> None:
    for typed in ("paguei", "Já paguei!", "fiz o pix"):
        chat = TechOpsTranscript()
        chat.walk_to_pix()
        chat.says(typed)
        assert chat.place == "techops.awaiting_payment"
        assert "Assim que o banco nos avisar, eu confirmo por aqui" in chat.bot_said()
        assert "comprovante" in chat.bot_said()
        assert chat.last is not None
        assert chat.last.commands == ()


def test_the_code_can_be_asked_again() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_pix()
    replies = chat.says("me manda o código de novo")
    assert replies[-1] == Text(body=CODE)


def test_anything_else_while_waiting_repeats_how_to_pay() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_pix()
    chat.says("ok")
    assert "Para pagar, abra o app do seu banco" in chat.bot_said()
    chat.sends_file("sticker", "image/webp")
    assert chat.place == "techops.awaiting_payment"


def test_while_the_pix_is_created_the_customer_is_asked_to_wait() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_offer()
    chat.taps("Pagar e agendar")
    chat.says("paguei")
    assert "ainda está sendo gerado" in chat.bot_said()
    chat.sends_file("image", "image/jpeg")
    assert "ainda está sendo gerado" in chat.bot_said()
    assert chat.of(QueueReceiptReview) == []


def test_a_rejected_payment_says_why_and_waits_on() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_pix()
    chat.sends_file("image", "image/jpeg")
    chat.payment_rejected("o comprovante é de outra conta")
    assert chat.place == "techops.awaiting_payment"
    said = chat.bot_said()
    assert "Não consegui confirmar o seu pagamento." in said
    assert "“O comprovante é de outra conta.”" in said  # the team's words, quoted
    assert "envie o comprovante" in said


@pytest.mark.parametrize(
    ("typed", "quoted"),
    [
        (
            "O comprovante está ilegível, pode mandar outra foto?",
            "“O comprovante está ilegível, pode mandar outra foto?”",
        ),
        ("comprovante de outra conta.", "“Comprovante de outra conta.”"),
        ('  "o valor é diferente do cobrado"  ', "“O valor é diferente do cobrado.”"),
        ("Não encontramos o crédito!", "“Não encontramos o crédito!”"),
    ],
)
def test_the_operators_reason_is_quoted_as_the_teams_words(typed: str, quoted: str) -> None:
    """#10.14: the reason is not spliced into a sentence ("…pagamento: O comprovante…?.")."""
    chat = TechOpsTranscript()
    chat.walk_to_pix()
    chat.sends_file("image", "image/jpeg")
    chat.payment_rejected(typed)
    said = chat.bot_said()
    assert said.startswith("Não consegui confirmar o seu pagamento. A nossa equipe explicou:")
    assert quoted in said
    for doubled in ("?.", "!.", "..", ":.", "“”"):
        assert doubled not in said


def test_a_rejection_without_a_reason_says_so_plainly() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_pix()
    chat.payment_rejected("  ")
    said = chat.bot_said()
    assert said.startswith("Não consegui confirmar o seu pagamento.\n\n")
    assert "“" not in said
    assert "explicou" not in said


def test_one_reminder_then_expiry_then_a_new_pix_with_a_new_command_id() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_pix()
    first = chat.txid

    chat.waits(minutes=45)
    [reminder] = chat.charge_expiring()
    assert isinstance(reminder, Text)
    assert "Lembrete" in reminder.body
    assert "vence às 11h (horário de Brasília)" in reminder.body
    assert reminder.fallback is not None
    assert reminder.fallback.body_params == ("11h",)
    assert chat.charge_expiring() == []  # once only

    chat.waits(minutes=15)
    chat.charge_expired()
    assert chat.place == "techops.expired"
    assert "Quer que eu gere um novo Pix?" in chat.bot_said()
    assert chat.options() == ["Gerar novo Pix", "Agora não"]
    lost = chat.of(RecordLead)[-1]
    assert (lost.status, lost.lost_reason) == ("lost", "expired")

    chat.taps("Gerar novo Pix")
    assert chat.place == "techops.creating_charge"
    assert chat.of(RecordLead)[-1].status == "offered"  # the lead is open again
    first_charge, second_charge = chat.of(CreatePixCharge)
    assert first_charge.command_id != second_charge.command_id
    assert first_charge.amount == second_charge.amount
    assert first_charge.lead_id == second_charge.lead_id

    chat.charge_created(txid="DRB0000000000000000000000000002")
    assert chat.txid != first
    chat.charge_expired(txid=first)  # old news of the first Pix: nothing to say
    assert chat.last is not None
    assert chat.last.replies == ()
    chat.payment_confirmed()
    assert chat.place == "techops.paid"
    statuses = [(r.status, r.lost_reason) for r in chat.of(RecordLead)]
    assert statuses == [
        ("qualified", None),
        ("offered", None),
        ("lost", "expired"),
        ("offered", None),
        ("paid", None),
    ]


def test_not_now_after_expiry_keeps_the_lead_lost_as_expired() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_pix()
    chat.charge_expired()
    chat.taps("Agora não")
    assert chat.place == "menu.main"
    assert [(r.status, r.lost_reason) for r in chat.of(RecordLead)][-1] == ("lost", "expired")
    assert len(chat.of(CreatePixCharge)) == 1


def test_a_receipt_for_an_expired_pix_is_still_reviewed_and_may_be_confirmed() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_pix()
    chat.charge_expired()
    chat.sends_file("image", "image/jpeg")
    [review] = chat.last_of(QueueReceiptReview)
    assert review.txid == chat.txid
    chat.payment_confirmed()
    assert chat.place == "techops.paid"
    assert chat.of(RecordLead)[-1].status == "paid"


def test_voltar_while_waiting_shows_how_to_pay_and_the_payment_still_counts() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_pix()
    chat.says("voltar")
    assert chat.place == "techops.creating_charge"
    assert "Para pagar" in chat.bot_said()
    chat.payment_confirmed()
    assert chat.place == "techops.paid"


def test_voltar_from_the_pix_does_not_lead_back_into_the_questions() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_offer()
    chat.taps("Pagar e agendar")
    chat.says("voltar")
    assert chat.place == "menu.main"


def test_waiting_states_do_not_time_out() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_pix()
    chat.waits(minutes=90)
    chat.says("paguei")
    assert chat.place == "techops.awaiting_payment"


def test_news_of_a_charge_outside_the_pix_states_is_kept_quiet() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_offer()
    assert chat.charge_expiring(txid="DRB-old") == []
    assert chat.charge_expired(txid="DRB-old") == []
    assert chat.place == "techops.offer"


def test_a_second_payment_after_paid_gets_its_own_receipt() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_pix()
    chat.payment_confirmed()
    [receipt] = chat.payment_confirmed(txid="DRB0000000000000000000000000099")
    assert isinstance(receipt, Text)
    assert "DRB0000000000000000000000000099" in receipt.body
    assert [r.status for r in chat.of(RecordLead)].count("paid") == 1


def test_not_paid_yet_is_not_taken_for_paid() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_pix()
    chat.says("ainda não paguei")
    assert "Para pagar, abra o app do seu banco" in chat.bot_said()
    chat.says("já paguei, mas não recebi nada")
    assert "Assim que o banco nos avisar" in chat.bot_said()


def test_a_payment_confirmed_after_the_customer_left_still_gets_the_receipt() -> None:
    from datetime import timedelta

    from dresbach.kernel.events import PaymentConfirmed, PixChargeCreated

    chat = TechOpsTranscript()
    chat.walk_to_pix()
    chat.charge_created()
    chat.says("menu")  # the customer wanders off
    assert chat.place == "menu.main"
    news = PaymentConfirmed(
        event_id="late:paid",
        conversation_key=chat.sender.key,
        timestamp=chat.now,
        txid=chat.txid,
        amount="1800.00",
        paid_at=chat.now + timedelta(minutes=3),
        confirmed_by="bcb",
    )
    replies = chat.receives(news)
    assert chat.place == "techops.paid"
    assert "R$ 1.800,00" in chat.bot_said()
    assert replies[0].fallback is not None  # a template when the 24 h window has closed
    stale = PixChargeCreated(
        event_id="late:created",
        conversation_key=chat.sender.key,
        timestamp=chat.now,
        txid="OTHER",
        amount="1800.00",
        copia_e_cola="000201",
        expires_at=chat.now,
    )
    chat.says("menu")
    assert chat.receives(stale) == []  # news for a place the customer left: silence
