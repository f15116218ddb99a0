"""Numbers, sizes, dates and lists written the Brazilian way ("1.234", "0,4 s", "25/11/2026"),
and a finding put in words from the catalog."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo

from dresbach.features.sitecheck.model import Finding, FindingKind, Severity
from dresbach.features.sitecheck.texts import FINDINGS
from dresbach.kernel.hours import SAO_PAULO


def finding(
    kind: FindingKind,
    severity: Severity,
    *,
    explanation: str = "explanation",
    action: str = "action",
    needs_person: bool = False,
    details: Mapping[str, object] | None = None,
    **fields: object,
) -> Finding:
    """The finding ``kind`` with its catalog texts (``explanation`` and ``action`` name the
    variants) filled with ``details`` and ``fields``."""
    entry = FINDINGS[kind.value]
    fields = {**(details or {}), **fields}
    return Finding(
        kind=kind,
        severity=severity,
        title=entry["title"].format(**fields),
        explanation=entry[explanation].format(**fields),
        what_to_do=entry[action].format(**fields),
        needs_person=needs_person,
    )


def integer(value: int) -> str:
    """``12345`` → ``12.345``."""
    return f"{value:,}".replace(",", ".")


def decimal(value: float, places: int = 1) -> str:
    """``0.42`` → ``0,4``; whole numbers lose the decimals (``10.0`` → ``10``)."""
    rounded = round(value, places)
    if rounded == int(rounded):
        return integer(int(rounded))
    whole, _, fraction = f"{rounded:.{places}f}".partition(".")
    return f"{integer(int(whole))},{fraction.rstrip('0')}"


def size(megabytes: float) -> str:
    """``512`` → ``512 MB``; ``10240`` → ``10 GB``; ``1536`` → ``1,5 GB``."""
    if megabytes >= 1024:
        return f"{decimal(megabytes / 1024)} GB"
    return f"{decimal(megabytes)} MB"


def seconds(value: float) -> str:
    """``0.42`` → ``0,4 s``; ``12`` → ``12 s``."""
    return f"{decimal(value)} s"


def percent(ratio: float) -> str:
    """``0.953`` → ``95%``; truncated, so an account 99.9% full reads 99%, not 100%."""
    whole = int(ratio * 100)
    return f"{integer(whole)}%"


def day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def moment(value: datetime, tz: ZoneInfo = SAO_PAULO) -> str:
    """``25/11/2026, às 12h`` (``…, às 9h05``, ``…, à 1h``) in Brasília time."""
    local = value.astimezone(tz)
    clock = f"{local.hour}h{local.minute:02d}" if local.minute else f"{local.hour}h"
    return f"{local:%d/%m/%Y}, {'à' if local.hour <= 1 else 'às'} {clock}"


def days(count: int) -> str:
    """``0`` → ``hoje``; ``1`` → ``1 dia``; ``5`` → ``5 dias``."""
    if count == 0:
        return "hoje"
    return "1 dia" if count == 1 else f"{integer(count)} dias"


def in_days(count: int) -> str:
    """When something happens: ``hoje``, ``amanhã``, ``em 5 dias``."""
    if count == 0:
        return "hoje"
    if count == 1:
        return "amanhã"
    return f"em {days(count)}"


def listing(items: Iterable[str]) -> str:
    """``a``; ``a e b``; ``a, b e c``."""
    values = list(items)
    if len(values) <= 1:
        return "".join(values)
    return f"{', '.join(values[:-1])} e {values[-1]}"


def bullets(items: Iterable[str]) -> str:
    return "\n".join(f"• {item}" for item in items)


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word with an ellipsis."""
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.;:")
    return f"{cut}…"
