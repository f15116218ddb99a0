"""What a feature registers (`features/<name>/feature.py`), as data: its flows, texts and the
words that reach it, what its commands do, its jobs and sweeps, and its metrics gauges. The
platform and the kernel read these registrations and name no feature.

Models: cosmicpython's registrations as data (`COMMAND_HANDLERS = {Allocate: allocate}`) and
its one bootstrap that injects."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from prometheus_client.metrics_core import Metric
from sqlalchemy import Connection

from dresbach.kernel.commands import Command
from dresbach.kernel.machine.global_commands import GlobalCommand
from dresbach.kernel.machine.house import Home, Machine
from dresbach.kernel.machine.machine import Flow
from dresbach.kernel.machine.routes import Answers, Route, Understanding
from dresbach.kernel.understanding import Model
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.work.jobs import GiveUp, Handler

Effect = Callable[[Connection, str, Any, datetime, "Sealer | None"], None]
"""What a command does to our own database inside the step's transaction:
(connection, conversation key, the command, now, the sealer)."""

Sweep = Callable[[], Awaitable[None]]
Gauges = Callable[[Connection, datetime], Iterable[Metric]]
"""The gauges a feature adds to a scrape, read in the scrape's transaction."""


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
    home: Home | None = None
    """The feature that is home (the menu): where conversations rest, and the manners' words."""
    effects: Mapping[type[Command], Effect] = field(default_factory=lambda: MappingProxyType({}))
    jobs: Callable[[Any], Jobs] = lambda _services: NO_JOBS
    wipe: frozenset[str] = frozenset()
    """Job kinds whose payload holds a secret (sealed): wiped once they ran."""
    sweeps: Callable[[Any], Sequence[Sweep]] = lambda _services: ()
    gauges: Gauges | None = None


def machine_of(features: Sequence[Feature], model: Model | None = None) -> Machine:
    """The one Machine made of the features' flows, texts and words (exactly one home), with
    the understanding tier when a trained `model` is given."""
    understanding = None
    if model is not None:
        understanding = Understanding.of(
            model,
            [route for f in features for route in f.routes],
            [f.answers for f in features if f.answers is not None],
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

    def sweeps(self, services: Any) -> list[Sweep]:
        return [sweep for f in self.features for sweep in f.sweeps(services)]

    @classmethod
    def of(cls, features: Sequence[Feature], model: Model | None = None) -> House:
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
