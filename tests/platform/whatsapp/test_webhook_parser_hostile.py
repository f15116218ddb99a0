"""What the webhook fuzzing found (tests/web/test_webhook_fuzz.py), pinned at the parser.

Each of these bodies used to be parsed into an event that could not be stored, so the edge
answered 503 and Meta would have redelivered it forever: a message nested deeper than the JSON
encoder goes, a NUL character (PostgreSQL refuses it in text), ids and senders longer than their
columns. Now such a message is ignored, or its texts are cleaned, and the event always stores.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import orjson
import pytest

from dresbach.kernel.events import IdentityChanged, TextReceived
from dresbach.platform.whatsapp.parse import parse_webhook

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "webhooks"


def load(name: str) -> dict[str, Any]:
    document: dict[str, Any] = orjson.loads((FIXTURES / f"{name}.json").read_bytes())
    return copy.deepcopy(document)


def value_of(document: dict[str, Any]) -> dict[str, Any]:
    value: dict[str, Any] = document["entry"][0]["changes"][0]["value"]
    return value


def nested(depth: int) -> Any:
    node: Any = "fundo"
    for _ in range(depth):
        node = [node]
    return node


def test_a_message_nested_deeper_than_any_real_one_is_ignored() -> None:
    document = load("text")
    value_of(document)["messages"][0]["text"]["body"] = nested(300)
    batch = parse_webhook(document)
    assert (batch.messages, batch.ignored) == ([], 1)


def test_a_message_nested_a_little_is_still_read_and_can_be_stored() -> None:
    document = load("text")
    value_of(document)["messages"][0]["extra"] = nested(20)
    (message,) = parse_webhook(document).messages
    assert orjson.loads(orjson.dumps(message.payload))["extra"] == nested(20)


def test_nul_characters_are_removed_from_every_text_an_event_carries() -> None:
    document = load("text")
    value = value_of(document)
    value["messages"][0]["text"]["body"] = "o\x00i"
    value["contacts"][0]["profile"]["name"] = "Ma\x00riana"
    (message,) = parse_webhook(document).messages
    event = message.event
    assert isinstance(event, TextReceived)
    assert (event.body, event.sender.profile_name) == ("oi", "Mariana")
    assert message.payload["text"]["body"] == "o\x00i"  # the raw payload stays as it came


def test_a_nul_inside_a_sender_id_is_removed_before_it_becomes_a_key() -> None:
    document = load("text")
    value = value_of(document)
    value["messages"][0]["from"] = "5511\x00987654321"
    del value["contacts"]
    (message,) = parse_webhook(document).messages
    assert message.event.sender.key == "5511987654321"


@pytest.mark.parametrize(
    ("field", "size"),
    [("id", 201), ("from", 33)],
)
def test_ids_longer_than_any_meta_sends_make_the_message_unreadable(field: str, size: int) -> None:
    document = load("text")
    value = value_of(document)
    value["messages"][0][field] = "9" * size
    value.pop("contacts", None)
    batch = parse_webhook(document)
    assert (batch.messages, batch.ignored) == ([], 1)


def test_a_bsuid_longer_than_its_column_is_not_taken_as_the_sender() -> None:
    document = load("username_only")
    value = value_of(document)
    value["messages"][0]["from_user_id"] = "BR." + "7" * 200
    value["contacts"][0]["user_id"] = "BR." + "7" * 200
    batch = parse_webhook(document)
    assert (batch.messages, batch.ignored) == ([], 1)


def test_the_longest_ids_meta_could_send_are_still_read() -> None:
    document = load("text")
    value = value_of(document)
    value["messages"][0]["id"] = "wamid." + "A" * 194
    value["messages"][0]["from"] = value["contacts"][0]["wa_id"] = "5" * 32
    (message,) = parse_webhook(document).messages
    assert len(message.event.message_id) == 200
    assert message.event.sender.wa_id == "5" * 32


def test_a_profile_name_is_cut_to_what_is_kept() -> None:
    document = load("text")
    value_of(document)["contacts"][0]["profile"]["name"] = "Ana " * 100
    (message,) = parse_webhook(document).messages
    assert message.event.sender.profile_name == ("Ana " * 100)[:200]


def test_an_identity_change_to_an_impossible_number_keeps_the_old_one() -> None:
    document = load("system_user_changed_number")
    system = value_of(document)["messages"][0]["system"]
    system["wa_id"] = system["new_wa_id"] = "1" * 40
    (message,) = parse_webhook(document).messages
    assert isinstance(message.event, IdentityChanged)
    assert message.event.new_wa_id is None
