"""Fuzzing the webhook: random and mutated bodies posted to the real app over HTTP.

Every case is one POST /webhook. Its status must be exactly the one the edge documents for it
(413 over 1 MiB, 401 without a signature, 403 with a wrong one, 400 for a body that is not a JSON
object, 200 for any JSON object), never a 5xx; a refused case stores nothing, and after every
case the store is consistent (each inbox row has its conversation, each conversation's outbox is
exactly seq 1..outbox_seq). At the end a fresh user says "oi" and is answered. The cases are
derandomized, so CI runs the same ones every time; their count is printed and recorded.
"""

from __future__ import annotations

import copy
import itertools
import json
import secrets
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from dresbach.platform.store.schema import conversations, inbox, outbox
from dresbach.platform.whatsapp.signature import sign
from dresbach.web.webhook import MAX_BODY
from tests.support.meta import replies_to
from tests.support.stack_fixtures import Stack

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "webhooks"
TEMPLATES: dict[str, Any] = {
    path.stem: orjson.loads(path.read_bytes()) for path in sorted(FIXTURES.glob("*.json"))
}
PHONE, BSUID = "5511987654321", "BR.1502576394655843"

# (strategy, examples) per database; the whole module stays well under 30 s on both.
BUDGET = {
    "raw bytes": 20,
    "random JSON": 35,
    "deep nesting": 20,
    "huge": 10,
    "truncated": 20,
    "odd Unicode": 45,
    "identity fields": 50,
    "mutated envelopes": 100,
}
CASES: Counter[str] = Counter()
_serial = itertools.count(1)


def _budget(name: str) -> Any:
    return settings(
        max_examples=BUDGET[name],
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
    )


# ---- what the edge must answer ---------------------------------------------------------------

SIGNINGS = ("signed", "signed", "signed", "signed", "unsigned", "empty", "forged", "garbled")


def signature_header(signing: str, secret: str, body: bytes) -> str | None:
    if signing == "signed":
        return sign(secret, body)
    if signing == "unsigned":
        return None
    if signing == "empty":
        return ""
    if signing == "forged":
        return "sha256=" + secrets.token_hex(32)
    return "sha1=" + secrets.token_hex(20)  # garbled: not even the right algorithm


def expected_status(body: bytes, signing: str) -> int:
    if len(body) > MAX_BODY:
        return 413
    if signing in ("unsigned", "empty"):
        return 401
    if signing != "signed":
        return 403
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        return 400
    return 200 if isinstance(document, dict) else 400


# ---- strategies ------------------------------------------------------------------------------

ODD = (
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    "\u200b",  # zero-width space
    "\u200d",  # zero-width joiner
    "\ufeff",  # byte-order mark
    "\u2028",  # line separator
    "\x00",
    "\x07",
    "\x7f",
    "e\u0301",  # a combining accent
    "👨‍👩‍👧‍👦",
    "🇧🇷",
    "🤷🏽‍♀️",
    "\U0010ffff",
    "\ud800",  # lone surrogates: JSON escapes, or invalid UTF-8 on the wire
    "\udfff",
    "مرحبا",
    "שלום",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    '"',
    "\\",
    "%s%n{0}",
)
odd_text = st.lists(st.one_of(st.sampled_from(ODD), st.text(max_size=4)), max_size=24).map("".join)
# Strings that cross the widths of the columns that keep identities (32, 160, 200) or that a
# PostgreSQL text column refuses (NUL).
awkward = st.one_of(
    st.integers(0, 400).map(lambda n: "9" * n),
    st.text(min_size=30, max_size=400),
    st.sampled_from(["\x00", "5511\x0099", "BR.\x00", " ", "\t", "null"]),
    odd_text,
)
KEYS = ("id", "from", "type", "text", "body", "messages", "contacts", "wa_id", "entry", "value")
leaves = st.one_of(
    awkward,
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63, max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    odd_text,
    st.text(min_size=200, max_size=2000),
    st.sampled_from(["", "0", "-1", "1e999", "text", "interactive", "system", "null"]),
)
json_values = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(KEYS), st.text(max_size=6)), children, max_size=4
        ),
    ),
    max_leaves=12,
)


