"""Rendering the console's pages: one Jinja2 environment (autoescaped), pt-BR filters, and the
headers every console answer carries (no caching, no framing, scripts only from us)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.responses import HTMLResponse, Response

from dresbach.kernel.hours import SAO_PAULO
from dresbach.kernel.money import format_brl

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def when(value: datetime | None) -> str:
    """01/12/2026 10:15, in São Paulo time."""
    return "-" if value is None else f"{value.astimezone(SAO_PAULO):%d/%m/%Y %H:%M}"


def hour(value: datetime | None) -> str:
    return "-" if value is None else f"{value.astimezone(SAO_PAULO):%d/%m %H:%M}"


def brl(value: Decimal | str | None) -> str:
    return "-" if value is None else format_brl(Decimal(value))


def waited(since: datetime | None, now: datetime) -> str:
    """How long ago, in words: "há 3 min", "há 2 h 05 min"."""
    if since is None:
        return "-"
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 1:
        return "agora"
    if minutes < 60:
        return f"há {minutes} min"
    return f"há {minutes // 60} h {minutes % 60:02d} min"


ENVIRONMENT = Environment(
    loader=PackageLoader("dresbach.web", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
ENVIRONMENT.filters.update(when=when, hour=hour, brl=brl)


def secured(response: Response) -> Response:
    response.headers.update(SECURITY_HEADERS)
    return response


def render(template: str, status_code: int = 200, **context: Any) -> Response:
    html = ENVIRONMENT.get_template(template).render(**context)
    return secured(HTMLResponse(html, status_code=status_code))
