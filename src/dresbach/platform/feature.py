"""What a feature registers (`features/<name>/feature.py`), as data: its flows, texts and the
words that reach it, what its commands do, its jobs and sweeps, and its metrics gauges. The
platform and the kernel read these registrations and name no feature.

Models: cosmicpython's registrations as data (`COMMAND_HANDLERS = {Allocate: allocate}`) and
its one bootstrap that injects."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from prometheus_client.metrics_core import Metric
from sqlalchemy import Connection, Engine

from dresbach.kernel.commands import Command
from dresbach.kernel.machine.global_commands import GlobalCommand
from dresbach.kernel.machine.house import Home, Machine
from dresbach.kernel.machine.machine import Flow
from dresbach.kernel.machine.routes import Ahead, Answers, Route, Understanding
from dresbach.kernel.policy import Policy
from dresbach.kernel.understanding import Model
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.whatsapp.templates.declarations import TemplateDeclaration, declared_once
from dresbach.platform.work.jobs import GiveUp, Handler

Effect = Callable[[Connection, str, Any, datetime, "Sealer | None"], None]
"""What a command does to our own database inside the step's transaction:
(connection, conversation key, the command, now, the sealer)."""

Sweep = Callable[[], Awaitable[None]]
Gauges = Callable[[Connection, datetime], Iterable[Metric]]
"""The gauges a feature adds to a scrape, read in the scrape's transaction."""

Refs = MutableMapping[str, "str | None"]
"""What a hand-off names (`lead_id`, `booking_id`), completed by the context sections as they
find it (the lead found names the payment and the booking)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ContextSection:
    """A part of an operator's hand-off context that a feature adds: `gather` reads it from the
    records as JSON-able data (None: nothing to show), `lines` writes it in pt-BR, one fact a
    line. `name` is its key in the context kept with the hand-off."""

    name: str
    gather: Callable[[Connection, str, Refs], dict[str, Any] | None]
    lines: Callable[[Mapping[str, Any]], list[str]]


PriceRule = Callable[[Connection, Mapping[str, Any], str, datetime, Policy], bool]
"""Whether an operator's reply (the text) to a hand-off (its row) states a price that the
feature's rules hold back until the operator confirms it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonalData:
    """What a feature holds about a WhatsApp user (a conversation key), for the LGPD copy and
    the erasure (both inside the caller's transaction), and its part of the retention purge."""

    held: Callable[[Connection, str], Mapping[str, Any]] | None = None
    """The copy's sections it adds (keys in pt-BR), in this order."""
    erase: Callable[[Connection, str, datetime], Mapping[str, int]] | None = None
    """Anonymize what the law does not oblige us to keep; how many rows of each kind changed."""
    purge: Callable[[Engine, datetime, Any], Mapping[str, int]] | None = None
    """Delete (or anonymize) what outlived the retention periods (the settings' `Retention`),
    each table in its own short transaction; how many rows each step touched."""
    answer: Callable[[str, str], str | None] | None = None
    """One answer its forms collect (field, value) as `Label: value` (None: not its field)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Jobs:
    """The jobs a feature's commands become, once its services are built."""

    handlers: Mapping[str, Handler] = field(default_factory=lambda: MappingProxyType({}))
    give_up: Mapping[str, GiveUp] = field(default_factory=lambda: MappingProxyType({}))
    """What to say when a job of that kind fails for good."""


NO_JOBS = Jobs()


@dataclass(frozen=True, slots=True, kw_only=True)
class Feature:
    """One feature's registration. `jobs` and `sweeps` take the composition root's container
    (each feature reads the services it needs off it)."""

    name: str
    flows: Sequence[Flow] = ()
    catalogs: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: MappingProxyType({}))
    commands: Sequence[GlobalCommand] = ()
    """The global commands (words from anywhere) that reach this feature."""
    ice_breakers: Sequence[str] = ()
    """WhatsApp's conversation starters that lead here (pt-BR, at most 80 characters): shown
    to a customer opening the chat (`dresbach whatsapp setup`), they arrive as texts."""
    routes: Sequence[Route] = ()
    """The intents of the understanding tier this feature serves, and where each lands."""
    answers: Answers | None = None
    """Ready answers tried before a route that asks for a login (the FAQ)."""
    ahead: Sequence[Ahead] = ()
    """What goes before another feature's route while the records say so (an open incident
    before "meu site caiu" asks for a login)."""
    home: Home | None = None
    """The feature that is home (the menu): where conversations rest, and the manners' words."""
    effects: Mapping[type[Command], Effect] = field(default_factory=lambda: MappingProxyType({}))
    jobs: Callable[[Any], Jobs] = lambda _services: NO_JOBS
    wipe: frozenset[str] = frozenset()
    """Job kinds whose payload holds a secret (sealed): wiped once they ran."""
    sweeps: Callable[[Any], Sequence[Sweep]] = lambda _services: ()
    gauges: Gauges | None = None
    context: Sequence[ContextSection] = ()
    """The sections it adds to an operator's hand-off context, in this order."""
    price_rule: PriceRule | None = None
    personal_data: PersonalData | None = None
    templates: Sequence[TemplateDeclaration] = ()
    """The message templates this feature can send (they must exist, approved, at Meta)."""