def encode(value: Any, ascii_only: bool) -> bytes:
    """Python's encoder: it writes big integers, NaN and lone surrogates, which a strict parser
    must refuse (as \\u escapes, or as invalid UTF-8 bytes)."""
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every node of a document, as a path of keys and indexes."""
    yield prefix
    if isinstance(node, dict):
        for key, child in node.items():
            yield from paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from paths(child, (*prefix, index))


TEMPLATE_PATHS = {name: list(paths(doc))[1:] for name, doc in TEMPLATES.items()}


@dataclass(frozen=True)
class Mutation:
    path: tuple[Any, ...]
    op: str  # replace, delete, duplicate
    value: Any = None


def mutate(document: Any, mutation: Mutation) -> Any:
    if not mutation.path:
        return mutation.value
    parent = document
    for step in mutation.path[:-1]:
        try:
            parent = parent[step]
        except (KeyError, IndexError, TypeError):
            return document  # an earlier mutation removed this place
    last = mutation.path[-1]
    try:
        current = parent[last]
    except (KeyError, IndexError, TypeError):
        return document
    if mutation.op == "delete":
        del parent[last]
    elif mutation.op == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(current))
    else:
        parent[last] = mutation.value
    return document


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, list[Mutation]]:
    name = draw(st.sampled_from(sorted(TEMPLATES)))
    changes = []
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(TEMPLATE_PATHS[name]))
        op = draw(st.sampled_from(("replace", "replace", "replace", "delete", "duplicate")))
        value = draw(json_values) if op == "replace" else None
        changes.append(Mutation(path, op, value))
    return name, changes


def fresh(name: str, serial: int) -> Any:
    """A template with its own user and message ids, so every case reaches the step (a repeated
    id would be a duplicate) and no user is flooded by the fuzzing."""
    text = orjson.dumps(TEMPLATES[name]).decode()
    text = text.replace(PHONE, f"55119{serial:08d}").replace(BSUID, f"BR.9{serial:015d}")
    return orjson.loads(text.replace('"wamid.', f'"wamid.fuzz{serial}.'))


IDENTITY_KEYS = {
    "id",
    "from",
    "from_user_id",
    "wa_id",
    "user_id",
    "name",
    "previous_user_id",
    "new_wa_id",
    "recipient_id",
    "body",
    "status",
    "title",
    "type",
}
IDENTITY_PATHS = {
    name: [p for p in found if p and p[-1] in IDENTITY_KEYS]
    for name, found in TEMPLATE_PATHS.items()
}


@st.composite
def identity_changes(draw: st.DrawFn) -> tuple[str, list[Mutation]]:
    """An envelope whose ids, senders, names or bodies are awkward strings."""
    name = draw(st.sampled_from(sorted(n for n, found in IDENTITY_PATHS.items() if found)))
    places = draw(st.lists(st.sampled_from(IDENTITY_PATHS[name]), min_size=1, max_size=3))
    return name, [Mutation(path, "replace", draw(awkward)) for path in places]


def text_envelope(serial: int, body: Any, name: Any = "Cliente", sender: Any = None) -> Any:
    document = fresh("text", serial)
    value = document["entry"][0]["changes"][0]["value"]
    value["messages"][0]["text"]["body"] = body
    value["contacts"][0]["profile"]["name"] = name
    if sender is not None:
        value["messages"][0]["from"] = sender
        value["contacts"][0]["wa_id"] = sender
    return document


# ---- the harness ------------------------------------------------------------------------------


class Harness:
    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.http = httpx.Client(timeout=30)

    def counts(self) -> tuple[int, int]:
        with self.stack.container.db.engine.connect() as connection:
            stored = connection.execute(select(func.count()).select_from(inbox)).scalar_one()
            users = connection.execute(select(func.count()).select_from(conversations)).scalar_one()
        return stored, users

    def post(self, strategy: str, body: bytes, signing: str, *, chunked: bool = False) -> None:
        CASES[strategy] += 1
        before = self.counts()
        headers = {"Content-Type": "application/json"}
        signature = signature_header(signing, self.stack.meta.secret, body)
        if signature is not None:
            headers["X-Hub-Signature-256"] = signature
        content: Any = body
        if chunked:  # no Content-Length: the limit must hold while streaming
            content = iter([body[i : i + 65536] for i in range(0, len(body), 65536)])
        response = self.http.post(f"{self.stack.origin}/webhook", content=content, headers=headers)
        want = expected_status(body, signing)
        assert response.status_code == want, (
            f"{strategy}: {signing} body of {len(body)} bytes got {response.status_code} "
            f"({response.text!r}), expected {want}: {body[:300]!r}"
        )
        if want != 200:
            assert self.counts() == before, f"{strategy}: a refused body stored something"
        self.check_consistent(strategy)

    def check_consistent(self, strategy: str) -> None:
        with self.stack.container.db.engine.connect() as connection:
            seqs = {
                key: last
                for key, last in connection.execute(
                    select(conversations.c.key, conversations.c.outbox_seq)
                )
            }
            orphans = connection.execute(
                select(inbox.c.message_id).where(inbox.c.conversation_key.not_in(list(seqs)))
            ).all()
            queued: dict[str, list[int]] = {}
            for key, seq in connection.execute(select(outbox.c.conversation_key, outbox.c.seq)):
                queued.setdefault(key, []).append(seq)
        assert orphans == [], f"{strategy}: inbox rows without a conversation: {orphans[:3]}"
        assert set(queued) <= set(seqs), f"{strategy}: outbox rows without a conversation"
        for key, last in seqs.items():
            assert sorted(queued.get(key, [])) == list(range(1, last + 1)), (
                f"{strategy}: conversation {key!r} has outbox seqs {sorted(queued.get(key, []))} "
                f"but outbox_seq {last}"
            )

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def harness(stack: Stack) -> Iterator[Harness]:
    opened = Harness(stack)
    yield opened
    opened.close()


def test_random_and_mutated_webhooks_get_only_documented_answers(
    harness: Harness, stack: Stack, record_property: Any
) -> None:
    CASES.clear()

    @_budget("raw bytes")
    @given(body=st.binary(max_size=3000), signing=st.sampled_from(SIGNINGS))
    def raw_bytes(body: bytes, signing: str) -> None:
        harness.post("raw bytes", body, signing)

    @_budget("random JSON")
    @given(value=json_values, ascii_only=st.booleans(), signing=st.sampled_from(SIGNINGS))
    def random_json(value: Any, ascii_only: bool, signing: str) -> None:
        harness.post("random JSON", encode(value, ascii_only), signing)

    @_budget("deep nesting")
    @given(
        depth=st.integers(1, 3000),
        kind=st.sampled_from(("list", "object")),
        where=st.sampled_from(("top", "entry", "text body", "contact name", "message")),
    )
    def deep_nesting(depth: int, kind: str, where: str) -> None:
        opening, closing = ("[", "]") if kind == "list" else ('{"a":', "}")
        deep = opening * depth + "1" + closing * depth
        if where == "top":
            body = deep.encode()
        else:
            serial = next(_serial)
            document = text_envelope(serial, "PLACEHOLDER", "NAMEHOLDER")
            if where == "entry":
                document["entry"] = "ENTRYHOLDER"
            if where == "message":
                document["entry"][0]["changes"][0]["value"]["messages"].append("ENTRYHOLDER")
            text = orjson.dumps(document).decode()
            hole = {"text body": '"PLACEHOLDER"', "contact name": '"NAMEHOLDER"'}
            body = text.replace(hole.get(where, '"ENTRYHOLDER"'), deep).encode()
        harness.post("deep nesting", body, "signed")

    @_budget("huge")
    @given(
        extra=st.integers(-2, 200_000),
        chunked=st.booleans(),
        signing=st.sampled_from(("signed", "unsigned", "forged")),
    )
    def huge(extra: int, chunked: bool, signing: str) -> None:
        serial = next(_serial)
        document = text_envelope(serial, "oi")
        skeleton = orjson.dumps({**document, "pad": ""})
        pad = "x" * (MAX_BODY + extra - len(skeleton))  # extra <= 0: at or just under the limit
        body = orjson.dumps({**document, "pad": pad})
        harness.post("huge", body, signing, chunked=chunked)

    @_budget("truncated")
    @given(name=st.sampled_from(sorted(TEMPLATES)), cut=st.floats(0, 1, exclude_max=True))
    def truncated(name: str, cut: float) -> None:
        body = orjson.dumps(fresh(name, next(_serial)))
        harness.post("truncated", body[: int(len(body) * cut)], "signed")

    @_budget("odd Unicode")
    @given(
        body=odd_text,
        name=st.one_of(st.just("Ana"), odd_text),
        sender=st.one_of(st.none(), odd_text),
        ascii_only=st.booleans(),
    )
    def odd_unicode(body: str, name: str, sender: str | None, ascii_only: bool) -> None:
        document = text_envelope(next(_serial), body, name, sender)
        harness.post("odd Unicode", encode(document, ascii_only), "signed")

    @_budget("identity fields")
    @given(changed=identity_changes(), ascii_only=st.booleans())
    def identity_fields(changed: tuple[str, list[Mutation]], ascii_only: bool) -> None:
        name, changes = changed
        document = fresh(name, next(_serial))
        for change in changes:
            document = mutate(document, change)
        harness.post("identity fields", encode(document, ascii_only), "signed")

    @_budget("mutated envelopes")
    @given(mutated=mutations(), ascii_only=st.booleans(), signing=st.sampled_from(SIGNINGS))
    def mutated_envelopes(
        mutated: tuple[str, list[Mutation]], ascii_only: bool, signing: str
    ) -> None:
        name, changes = mutated
        document = fresh(name, next(_serial))
        for change in changes:
            document = mutate(document, change)
        harness.post("mutated envelopes", encode(document, ascii_only), signing)

    started = time.monotonic()
    for run in (
        raw_bytes,
        random_json,
        deep_nesting,
        huge,
        truncated,
        odd_unicode,
        identity_fields,
        mutated_envelopes,
    ):
        run()
    total = sum(CASES.values())
    print(f"\nwebhook fuzz: {total} cases in {time.monotonic() - started:.1f} s: {dict(CASES)}")
    record_property("fuzz_cases", total)
    assert total >= sum(BUDGET.values()) * 0.9, CASES  # hypothesis ran (nearly) every case

    # The service still answers a plain, valid, signed message.
    user = "5511900000042"
    assert stack.meta.says(user, "oi").status_code == 200
    assert stack.graph.wait_for(lambda g: len(replies_to(g.requests, user)) >= 2, 15)
    greeting, menu = replies_to(stack.graph.requests, user)[:2]
    assert "LGPD" in greeting["text"]["body"]
    assert menu["type"] == "interactive"  # the main menu's options


def _message_of(document: Any) -> Any:
    return document["entry"][0]["changes"][0]["value"]["messages"][0]


FOUND = {  # what the fuzzing found: each was a 503 (SQLite or PostgreSQL) before the fix
    "a text body nested 253 levels deep": lambda d: _message_of(d)["text"].update(
        body=json.loads("[" * 253 + "1" + "]" * 253)
    ),
    "a NUL in the profile name": lambda d: d["entry"][0]["changes"][0]["value"]["contacts"][0][
        "profile"
    ].update(name="\x00"),
    "a NUL in the sender": lambda d: _message_of(d).update({"from": "5511\x00900000001"}),
    "a message id of 300 characters": lambda d: _message_of(d).update(id="wamid." + "x" * 300),
    "a sender of 60 digits": lambda d: _message_of(d).update({"from": "5" * 60}),
    "a profile name of 500 characters": lambda d: d["entry"][0]["changes"][0]["value"]["contacts"][
        0
    ]["profile"].update(name="A" * 500),
}


@pytest.mark.parametrize("case", list(FOUND))
def test_what_the_fuzzing_found_is_answered_200_and_stores_cleanly(
    harness: Harness, case: str
) -> None:
    document = fresh("text", 800_000 + list(FOUND).index(case))
    FOUND[case](document)
    harness.post("regression", encode(document, ascii_only=True), "signed")
