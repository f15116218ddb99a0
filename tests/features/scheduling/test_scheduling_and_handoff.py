"""The end of the funnel over real HTTP: a customer pays (a `static` Pix confirmed by an
operator), gets the free slots, books one, gets the confirmation and the invitation; the
consultant's hand-off is opened with the whole context; an operator takes it, talks, and hands
the customer back to the bot. Asked for a person from the menu, exactly one hand-off opens."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import select

from dresbach.platform.store.schema import bookings, handoffs, leads, payments
from tests.features.techops.test_techops_over_whatsapp import walk_to_the_pix
from tests.support.meta import text_of
from tests.support.stack_fixtures import Stack

USER = "5511955554444"


def rows(stack: Stack, table):  # type: ignore[no-untyped-def]
    with stack.container.db.engine.connect() as connection:
        return [dict(r) for r in connection.execute(select(table)).mappings()]


def test_paid_booked_handed_to_a_person_and_back(stack: Stack) -> None:
    customer = stack.customer(USER)
    walk_to_the_pix(customer)
    [payment] = rows(stack, payments)

    # the operator confirms the Pix (the console and the CLI share this use case)
    assert stack.container.payments.confirm_manually(payment["txid"], "ana") == "confirmed"
    stack.container.sender.wake()
    shown = customer.waits_for_reply()
    texts = [text_of(m) for m in shown]
    assert any("Pagamento confirmado" in t for t in texts)
    if not any(m.get("type") == "interactive" for m in shown):  # the slots come right after
        shown = customer.waits_for_reply()
    [slot_list] = [m for m in shown if m.get("type") == "interactive"]
    assert slot_list["interactive"]["type"] == "list"
    rows_offered = slot_list["interactive"]["action"]["sections"][0]["rows"]
    assert rows_offered[-1]["title"] == "Outros horários"
    first = rows_offered[0]["title"]

    replies = customer.taps(first)
    deadline = time.monotonic() + 15
    while not any(m.get("type") == "document" for m in replies) and time.monotonic() < deadline:
        replies += customer.waits_for_reply()
    confirmation = next(m for m in replies if "Reunião marcada" in text_of(m))
    assert "horário de Brasília" in text_of(confirmation)
    document = next(m for m in replies if m.get("type") == "document")
    assert document["document"]["filename"].endswith(".ics")

    [booking] = rows(stack, bookings)
    assert booking["status"] == "booked"
    assert booking["attendee_email"] == "compras@lojaexemplo.com.br"
    [lead] = rows(stack, leads)
    assert lead["status"] == "scheduled"

    # the consultant's hand-off carries the lead, the payment and the booking
    [handoff] = stack.waits_until(lambda: rows(stack, handoffs))
    assert (handoff["reason"], handoff["status"], handoff["booking_id"]) == (
        "consultant",
        "waiting",
        booking["booking_id"],
    )
    [item] = asyncio.run(stack.container.handoff.queue())
    summary = "\n".join(item.summary)
    assert "Loja Exemplo" in summary
    assert payment["txid"] in summary or "R$ 2.000,00" in summary

    # a consultant takes it, talks, the customer answers, and the bot steps back in at the end
    service = stack.container.handoff
    asyncio.run(service.take(item.handoff_id, "Carlos"))
    joined = customer.waits_for_reply()
    assert any("Carlos, da equipe Dresbach, entrou na conversa" in text_of(m) for m in joined)
    asyncio.run(service.reply(item.handoff_id, "Carlos", "Olá! Já li o seu caso."))
    [said] = customer.waits_for_reply()
    assert text_of(said) == "*Carlos:* Olá! Já li o seu caso."
    assert stack.meta.says(USER, "Ótimo, obrigado!").status_code == 200
    history = stack.waits_until(
        lambda: (
            (h := asyncio.run(service.history(handoff_id=item.handoff_id)))
            and any("Ótimo, obrigado!" in str(e) for e in h.entries)
            and h
        )
    )
    assert history is not None
    asyncio.run(service.hand_back(item.handoff_id, "Carlos"))
    back = customer.waits_for_reply()
    assert any("concluiu o atendimento" in text_of(m) for m in back)
    assert rows(stack, handoffs)[0]["status"] == "returned"


def test_atendente_twice_and_redelivered_opens_exactly_one_hand_off(stack: Stack) -> None:
    customer = stack.customer(USER)
    customer.says("oi")
    message_id = stack.meta.message_id()
    body = stack.meta.text_body(USER, "atendente", message_id)
    assert stack.meta.post(body).status_code == 200
    assert stack.meta.post(body).status_code == 200  # Meta redelivers the same message
    customer.waits_for_reply()
    customer.says("atendente")
    assert "Você já está na fila" in "\n".join(text_of(m) for m in customer.replies()[-2:])
    opened = stack.waits_until(lambda: rows(stack, handoffs))
    time.sleep(0.5)
    assert len(rows(stack, handoffs)) == len(opened) == 1
    assert opened[0]["reason"] == "customer"