def machine_of(features: Sequence[Feature], model: Model | None = None) -> Machine:
    """The one Machine made of the features' flows, texts and words (exactly one home), with
    the understanding tier when a trained `model` is given."""
    understanding = None
    if model is not None:
        understanding = Understanding.of(
            model,
            [route for f in features for route in f.routes],
            [f.answers for f in features if f.answers is not None],
            ahead=[before for f in features for before in f.ahead],
        )
    homes = [f.home for f in features if f.home is not None]
    if len(homes) != 1:
        raise ValueError(f"exactly one feature is home, not {len(homes)}")
    return Machine.of(
        home=homes[0],
        flows=[flow for f in features for flow in f.flows],
        commands=[c for f in features for c in f.commands],
        catalogs={name: texts for f in features for name, texts in f.catalogs.items()},
        understanding=understanding,
    )


def effects_of(features: Sequence[Feature]) -> Mapping[type[Command], Effect]:
    """Every command type's effect; a command registered twice is a programming error."""
    found: dict[type[Command], Effect] = {}
    for feature in features:
        for kind, effect in feature.effects.items():
            if kind in found:
                raise ValueError(f"{kind.__name__} registered twice ({feature.name})")
            found[kind] = effect
    return MappingProxyType(found)


@dataclass(frozen=True, slots=True, kw_only=True)
class House:
    """The registered features, assembled: what the unit of work steps and applies."""

    features: Sequence[Feature]
    machine: Machine
    effects: Mapping[type[Command], Effect]

    @property
    def wipe(self) -> frozenset[str]:
        return frozenset().union(*(f.wipe for f in self.features))

    @property
    def context(self) -> tuple[ContextSection, ...]:
        """Every feature's hand-off context sections, in the features' order."""
        return tuple(section for f in self.features for section in f.context)

    @property
    def personal_data(self) -> tuple[PersonalData, ...]:
        """Every feature's personal-data source, in the features' order."""
        return tuple(f.personal_data for f in self.features if f.personal_data is not None)

    @property
    def price_rules(self) -> tuple[PriceRule, ...]:
        return tuple(f.price_rule for f in self.features if f.price_rule is not None)

    def jobs(self, services: Any) -> Jobs:
        """Every feature's jobs, given the services built (a kind registered twice is a bug)."""
        handlers: dict[str, Handler] = {}
        give_up: dict[str, GiveUp] = {}
        for feature in self.features:
            built = feature.jobs(services)
            for kind in built.handlers:
                if kind in handlers:
                    raise ValueError(f"job {kind} registered twice ({feature.name})")
            handlers.update(built.handlers)
            give_up.update(built.give_up)
        return Jobs(handlers=handlers, give_up=give_up)

    @property
    def templates(self) -> tuple[TemplateDeclaration, ...]:
        """Every template the features can send, each declared once."""
        return tuple(t for f in self.features for t in f.templates)

    def sweeps(self, services: Any) -> list[Sweep]:
        return [sweep for f in self.features for sweep in f.sweeps(services)]

    @classmethod
    def of(cls, features: Sequence[Feature], model: Model | None = None) -> House:
        declared_once(tuple(t for f in features for t in f.templates))
        return cls(
            features=tuple(features),
            machine=machine_of(features, model),
            effects=effects_of(features),
        )


_installed: list[House] = []


def install(house: House) -> None:
    """Make `house` the one the unit of work uses (the composition root does, at start)."""
    _installed[:] = [house]


def installed() -> House:
    if not _installed:
        raise RuntimeError("no features installed: build the app with dresbach.bootstrap")
    return _installed[0]
