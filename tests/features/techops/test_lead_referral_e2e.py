"""#12 item 7 end to end: a customer who comes from a Click-to-WhatsApp ad; the ad's `referral`
(source id and type, headline, ctwa_clid) is kept on the conversation's first contact, reaches
the Tech Ops lead, and an operator sees it, in pt-BR, in the console's lead view."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
from sqlalchemy import select

from dresbach.features.operators import service as operators
from dresbach.features.techops.leads import list_leads
from dresbach.platform.store.schema import conversations
from dresbach.platform.whatsapp import payloads
from tests.features.operators.test_console import Console
from tests.support.meta import PHONE_NUMBER_ID
from tests.support.stack_fixtures import Stack

USER = "5511933337777"
PASSWORD = "cafe-com-leite-42"
REFERRAL = {
    "source_url": "https://fb.me/3cr4Wqqkv",
    "source_id": "120211223344550",
    "source_type": "ad",
    "body": "Seu sistema aguenta a Black Friday? Fale com a Tech Ops.",
    "headline": "Consultoria Tech Ops Dresbach",
    "media_type": "image",
    "image_url": "https://scontent.xx.fbcdn.net/anuncio.jpg",
    "ctwa_clid": "ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM",
}


def from_the_ad(stack: Stack, body: str) -> bytes:
    message: dict[str, Any] = payloads.text_message(
        stack.meta.message_id(), USER, body, int(time.time())
    )
    message["referral"] = REFERRAL
    envelope = payloads.envelope([message], wa_id=USER, phone_number_id=PHONE_NUMBER_ID)
    return orjson.dumps(envelope)


def test_a_lead_from_an_ad_keeps_the_referral_and_the_console_shows_it(stack: Stack) -> None:
    customer = stack.customer(USER)
    assert stack.meta.post(from_the_ad(stack, "oi")).status_code == 200
    customer.waits_for_reply()
    customer.taps("Consultoria Tech Ops")
    customer.taps("Arquitetura de sistemas")
    customer.says("Nosso sistema não aguenta o pico de acessos da Black Friday.")
    customer.says("Loja Exemplo")
    customer.taps("De 10 a 49 pessoas")
    customer.taps("Sem pressa")
    customer.says("compras@lojaexemplo.com.br")
    customer.taps("Sim, pode ser")
    customer.says("pular")
    customer.taps("Está tudo certo")

    engine = stack.container.db.engine
    [lead] = stack.waits_until(lambda: list_leads(engine), what="the lead recorded")
    assert lead.referral == {
        k: v for k, v in REFERRAL.items() if k not in ("media_type", "image_url")
    }
    with engine.connect() as connection:
        kept = connection.execute(select(conversations.c.referral)).scalars().one()
    assert orjson.loads(kept)["ctwa_clid"] == REFERRAL["ctwa_clid"]

    operators.add_operator(engine, "ana", "Ana Lima", PASSWORD, None, datetime.now(UTC), by="t")
    with httpx.Client(follow_redirects=False, timeout=10, trust_env=False) as http:
        console = Console(stack.origin, http)
        assert console.login("ana", PASSWORD).status_code == 303
        page = http.get(f"{stack.origin}/console/leads").text
    assert "Veio de um anúncio (Clique para o WhatsApp)" in page
    assert "<dt>Título do anúncio</dt><dd>Consultoria Tech Ops Dresbach</dd>" in page
    assert "<dt>Tipo</dt><dd>anúncio</dd>" in page
    assert "<dt>ID do anúncio</dt><dd>120211223344550</dd>" in page
    assert f"<dd>{REFERRAL['ctwa_clid']}</dd>" in page


def test_a_lead_that_came_from_no_ad_shows_none(stack: Stack) -> None:
    customer = stack.customer(USER)
    customer.says("oi")
    customer.taps("Consultoria Tech Ops")
    assert all(lead.referral is None for lead in list_leads(stack.container.db.engine))
