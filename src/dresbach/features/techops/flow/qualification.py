"""Qualification, first part: the area, the situation, the company, its size, the urgency."""

from __future__ import annotations

from typing import Any

from dresbach.features.techops.flow import lead
from dresbach.features.techops.flow.answers import area_of, company_of, size_of, urgency_of
from dresbach.features.techops.flow.labels import AREA_DESCRIPTIONS, AREA_TITLES, SIZES, URGENCIES
from dresbach.features.techops.flow.questions import (
    advance,
    options_question,
    reask,
    rows,
    typed_question,
    unclear,
)
from dresbach.features.techops.flow.texts import TEXTS
from dresbach.features.techops.states import TechOps
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.flow_kit import choice_of, event_key
from dresbach.kernel.machine.machine import Outcome, State, Turn
from dresbach.kernel.messages import Button, Buttons, ListMenu, Message
from dresbach.kernel.policy import Policy

OPEN_STATUSES = (None, "qualified", "offered")
DESCRIPTION_MIN = 10
DESCRIPTION_MAX = 1000

# -- area ---------------------------------------------------------------------------------------


def area_prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    section = rows("area:", AREA_TITLES, AREA_DESCRIPTIONS)
    return (ListMenu(body=TEXTS["start"], button=TEXTS["start_button"], sections=(section,)),)


def set_area(turn: Turn, area: str) -> Outcome:
    """Keep the area (and its fee, for the guard); the first answer of a funnel opens a lead."""
    fee = lead.fee_of(turn.policy, area)
    changes: dict[str, Any] = {lead.AREA: area, lead.FEE: str(fee) if fee is not None else None}
    # a lead still being qualified or offered goes on; one that was lost, paid or scheduled is
    # over for this funnel (what was paid is the records', see `owned`): a new lead begins
    if not turn.slots.get(lead.LEAD_ID) or turn.slots.get(lead.STATUS) not in OPEN_STATUSES:
        changes = {
            **lead.cleared(),
            **changes,
            lead.LEAD_ID: f"lead-{event_key(turn.event)}",
        }
    elif turn.slots.get(lead.AREA) not in (None, area):
        changes[lead.OFFERED] = False  # another area, another fee: the offer comes again
    return advance(turn, TechOps.DESCRIPTION, changes)


def _area_tapped(turn: Turn) -> Outcome:
    area = choice_of(turn, "area:")
    return set_area(turn, area) if area in AREA_TITLES else unclear(TEXTS["area_reask"])


def _area_typed(typed: str, turn: Turn) -> Outcome:
    area = area_of(typed)
    return set_area(turn, area) if area else unclear(TEXTS["area_reask"])


# -- description, company -----------------------------------------------------------------------


def _description(typed: str, turn: Turn) -> Outcome:
    text = typed.strip()
    if len(text) < DESCRIPTION_MIN:
        return reask(TEXTS["description_short"])
    if len(text) > DESCRIPTION_MAX:
        return reask(TEXTS["description_long"].format(length=len(text)))
    return advance(turn, TechOps.COMPANY, {lead.DESCRIPTION: text})


def _company(typed: str, turn: Turn) -> Outcome:
    company = company_of(typed)
    if company is None:
        return reask(TEXTS["company_reask"])
    return advance(turn, TechOps.SIZE, {lead.COMPANY: company})


# -- size, urgency ------------------------------------------------------------------------------


def size_prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    section = rows("size:", SIZES, {})
    return (ListMenu(body=TEXTS["size"], button=TEXTS["size_button"], sections=(section,)),)


def _size(turn: Turn, size: str | None) -> Outcome:
    if size not in SIZES:
        return unclear(TEXTS["size_reask"])
    return advance(turn, TechOps.URGENCY, {lead.SIZE: size})


def urgency_prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    buttons = tuple(Button(id=f"urgency:{k}", title=t) for k, t in URGENCIES.items())
    return (Buttons(body=TEXTS["urgency"], buttons=buttons),)


def _urgency(turn: Turn, urgency: str | None) -> Outcome:
    if urgency not in URGENCIES:
        return unclear(TEXTS["urgency_reask"])
    return advance(turn, TechOps.EMAIL, {lead.URGENCY: urgency})


STATES: tuple[State, ...] = (
    options_question(
        TechOps.START, area_prompt, _area_tapped, _area_typed, TechOps.DESCRIPTION, TechOps.SUMMARY
    ),
    typed_question(TechOps.DESCRIPTION, _description, TechOps.COMPANY, TechOps.SUMMARY),
    typed_question(TechOps.COMPANY, _company, TechOps.SIZE, TechOps.SUMMARY),
    options_question(
        TechOps.SIZE,
        size_prompt,
        lambda turn: _size(turn, choice_of(turn, "size:")),
        lambda typed, turn: _size(turn, size_of(typed)),
        TechOps.URGENCY,
        TechOps.SUMMARY,
    ),
    options_question(
        TechOps.URGENCY,
        urgency_prompt,
        lambda turn: _urgency(turn, choice_of(turn, "urgency:")),
        lambda typed, turn: _urgency(turn, urgency_of(typed)),
        TechOps.EMAIL,
        TechOps.SUMMARY,
    ),
)
