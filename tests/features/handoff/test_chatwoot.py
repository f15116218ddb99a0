"""Chatwoot as the hand-off desk: the adapter against the faithful fake over real HTTP, and the
signed webhook end to end through our app (WhatsApp in through Meta's signed webhook, replies
out at the fake Graph API), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from dresbach.bootstrap import Container, build
from dresbach.config import Secret, Settings
from dresbach.features.handoff.adapters.chatwoot import (
    AgentReply,
    ChatwootDesk,
    ChatwootError,
    StatusChanged,
    parse_webhook,
)
from dresbach.kernel.errors import PermanentError, TransientError
from dresbach.kernel.ports import Attachment
from dresbach.platform.store.schema import handoffs, inbox
from dresbach.platform.store.schema import jobs as jobs_table
from dresbach.web.app import create_app
from tests.fakes.chatwoot import DEFAULT_SECRET, DEFAULT_TOKEN, ChatwootState, FakeChatwoot
from tests.fakes.graph_api import FakeGraphServer, GraphApiState
from tests.support.console import media_message
from tests.support.meta import (
    ACCESS_TOKEN,
    APP_SECRET,
    PHONE_NUMBER_ID,
    VERIFY_TOKEN,
    Meta,
    replies_to,
    text_of,
)
from tests.support.servers import serve_in_thread

INBOX = 7
MB = 1024 * 1024
PNG = b"\x89PNG\r\n\x1a\n" + b"comprovante" * 30
NOTE = "Atendimento #12 vindo do WhatsApp — Maria Souza\nMotivo: pediu para falar com um atendente"


@pytest.fixture
def chatwoot() -> Iterator[FakeChatwoot]:
    with FakeChatwoot(state=ChatwootState(inbox_id=INBOX)) as server:
        yield server


def desk_for(chatwoot: FakeChatwoot, token: str = DEFAULT_TOKEN) -> ChatwootDesk:
    return ChatwootDesk(url=chatwoot.url, account_id="1", inbox_id=str(INBOX), token=token)


def run(desk: ChatwootDesk, work: Callable[[ChatwootDesk], Any]) -> Any:
    async def go() -> Any:
        try:
            return await work(desk)
        finally:
            await desk.aclose()

    return asyncio.run(go())


# ---- the adapter -------------------------------------------------------------------------------


def test_open_creates_contact_inbox_conversation_and_a_private_note_once(
    chatwoot: FakeChatwoot,
) -> None:
    async def twice(desk: ChatwootDesk) -> tuple[str, str]:
        first = await desk.open("12", "Maria Souza", "5511955550001", NOTE)
        again = await desk.open("12", "Maria Souza", "5511955550001", NOTE)  # a retried job
        return first, again

    first, again = run(desk_for(chatwoot), twice)
    state = chatwoot.state
    assert first == again
    (contact,) = state.contacts.values()
    assert (contact["name"], contact["phone_number"], contact["identifier"]) == (
        "Maria Souza",
        "+5511955550001",
        "whatsapp:5511955550001",
    )
    assert state.contact_inboxes == [
        {"contact_id": contact["id"], "inbox_id": INBOX, "source_id": "5511955550001"}
    ]
    conversation = state.conversations[int(first)]
    assert (conversation["status"], conversation["custom_attributes"]) == (
        "open",
        {"handoff_id": "12"},
    )
    notes = [(m["content"], m["private"]) for m in state.messages_of(int(first))]
    assert notes == [(NOTE, True)]


def test_a_contact_created_by_hand_is_found_and_joined_to_the_inbox(
    chatwoot: FakeChatwoot,
) -> None:
    chatwoot.state.create_contact(
        {"name": "Maria (cadastro manual)", "phone_number": "+5511955550001"}
    )

    async def two_handoffs(desk: ChatwootDesk) -> tuple[str, str]:
        return (
            await desk.open("12", "Maria Souza", "5511955550001", NOTE),
            await desk.open("13", "Maria Souza", "5511955550001", NOTE),
        )

    first, second = run(desk_for(chatwoot), two_handoffs)
    assert first != second
    assert len(chatwoot.state.contacts) == 1
    assert len(chatwoot.state.contact_inboxes) == 1


def test_a_bsuid_address_is_a_contact_by_identifier(chatwoot: FakeChatwoot) -> None:
    run(desk_for(chatwoot), lambda d: d.open("12", "Maria", "BR.1a2b3c", NOTE))
    (contact,) = chatwoot.state.contacts.values()
    assert (contact["phone_number"], contact["identifier"]) == (None, "whatsapp:BR.1a2b3c")


def test_forward_mirrors_the_customer_and_close_resolves(chatwoot: FakeChatwoot) -> None:
    async def work(desk: ChatwootDesk) -> str:
        conversation_id = await desk.open("12", "Maria Souza", "5511955550001", NOTE)
        await desk.forward(conversation_id, "Meu site caiu")
        await desk.close(conversation_id)
        return conversation_id

    conversation_id = int(run(desk_for(chatwoot), work))
    messages = chatwoot.state.messages_of(conversation_id)
    assert [(m["content"], m["message_type"], m["sender"]["type"]) for m in messages[1:]] == [
        ("Meu site caiu", "incoming", "contact")
    ]
    assert chatwoot.state.conversations[conversation_id]["status"] == "resolved"


def test_a_file_goes_as_an_attachment_and_a_blank_caption_is_allowed(
    chatwoot: FakeChatwoot,
) -> None:
    receipt = Attachment(filename="comprovante.png", mime_type="image/png", data=PNG)
    pdf = Attachment(filename="boleto.pdf", mime_type="application/pdf", data=b"%PDF-1.7 x")

    async def work(desk: ChatwootDesk) -> str:
        conversation_id = await desk.open("12", "Maria Souza", "5511955550001", NOTE)
        await desk.forward(conversation_id, "Segue o comprovante", receipt)
        await desk.forward(conversation_id, "", pdf)
        return conversation_id

    conversation_id = int(run(desk_for(chatwoot), work))
    image, document = chatwoot.state.messages_of(conversation_id)[1:]
    assert (image["content"], image["message_type"], image["private"]) == (
        "Segue o comprovante",
        "incoming",
        False,
    )
    assert [(a["file_type"], a["extension"], a["file_size"]) for a in image["attachments"]] == [
        ("image", "png", len(PNG))
    ]
    assert chatwoot.state.files[image["attachments"][0]["id"]] == (
        "comprovante.png",
        "image/png",
        PNG,
    )
    assert (document["content"], document["attachments"][0]["file_type"]) == ("", "file")


def test_the_fake_refuses_what_chatwoot_refuses(chatwoot: FakeChatwoot) -> None:
    too_big = Attachment(filename="video.mp4", mime_type="video/mp4", data=b"0" * (40 * MB + 1))

    async def work(desk: ChatwootDesk) -> list[int]:
        conversation_id = await desk.open("12", "Maria Souza", "5511955550001", NOTE)
        statuses = []
        for text, attachment in (("", None), ("Olha", too_big)):
            with pytest.raises(ChatwootError) as caught:
                await desk.forward(conversation_id, text, attachment)
            statuses.append(caught.value.status)
        return statuses

    assert run(desk_for(chatwoot), work) == [422, 422]
    assert len(chatwoot.state.files) == 0


def test_a_wrong_token_is_a_permanent_error(chatwoot: FakeChatwoot) -> None:
    with pytest.raises(ChatwootError) as caught:
        run(desk_for(chatwoot, token="wrong"), lambda d: d.open("12", "M", "5511955550001", NOTE))
    assert caught.value.status == 401
    assert isinstance(caught.value, PermanentError)
    assert chatwoot.state.contacts == {}


def test_an_unknown_conversation_is_permanent_and_a_5xx_transient(chatwoot: FakeChatwoot) -> None:
    with pytest.raises(ChatwootError, match="404"):
        run(desk_for(chatwoot), lambda d: d.forward("999", "oi"))
    chatwoot.state.fail_next(503)
    with pytest.raises(TransientError):
        run(desk_for(chatwoot), lambda d: d.open("12", "M", "5511955550001", NOTE))
    conversation_id = run(desk_for(chatwoot), lambda d: d.open("12", "M", "5511955550001", NOTE))
    assert chatwoot.state.conversations[int(conversation_id)]["status"] == "open"


def test_the_webhook_parser_keeps_only_agent_replies_and_status_changes() -> None:
    reply = {
        "event": "message_created",
        "id": 5,
        "content": "Olá!",
        "message_type": "outgoing",
        "private": False,
        "sender": {"id": 1, "name": "Ana", "type": "user"},
        "conversation": {"id": 3, "inbox_id": 7},
    }
    assert parse_webhook(reply) == AgentReply(
        conversation_id="3", inbox_id=7, message_id="5", agent="Ana", body="Olá!"
    )
    assert parse_webhook({**reply, "private": True}) is None
    assert parse_webhook({**reply, "message_type": "incoming"}) is None
    assert parse_webhook({**reply, "sender": {"id": 9, "type": "contact"}}) is None
    assert parse_webhook({**reply, "sender": {"id": 2, "type": "agent_bot"}}) is None
    assert parse_webhook({**reply, "content": "  "}) is None
    status = {"event": "conversation_status_changed", "id": 3, "inbox_id": 7, "status": "pending"}
    assert parse_webhook(status) == StatusChanged(
        conversation_id="3", inbox_id=7, status="pending", agent="Chatwoot"
    )
    assert parse_webhook({"event": "conversation_created", "id": 3}) is None
    assert parse_webhook([1, 2]) is None


# ---- the webhook, end to end -------------------------------------------------------------------


@dataclass
class Stack:
    meta: Meta
    graph: GraphApiState
    chatwoot: ChatwootState
    container: Container
    origin: str

    def wait(self, check: Callable[[], Any], what: str, timeout: float = 15.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = check()
            if found:
                return found
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}")

    def rows(self, table: Any) -> list[dict[str, Any]]:
        with self.container.db.engine.connect() as connection:
            query = select(table).order_by(table.c.id)
            return [dict(r) for r in connection.execute(query).mappings()]

    def inbox_kinds(self) -> list[str]:
        return [r["kind"] for r in self.rows(inbox)]

    def bot_said(self, wa_id: str) -> list[str]:
        return [text_of(m) for m in replies_to(self.graph.requests, wa_id)]


@pytest.fixture
def stack(database_url: str, chatwoot: FakeChatwoot) -> Iterator[Stack]:
    graph_state = GraphApiState(access_token=ACCESS_TOKEN, phone_number_id=PHONE_NUMBER_ID, seed=7)
    with FakeGraphServer(graph_state) as graph:
        settings = Settings(
            database_url=database_url,
            whatsapp_app_secret=Secret(APP_SECRET),
            whatsapp_verify_token=Secret(VERIFY_TOKEN),
            whatsapp_access_token=Secret(ACCESS_TOKEN),
            whatsapp_phone_number_id=PHONE_NUMBER_ID,
            whatsapp_api_base_url=graph.base_url,
            graph_timeout_seconds=1.0,
            send_rate=1000.0,
            recipient_burst=1000,
            recipient_rate=1000.0,
            retry_base_seconds=0.02,
            handoff_desk="chatwoot",
            chatwoot_url=chatwoot.url,
            chatwoot_account_id="1",
            chatwoot_inbox_id=str(INBOX),
            chatwoot_api_token=Secret(DEFAULT_TOKEN),
            chatwoot_webhook_secret=Secret(DEFAULT_SECRET),
        )
        container = build(settings, auto_migrate=True)
        with serve_in_thread(create_app(container)) as origin:
            chatwoot.state.webhook_url = f"{origin}/webhooks/chatwoot"
            yield Stack(
                meta=Meta(origin),
                graph=graph.app_state,
                chatwoot=chatwoot.state,
                container=container,
                origin=origin,
            )


MARIA = "5511955550001"


def handed_to_chatwoot(stack: Stack) -> int:
    """Maria asks for a person; the hand-off opens a Chatwoot conversation."""
    assert stack.meta.says(MARIA, "oi").status_code == 200
    stack.wait(lambda: stack.bot_said(MARIA), "the greeting")
    assert stack.meta.says(MARIA, "atendente").status_code == 200
    (row,) = stack.wait(lambda: stack.rows(handoffs), "the hand-off")
    conversation = stack.wait(
        lambda: stack.chatwoot.conversation_of(str(row["id"])), "the Chatwoot conversation"
    )
    stack.wait(
        lambda: stack.rows(handoffs)[0]["desk_conversation_id"] == str(conversation["id"]),
        "the desk conversation id stored",
    )
    return int(conversation["id"])


def test_an_agent_reply_reaches_the_customer_and_echoes_are_ignored(stack: Stack) -> None:
    conversation_id = handed_to_chatwoot(stack)
    note = stack.chatwoot.messages_of(conversation_id)[0]
    assert note["private"]
    assert "Motivo: pediu para falar com um atendente" in note["content"]

    assert stack.meta.says(MARIA, "Meu site caiu desde ontem").status_code == 200
    mirrored = stack.wait(
        lambda: [
            m
            for m in stack.chatwoot.messages_of(conversation_id)
            if m["message_type"] == "incoming"
        ],
        "the customer's message mirrored",
    )
    assert mirrored[0]["content"] == "Meu site caiu desde ontem"
    # Chatwoot sends our own note and mirror back as webhooks: answered 200 and ignored.
    echoes = stack.chatwoot.wait_deliveries(2)
    assert all(status == 200 for _, status in echoes)
    assert "operator_said" not in stack.inbox_kinds()

    # The bot acknowledges the customer's message once; wait for it so it is not counted below.
    stack.wait(
        lambda: any(text.startswith("Anotado!") for text in stack.bot_said(MARIA)),
        "the acknowledgement of the customer's message",
    )
    said_before = len(stack.bot_said(MARIA))
    response = stack.chatwoot.agent_replies(conversation_id, "Olá, Maria! Vou verificar agora.")
    assert response.status_code == 200
    said = stack.wait(
        lambda: (new := stack.bot_said(MARIA)[said_before:]) and len(new) >= 2 and new,
        "the agent's reply on WhatsApp",
    )
    assert said[:2] == [
        "Ana Atendente, da equipe Dresbach, entrou na conversa e vai continuar com você.",
        "*Ana Atendente:* Olá, Maria! Vou verificar agora.",
    ]
    row = stack.rows(handoffs)[0]
    assert (row["status"], row["taken_by"]) == ("active", "Ana Atendente")

    # A private note and a redelivery of the same message reach nobody.
    assert (
        stack.chatwoot.agent_replies(conversation_id, "nota interna", private=True).status_code
        == 200
    )
    last = stack.chatwoot.messages_of(conversation_id)[-2]
    payload = stack.chatwoot._message_event(last)
    assert stack.chatwoot.post_webhook(payload).status_code == 200  # Chatwoot retried it
    time.sleep(0.5)
    assert stack.inbox_kinds().count("operator_said") == 1
    assert all("nota interna" not in text for text in stack.bot_said(MARIA))


def test_bad_signatures_and_old_timestamps_are_refused(stack: Stack) -> None:
    conversation_id = handed_to_chatwoot(stack)
    with stack.chatwoot._lock:
        message = stack.chatwoot._add_message(
            conversation_id,
            "Mensagem forjada",
            "outgoing",
            False,
            sender=stack.chatwoot.agents[1],
        )
        payload = stack.chatwoot._message_event(message)
    assert stack.chatwoot.post_webhook(payload, secret="not-the-secret").status_code == 401
    old = int(time.time()) - 301
    assert stack.chatwoot.post_webhook(payload, timestamp=old).status_code == 401
    assert stack.chatwoot.post_webhook(payload, secret="").status_code == 401  # unsigned
    time.sleep(0.3)
    assert "operator_said" not in stack.inbox_kinds()
    assert stack.rows(handoffs)[0]["status"] == "waiting"


def test_pending_hands_back_and_resolved_closes(stack: Stack) -> None:
    conversation_id = handed_to_chatwoot(stack)
    stack.chatwoot.agent_replies(conversation_id, "Oi! Já resolvi o seu caso.")
    stack.wait(lambda: stack.rows(handoffs)[0]["status"] == "active", "the agent taking it")

    response = stack.chatwoot.agent_sets_status(conversation_id, "resolved")
    assert response is not None
    assert response.status_code == 200
    row = stack.wait(
        lambda: (r := stack.rows(handoffs)[0])["status"] == "closed" and r, "the hand-off closed"
    )
    assert (row["ended_by"], row["end_reason"]) == ("Ana Atendente", "closed")
    stack.wait(
        lambda: any("Ana Atendente encerrou o atendimento" in t for t in stack.bot_said(MARIA)),
        "the customer told",
    )

    # A second request, handed back with `pending`: the bot is back.
    assert stack.meta.says(MARIA, "atendente").status_code == 200
    second = stack.wait(
        lambda: (
            len(rows := stack.rows(handoffs)) == 2 and rows[1]["desk_conversation_id"] and rows[1]
        ),
        "the second hand-off at the desk",
    )
    second_id = int(second["desk_conversation_id"])
    assert second_id != conversation_id
    stack.chatwoot.agent_replies(second_id, "Oi de novo!")
    stack.wait(lambda: stack.rows(handoffs)[1]["status"] == "active", "taken again")
    assert stack.chatwoot.agent_sets_status(second_id, "pending") is not None
    row = stack.wait(
        lambda: (r := stack.rows(handoffs)[1])["status"] == "returned" and r, "handed back"
    )
    assert row["end_reason"] == "handed_back"
    stack.wait(
        lambda: any("Ana Atendente concluiu o atendimento" in t for t in stack.bot_said(MARIA)),
        "the bot back",
    )


def test_a_file_the_customer_sends_reaches_chatwoot_as_an_attachment(stack: Stack) -> None:
    conversation_id = handed_to_chatwoot(stack)
    stack.graph.media_url_ttl = 0.0  # the download keeps failing: the file is not fetched yet

    # Maria sends the receipt of her payment, with a caption, while she waits.
    media_id = stack.graph.add_media(PNG, "image/png")
    body = {"id": media_id, "mime_type": "image/png", "sha256": hashlib.sha256(PNG).hexdigest()}
    body["caption"] = "Segue o comprovante"
    assert stack.meta.post(media_message(MARIA, stack.meta.message_id(), "image", body)).is_success

    def forward_waited() -> bool:
        return any(
            r["kind"] == "forward_to_human" and "still being fetched" in (r["last_error"] or "")
            for r in stack.rows(jobs_table)
        )

    stack.wait(forward_waited, "the forward waiting for the file")
    (forward,) = [r for r in stack.rows(jobs_table) if r["kind"] == "forward_to_human"]
    assert (forward["status"], forward["attempts"]) == ("pending", 0)  # waiting is no failure

    def mirrored() -> list[dict[str, Any]]:
        return [
            m
            for m in stack.chatwoot.messages_of(conversation_id)
            if m["message_type"] == "incoming"
        ]

    assert mirrored() == []  # not the text "[image] caption": nothing until the file is there
    stack.graph.media_url_ttl = 300.0

    (message,) = stack.wait(mirrored, "the receipt in Chatwoot", timeout=20.0)
    assert message["content"] == "Segue o comprovante"
    (attachment,) = message["attachments"]
    assert attachment["file_type"] == "image"
    assert stack.chatwoot.files[attachment["id"]] == ("image.png", "image/png", PNG)

    # A file WhatsApp would not carry is refused when fetched: the agent reads a line saying so.
    gif = stack.graph.add_media(b"GIF89a", "image/gif")
    body = {"id": gif, "mime_type": "image/gif", "caption": "print do erro"}
    assert stack.meta.post(media_message(MARIA, stack.meta.message_id(), "image", body)).is_success
    second = stack.wait(lambda: mirrored()[1:], "the refused file's line in Chatwoot")
    assert second[0]["content"] == "[imagem] print do erro (o arquivo não pôde ser recebido)"
    assert not second[0].get("attachments")
