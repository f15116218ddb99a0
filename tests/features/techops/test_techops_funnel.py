"""The Tech Ops funnel from the main menu to a confirmed payment, as a transcript."""

from __future__ import annotations

from decimal import Decimal

from dresbach.features.scheduling.model import FindSlots
from dresbach.kernel.commands import CreatePixCharge, RecordLead, RequestHandOff
from dresbach.kernel.messages import Buttons, Image, Text
from dresbach.kernel.policy import Policy
from tests.support.techops_transcript import CODE, TechOpsTranscript


def test_the_whole_funnel_from_the_menu_to_a_confirmed_payment() -> None:
    chat = TechOpsTranscript()
    chat.says("oi")
    chat.taps("Consultoria Tech Ops")
    assert chat.place == "techops.start"
    assert "diagnóstico pago" in chat.bot_said()
    assert "Em qual área você precisa de ajuda?" in chat.bot_said()

    chat.taps("Segurança da informação")
    assert "qual é a situação" in chat.bot_said()
    chat.says("Sofremos um ataque de ransomware e os backups falharam.")
    assert "nome da sua empresa" in chat.bot_said()
    chat.says("Padaria Boa Massa")
    assert "Quantas pessoas" in chat.bot_said()
    chat.taps("De 10 a 49 pessoas")
    assert "Para quando" in chat.bot_said()
    assert chat.options() == ["É urgente", "Nas próximas semanas", "Sem pressa"]
    chat.taps("É urgente")
    assert "e-mail" in chat.bot_said()
    chat.says("maria@boamassa.com.br")
    assert "Posso registrar o seu nome como *Maria Souza*?" in chat.bot_said()
    chat.taps("Sim, pode ser")
    assert chat.options() == ["Informar CNPJ", "Pular"]
    chat.taps("Informar CNPJ")
    chat.says("12.345.678/0001-95")

    assert chat.place == "techops.summary"
    summary = chat.bot_said()
    assert summary.startswith("Confira os seus dados")
    for shown in (
        "Segurança da informação",
        "ransomware",
        "Padaria Boa Massa",
        "De 10 a 49 pessoas",
        "É urgente",
        "maria@boamassa.com.br",
        "Maria Souza",
        "12.345.678/0001-95",  # the customer checks what they typed, in full (#10.17)
    ):
        assert shown in summary
    assert chat.commands == []  # nothing recorded before the customer confirms

    chat.taps("Está tudo certo")
    assert chat.place == "techops.offer"
    offer = chat.bot_said()
    assert "Diagnóstico de segurança da informação" in offer
    assert "O que você recebe" in offer
    assert "R$ 1.800,00" in offer
    assert chat.options() == ["Pagar e agendar", "Falar com consultor", "Agora não"]
    assert [c.status for c in chat.last_of(RecordLead)] == ["qualified", "offered"]

    chat.taps("Pagar e agendar")
    assert chat.place == "techops.creating_charge"
    assert "Estou gerando o seu Pix" in chat.bot_said()
    [charge] = chat.last_of(CreatePixCharge)
    assert charge.amount == Decimal("1800.00")
    assert isinstance(charge.amount, Decimal)
    assert charge.payer_name == "Maria Souza"
    assert charge.payer_email == "maria@boamassa.com.br"
    assert charge.payer_document == "12345678000195"
    assert charge.command_id.endswith(":charge")

    replies = chat.charge_created()
    assert chat.place == "techops.awaiting_payment"
    image, code, instructions = replies
    assert isinstance(image, Image)
    assert image.upload_ref == f"qr-{chat.txid}"
    assert code == Text(body=CODE)  # the copia e cola alone, easy to copy
    assert isinstance(instructions, Text)
    assert "*Válido até:* 11h" in instructions.body  # 13:00 UTC + 60 min = 14:00 UTC: 11h in SP
    assert "R$ 1.800,00" in instructions.body

    replies = chat.payment_confirmed()
    assert chat.place == "techops.paid"
    receipt, finding = replies
    assert isinstance(receipt, Text)
    assert "Pagamento confirmado" in receipt.body
    assert "R$ 1.800,00" in receipt.body
    assert chat.txid is not None
    assert chat.txid in receipt.body
    assert "*Data:* 25/11/2026, às 10h (horário de Brasília)" in receipt.body
    assert isinstance(finding, Text)
    assert "consultando a agenda" in finding.body
    [find] = chat.last_of(FindSlots)  # straight on to the calendar, no back and forth
    assert find.lead_id == chat.last_of(RecordLead)[0].lead_id
    assert receipt.fallback is not None
    assert receipt.fallback.name == "pagamento_confirmado"
    assert receipt.fallback.body_params == ("R$ 1.800,00", chat.txid)

    records = chat.of(RecordLead)
    assert [r.status for r in records] == ["qualified", "offered", "paid"]
    assert len({r.lead_id for r in records}) == 1
    assert records[0].lead_id.startswith("lead-wamid.test.")
    assert all(isinstance(v, str) for r in records for v in r.answers.values())
    assert records[-1].answers == {
        "area": "security",
        "description": "Sofremos um ataque de ransomware e os backups falharam.",
        "company": "Padaria Boa Massa",
        "size": "10-49",
        "urgency": "urgent",
        "email": "maria@boamassa.com.br",
        "name": "Maria Souza",
        "cnpj": "**.***.***/0001-**",  # never in clear
    }
    assert len(chat.of(CreatePixCharge)) == 1
    assert len({c.command_id for c in chat.commands}) == len(chat.commands)

    chat.says("obrigada!")
    assert chat.place == "techops.paid"
    assert chat.bot_said() == "De nada! 😊"  # "consultando a agenda" is just above
    chat.says("e aí?")
    assert chat.place == "techops.paid"
    assert "consultando a agenda" in chat.bot_said()


