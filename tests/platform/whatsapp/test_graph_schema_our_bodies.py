"""Every body our code sends to the Cloud API passes the fake Graph API's schema of Meta's rules.

The messages come from the real code: each state's prompt of every flow (as `dresbach flows
lint` renders them), the Tech Ops funnel through the Pix charge, its reminder and the receipt,
the Área do Cliente with a paged list, every message the renderer's own tests hold at
WhatsApp's limits, each text's template fallback, and the read receipts. They go through the
real renderer (`integrations.whatsapp.render`); media we upload ourselves get the media id the
sender would put in. And the media checks: uploads within WhatsApp's types and sizes, and the
shape of `GET /{media-id}`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from dresbach.features.handoff.flow.news import file_message
from dresbach.features.handoff.model import OperatorSaid
from dresbach.features.registry import MACHINE
from dresbach.kernel.conversation import Conversation, Place
from dresbach.kernel.events import Event
from dresbach.kernel.messages import Document, FlowInvite, Image, Message, Text, UrlButton
from dresbach.kernel.policy import Policy
from dresbach.platform.whatsapp.render import mark_read, render
from tests.fakes.graph_api import refusal_for
from tests.fakes.graph_refusals import Refusal
from tests.fakes.graph_schema import check_upload, media_answer_problems
from tests.kernel.test_render_and_limits import AT_THE_LIMITS
from tests.support.client_area_transcript import (
    INVOICES,
    PDF,
    ClientAreaTranscript,
    service,
    services,
)
from tests.support.techops_transcript import TechOpsTranscript

PHONE = "5511987654321"
UPLOADED = "1480293716345821"  # what the sender puts in once it has uploaded our own media


@dataclass
class RecordingTechOps(TechOpsTranscript):
    sent: list[Message] = field(default_factory=list)

    def _send(self, event: Event) -> list[Message]:
        replies = super()._send(event)
        self.sent.extend(replies)
        return replies


@dataclass
class RecordingClientArea(ClientAreaTranscript):
    sent: list[Message] = field(default_factory=list)

    def _send(self, event: Event) -> list[Message]:
        replies = super()._send(event)
        self.sent.extend(replies)
        return replies


def prompts() -> list[tuple[str, Message]]:
    policy = Policy()
    sample = Conversation(key="BR.1502576394655843", address=PHONE, profile_name="Maria Exemplo")
    found = []
    for flow in MACHINE.flows.values():
        for state in flow.states.values():
            conversation = dataclasses.replace(
                sample,
                place=Place(flow=flow.name, state=state.name),
                last_activity_at=datetime(2026, 1, 1, tzinfo=UTC),
            )
            found += [(f"{flow.name}.{state.name}", m) for m in state.prompt(conversation, policy)]
    return found


def techops_funnel() -> list[tuple[str, Message]]:
    chat = RecordingTechOps()
    chat.walk_to_pix()
    chat.charge_expiring()
    chat.payment_confirmed()
    return [("techops funnel", m) for m in chat.sent]


def client_area() -> list[tuple[str, Message]]:
    chat = RecordingClientArea()
    chat.logs_in()
    chat.taps("Serviços ativos")
    chat.answer(*services(23))
    access = RecordingClientArea()  # an access link, behind its button
    access.logs_in()
    access.taps("Acessos")
    access.answer(service(1))
    access.taps("cPanel")
    access.access_link("https://srv1.dresbach.com.br:2083/cpsess4185/login/?session=site1%3aP")
    invoice = RecordingClientArea()  # an invoice and the button to its PDF
    invoice.logs_in()
    invoice.taps("Faturas")
    invoice.answer(*INVOICES)
    invoice.taps("Fatura 2026-0512")
    invoice.answer({**INVOICES[1], "pdf": PDF})
    return [("client area", m) for m in (*chat.sent, *access.sent, *invoice.sent)]


def login_flow() -> list[tuple[str, Message]]:
    """The Área do Cliente's start with a login Flow published: the Flow message, its token
    filled in as the unit of work does, and the chat login's button."""
    policy = Policy(login_flow_id="1234567890123456")
    conversation = Conversation(
        key="BR.1502576394655843",
        address=PHONE,
        place=Place(flow="client_area", state="start"),
    )
    found = MACHINE.flows["client_area"].states["start"].prompt(conversation, policy)
    token = "x" * 43  # secrets.token_urlsafe(32)
    return [
        ("client area, login Flow", dataclasses.replace(m, token=token))
        if isinstance(m, FlowInvite)
        else ("client area, login Flow", m)
        for m in found
    ]


