"""Flood protection over real HTTP: one user floods the webhook, another is answered promptly.

The app runs with its default limit (30 messages a minute per user). The pipeline's clock is the
one injectable seam used here: the flood happens "a minute ago" (its clock set back), so that "a
minute later" is now, without waiting a minute (and the replies are due at once).
"""

from __future__ import annotations

import concurrent.futures
import re
import time
from datetime import UTC, datetime, timedelta

import httpx

from dresbach.features.handoff.flow.texts import TEXTS as HANDOFF_TEXTS
from dresbach.features.menu.flow.texts import TEXTS
from tests.support.meta import replies_to, text_of
from tests.support.stack_fixtures import Stack

MARIA, ANA = "5511987651111", "5521987652222"
NOTICE = TEXTS["flood"]


class Clock:
    def __init__(self) -> None:
        self.behind = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) - self.behind


def said_by_the_handoff(text: str) -> bool:
    """A text of the hand-off (its queue job tells a customer their place in line)."""
    templates = (t for t in HANDOFF_TEXTS.values() if isinstance(t, str))
    return any(
        re.fullmatch(re.sub(r"\\\{\w+\\\}", ".+", re.escape(t)), text, re.S) for t in templates
    )


def texts_to(stack: Stack, wa_id: str) -> list[str]:
    return [text_of(m) for m in replies_to(stack.graph.requests, wa_id)]


def receipts_for(stack: Stack, message_ids: set[str]) -> int:
    return sum(
        1
        for r in stack.graph.requests
        if r.is_read_receipt and r.body.get("message_id") in message_ids
    )


def test_a_flooding_user_is_slowed_once_and_another_user_is_answered_promptly(
    stack: Stack,
) -> None:
    clock = Clock()
    clock.behind = timedelta(seconds=61)
    stack.container.pipeline.clock = clock
    assert stack.container.settings.flood_per_minute == 30

    # Maria says oi, and is greeted.
    assert stack.meta.says(MARIA, "oi").status_code == 200
    assert stack.graph.wait_for(lambda _g: len(texts_to(stack, MARIA)) >= 2, 15)

    # Then she sends 199 more messages as fast as the connection allows.
    ids = [stack.meta.message_id() for _ in range(199)]
    bodies = [stack.meta.text_body(MARIA, f"mensagem {n}", ids[n]) for n in range(199)]
    with httpx.Client(timeout=30) as client, concurrent.futures.ThreadPoolExecutor(8) as pool:
        flood = pool.map(lambda body: stack.meta.post(body, client=client).status_code, bodies)
        # Ana writes in the middle of it and is answered as promptly as ever.
        time.sleep(0.2)
        asked = time.monotonic()
        assert stack.meta.says(ANA, "oi").status_code == 200
        assert stack.graph.wait_for(lambda _g: len(texts_to(stack, ANA)) >= 2, 5)
        ana_waited = time.monotonic() - asked
        codes = list(flood)
    assert codes == [200] * 199  # every message was taken (and kept)
    assert ana_waited < 3.0, f"Ana waited {ana_waited:.1f} s behind Maria's flood"
    assert "LGPD" in texts_to(stack, ANA)[0]
    assert NOTICE not in texts_to(stack, ANA)

    # Maria is told once, politely, to slow down; only 30 of her messages were stepped.
    assert stack.graph.wait_for(lambda _g: NOTICE in texts_to(stack, MARIA), 15)
    stack.waits_until_stepped()  # the whole flood stepped while it is still "a minute ago"
    time.sleep(0.5)  # anything still in flight would arrive now
    said = texts_to(stack, MARIA)
    assert said.count(NOTICE) == 1
    # nothing of the flood is answered after the notice; a hand-off one of her earlier messages
    # asked for may still tell her her place in line (its job runs when the writer has room)
    after_notice = said[said.index(NOTICE) + 1 :]
    assert all(said_by_the_handoff(text) for text in after_notice), after_notice
    assert receipts_for(stack, set(ids)) == 29  # 30 stepped: "oi" and 29 of the flood

    # A minute later she is answered again.
    clock.behind = timedelta()
    before = len(texts_to(stack, MARIA))
    assert stack.meta.says(MARIA, "menu").status_code == 200
    assert stack.graph.wait_for(lambda _g: len(texts_to(stack, MARIA)) > before, 15)
    assert NOTICE not in texts_to(stack, MARIA)[before:]
