"""Taking events in, each in its own transaction or several under one commit (the pipeline's
group commit), each event under its own savepoint."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from dresbach.kernel.events import Event, InboundEvent, InternalEvent
from dresbach.kernel.policy import Policy
from dresbach.platform.observe.correlation import bound, correlation_id_for
from dresbach.platform.store.hooks import NO_HOOKS, StepHooks
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.unit_of_work.take import Duplicate, Taken, step_held_tx, take_in_tx

log = logging.getLogger(__name__)


def take_in(
    engine: Engine,
    event: Event,
    payload: dict[str, Any],
    now: datetime,
    policy: Policy,
    sealer: Sealer | None = None,
    hooks: StepHooks = NO_HOOKS,
) -> Taken:
    """Process one event exactly once, in its own transaction. `payload` is the raw message
    object (or the internal event's fields), kept in the inbox."""
    try:
        with engine.begin() as connection:
            taken = take_in_tx(connection, event, payload, now, policy, sealer, hooks)
    except Duplicate:
        return Taken(duplicate=True)
    for defect in taken.defects:
        log.error("conversation defect: %s", defect)
    return taken


def step_held(
    engine: Engine,
    key: str,
    closing: str,
    now: datetime,
    policy: Policy,
    sealer: Sealer | None,
    hooks: StepHooks,
) -> Taken | None:
    """The burst job: the conversation's held texts as one turn, in its own transaction, when
    the text `closing` is still the last one held (`unit_of_work/burst.py`)."""
    with bound(correlation_id_for(closing)), engine.begin() as connection:
        taken = step_held_tx(connection, key, closing, now, policy, sealer, hooks)
    if taken is not None:
        for defect in taken.defects:
            log.error("conversation defect: %s", defect)
    return taken


def event_id(event: Event) -> str:
    """The id an event is deduplicated by: the wamid, or an internal event's id."""
    if isinstance(event, InboundEvent):
        return event.message_id
    assert isinstance(event, InternalEvent)
    return event.event_id


def take_in_many(
    engine: Engine,
    items: list[tuple[Event, dict[str, Any]]],
    now: datetime,
    policy: Policy,
    sealer: Sealer | None,
    hooks: StepHooks,
    observe_step: Callable[[float], None] | None = None,
) -> list[Taken | Exception]:
    """Several events in one transaction (group commit), each under its own savepoint: a
    duplicate or a failure rolls back that event alone. Each event's work is logged under its
    correlation id, and its duration given to `observe_step`."""
    outcomes: list[Taken | Exception] = []
    with engine.begin() as connection:
        for event, payload in items:
            with bound(correlation_id_for(event_id(event))):
                started = time.perf_counter()
                try:
                    with connection.begin_nested():
                        taken = take_in_tx(connection, event, payload, now, policy, sealer, hooks)
                except Duplicate:
                    outcomes.append(Taken(duplicate=True))
                    log.info("duplicate ignored", extra={"kind": event.kind})
                except Exception as error:
                    log.exception("could not take an event in", extra={"kind": event.kind})
                    outcomes.append(error)
                else:
                    outcomes.append(taken)
                    elapsed = time.perf_counter() - started
                    if observe_step is not None:
                        observe_step(elapsed)
                    log_step(event, taken, elapsed)
    for outcome in outcomes:
        if isinstance(outcome, Taken):
            for defect in outcome.defects:
                log.error("conversation defect: %s", defect)
    return outcomes


def log_step(event: Event, taken: Taken, seconds: float) -> None:
    if log.isEnabledFor(logging.INFO):
        log.info(
            "event taken in",
            extra={
                "kind": event.kind,
                "place": taken.place,
                "replies": taken.replies,
                "duration_ms": round(seconds * 1000, 2),
            },
        )
