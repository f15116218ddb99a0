"""Meta's `message_template_status_update` webhook over HTTP: each template's latest status is
kept (never moved back by a late, older report) and `/metrics` shows it, so that an alert sees
a template Meta paused, rejected or disabled."""

from __future__ import annotations

import re

import httpx
import orjson
from sqlalchemy import select

from dresbach.platform.store.schema import template_statuses
from tests.support.stack_fixtures import Stack

WABA = "102938475610293"


def status_update(name: str, event: str, time: int, reason: str = "NONE") -> bytes:
    return orjson.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": WABA,
                    "time": time,
                    "changes": [
                        {
                            "value": {
                                "event": event,
                                "message_template_id": 1234567890123456,
                                "message_template_name": name,
                                "message_template_language": "pt_BR",
                                "reason": reason,
                            },
                            "field": "message_template_status_update",
                        }
                    ],
                }
            ],
        }
    )


def kept(stack: Stack) -> dict[str, tuple[str, str | None]]:
    with stack.container.db.engine.connect() as connection:
        rows = connection.execute(
            select(template_statuses.c.name, template_statuses.c.status, template_statuses.c.reason)
        ).all()
    return {name: (status, reason) for name, status, reason in rows}


def template_gauge(stack: Stack) -> dict[tuple[str, str], float]:
    page = httpx.get(f"{stack.origin}/metrics").text
    found = re.findall(
        r'^dresbach_template_status\{name="([^"]+)",status="([^"]+)"\} (\S+)$', page, re.M
    )
    return {(name, status): float(value) for name, status, value in found}


def test_a_paused_template_is_kept_and_raises_the_metric(stack: Stack) -> None:
    assert template_gauge(stack) == {}
    assert stack.meta.post(status_update("pix_vencendo", "APPROVED", 1764000000)).status_code == 200
    assert (
        stack.meta.post(status_update("lembrete_reuniao", "APPROVED", 1764000000)).status_code
        == 200
    )
    assert kept(stack)["pix_vencendo"] == ("APPROVED", "NONE")
    assert template_gauge(stack) == {
        ("lembrete_reuniao", "APPROVED"): 1.0,
        ("pix_vencendo", "APPROVED"): 1.0,
    }

    paused = status_update("pix_vencendo", "PAUSED", 1764003600, reason="LOW_QUALITY")
    assert stack.meta.post(paused).status_code == 200
    assert kept(stack)["pix_vencendo"] == ("PAUSED", "LOW_QUALITY")
    assert template_gauge(stack) == {
        ("lembrete_reuniao", "APPROVED"): 1.0,
        ("pix_vencendo", "PAUSED"): 1.0,
    }


def test_a_late_older_report_does_not_move_a_status_back(stack: Stack) -> None:
    assert (
        stack.meta.post(status_update("atendimento_resposta", "REJECTED", 1764007200)).status_code
        == 200
    )
    late = status_update("atendimento_resposta", "PENDING", 1764000000)
    assert stack.meta.post(late).status_code == 200
    assert kept(stack)["atendimento_resposta"][0] == "REJECTED"
    assert template_gauge(stack) == {("atendimento_resposta", "REJECTED"): 1.0}


def test_a_change_without_a_template_name_is_ignored(stack: Stack) -> None:
    body = status_update("", "APPROVED", 1764000000)
    assert stack.meta.post(body).status_code == 200
    assert kept(stack) == {}
