"""Cloud API request bodies for tests of the fake Graph API: one builder per message type, each
giving a body Meta takes, and `changed` / `...` to break one rule at a time."""

from __future__ import annotations

import copy
from typing import Any

PHONE = "5511987654321"
BSUID = "BR.1502576394655843"
CODE = "00020101021226830014br.gov.bcb.pix2561pix.example.com/qr/v2/9d36b84f6304ABCD"

Body = dict[str, Any]


def message(kind: str, payload: Any, **extra: Any) -> Body:
    return {"messaging_product": "whatsapp", "to": PHONE, "type": kind, kind: payload, **extra}


def interactive(kind: str, action: Body, **parts: Any) -> Body:
    return message(
        "interactive", {"type": kind, "body": {"text": "Escolha"}, **parts, "action": action}
    )


def buttons(*titles: str) -> Body:
    replies = [
        {"type": "reply", "reply": {"id": f"b{i}", "title": t}} for i, t in enumerate(titles)
    ]
    return interactive("button", {"buttons": replies})


def listing(*sizes: int, title: str | None = "Seção") -> Body:
    sections = [
        {
            **({"title": f"{title} {s}"} if title else {}),
            "rows": [{"id": f"s{s}r{r}", "title": f"Item {r}"} for r in range(size)],
        }
        for s, size in enumerate(sizes)
    ]
    return interactive("list", {"button": "Ver opções", "sections": sections})


def template(*params: str, name: str = "pagamento_confirmado") -> Body:
    parameters = [{"type": "text", "text": p} for p in params]
    return message(
        "template",
        {
            "name": name,
            "language": {"code": "pt_BR"},
            "components": [{"type": "body", "parameters": parameters}],
        },
    )


def cta(display_text: str = "Abrir o cPanel", url: str = "https://cpanel.example.com/x") -> Body:
    action = {"name": "cta_url", "parameters": {"display_text": display_text, "url": url}}
    return interactive("cta_url", action, header={"type": "text", "text": "Acesso"})


def flow(**parameters: Any) -> Body:
    base = {
        "flow_message_version": "3",
        "flow_token": "lead-42",
        "flow_id": "1234567890",
        "flow_cta": "Preencher",
        "flow_action": "navigate",
        "flow_action_payload": {"screen": "WELCOME", "data": {"nome": "Maria"}},
    }
    return interactive("flow", {"name": "flow", "parameters": {**base, **parameters}})


def order_details(**parameters: Any) -> Body:
    base = {
        "reference_id": "dx-7f3a9c2e",
        "type": "digital-goods",
        "payment_type": "br",
        "currency": "BRL",
        "total_amount": {"value": 180000, "offset": 100},
        "order": {
            "status": "pending",
            "items": [
                {"name": "Diagnóstico", "amount": {"value": 180000, "offset": 100}, "quantity": 1}
            ],
            "subtotal": {"value": 180000, "offset": 100},
        },
        "payment_settings": [
            {
                "type": "pix_dynamic_code",
                "pix_dynamic_code": {
                    "code": CODE,
                    "merchant_name": "Dresbach Hosting do Brasil",
                    "key": "39580525000189",
                    "key_type": "CNPJ",
                },
            }
        ],
    }
    return interactive(
        "order_details", {"name": "review_and_pay", "parameters": {**base, **parameters}}
    )


def order_status(status: str = "completed", **extra: Any) -> Body:
    parameters = {"reference_id": "dx-7f3a9c2e", "order": {"status": status, **extra}}
    return interactive("order_status", {"name": "review_order", "parameters": parameters})


def read(**extra: Any) -> Body:
    return {"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.HBgL1", **extra}


def changed(body: Body, path: str, value: Any) -> Body:
    """A copy of ``body`` with the value at ``a.b.0.c`` replaced (or removed, for ``...``)."""
    copied = copy.deepcopy(body)
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    node: Any = copied
    for step in parents:
        node = node[step]
    if value is ...:
        del node[last]
    else:
        node[last] = value
    return copied


def without_ellipsis(body: Any) -> Any:
    """``key=...`` in the builders above means: leave the key out."""
    if isinstance(body, dict):
        return {k: without_ellipsis(v) for k, v in body.items() if v is not ... and v is not None}
    if isinstance(body, list):
        return [without_ellipsis(v) for v in body]
    return body
