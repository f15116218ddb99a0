"""The fake Graph API's schema of Meta's rules has teeth: for each message type, a body Meta
takes passes and bodies Meta refuses are refused, with Meta's code and words.

The schema is ours (``tests/fakes/schemas``), written from Meta's OpenAPI description and
reference pages; these cases pin the rules we rely on. Every body our own code sends passes it
(``test_graph_schema_our_bodies.py``)."""

from __future__ import annotations

import pytest

from tests.fakes.graph_api import refusal_for
from tests.fakes.graph_refusals import Refusal
from tests.support.graph_bodies import (
    BSUID,
    PHONE,
    Body,
    buttons,
    changed,
    cta,
    flow,
    listing,
    message,
    order_details,
    order_status,
    read,
    template,
    without_ellipsis,
)

VALID: dict[str, Body] = {
    "text": message("text", {"body": "Olá! 👋", "preview_url": False}),
    "text, no type (text is the default)": {
        "messaging_product": "whatsapp",
        "to": PHONE,
        "text": {"body": "oi"},
    },
    "text to a formatted phone": message("text", {"body": "oi"}, to="+55 (11) 98765-4321"),
    "text to a BSUID in recipient": {**message("text", {"body": "oi"}), "to": None}
    | {"recipient": BSUID},
    "text to a parent BSUID": {
        "messaging_product": "whatsapp",
        "recipient": "BR.ENT.11815799212886",
        "type": "text",
        "text": {"body": "oi"},
    },
    "text with to and recipient": message("text", {"body": "oi"}, recipient=BSUID),
    "text with callback data and context": message(
        "text", {"body": "oi"}, biz_opaque_callback_data="m1#0", context={"message_id": "wamid.X1"}
    ),
    "image by id with caption": message("image", {"id": "1480293716345821", "caption": "QR"}),
    "image by link": message("image", {"link": "https://cdn.example.com/qr.png"}),
    "document with filename": message(
        "document", {"id": "2093847", "filename": "fatura.pdf", "caption": "Fatura"}
    ),
    "audio": message("audio", {"id": "2093847"}),
    "reaction": message("reaction", {"message_id": "wamid.X1", "emoji": "👍"}),
    "reaction removed": message("reaction", {"message_id": "wamid.X1", "emoji": ""}),
    "template with body parameters": template("R$ 1.800,00", "DX7F3A9C2E"),
    "template without components": message(
        "template", {"name": "retomar_conversa", "language": {"code": "pt_BR"}}
    ),
    "template with header image and url button": message(
        "template",
        {
            "name": "fatura_disponivel",
            "language": {"code": "pt_BR", "policy": "deterministic"},
            "components": [
                {
                    "type": "header",
                    "parameters": [
                        {"type": "image", "image": {"link": "https://cdn.example.com/a.png"}}
                    ],
                },
                {
                    "type": "body",
                    "parameters": [{"type": "text", "text": "Maria", "parameter_name": "nome"}],
                },
                {
                    "type": "button",
                    "sub_type": "url",
                    "index": "0",
                    "parameters": [{"type": "text", "text": "inv-42"}],
                },
                {
                    "type": "button",
                    "sub_type": "quick_reply",
                    "index": 1,
                    "parameters": [{"type": "payload", "payload": "PAGAR"}],
                },
            ],
        },
    ),
    "three buttons at 20 characters": buttons("a" * 20, "b" * 20, "c" * 20),
    "buttons with image header and footer": changed(
        changed(
            buttons("Sim", "Não"), "interactive.header", {"type": "image", "image": {"id": "123"}}
        ),
        "interactive.footer",
        {"text": "Dresbach"},
    ),
    "list of ten rows in two sections": listing(6, 4),
    "list of one untitled section": listing(3, title=None),
    "cta_url": cta(),
    "cta_url at 20 characters": cta(display_text="x" * 20),
    "flow by id": flow(),
    "flow by name, data_exchange": flow(
        flow_id=..., flow_name="cadastro", flow_action="data_exchange", flow_action_payload=...
    ),
    "order_details with pix": order_details(),
    "order_details, simplified (no order)": order_details(order=...),
    "order_details with tax and discount": order_details(
        total_amount={"value": 170000, "offset": 100},
        order={
            "status": "pending",
            "items": [
                {"name": "Diagnóstico", "amount": {"value": 180000, "offset": 100}, "quantity": 1}
            ],
            "subtotal": {"value": 180000, "offset": 100},
            "tax": {"value": 0, "offset": 100},
            "discount": {"value": 10000, "offset": 100, "description": "Cliente"},
        },
    ),
    "order_status completed": order_status(),
    "order_status canceled with description": order_status("canceled", description="Pix expirado"),
    "read receipt": read(),
    "read receipt with typing indicator": read(typing_indicator={"type": "text"}),
}


