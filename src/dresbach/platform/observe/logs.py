"""Log records: one JSON object per line (or a human line), personal data masked in each.

`configure(...)` is called once by `dresbach serve` and `dresbach worker`. A JSON line holds

    {"ts": "2026-11-25T13:00:00.123+00:00", "level": "info", "logger": "dresbach.web.webhook",
     "msg": "message received", "correlation_id": "3f9c0e1b2d4f6a8c", "kind": "text"}

`ts` in UTC, `level` in lower case, `correlation_id` when one is bound (see `correlation`), then
every field given with `extra={...}`, and `exc` with the traceback of an exception. The text
format prints the same on one line: `ts LEVEL logger [correlation id]: msg key=value …`.

Every record goes through `RedactingFilter` before it is written, whatever its format: its
message, traceback and string fields pass through `redaction.redact`, with the secrets the
settings hold as known values. It is a safety net: the code logs ids, kinds and counts, never a
customer's text or a credential.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Final, TextIO

import orjson

from dresbach.platform.observe.correlation import CURRENT
from dresbach.platform.observe.redaction import redact

FORMATS: Final = ("auto", "json", "text")
QUIET: Final = ("httpx", "httpcore", "alembic", "caldav", "aiosmtpd", "mail.log")
"""Libraries that log every request at INFO; they speak at WARNING and above."""

_RESERVED: Final = frozenset(
    [
        *vars(logging.LogRecord("", 0, "", 0, "", None, None)),
        "message",
        "asctime",
        "taskName",
        "color_message",  # uvicorn's copy of the message with terminal colours
    ]
)


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in _RESERVED and k != "correlation_id"}


class RedactingFilter(logging.Filter):
    """Masks personal data and the known secrets in a record's message, traceback and string
    fields, and stamps it with the correlation id bound where it was logged."""

    def __init__(self, known: Iterable[str] = ()) -> None:
        super().__init__()
        # Longest first, so a secret that contains another is masked whole; short values (a
        # port, "root") would mask ordinary words and are left to the patterns.
        self.known = tuple(sorted({s for s in known if len(s) >= 6}, key=len, reverse=True))

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that do not fit the format
            message = f"{record.msg} {record.args!r}"
        record.msg = redact(message, self.known)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.known)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.known)
        for key, value in _extras(record).items():
            if isinstance(value, str):
                setattr(record, key, redact(value, self.known))
        if getattr(record, "correlation_id", None) is None:
            record.correlation_id = CURRENT.get()
        return True


def _timestamp(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


def _correlation(record: logging.LogRecord) -> str | None:
    found = getattr(record, "correlation_id", None)
    return found if isinstance(found, str) else CURRENT.get()


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": _timestamp(record),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        correlation = _correlation(record)
        if correlation:
            line["correlation_id"] = correlation
        for key, value in _extras(record).items():
            line.setdefault(key, value)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exc"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return orjson.dumps(line, default=str, option=orjson.OPT_NON_STR_KEYS).decode()


class TextFormatter(logging.Formatter):
    """`ts LEVEL logger [correlation id]: msg key=value …`, for a person at a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        correlation = _correlation(record)
        head = f"{_timestamp(record)} {record.levelname} {record.name}"
        if correlation:
            head += f" [{correlation}]"
        text = f"{head}: {record.getMessage()}"
        extras = _extras(record)
        if extras:
            text += " " + " ".join(f"{k}={v}" for k, v in extras.items())
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            text += "\n" + record.exc_text
        if record.stack_info:
            text += "\n" + record.stack_info
        return text


def resolve_format(name: str, stream: TextIO) -> str:
    """`auto` is `text` on a terminal (`make run`) and `json` anywhere else (a service manager,
    a container, a file)."""
    if name != "auto":
        return name
    isatty = getattr(stream, "isatty", None)
    return "text" if isatty is not None and isatty() else "json"


def configure(
    *, level: str, format: str, known_secrets: Iterable[str] = (), stream: TextIO | None = None
) -> logging.Handler:
    """Replace the root logger's handlers with one that masks and formats every record."""
    if format not in FORMATS:
        raise ValueError(f"log format must be one of {', '.join(FORMATS)}")
    target = stream if stream is not None else sys.stderr
    handler = logging.StreamHandler(target)
    handler.addFilter(RedactingFilter(known_secrets))
    chosen = resolve_format(format, target)
    handler.setFormatter(JsonFormatter() if chosen == "json" else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in QUIET:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    return handler
