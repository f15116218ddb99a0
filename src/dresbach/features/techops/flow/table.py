"""The Tech Ops transition table: qualification → summary → offer → Pix → paid.

    start → description → company → size → urgency → email → name_confirm | name
          → cnpj_choice (→ cnpj) → summary (→ fix → the answer → summary) → offer
    offer → creating_charge → awaiting_payment → paid      (only through payment_confirmed)
    paid → choosing_slot → booking_slot → booked → (remarcar | cancelar)   (see `schedule`)
    creating_charge → offer (charge_failed);  waiting → expired → creating_charge | menu.main
    offer → handoff.start (a consultant) | menu.main (not now: the lead is lost, declined)
    start | mine → booked | unscheduled   (a paid diagnosis, from the records: see `owned`)

Every state answers price questions (`prices.priced`) and has a rule for each payment event
(`payment.rules_for`), so late news of a charge never gets the router's "não entendi"; the
states after the offer say what `cancelar` does there (`cancel.rules_for`).
"""

from __future__ import annotations

from dataclasses import replace

from dresbach.features.techops.diagnosis import payment, schedule, waiting
from dresbach.features.techops.flow import cancel, contact, offer, owned, qualification, summary
from dresbach.features.techops.flow.guard import guard
from dresbach.features.techops.states import TechOps
from dresbach.kernel.machine.machine import Flow, State

LISTENING = (TechOps.START, TechOps.MINE)
"""The places that offer options at the menu level (the areas on entering, what to do when no
paid diagnosis is found): what they do not read may be understood (`State.listens`). The
questions of the funnel and the offer read every sentence as an answer, and keep it."""


def _with_shared_rules(state: State) -> State:
    """The payment events and `cancelar` as every state takes them; `start`'s entry action."""
    rules = {**payment.rules_for(state.name), **cancel.rules_for(state.name), **state.rules}
    listens = state.name in LISTENING
    if state.name == TechOps.START:  # a paid diagnosis is shown, not asked for again
        return replace(state, rules=rules, on_enter=owned.RESUME, listens=listens)
    return replace(state, rules=rules, listens=listens)


_STATES = (
    *qualification.STATES,
    *contact.STATES,
    *summary.STATES,
    offer.STATE,
    *waiting.STATES,
    *schedule.STATES,
    *owned.STATES,
)

FLOW = Flow(
    name=TechOps.flow,
    names=TechOps,
    title="Consultoria Tech Ops",
    entry=TechOps.START,
    states={state.name: _with_shared_rules(state) for state in _STATES},
    guard=guard,
    interrupts={**payment.INTERRUPTS, **schedule.INTERRUPTS},
)
