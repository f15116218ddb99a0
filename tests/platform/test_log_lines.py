"""Log lines: one JSON object each, the correlation id bound where they were logged, and
personal data and secrets masked whatever the code passed in."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import orjson
import pytest

from dresbach.platform.observe import logs
from dresbach.platform.observe.correlation import bound, correlation_id_for, of_outbox_row
from dresbach.platform.observe.redaction import redact

CPF = "529.982.247-25"
CNPJ_ALPHA = "12.ABC.345/01DE-35"
PHONE = "5511987650001"
EMAIL = "maria.souza@anasouza.com.br"
TOKEN = "EAAGm0PX4ZCpsBAKZAZD0123456789abcdef"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    logs.configure(
        level="debug", format="json", known_secrets=["s3cr3t-app-value", "x"], stream=stream
    )
    yield stream
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in before[0]:
        root.addHandler(handler)
    root.setLevel(before[1])


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [orjson.loads(line) for line in stream.getvalue().splitlines()]


def test_a_line_is_one_json_object_with_the_bound_correlation_id_and_the_extra_fields(
    captured: io.StringIO,
) -> None:
    log = logging.getLogger("dresbach.test")
    with bound("3f9c0e1b2d4f6a8c"):
        log.info("message received", extra={"kind": "text", "replies": 2})
    log.warning("no id here")
    first, second = lines(captured)
    assert first["msg"] == "message received"
    assert first["level"] == "info"
    assert first["logger"] == "dresbach.test"
    assert first["correlation_id"] == "3f9c0e1b2d4f6a8c"
    assert (first["kind"], first["replies"]) == ("text", 2)
    assert str(first["ts"]).endswith("+00:00")
    assert "correlation_id" not in second


def test_personal_data_and_secrets_are_masked_in_messages_fields_and_tracebacks(
    captured: io.StringIO,
) -> None:
    log = logging.getLogger("dresbach.test")
    log.info("login for %s from %s", CPF, PHONE, extra={"email": EMAIL})
    log.info("cnpj %s, header Authorization: Bearer %s", CNPJ_ALPHA, TOKEN)
    log.info("the app secret is s3cr3t-app-value; the short x stays")
    try:
        raise ValueError(f"WHMCS refused {EMAIL} with password=hunter2 at {CPF}")
    except ValueError:
        log.exception("adapter failed")
    text = captured.getvalue()
    for clear in (CPF, "52998224725", PHONE, EMAIL, TOKEN, "hunter2", "s3cr3t-app-value"):
        assert clear not in text
    first, second, third, fourth = lines(captured)
    assert first["msg"] == "login for ***.982.247-** from 5511*****0001"
    assert first["email"] == "m***@a***.com.br"
    assert second["msg"] == "cnpj **.***.***/01DE-**, header Authorization: *** ***"
    assert third["msg"] == "the app secret is ***; the short x stays"
    assert "ValueError" in str(fourth["exc"])
    assert "password=***" in str(fourth["exc"])


def test_the_text_format_is_one_readable_line() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RedactingFilter())
    handler.setFormatter(logs.TextFormatter())
    record = logging.LogRecord(
        "dresbach.x", logging.INFO, __file__, 1, "sent to %s", (PHONE,), None
    )
    record.kind = "text"
    with bound("abcd"):
        handler.handle(record)
    line = stream.getvalue().strip()
    assert line.endswith("INFO dresbach.x [abcd]: sent to 5511*****0001 kind=text")


def test_auto_is_text_on_a_terminal_and_json_elsewhere() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert logs.resolve_format("auto", Terminal()) == "text"
    assert logs.resolve_format("auto", io.StringIO()) == "json"
    assert logs.resolve_format("text", io.StringIO()) == "text"


def test_the_correlation_id_of_a_reply_is_the_one_of_the_message_it_answers() -> None:
    wamid = "wamid.HBgNNTUxMTk4NzY1MDAwMRUCABIYFjNFQjBD"
    expected = correlation_id_for(wamid)
    assert len(expected) == 16
    assert wamid not in expected
    assert of_outbox_row("read", wamid, None) == expected
    assert of_outbox_row("message", None, f"{wamid}#0") == expected
    assert of_outbox_row("message", None, f"{wamid}#12") == expected
    assert of_outbox_row("message", None, None) is None


def test_what_a_message_sets_off_keeps_its_correlation_id() -> None:
    wamid = "wamid.HBgNNTUxMTk4NzY1MDAwMRUCABIYFjNFQjBD"
    tap = correlation_id_for(wamid)
    assert correlation_id_for(f"{wamid}:charge") == tap  # the command and its job
    assert of_outbox_row("message", None, f"{wamid}:charge:created#1") == tap  # the result's reply
    assert correlation_id_for("handoff:12:taken") != correlation_id_for("handoff:13:taken")
    assert correlation_id_for("7f3a9c0e:paid") != correlation_id_for("7f3a9c0e:expired")


@pytest.mark.parametrize(
    ("clear", "masked"),
    [
        ("cpf 529.982.247-25", "cpf ***.982.247-**"),
        ("cpf 52998224725", "cpf ***.982.247-**"),
        ("cnpj 11.222.333/0001-81", "cnpj **.***.***/0001-**"),
        ("cnpj 11222333000181", "cnpj **.***.***/0001-**"),
        ("cnpj 12ABC34501DE35", "cnpj **.***.***/01DE-**"),
        ("wa_id 5511987650001", "wa_id 5511*****0001"),
        ("fone +55 (11) 98765-4321", "fone 5511*****4321"),
        ("fone (11) 98765-4321", "fone 1198***4321"),
        ("to ana@anasouza.com.br.", "to a***@a***.com.br."),
        ("whm root:FAKEWHMROOTTOKEN0000", "whm ***"),
        ('{"password": "hunter22", "x": 1}', '{"password": "***", "x": 1}'),
        ("GET /pix?token=abc123&x=1", "GET /pix?token=***&x=1"),
        ("postgresql://app:pw-123@db:5432/d", "postgresql://app:***@db:5432/d"),
        ("wamid.HBgNNTUxMTk4NzY1MDAwMRUCABIYFjNF", "wamid.***"),
    ],
)
def test_what_is_masked(clear: str, masked: str) -> None:
    assert redact(clear) == masked


@pytest.mark.parametrize(
    "ordinary",
    [
        "outbox row 12 dead-lettered: 131047: Graph API 400: Re-engagement message",
        "at 2026-11-25 10:00:00 took 12.5 ms, retry 3 in 0.52s (130429)",
        "txid 7f3a9c0e1b2d4f6a8c0e1b2d4f6a8c0e1 is active",
        "cnpj 12ABC34501DE36 is not one (check digits)",
        "event taken in",
    ],
)
def test_what_is_left_alone(ordinary: str) -> None:
    assert redact(ordinary) == ordinary


def test_the_log_settings_are_checked_at_start_up() -> None:
    from pathlib import Path

    from dresbach.config import SettingsError, load_settings

    sandbox = {"DRESBACH_SANDBOX": "1"}
    assert load_settings(sandbox, env_file=None).log_format == "auto"
    assert (
        load_settings({**sandbox, "DRESBACH_LOG_FORMAT": "json"}, env_file=None).log_format
        == "json"
    )
    with pytest.raises(SettingsError, match="DRESBACH_LOG_FORMAT"):
        load_settings({"DRESBACH_LOG_FORMAT": "xml"}, env_file=None)
    with pytest.raises(SettingsError, match="DRESBACH_LOG_LEVEL"):
        load_settings({"DRESBACH_LOG_LEVEL": "loud"}, env_file=Path("/nonexistent"))
