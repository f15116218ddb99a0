"""After a person closes the hand-off, the customer is asked once how it went.

Two steps, one question each: a list message with the scores 1 to 5 (WhatsApp allows three
reply buttons, a list holds ten rows; a typed digit counts too), then an invitation to add a
comment, with one button to skip it. Asked only while the 24 h customer-service window is open
(outside it only templates may go, and a survey is not worth one), and only once per hand-off:
the close is delivered once per hand-off, and only the first score is kept.
"""

from __future__ import annotations

from dresbach.features.handoff.flow.slots import RATED, WINDOW, typed_of
from dresbach.features.handoff.flow.texts import BUTTONS, TEXTS
from dresbach.features.handoff.model import HumanLeft, RateHandOff
from dresbach.features.handoff.states import Elsewhere, Handoff
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.events import TextReceived
from dresbach.kernel.flow_kit import choice_of, event_key
from dresbach.kernel.machine.machine import Outcome, Turn
from dresbach.kernel.messages import Button, Buttons, ListMenu, ListRow, ListSection, Message, Text
from dresbach.kernel.policy import Policy

SCORES = (5, 4, 3, 2, 1)
SKIP = Button(id="rating:skip", title=BUTTONS["rating_skip"])
COMMENT_MAX = 1000


def asks_rating(turn: Turn, event: HumanLeft) -> bool:
    """A closed hand-off, with the customer's last message less than 24 h old."""
    last = turn.conversation.last_activity_at
    return event.closed and last is not None and turn.now - last < WINDOW


def rating_prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    rows = tuple(ListRow(id=f"rating:{n}", title=BUTTONS[f"rating.{n}"]) for n in SCORES)
    section = ListSection(title=BUTTONS["rating_section"], rows=rows)
    return (
        ListMenu(body=TEXTS["rating_question"], button=BUTTONS["rating_list"], sections=(section,)),
    )


def comment_prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    return (Buttons(body=TEXTS["rating_comment"], buttons=(SKIP,)),)


def _score_of(turn: Turn) -> int | None:
    choice = choice_of(turn, "rating:")
    typed = choice if choice is not None else typed_of(turn)
    return int(typed) if typed in {str(n) for n in SCORES} else None


def _rated(turn: Turn) -> str:
    handoff_id = turn.slots.get(RATED)
    return handoff_id if isinstance(handoff_id, str) else ""


def rating_says(turn: Turn) -> Outcome:
    """A score goes on to the comment; anything else leaves the survey for the menu."""
    score, handoff_id = _score_of(turn), _rated(turn)
    if score is None or not handoff_id:
        return Outcome(goto=Elsewhere.MENU_MAIN, slots={RATED: None})
    command = RateHandOff(
        command_id=f"{event_key(turn.event)}:rating", handoff_id=handoff_id, score=score
    )
    return Outcome(goto=Handoff.RATING_COMMENT, commands=(command,))


def comment_says(turn: Turn) -> Outcome:
    event, handoff_id = turn.event, _rated(turn)
    if choice_of(turn) == SKIP.id or not isinstance(event, TextReceived) or not handoff_id:
        return Outcome(
            goto=Elsewhere.MENU_MAIN,
            say=(Text(body=TEXTS["rating_skipped"]),),
            slots={RATED: None},
            prompt=False,
        )
    command = RateHandOff(
        command_id=f"{event_key(event)}:rating_comment",
        handoff_id=handoff_id,
        comment=event.body.strip()[:COMMENT_MAX],
    )
    return Outcome(
        goto=Elsewhere.MENU_MAIN,
        say=(Text(body=TEXTS["rating_thanks"]),),
        slots={RATED: None},
        commands=(command,),
        prompt=False,
    )