def uploaded(message: Message) -> Message:
    """Our own media (a Pix QR code, an invitation) as the sender sends it: by its media id."""
    if isinstance(message, Image | Document) and message.upload_ref is not None:
        return dataclasses.replace(message, upload_ref=None, media_id=UPLOADED)
    return message


def operator_files() -> list[tuple[str, Message]]:
    """An image and a PDF an operator sends from the console, with and without a caption."""
    found = []
    for kind, name, caption in (
        ("image", "passo.png", "Siga estes passos"),
        ("document", "c.pdf", ""),
    ):
        said = OperatorSaid(
            event_id="handoff:1:reply:x",
            conversation_key=PHONE,
            timestamp=datetime(2026, 1, 1, tzinfo=UTC),
            handoff_id="1",
            operator="Ana Lima",
            body=caption,
            file_ref="op-1-0123456789abcdef",
            file_kind=kind,
            file_name=name,
        )
        found.append((f"an operator's {kind}", file_message(said)))
    return found


def our_messages() -> list[tuple[str, Message]]:
    found = prompts() + techops_funnel() + client_area() + login_flow() + operator_files()
    found += [(f"at the limits: {type(m).__name__}", m) for m in AT_THE_LIMITS]
    fallbacks = [
        (f"{where} (its template outside the window)", m.fallback)
        for where, m in found
        if isinstance(m, Text) and m.fallback is not None
    ]
    return [(where, uploaded(m)) for where, m in found + fallbacks]


def test_the_walk_covers_every_kind_of_message_we_send() -> None:
    kinds = {type(message).__name__ for _, message in our_messages()}

    assert kinds == {
        "Text",
        "Buttons",
        "ListMenu",
        "UrlButton",
        "Image",
        "Document",
        "Template",
        "FlowInvite",
    }
    from_the_area = [m for where, m in our_messages() if where == "client area"]
    links = {m.display_text for m in from_the_area if isinstance(m, UrlButton)}
    assert links == {"Abrir o cPanel", "Abrir o PDF"}  # the access link and the invoice's PDF


def test_every_message_we_send_passes_metas_rules() -> None:
    refused = []
    for where, message in our_messages():
        body = render(PHONE, message, callback_data="wamid.HBgL1#0")
        found = refusal_for(body)
        if found is not None:
            refused.append((where, found.code, found.details, body))

    assert refused == []


@pytest.mark.parametrize("typing", [False, True])
def test_our_read_receipts_pass_metas_rules(typing: bool) -> None:
    assert refusal_for(mark_read("wamid.HBgLNTUxMTk4NzY1NDMyMRUCABIYFDNB", typing=typing)) is None


# ---- media ----------------------------------------------------------------------------------


def upload(content_type: str, size: int, **extra: Any) -> dict[str, Any]:
    form: dict[str, Any] = {"messaging_product": "whatsapp", "type": content_type, **extra}
    form["file"] = {"content_type": content_type, "size": size}
    return form


@pytest.mark.parametrize(
    ("content_type", "size"),
    [("image/png", 5 * 2**20), ("application/pdf", 100 * 2**20), ("audio/ogg", 16 * 2**20)],
)
def test_uploads_up_to_whatsapps_sizes_pass(content_type: str, size: int) -> None:
    check_upload(upload(content_type, size))
    check_upload({k: v for k, v in upload(content_type, size).items() if k != "type"})


@pytest.mark.parametrize(
    ("form", "code"),
    [
        (upload("image/png", 5 * 2**20 + 1), 131053),
        (upload("image/webp", 512_001), 131053),
        (upload("application/zip", 10), 131053),
        (upload("application/pdf", 0), 131053),
        ({**upload("image/png", 10), "messaging_product": "sms"}, 100),
        ({k: v for k, v in upload("image/png", 10).items() if k != "file"}, 131008),
    ],
)
def test_uploads_meta_refuses_are_refused(form: dict[str, Any], code: int) -> None:
    with pytest.raises(Refusal) as raised:
        check_upload(form)

    assert raised.value.code == code


def test_media_answer_shape_is_metas() -> None:
    answer = {
        "messaging_product": "whatsapp",
        "url": "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1",
        "mime_type": "image/jpeg",
        "sha256": "a" * 64,
        "file_size": 303833,
        "id": "2621233374848975",
    }

    assert media_answer_problems(answer) == []
    assert media_answer_problems({**answer, "sha256": "<HASH>"})
    assert media_answer_problems({k: v for k, v in answer.items() if k != "url"})
