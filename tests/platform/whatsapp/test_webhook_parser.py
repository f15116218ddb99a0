"""`parse_webhook` against real-shaped Cloud API bodies (tests/fixtures/webhooks/*.json).

One fixture per kind; each test states the exact typed event the edge must produce.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from dresbach.kernel.events import (
    ButtonChosen,
    ContactsReceived,
    FlowCompleted,
    IdentityChanged,
    InboundEvent,
    ListRowChosen,
    LocationReceived,
    MediaReceived,
    ReactionReceived,
    Referral,
    Sender,
    StatusReported,
    TextReceived,
    UnsupportedReceived,
)
from dresbach.platform.whatsapp.parse import MalformedWebhook, parse_webhook

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "webhooks"

MARIANA = Sender(user_id="BR.1502576394655843", wa_id="5511987654321", profile_name="Mariana Souza")
JOAO = Sender(user_id="BR.8830114722950017", wa_id="5521998765432", profile_name="João Pereira")
BUSINESS = "551140028922"

# Our outbound messages that users reply / react to, and that statuses report on.
OURS_1 = "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYFEU4OUYyNDNBRUVCNjQyMDhCQ0U2AA=="
OURS_2 = "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYFDQzMzBCRjg2RjZCNTc4NUM1NjhDAA=="
OURS_3 = "wamid.HBgNNTUyMTk5ODc2NTQzMhUCABEYFEIzQzI1MEIwQjRDNTQ0REQ4N0M4AA=="

WAMID = {
    "text": "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDM3MkVBMDhDQUIzM0U3MUMwMkM2AA==",
    "text_reply_context": "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFENERTMxQjc4QjZEMTUyQjVGOTRGAA==",
    "button_reply": "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDVCNzlCNTU4MzdFMkYyNzI4RjUzAA==",
    "list_reply": "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDMwRTUxQTQxMzdCNDk1ODg1RTFFAA==",
    "nfm_reply": "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDQxNzA3QzlCQjU0RkMxQ0VDRERBAA==",
    "template_button": "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDQ2MDMyMjFENUFBMjI2OUZGOTVEAA==",
    "image": "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDBFNzYyOTI3OTQ4ODhENEYxRkE3AA==",
    "document": "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDRGODI3OEM4OUFEMTZEQTA1RkVDAA==",
    "audio": "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFEEwNkE0OTI5NTlDRTEyQjNGMDI5AA==",
    "video": "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFEZGQkFGNThGMTIzMTYyOEY5QUMyAA==",
    "sticker": "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDY1ODFGNjU0MzE0OENDMjQyNTJFAA==",
    "location": "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDY0NjlBQzg0QTg5NzQ4QkI2N0I5AA==",
    "contacts": "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDlEQjQ5QTU5MjQ5RUVGQjZGNjUyAA==",
    "reaction": "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFEE5MDQzRkZFNDY5ODAzRjdBN0YwAA==",
    "reaction_removed": "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDc5NDY4MUVGNzMzNkZFMDA0REQxAA==",
    "unsupported": "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDk5NUZFRTFGMUE3RUIzQTJBOTM1AA==",
    "system_user_changed_number": (
        "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDAyQjdFNkFEREQyOEU4Q0EwQTk1AA=="
    ),
    "system_user_changed_user_id": (
        "wamid.HBgTQlIuMTUwMjU3NjM5NDY1NTg0MxUCABIYFDQxN0FENjdFMzlENDQ5MTI1Q0ZFAA=="
    ),
    "username_only": "wamid.HBgTQlIuNDQxNzczMDA5ODgxMjI1NhUCABIYFDQ1NDIyMjg4RjYzNjg5MkM4ODZBAA==",
    "unknown_type": "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFENDRTU1RTQzMDlBNzUzOTg1QkREAA==",
}


def load(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return document


def at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def raw_messages(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        message
        for entry in document["entry"]
        for change in entry["changes"]
        for message in change["value"].get("messages", [])
    ]


def single(name: str) -> InboundEvent:
    """Parse a one-message fixture; it must yield exactly that message, untouched as payload."""
    document = load(name)
    batch = parse_webhook(document)
    assert batch.statuses == []
    assert batch.ignored == 0
    assert len(batch.messages) == 1
    assert batch.messages[0].payload == raw_messages(document)[0]
    return batch.messages[0].event


def single_status(name: str) -> StatusReported:
    batch = parse_webhook(load(name))
    assert batch.messages == []
    assert batch.ignored == 0
    assert len(batch.statuses) == 1
    return batch.statuses[0]


def test_every_fixture_is_a_full_envelope() -> None:
    names = sorted(p.stem for p in FIXTURES.glob("*.json"))
    assert len(names) == 26
    for name in names:
        document = load(name)
        assert document["object"] == "whatsapp_business_account", name
        for entry in document["entry"]:
            assert entry["id"] == "102938475610293", name
            for change in entry["changes"]:
                value = change["value"]
                if change["field"] == "messages":
                    assert value["messaging_product"] == "whatsapp", name
                    assert set(value["metadata"]) == {"display_phone_number", "phone_number_id"}
                for message in value.get("messages", []):
                    assert message["id"].startswith("wamid.HBg"), name
                    assert isinstance(message["timestamp"], str), name


# --- text ---------------------------------------------------------------------------------------


def test_text() -> None:
    event = single("text")
    assert event == TextReceived(
        message_id=WAMID["text"],
        sender=MARIANA,
        timestamp=at(1764000000),
        context_id=None,
        body="Oi, bom dia! Meu site está fora do ar desde ontem à noite.",
    )
    assert event.kind == "text"
    # The BSUID comes from the contacts array (the message carries only `from`).
    assert event.sender.key == "BR.1502576394655843"
    assert event.sender.address == "5511987654321"


def test_text_reply_carries_the_context_of_our_message() -> None:
    assert single("text_reply_context") == TextReceived(
        message_id=WAMID["text_reply_context"],
        sender=MARIANA,
        timestamp=at(1764000060),
        context_id=OURS_1,
        body="Pode ser amanhã às 14h?",
    )


# --- choices ------------------------------------------------------------------------------------


def test_button_reply() -> None:
    event = single("button_reply")
    assert event == ButtonChosen(
        message_id=WAMID["button_reply"],
        sender=MARIANA,
        timestamp=at(1764000120),
        context_id=OURS_1,
        choice_id="qual:yes",
        title="Sim, quero",
        from_template=False,
    )
    assert event.kind == "choice"


def test_list_reply() -> None:
    event = single("list_reply")
    assert event == ListRowChosen(
        message_id=WAMID["list_reply"],
        sender=MARIANA,
        timestamp=at(1764000180),
        context_id=OURS_2,
        choice_id="menu:client_area",
        title="Área do Cliente",
        description="Boletos, segunda via e suporte",
    )
    assert event.kind == "choice"


def test_list_reply_without_description() -> None:
    document = load("list_reply")
    del raw_messages(document)[0]["interactive"]["list_reply"]["description"]
    event = parse_webhook(document).messages[0].event
    assert isinstance(event, ListRowChosen)
    assert event.description is None


def test_flow_completion() -> None:
    event = single("nfm_reply")
    assert event == FlowCompleted(
        message_id=WAMID["nfm_reply"],
        sender=MARIANA,
        timestamp=at(1764000240),
        context_id=OURS_2,
        name="flow",
        response_json='{"flow_token":"agenda-7f3a2c","data_preferida":"2025-12-02","periodo":"tarde"}',
    )
    assert isinstance(event, FlowCompleted)
    assert json.loads(event.response_json)["periodo"] == "tarde"
    assert event.kind == "flow_reply"


def test_template_quick_reply_is_a_button_from_a_template() -> None:
    assert single("template_button") == ButtonChosen(
        message_id=WAMID["template_button"],
        sender=MARIANA,
        timestamp=at(1764000300),
        context_id=OURS_1,
        choice_id="lembrete:pagar",
        title="Pagar agora",
        from_template=True,
    )


def test_template_quick_reply_without_payload_falls_back_to_its_text() -> None:
    document = load("template_button")
    del raw_messages(document)[0]["button"]["payload"]
    event = parse_webhook(document).messages[0].event
    assert isinstance(event, ButtonChosen)
    assert (event.choice_id, event.title) == ("Pagar agora", "Pagar agora")


def test_unknown_interactive_type_is_unsupported() -> None:
    document = load("button_reply")
    raw_messages(document)[0]["interactive"] = {
        "type": "call_permission_reply",
        "call_permission_reply": {"response": "accept"},
    }
    batch = parse_webhook(document)
    assert batch.ignored == 0
    assert batch.messages[0].event == UnsupportedReceived(
        message_id=WAMID["button_reply"],
        sender=MARIANA,
        timestamp=at(1764000120),
        context_id=OURS_1,
        original_type="interactive.call_permission_reply",
        error_code=None,
    )


# --- media --------------------------------------------------------------------------------------


def test_image() -> None:
    event = single("image")
    assert event == MediaReceived(
        message_id=WAMID["image"],
        sender=MARIANA,
        timestamp=at(1764000360),
        media_kind="image",
        media_id="1480293716345821",
        mime_type="image/jpeg",
        sha256="YQXWzHavQAMl6U1YjOURvlv9u3O0N9xR7KQ5F9ekPj0=",
        caption="Print do erro no painel",
        filename=None,
    )
    assert event.kind == "media"


def test_document() -> None:
    assert single("document") == MediaReceived(
        message_id=WAMID["document"],
        sender=MARIANA,
        timestamp=at(1764000420),
        media_kind="document",
        media_id="2093847561029384",
        mime_type="application/pdf",
        sha256="Q8wj+lK4e0zB0CtbEUFUFR1q3dsXyf3cBrAn+pniQAg=",
        caption="Segue o comprovante do Pix",
        filename="comprovante-pix-novembro.pdf",
    )


def test_voice_note() -> None:
    assert single("audio") == MediaReceived(
        message_id=WAMID["audio"],
        sender=MARIANA,
        timestamp=at(1764000480),
        media_kind="audio",
        media_id="1188223344556677",
        mime_type="audio/ogg; codecs=opus",
        sha256="btiRnOIEkKXjrYYwpPq2lHUper0H23ORjdXzb8+usRs=",
        caption=None,
        filename=None,
    )


def test_video() -> None:
    assert single("video") == MediaReceived(
        message_id=WAMID["video"],
        sender=MARIANA,
        timestamp=at(1764000540),
        media_kind="video",
        media_id="3344556677889900",
        mime_type="video/mp4",
        sha256="DKsclhdAT68rJOIh4YnKWUWBPhTT92Y0WwnKE7vij/w=",
        caption="Vídeo do erro ao abrir o site",
        filename=None,
    )


def test_sticker() -> None:
    assert single("sticker") == MediaReceived(
        message_id=WAMID["sticker"],
        sender=MARIANA,
        timestamp=at(1764000600),
        media_kind="sticker",
        media_id="9988776655443322",
        mime_type="image/webp",
        sha256="V8SxOkxzNecvFmngUG6ZII3x2gUMEl2meLI+u1W/TGE=",
        caption=None,
        filename=None,
    )


# --- location, contacts, reactions --------------------------------------------------------------


def test_location() -> None:
    event = single("location")
    assert event == LocationReceived(
        message_id=WAMID["location"],
        sender=MARIANA,
        timestamp=at(1764000660),
        latitude=-23.561414,
        longitude=-46.655881,
        name="Escritório Paulista",
        address="Av. Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200",
    )
    assert event.kind == "location"


def test_shared_contacts() -> None:
    event = single("contacts")
    assert event == ContactsReceived(
        message_id=WAMID["contacts"],
        sender=MARIANA,
        timestamp=at(1764000720),
        names=("Carlos Dresbach", "Suporte Exemplo"),
    )
    assert event.kind == "contacts"


def test_reaction() -> None:
    event = single("reaction")
    assert event == ReactionReceived(
        message_id=WAMID["reaction"],
        sender=MARIANA,
        timestamp=at(1764000780),
        reacted_to=OURS_1,
        emoji="👍",
    )
    assert event.kind == "reaction"


def test_reaction_removed_has_an_empty_emoji() -> None:
    # Meta sends a removal without the `emoji` field at all.
    assert single("reaction_removed") == ReactionReceived(
        message_id=WAMID["reaction_removed"],
        sender=MARIANA,
        timestamp=at(1764000840),
        reacted_to=OURS_1,
        emoji="",
    )


def test_reaction_removed_with_an_empty_string_emoji() -> None:
    document = load("reaction")
    raw_messages(document)[0]["reaction"]["emoji"] = ""
    event = parse_webhook(document).messages[0].event
    assert isinstance(event, ReactionReceived)
    assert event.emoji == ""


# --- unsupported and unknown --------------------------------------------------------------------


def test_unsupported_keeps_meta_error_code_and_original_type() -> None:
    event = single("unsupported")
    assert event == UnsupportedReceived(
        message_id=WAMID["unsupported"],
        sender=MARIANA,
        timestamp=at(1764000900),
        original_type="poll",
        error_code=131051,
    )
    assert event.kind == "unsupported"


def test_unsupported_without_unsupported_object() -> None:
    document = load("unsupported")
    del raw_messages(document)[0]["unsupported"]
    event = parse_webhook(document).messages[0].event
    assert isinstance(event, UnsupportedReceived)
    assert (event.original_type, event.error_code) == ("unsupported", 131051)


def test_unknown_type_becomes_unsupported_not_an_error() -> None:
    assert single("unknown_type") == UnsupportedReceived(
        message_id=WAMID["unknown_type"],
        sender=MARIANA,
        timestamp=at(1764003060),
        original_type="order",
        error_code=None,
    )


# --- identity: BSUIDs, usernames, system changes ------------------------------------------------


def test_username_only_user_is_keyed_and_addressed_by_bsuid() -> None:
    event = single("username_only")
    assert event == TextReceived(
        message_id=WAMID["username_only"],
        sender=Sender(user_id="BR.4417730098812256", wa_id=None, profile_name="Camila"),
        timestamp=at(1764003000),
        body="Vocês fazem consultoria de LGPD?",
    )
    assert event.sender.key == "BR.4417730098812256"
    assert event.sender.address == "BR.4417730098812256"


def test_sender_without_bsuid_is_keyed_by_wa_id() -> None:
    document = load("text")
    del document["entry"][0]["changes"][0]["value"]["contacts"][0]["user_id"]
    event = parse_webhook(document).messages[0].event
    assert event.sender == Sender(user_id=None, wa_id="5511987654321", profile_name="Mariana Souza")
    assert event.sender.key == "5511987654321"
    assert event.sender.address == "5511987654321"


def test_from_user_id_wins_over_the_contacts_lookup() -> None:
    event = single("button_reply")
    assert event.sender.key == "BR.1502576394655843"
    assert event.sender.address == "5511987654321"


def test_user_changed_number_reports_the_new_number_and_bsuid() -> None:
    event = single("system_user_changed_number")
    assert isinstance(event, IdentityChanged)
    assert event.message_id == WAMID["system_user_changed_number"]
    assert event.timestamp == at(1764000960)
    assert event.sender.wa_id == "5511987654321"  # the old number
    assert event.system_type == "user_changed_number"
    assert event.new_wa_id == "5511976543210"
    assert event.new_user_id == "BR.2093384750018273"
    assert event.body == "User Mariana Souza changed from 5511987654321 to 5511976543210"
    assert event.kind == "identity_changed"


def test_user_changed_number_is_keyed_by_the_previous_bsuid() -> None:
    event = parse_webhook(load("system_user_changed_number")).messages[0].event
    assert event.sender.user_id == "BR.1502576394655843"
    assert event.sender.key == "BR.1502576394655843"


def test_user_changed_user_id() -> None:
    assert single("system_user_changed_user_id") == IdentityChanged(
        message_id=WAMID["system_user_changed_user_id"],
        sender=Sender(user_id="BR.1502576394655843", wa_id=None, profile_name=None),
        timestamp=at(1764001020),
        system_type="user_changed_user_id",
        new_user_id="BR.7719930284465102",
        new_wa_id=None,
        body="User changed from BR.1502576394655843 to BR.7719930284465102",
    )


def test_user_changed_user_id_with_from_user_id() -> None:
    document = load("system_user_changed_user_id")
    raw_messages(document)[0]["from_user_id"] = "BR.1502576394655843"
    batch = parse_webhook(document)
    assert batch.ignored == 0
    assert batch.messages[0].event == IdentityChanged(
        message_id=WAMID["system_user_changed_user_id"],
        sender=Sender(user_id="BR.1502576394655843", wa_id=None, profile_name=None),
        timestamp=at(1764001020),
        system_type="user_changed_user_id",
        new_user_id="BR.7719930284465102",
        new_wa_id=None,
        body="User changed from BR.1502576394655843 to BR.7719930284465102",
    )


def test_legacy_customer_changed_number_with_new_wa_id() -> None:
    document = load("system_user_changed_number")
    raw_messages(document)[0]["system"] = {
        "body": "Mariana Souza changed from 5511987654321 to 5511976543210",
        "new_wa_id": "5511976543210",
        "type": "customer_changed_number",
    }
    event = parse_webhook(document).messages[0].event
    assert isinstance(event, IdentityChanged)
    assert (event.system_type, event.new_wa_id, event.new_user_id) == (
        "customer_changed_number",
        "5511976543210",
        None,
    )


def test_a_sender_missing_from_contacts_does_not_borrow_another_users_bsuid() -> None:
    document = load("text")
    stranger = copy.deepcopy(raw_messages(document)[0])
    stranger["from"] = "5521998765432"
    stranger["id"] = "wamid.HBgNNTUyMTk5ODc2NTQzMhUCABIYFDk5OTk5OTk5OTk5OTk5OTk5OTk5AA=="
    document["entry"][0]["changes"][0]["value"]["messages"].append(stranger)
    batch = parse_webhook(document)
    assert batch.messages[0].event.sender == MARIANA
    assert batch.messages[1].event.sender == Sender(
        user_id=None, wa_id="5521998765432", profile_name=None
    )


# --- statuses -----------------------------------------------------------------------------------


def test_status_sent() -> None:
    status = single_status("status_sent")
    assert status == StatusReported(
        wamid=OURS_1,
        status="sent",
        timestamp=at(1764001080),
        recipient="5511987654321",
        error_code=None,
        error_title=None,
        callback_data="outbox:8f14e45f-ceea-467f-a0e6-0c7b7d5b0e21",
    )
    assert status.rank == 1


def test_status_delivered() -> None:
    status = single_status("status_delivered")
    assert status == StatusReported(
        wamid=OURS_1,
        status="delivered",
        timestamp=at(1764001083),
        recipient="5511987654321",
        callback_data="outbox:8f14e45f-ceea-467f-a0e6-0c7b7d5b0e21",
    )
    assert status.rank == 2


def test_status_read() -> None:
    status = single_status("status_read")
    assert status == StatusReported(
        wamid=OURS_1,
        status="read",
        timestamp=at(1764001140),
        recipient="5511987654321",
        callback_data="outbox:8f14e45f-ceea-467f-a0e6-0c7b7d5b0e21",
    )
    assert status.rank == 3


def test_status_failed_carries_the_error() -> None:
    status = single_status("status_failed")
    assert status == StatusReported(
        wamid=OURS_2,
        status="failed",
        timestamp=at(1764091000),
        recipient="5511987654321",
        error_code=131047,
        error_title="Re-engagement message",
        callback_data=None,
    )
    assert status.rank == 9


def test_status_ranks_order_sent_delivered_read_failed() -> None:
    ranks = [single_status(name).rank for name in ("status_sent", "status_delivered")]
    ranks += [single_status(name).rank for name in ("status_read", "status_failed")]
    assert ranks == sorted(ranks)
    unknown = copy.deepcopy(load("status_read"))
    unknown["entry"][0]["changes"][0]["value"]["statuses"][0]["status"] = "deleted"
    assert parse_webhook(unknown).statuses[0].rank == 0


# --- batches and fields we do not read ----------------------------------------------------------


def test_batch_keeps_every_entry_change_and_order() -> None:
    document = load("batch_multiple")
    batch = parse_webhook(document)
    assert [m.event.message_id for m in batch.messages] == [
        "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFEZDNkMxMzFEMjY5M0M1MkRFRUMzAA==",
        "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDAzNDY2QUM5QTJCN0NBRjVCQzEwAA==",
        "wamid.HBgNNTUyMTk5ODc2NTQzMhUCABIYFEVBQkYyRkU3NTM4OTVBRjIzN0E3AA==",
    ]
    assert [m.payload for m in batch.messages] == raw_messages(document)
    first, second, third = (m.event for m in batch.messages)
    assert first == TextReceived(
        message_id="wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFEZDNkMxMzFEMjY5M0M1MkRFRUMzAA==",
        sender=MARIANA,
        timestamp=at(1764002000),
        body="Quero a segunda via do boleto",
    )
    assert second == ButtonChosen(
        message_id="wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDAzNDY2QUM5QTJCN0NBRjVCQzEwAA==",
        sender=MARIANA,
        timestamp=at(1764002005),
        context_id=OURS_2,
        choice_id="go:menu",
        title="Menu",
    )
    assert third == MediaReceived(
        message_id="wamid.HBgNNTUyMTk5ODc2NTQzMhUCABIYFEVBQkYyRkU3NTM4OTVBRjIzN0E3AA==",
        sender=JOAO,
        timestamp=at(1764002010),
        media_kind="image",
        media_id="5566778899001122",
        mime_type="image/png",
        sha256="+of7aq1iiQT01KAbzRpNIt6OoI1ka7LzBXpLfzFTGlE=",
    )
    assert [(s.wamid, s.status, s.recipient) for s in batch.statuses] == [
        (OURS_1, "delivered", "5511987654321"),
        (OURS_1, "read", "5511987654321"),
        (OURS_3, "sent", "5521998765432"),
    ]
    assert batch.ignored == 0
    (template,) = batch.template_statuses  # the message_template_status_update change
    assert (template.name, template.language, template.status, template.template_id) == (
        "lembrete_boleto",
        "pt_BR",
        "APPROVED",
        "1234567890123456",
    )


def test_non_message_field_is_ignored() -> None:
    batch = parse_webhook(load("non_message_field"))
    assert (batch.messages, batch.statuses, batch.ignored) == ([], [], 1)


def test_change_without_field_is_read_as_messages() -> None:
    document = load("text")
    del document["entry"][0]["changes"][0]["field"]
    assert len(parse_webhook(document).messages) == 1


# --- malformed input ----------------------------------------------------------------------------


@pytest.mark.parametrize("body", [[], "texto", None, 42, 1.5, True, b"{}"])
def test_a_body_that_is_not_an_object_is_refused(body: Any) -> None:
    with pytest.raises(MalformedWebhook):
        parse_webhook(body)


@pytest.mark.parametrize(
    "document",
    [
        {},
        {"object": "whatsapp_business_account"},
        {"entry": None},
        {"entry": {"id": "102938475610293", "changes": []}},
        {"entry": "entry"},
        {"entry": ["x", 1, None, []]},
        {"entry": [{"id": "1", "changes": {"field": "messages"}}]},
        {"entry": [{"id": "1", "changes": ["x", None, 3]}]},
        {"entry": [{"changes": [{"field": "messages", "value": "value"}]}]},
        {"entry": [{"changes": [{"field": "messages", "value": None}]}]},
        {"entry": [{"changes": [{"field": "messages", "value": {"messages": "oi"}}]}]},
        {"entry": [{"changes": [{"field": "messages", "value": {"messages": {"id": "w"}}}]}]},
        {"entry": [{"changes": [{"field": "messages", "value": {"statuses": "read"}}]}]},
    ],
)
def test_wrong_container_types_never_raise(document: dict[str, Any]) -> None:
    batch = parse_webhook(document)
    assert batch.messages == []
    assert batch.statuses == []


def _with_message(mutate: Any) -> dict[str, Any]:
    document = load("text")
    mutate(raw_messages(document)[0])
    return document


def _replace_message(value: Any) -> dict[str, Any]:
    document = load("text")
    document["entry"][0]["changes"][0]["value"]["messages"] = [value]
    return document


@pytest.mark.parametrize(
    "document",
    [
        pytest.param(_replace_message("oi"), id="message-a-string"),
        pytest.param(_replace_message(None), id="message-null"),
        pytest.param(_replace_message([1, 2]), id="message-a-list"),
        pytest.param(_with_message(lambda m: m.pop("id")), id="id-missing"),
        pytest.param(_with_message(lambda m: m.update(id=12345)), id="id-a-number"),
        pytest.param(_with_message(lambda m: m.update(id="")), id="id-empty"),
        pytest.param(
            _with_message(
                lambda m: m.update(
                    type="interactive",
                    interactive={"type": "button_reply", "button_reply": {"title": "Sim"}},
                )
            ),
            id="button-without-id",
        ),
        pytest.param(
            _with_message(
                lambda m: m.update(
                    type="location", location={"latitude": "perto", "longitude": "-46.6"}
                )
            ),
            id="latitude-junk",
        ),
        pytest.param(
            _with_message(
                lambda m: m.update(type="location", location={"latitude": None, "longitude": []})
            ),
            id="latitude-wrong-type",
        ),
    ],
)
def test_an_unreadable_message_is_counted_as_ignored(document: dict[str, Any]) -> None:
    batch = parse_webhook(document)
    assert (batch.messages, batch.statuses, batch.ignored) == ([], [], 1)


def test_a_message_without_any_sender_is_ignored() -> None:
    document = load("text")
    del raw_messages(document)[0]["from"]
    del document["entry"][0]["changes"][0]["value"]["contacts"]
    batch = parse_webhook(document)
    assert (batch.messages, batch.ignored) == ([], 1)


def test_an_unreadable_message_does_not_hide_its_neighbours() -> None:
    document = load("batch_multiple")
    document["entry"][0]["changes"][0]["value"]["messages"].insert(1, {"type": "text"})
    document["entry"][0]["changes"][1]["value"]["statuses"].insert(0, {"status": "read"})
    batch = parse_webhook(document)
    assert len(batch.messages) == 3
    assert len(batch.statuses) == 3
    assert batch.ignored == 2  # the bad message, the bad status
    assert len(batch.template_statuses) == 1


@pytest.mark.parametrize("timestamp", ["ontem", "", None, [], {}, "1.7e9", "99999999999999999999"])
def test_a_junk_timestamp_never_raises(timestamp: Any) -> None:
    # The parser keeps the message and stamps it with the epoch (see parse._time).
    document = load("text")
    raw_messages(document)[0]["timestamp"] = timestamp
    batch = parse_webhook(document)
    assert batch.ignored == 0
    assert [m.event.timestamp for m in batch.messages] == [at(0)]


def test_numeric_timestamp_is_accepted() -> None:
    document = load("text")
    raw_messages(document)[0]["timestamp"] = 1764000000
    assert parse_webhook(document).messages[0].event.timestamp == at(1764000000)


@pytest.mark.parametrize(
    "status",
    [
        pytest.param("read", id="a-string"),
        pytest.param({"status": "read"}, id="id-missing"),
        pytest.param({"id": OURS_1}, id="status-missing"),
        pytest.param({"id": 7, "status": "read"}, id="id-a-number"),
    ],
)
def test_an_unreadable_status_is_counted_as_ignored(status: Any) -> None:
    document = load("status_read")
    document["entry"][0]["changes"][0]["value"]["statuses"] = [status]
    batch = parse_webhook(document)
    assert (batch.statuses, batch.ignored) == ([], 1)


def test_status_with_junk_errors_keeps_the_status() -> None:
    document = load("status_failed")
    document["entry"][0]["changes"][0]["value"]["statuses"][0]["errors"] = "boom"
    status = parse_webhook(document).statuses[0]
    assert (status.status, status.error_code, status.error_title) == ("failed", None, None)


@pytest.mark.parametrize("contacts", ["Mariana", {"wa_id": "5511987654321"}])
def test_contacts_of_the_wrong_type_never_raise(contacts: Any) -> None:
    document = load("text")
    document["entry"][0]["changes"][0]["value"]["contacts"] = contacts
    batch = parse_webhook(document)
    assert [m.event.sender for m in batch.messages] == [
        Sender(user_id=None, wa_id="5511987654321", profile_name=None)
    ]


def test_changes_for_another_number_of_the_app_are_ignored_when_ours_is_named() -> None:
    """One Meta app can serve several numbers; each change says which (`metadata`). The batch
    fixture carries two messages and two statuses for 110022003300440, and one of each for
    110022003300551."""
    body = load("batch_multiple")
    everything = parse_webhook(body)
    ours = parse_webhook(body, numbers={"110022003300440"})
    assert (len(ours.messages), len(ours.statuses)) == (2, 2)
    assert ours.messages == everything.messages[:2]
    theirs = parse_webhook(body, numbers={"110022003300551"})
    assert (len(theirs.messages), len(theirs.statuses)) == (1, 1)
    both = parse_webhook(body, numbers={"110022003300440", "110022003300551"})
    assert (both.messages, both.statuses) == (everything.messages, everything.statuses)
    nobody = parse_webhook(body, numbers={"100000000000999"})
    assert (nobody.messages, nobody.statuses) == ([], [])
    unnamed = copy.deepcopy(body)
    for entry in unnamed["entry"]:
        for change in entry["changes"]:
            change.get("value", {}).pop("metadata", None)
    assert parse_webhook(unnamed, numbers={"110022003300440"}).messages == []


def test_a_message_from_a_click_to_whatsapp_ad_carries_its_referral() -> None:
    document = load("text")
    message = document["entry"][0]["changes"][0]["value"]["messages"][0]
    message["referral"] = {
        "source_url": "https://fb.me/3cr4Wqqkv",
        "source_id": "120211223344550",
        "source_type": "ad",
        "headline": "Consultoria Tech Ops",
        "body": "Fale com a Tech Ops",
        "media_type": "image",
        "image_url": "https://scontent.xx.fbcdn.net/a.jpg",
        "ctwa_clid": "ARAkLkA8rmlFeiCktEJQ",
    }
    [inbound] = parse_webhook(document).messages

    assert inbound.event.referral == Referral(
        source_url="https://fb.me/3cr4Wqqkv",
        source_id="120211223344550",
        source_type="ad",
        headline="Consultoria Tech Ops",
        body="Fale com a Tech Ops",
        ctwa_clid="ARAkLkA8rmlFeiCktEJQ",
    )
    assert single("text").referral is None


@pytest.mark.parametrize("referral", [None, "ad", [], {}, {"source_id": 7}])
def test_a_referral_that_is_not_one_is_none(referral: Any) -> None:
    document = load("text")
    document["entry"][0]["changes"][0]["value"]["messages"][0]["referral"] = referral
    [inbound] = parse_webhook(document).messages
    assert inbound.event.referral is None
