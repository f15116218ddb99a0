"""The main menu's transition table."""

from __future__ import annotations

from datetime import datetime

from dresbach.features.menu.flow.texts import BUTTONS, SALES, TEXTS
from dresbach.features.menu.states import Elsewhere, Menu
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.events import ButtonChosen, Event, ListRowChosen, TextReceived
from dresbach.kernel.hours import SAO_PAULO
from dresbach.kernel.machine.intents import courtesy
from dresbach.kernel.machine.machine import ANY, CANCEL, Flow, Outcome, Rule, State, Turn
from dresbach.kernel.messages import Button, Buttons, ListMenu, ListRow, ListSection, Message, Text
from dresbach.kernel.policy import Policy
from dresbach.kernel.text import normalize

ENTRY_OF: dict[str, str] = {
    "techops": Elsewhere.TECHOPS_START,
    "client_area": Elsewhere.CLIENT_AREA_START,
    "human": Elsewhere.HANDOFF_START,
    "privacy": Elsewhere.PRIVACY_START,
}
"""Where each row of the menu leads (free text goes to the understanding tier: `routes`)."""
TARGETS = tuple(ENTRY_OF.values())
MENU_KEYS = ("techops", "client_area", "human", "privacy")


def main_menu(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    return (
        ListMenu(
            body=TEXTS["menu_question"],
            button=TEXTS["menu_button"],
            footer=TEXTS["menu_footer"],
            sections=(
                ListSection(
                    title=None,
                    rows=tuple(ListRow(id=f"menu:{key}", title=BUTTONS[key]) for key in MENU_KEYS),
                ),
            ),
        ),
    )


def time_of_day(now: datetime) -> str:
    """ "Bom dia" until noon, "Boa tarde" until 18h, then "Boa noite" (São Paulo)."""
    hour = now.astimezone(SAO_PAULO).hour
    if 5 <= hour < 12:
        return TEXTS["good_morning"]
    return TEXTS["good_afternoon"] if 12 <= hour < 18 else TEXTS["good_evening"]


def greets(event: Event) -> bool:
    """The message opens with a greeting ("bom dia", "oi, quero…")."""
    if not isinstance(event, TextReceived):
        return False
    words = normalize(event.body).split()
    return any(courtesy(" ".join(words[:n])) == "greeting" for n in (1, 2, 3))


def greeting(conversation: Conversation, policy: Policy, hello: str | None = None) -> Text:
    """The first words: the LGPD notice, opening with `hello` ("Olá" unless the customer
    greeted first: then the time of day, as they did)."""
    name = conversation.profile_name
    return Text(
        body=TEXTS["greeting"].format(
            hello=hello or TEXTS["hello"],
            name=f", {name.split()[0]}" if name and name.split() else "",
            company=policy.company_name,
            controller=policy.controller,
            purpose=policy.privacy_purpose,
            privacy_url=policy.privacy_url,
            dpo_contact=policy.dpo_contact,
        )
    )


def _goodbye(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    return (Text(body=TEXTS["goodbye"]),)


_NUMBERED = {"1": "techops", "2": "client_area", "3": "human", "4": "privacy"}


def choose(turn: Turn) -> Outcome:
    """A tap on the menu or a number; free text is the understanding tier's (the router's)."""
    event = turn.event
    intent: str | None = None
    if isinstance(event, ButtonChosen | ListRowChosen) and event.choice_id.startswith("menu:"):
        intent = event.choice_id.removeprefix("menu:")
    elif isinstance(event, TextReceived):
        intent = _NUMBERED.get(normalize(event.body))
    if intent in ENTRY_OF:
        return Outcome(goto=ENTRY_OF[intent])
    return Outcome(say=(Text(body=TEXTS["menu_not_understood"]),), missed="unclear")


def first_contact(turn: Turn) -> Outcome:
    """Greet with the LGPD notice, then the menu (the router goes where the first words point,
    the greeting kept: the state listens)."""
    event = turn.event
    hello = greeting(
        turn.conversation, turn.policy, time_of_day(turn.now) if greets(event) else None
    )
    return Outcome(goto=Menu.MAIN, say=(hello,), merge=False, reset_trail=True)


def wake(turn: Turn) -> Outcome:
    """Any message after `sair`: say hello again and open the menu (the router goes where the
    words point instead: the state listens)."""
    back = TEXTS["welcome_back"].format(hello=time_of_day(turn.now))
    return Outcome(goto=Menu.MAIN, say=(Text(body=back),), reset_trail=True)


def cancel(turn: Turn) -> Outcome:
    """`cancelar` at the menu: a booked meeting is asked about (the records say whether there
    is one); otherwise there is nothing under way, and that is what is said."""
    if any(diagnosis.booked for diagnosis in turn.conversation.owned):
        return Outcome(goto=CANCEL_MEETING)
    return Outcome(goto=Menu.MAIN, say=(Text(body=TEXTS["nothing_to_cancel"]),), reset_trail=True)


def to_sales(_turn: Turn) -> Outcome:
    """A prospect (to buy hosting, a domain, a VPS, a migration): one question, then sales."""
    return Outcome(goto=Menu.SALES.qualified, reset_trail=True)


def sales_prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    buttons = tuple(Button(id=f"sales:{key}", title=SALES[key]) for key in _SALES)
    return (Buttons(body=TEXTS["sales_question"], buttons=buttons),)


_SALES = ("hosting", "domain", "other")


def qualified(turn: Turn) -> Outcome:
    """Whatever the prospect answers (a tap or their own words) goes to sales, with a person;
    never to the client login."""
    return Outcome(goto=Elsewhere.HANDOFF_START, say=(Text(body=TEXTS["sales_handoff"]),))


CANCEL_MEETING = Elsewhere.TECHOPS_CANCEL_MEETING
_CHOOSE = Rule(handler=choose, goes_to=TARGETS)
_CANCEL = Rule(handler=cancel, goes_to=(Menu.MAIN, CANCEL_MEETING), label="cancelar")

FLOW = Flow(
    name=Menu.flow,
    names=Menu,
    title="Menu principal",
    entry=Menu.NEW,
    states={
        Menu.NEW: State(
            name=Menu.NEW,
            prompt=main_menu,
            rules={ANY: Rule(handler=first_contact, goes_to=(Menu.MAIN,), label="oi")},
            listens=True,
        ),
        Menu.MAIN: State(
            name=Menu.MAIN,
            prompt=main_menu,
            rules={
                "choice": _CHOOSE,
                "text": Rule(handler=choose, goes_to=TARGETS),
                CANCEL: _CANCEL,
            },
            listens=True,
        ),
        Menu.IDLE: State(
            name=Menu.IDLE,
            prompt=_goodbye,
            rules={
                "text": Rule(handler=wake, goes_to=(Menu.MAIN,)),
                "choice": Rule(handler=wake, goes_to=(Menu.MAIN,)),
                CANCEL: _CANCEL,
            },
            listens=True,
        ),
        Menu.SALES: State(
            name=Menu.SALES,
            prompt=sales_prompt,
            rules={
                "text": Rule(handler=qualified, goes_to=(Elsewhere.HANDOFF_START,)),
                "choice": Rule(handler=qualified, goes_to=(Elsewhere.HANDOFF_START,)),
            },
        ),
    },
)