def test_the_same_confirmation_twice_says_nothing_more() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_pix()
    chat.payment_confirmed()
    assert chat.payment_confirmed() == []
    assert [r.status for r in chat.of(RecordLead)] == ["qualified", "offered", "paid"]


def test_each_area_offers_its_own_fee_from_the_policy() -> None:
    fees = {
        "Diagnóstico técnico": ("technical", "R$ 1.500,00"),
        "Segurança da informação": ("security", "R$ 1.800,00"),
        "Arquitetura de sistemas": ("architecture", "R$ 2.000,00"),
        "LGPD e governança": ("lgpd", "R$ 1.600,00"),
    }
    for title, (area, shown) in fees.items():
        chat = TechOpsTranscript()
        chat.walk_to_offer(title)
        assert shown in chat.bot_said()
        chat.taps("Pagar e agendar")
        [charge] = chat.of(CreatePixCharge)
        assert charge.amount == Policy().diagnosis_fees[area]


def test_a_fee_changed_in_the_policy_is_the_fee_offered_and_charged() -> None:
    policy = Policy(
        diagnosis_fees={"technical": Decimal("990.00"), "security": Decimal("12500.50")}
    )
    chat = TechOpsTranscript(policy=policy)
    chat.walk_to_offer()
    assert "R$ 12.500,50" in chat.bot_said()
    chat.taps("Pagar e agendar")
    assert chat.of(CreatePixCharge)[0].amount == Decimal("12500.50")


def test_not_now_closes_politely_and_records_the_lead_as_lost_declined() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_offer()
    chat.taps("Agora não")
    assert chat.place == "menu.main"
    assert "Agradecemos o seu tempo" in chat.bot_said()
    assert chat.options()[:3] == ["Consultoria Tech Ops", "Área do Cliente", "Falar com atendente"]
    lost = chat.of(RecordLead)[-1]
    assert (lost.status, lost.lost_reason) == ("lost", "declined")
    assert chat.of(CreatePixCharge) == []
    assert chat.conversation is not None
    assert not any(chat.conversation.slots.values())  # the funnel is forgotten


def test_coming_back_after_declining_opens_a_new_lead() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_offer()
    chat.taps("Agora não")
    first = chat.of(RecordLead)[0].lead_id
    chat.taps("Consultoria Tech Ops")
    chat.taps("Diagnóstico técnico")
    chat.says("O sistema fica muito lento no horário de pico.")
    assert chat.conversation is not None
    assert chat.conversation.slots["techops.lead_id"] != first
    assert chat.conversation.slots.get("techops.company") is None


def test_typed_answers_work_at_the_offer() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_offer()
    chat.says("não")
    assert chat.place == "menu.main"
    chat = TechOpsTranscript()
    chat.walk_to_offer()
    chat.says("quero pagar")
    assert chat.place == "techops.creating_charge"


def test_a_consultant_before_paying_is_a_hand_off() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_offer()
    chat.taps("Falar com consultor")
    assert chat.place == "handoff.waiting"
    [handoff] = chat.last_of(RequestHandOff)
    assert handoff.flow == "techops"
    assert handoff.reason == "customer"
    assert handoff.lead_id is not None
    assert chat.of(CreatePixCharge) == []


def test_a_charge_that_cannot_be_created_gets_an_apology_and_the_offer_again() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_offer()
    chat.taps("Pagar e agendar")
    chat.charge_failed()
    assert chat.place == "techops.offer"
    assert "Desculpe, não consegui gerar o seu Pix" in chat.bot_said()
    assert chat.options() == ["Pagar e agendar", "Falar com consultor", "Agora não"]
    chat.taps("Pagar e agendar")
    first, second = chat.of(CreatePixCharge)
    assert first.command_id != second.command_id


def test_without_a_qr_code_the_copia_e_cola_still_comes_alone() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_offer()
    chat.taps("Pagar e agendar")
    code, instructions = chat.charge_created(qr=False)
    assert code == Text(body=CODE)
    assert isinstance(instructions, Text)
    assert "copia e cola" in instructions.body


def test_the_offer_names_what_the_diagnosis_covers_and_asks_one_question() -> None:
    chat = TechOpsTranscript()
    chat.walk_to_offer("Arquitetura de sistemas")
    [offer] = [m for m in chat.last.replies if isinstance(m, Buttons)] if chat.last else []
    assert offer.body.count("?") == 1
    assert "Como funciona" in offer.body
    assert "R$ 2.000,00" in offer.body
