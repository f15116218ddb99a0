"""The Flow message (`FlowInvite`): rendered as Meta's page 'Sending a Flow' says, held to
WhatsApp's limits, through the outbox's codec, and kept at rest without its token."""

from __future__ import annotations

import orjson

from dresbach.kernel import codec
from dresbach.kernel.limits import violations
from dresbach.kernel.messages import FlowInvite
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.unit_of_work import outbound_at_rest
from dresbach.platform.whatsapp.render import render
from tests.fakes.graph_api import refusal_for

TOKEN = "t0k3n-" + "x" * 37
INVITE = FlowInvite(
    body="Toque em *Entrar com segurança*.",
    cta="Entrar com segurança",
    flow_id="1234567890123456",
    purpose="login",
    token=TOKEN,
)


def test_rendered_as_an_interactive_flow_message_meta_accepts() -> None:
    body = render("5511987654321", INVITE)

    assert body["interactive"] == {
        "type": "flow",
        "body": {"text": "Toque em *Entrar com segurança*."},
        "action": {
            "name": "flow",
            "parameters": {
                "flow_message_version": "3",
                "flow_id": "1234567890123456",
                "flow_cta": "Entrar com segurança",
                "flow_action": "data_exchange",
                "mode": "published",
                "flow_token": TOKEN,
            },
        },
    }
    assert refusal_for(body) is None


def test_the_button_has_twenty_characters_at_most_and_the_flow_a_numeric_id() -> None:
    assert violations(INVITE) == []
    too_long = FlowInvite(body="b", cta="c" * 21, flow_id="12", purpose="login")
    no_id = FlowInvite(body="b", cta="Entrar", flow_id="login", purpose="login")

    assert violations(too_long) == [
        "flow button has 21 characters (limit 20): 'ccccccccccccccccccccc'"
    ]
    assert violations(no_id) == ["a flow needs its numeric id"]
    assert refusal_for(render("5511987654321", too_long)) is not None


def test_the_codec_keeps_every_field() -> None:
    assert codec.decode(orjson.loads(orjson.dumps(codec.encode(INVITE)))) == INVITE


def test_the_outbox_keeps_the_token_sealed_and_the_sender_drops_the_seal() -> None:
    sealer = Sealer.from_text("44" * 32)
    at_rest = outbound_at_rest(codec.encode(INVITE), sealer)

    assert TOKEN not in orjson.dumps({k: v for k, v in at_rest.items() if k != "sealed"}).decode()
    assert at_rest["token"] == ""
    opened = orjson.loads(sealer.open(at_rest["sealed"]))
    assert codec.decode(opened) == INVITE
    assert TOKEN not in repr(INVITE)
