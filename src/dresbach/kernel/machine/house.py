"""The `Machine`: the flows, text catalogs and global commands the features registered, and the
home (the menu's resting places and the house's manners). Built once by the composition root
(`dresbach.features.registry`), handed to whoever steps a conversation, lints or draws."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from dresbach.kernel.conversation import Conversation, Decision, Place
from dresbach.kernel.events import Event
from dresbach.kernel.machine import router
from dresbach.kernel.machine.global_commands import GlobalCommand, global_command
from dresbach.kernel.machine.machine import Flow
from dresbach.kernel.machine.routes import Understanding
from dresbach.kernel.messages import Button
from dresbach.kernel.policy import Policy


@dataclass(frozen=True, slots=True, kw_only=True)
class Home:
    """Where a conversation rests, and the words of the manners that hold in every state
    ("não entendi", "Boa tarde!", "De nada!", the person offered after two misses)."""

    new: Place
    """First contact: the table greets, whatever was said."""
    main: Place
    idle: Place
    texts: Mapping[str, str]
    """at_start, nothing_to_cancel, cancelled, cancelled_under_way, timed_out, not_understood,
    not_understood_opening, still_not_understood, unsupported, offer_person, greeted_back,
    thanked, thanked_at_rest."""
    what: Mapping[str, str]
    """How a kind of message not read is named in `unsupported` (its `unsupported` key the
    default)."""
    person: Button
    """The button that reaches a person, offered from the second miss in a row."""
    time_of_day: Callable[[datetime], str]
    """The greeting for a time ("Bom dia", "Boa tarde", "Boa noite")."""

    at_rest: frozenset[Place] = field(init=False)
    """The main menu, the idle menu and the first contact."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "at_rest", frozenset({self.main, self.idle, self.new}))


@dataclass(frozen=True, slots=True, kw_only=True)
class Machine:
    """Everything the router, the lint and the diagrams read, registered by the features."""

    home: Home
    flows: Mapping[str, Flow]
    commands: Sequence[GlobalCommand] = ()
    catalogs: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: MappingProxyType({}))
    understanding: Understanding | None = None
    """The trained understanding tier and the routes of its intents (None: exact words only)."""

    @classmethod
    def of(
        cls,
        *,
        home: Home,
        flows: Sequence[Flow],
        commands: Sequence[GlobalCommand] = (),
        catalogs: Mapping[str, Mapping[str, str]] | None = None,
        understanding: Understanding | None = None,
    ) -> Machine:
        names = [f.name for f in flows]
        if len(set(names)) != len(names):
            raise ValueError(f"a flow registered twice: {names}")
        for command in commands:
            if command.action == "enter" and command.flow not in names:
                raise ValueError(f"global command {command.name} enters no flow: {command.flow}")
        return cls(
            home=home,
            flows=MappingProxyType({f.name: f for f in flows}),
            commands=tuple(commands),
            catalogs=MappingProxyType(dict(catalogs or {})),
            understanding=understanding,
        )

    def command(self, event: Event) -> GlobalCommand | None:
        """The global command a message is, if any."""
        return global_command(event, self.commands)

    def entries(self) -> tuple[Place, ...]:
        """Where the global commands lead from anywhere: the home's places, then the entry
        of each flow a command enters."""
        home = self.home
        places = [home.new, home.main, home.idle]
        for command in self.commands:
            if command.flow is not None:
                place = Place(flow=command.flow, state=self.flows[command.flow].entry)
                if place not in places:
                    places.append(place)
        return tuple(places)

    def step(
        self, conversation: Conversation, event: Event, now: datetime, policy: Policy
    ) -> Decision:
        """Decide what one event does to one conversation (`router.step`)."""
        return router.step(self, conversation, event, now, policy)