@pytest.mark.parametrize("name", sorted(VALID))
def test_meta_takes_it_and_so_does_the_fake(name: str) -> None:
    refusal = refusal_for(without_ellipsis(VALID[name]))
    assert refusal is None, refusal and (refusal.code, refusal.details)


def refusal(body: Body) -> Refusal:
    found = refusal_for(without_ellipsis(body))
    assert found is not None, "the fake took a body Meta refuses"
    assert found.status == 400
    assert found.body()["error"]["type"] == "OAuthException"
    return found


# (body, Meta's code, words in Meta's details)
INVALID: dict[str, tuple[Body, int, str]] = {
    "no messaging_product": (
        changed(VALID["text"], "messaging_product", ...),
        100,
        "messaging_product",
    ),
    "messaging_product sms": (
        changed(VALID["text"], "messaging_product", "sms"),
        100,
        "messaging_product",
    ),
    "neither to nor recipient": (changed(VALID["text"], "to", ...), 131008, "recipient"),
    "a BSUID in to": (changed(VALID["text"], "to", BSUID), 131009, "recipient"),
    "a parent BSUID in to": (
        changed(VALID["text"], "to", "BR.ENT.1181579921"),
        131009,
        "recipient",
    ),
    "a name in to": (changed(VALID["text"], "to", "maria"), 131009, "phone number"),
    "a phone in recipient": (
        message("text", {"body": "oi"}, to=None, recipient=PHONE),
        131009,
        "business-scoped",
    ),
    "group recipient_type": (
        message("text", {"body": "oi"}, recipient_type="group"),
        100,
        "recipient_type",
    ),
    "callback data over 512": (
        message("text", {"body": "oi"}, biz_opaque_callback_data="x" * 513),
        100,
        "512",
    ),
    "unknown type": (changed(VALID["text"], "type", "carousel"), 100, "type"),
    "unknown top-level key": (
        message("text", {"body": "oi"}, priority="high"),
        100,
        'Unexpected key "priority"',
    ),
    "text body over 4096": (message("text", {"body": "a" * 4097}), 100, "4096"),
    "text body empty": (message("text", {"body": ""}), 131008, "text['body']"),
    "text without body": (message("text", {"preview_url": True}), 131008, "text['body']"),
    "text with a stray key": (
        message("text", {"body": "oi", "caption": "x"}),
        100,
        'Unexpected key "caption"',
    ),
    "type text, image payload": (message("text", None) | {"image": {"id": "1"}}, 131008, "text"),
    "image with id and link": (
        message("image", {"id": "1", "link": "https://a.b/c.png"}),
        131009,
        "not both",
    ),
    "image with neither id nor link": (message("image", {"caption": "QR"}), 131008, "id or link"),
    "image caption over 1024": (
        message("image", {"id": "1", "caption": "c" * 1025}),
        131009,
        "1024",
    ),
    "image link not http": (message("image", {"link": "ftp://a/b.png"}), 131009, "link"),
    "audio with a caption": (
        message("audio", {"id": "1", "caption": "x"}),
        100,
        'Unexpected key "caption"',
    ),
    "reaction to no message": (message("reaction", {"emoji": "👍"}), 131008, "message_id"),
    "template name with capitals": (
        changed(template("x"), "template.name", "Pagamento"),
        131009,
        "name",
    ),
    "template without language": (
        changed(template("x"), "template.language", ...),
        131008,
        "language",
    ),
    "template parameter with a new line": (template("linha 1\nlinha 2"), 132018, "new-line"),
    "template parameter with a tab": (template("a\tb"), 132018, "new-line"),
    "template parameter with five spaces": (template("a     b"), 132018, "consecutive spaces"),
    "template parameter empty": (template(""), 131008, "text"),
    "template button without index": (
        changed(
            VALID["template with header image and url button"], "template.components.2.index", ...
        ),
        131008,
        "index",
    ),
    "template body with an index": (
        changed(template("x"), "template.components.0.index", "0"),
        131009,
        "index",
    ),
    "four buttons": (buttons("Um", "Dois", "Três", "Quatro"), 131009, "at most 3"),
    "no buttons": (buttons(), 131009, "at least 1"),
    "button title over 20": (buttons("x" * 21, "Não"), 131009, "20"),
    "button title empty": (buttons(""), 131009, "empty"),
    "button id over 256": (
        changed(buttons("Sim"), "interactive.action.buttons.0.reply.id", "i" * 257),
        131009,
        "256",
    ),
    "same button title twice": (buttons("Sim", "Sim"), 131009, "unique"),
    "buttons without a body": (changed(buttons("Sim"), "interactive.body", ...), 131008, "body"),
    "interactive body over 1024": (
        changed(buttons("Sim"), "interactive.body.text", "b" * 1025),
        131009,
        "1024",
    ),
    "header text over 60": (
        changed(buttons("Sim"), "interactive.header", {"type": "text", "text": "h" * 61}),
        131009,
        "60",
    ),
    "footer over 60": (
        changed(buttons("Sim"), "interactive.footer", {"text": "f" * 61}),
        131009,
        "60",
    ),
    "list with 11 rows in one section": (listing(11), 131009, "at most 10"),
    "list with 11 rows across sections": (listing(6, 5), 131009, "Total row count"),
    "list with 11 sections": (listing(*[1] * 11), 131009, "at most 10"),
    "list, two untitled sections": (listing(2, 2, title=None), 131008, "title"),
    "list row title over 24": (
        changed(listing(2), "interactive.action.sections.0.rows.0.title", "t" * 25),
        131009,
        "24",
    ),
    "list row description over 72": (
        changed(listing(2), "interactive.action.sections.0.rows.0.description", "d" * 73),
        131009,
        "72",
    ),
    "list button over 20": (
        changed(listing(2), "interactive.action.button", "b" * 21),
        131009,
        "20",
    ),
    "list with an image header": (
        changed(listing(2), "interactive.header", {"type": "image", "image": {"id": "1"}}),
        100,
        "header",
    ),
    "same row id twice": (
        changed(listing(2), "interactive.action.sections.0.rows.1.id", "s0r0"),
        131009,
        "unique",
    ),
    "cta_url display text over 20": (cta(display_text="Abrir o painel do cPanel"), 131009, "20"),
    "cta_url without url": (
        changed(cta(), "interactive.action.parameters.url", ...),
        131008,
        "url",
    ),
    "cta_url with a bare url": (cta(url="cpanel.example.com"), 131009, "url"),
    "cta_url named otherwise": (changed(cta(), "interactive.action.name", "url"), 100, "cta_url"),
    "cta_url with buttons": (
        changed(cta(), "interactive.action.buttons", []),
        100,
        'Unexpected key "buttons"',
    ),
    "flow with id and name": (flow(flow_name="cadastro"), 131009, "not both"),
    "flow with neither id nor name": (flow(flow_id=...), 131008, "flow_id or flow_name"),
    "flow version 2": (flow(flow_message_version="2"), 100, "flow_message_version"),
    "flow cta over 20": (flow(flow_cta="c" * 21), 131009, "20"),
    "flow payload with data_exchange": (flow(flow_action="data_exchange"), 131009, "navigate"),
    "order_details in INR": (order_details(currency="INR"), 100, "currency"),
    "order_details paid by upi": (order_details(payment_type="upi"), 100, "payment_type"),
    "order_details without payment settings": (
        order_details(payment_settings=...),
        131008,
        "payment_settings",
    ),
    "order_details amount not in cents": (
        order_details(total_amount={"value": 1800, "offset": 1}),
        100,
        "offset",
    ),
    "order_details total off the order": (
        order_details(total_amount={"value": 1, "offset": 100}),
        131009,
        "total_amount",
    ),
    "order_details reference over 35": (
        order_details(reference_id="r" * 36),
        131009,
        "reference_id",
    ),
    "order_details pix key type unknown": (
        changed(
            order_details(),
            "interactive.action.parameters.payment_settings.0.pix_dynamic_code.key_type",
            "RANDOM",
        ),
        100,
        "key_type",
    ),
    "order_details pix without code": (
        changed(
            order_details(),
            "interactive.action.parameters.payment_settings.0.pix_dynamic_code.code",
            ...,
        ),
        131008,
        "code",
    ),
    "order_status unknown status": (order_status("paid"), 100, "status"),
    "order_status with a header": (
        changed(order_status(), "interactive.header", {"type": "text", "text": "x"}),
        131009,
        "header",
    ),
    "order_status description over 120": (order_status(description="d" * 121), 131009, "120"),
    "read receipt without message id": (changed(read(), "message_id", ...), 131008, "message_id"),
    "read receipt with a bad id": (read(message_id="123"), 131009, "message_id"),
    "status delivered": (read(status="delivered"), 100, "status"),
    "typing indicator of audio": (
        read(typing_indicator={"type": "audio"}),
        100,
        "typing_indicator",
    ),
    "read receipt with a recipient": (read(to=PHONE), 100, 'Unexpected key "to"'),
}


@pytest.mark.parametrize("name", sorted(INVALID))
def test_meta_refuses_it_and_so_does_the_fake(name: str) -> None:
    body, code, words = INVALID[name]

    found = refusal(body)

    assert (found.code, words in (found.details or "")) == (code, True), found.details
    assert found.message == f"(#{code}) {found.message.split(') ', 1)[1]}"


def test_refusal_words_never_echo_a_long_value() -> None:
    found = refusal(message("text", {"body": "segredo " * 600}))

    assert "segredo" not in (found.details or "")
    assert len(found.details or "") < 200
