"""What a process refuses to start without, read from the environment as `dresbach` reads it.

The sandbox is asked for (`DRESBACH_SANDBOX=1`), never inferred from a missing variable: a
production process missing a WhatsApp variable once opened `/simulator` and its mailbox of 2FA
codes on the production database. Outside the sandbox, e-mail and (on PostgreSQL) the shared
service key are required too.
"""

from __future__ import annotations

import pytest

from dresbach.config import SettingsError, load_settings

WHATSAPP = {
    "WHATSAPP_ACCESS_TOKEN": "token",
    "WHATSAPP_PHONE_NUMBER_ID": "100000000000001",
    "WHATSAPP_APP_SECRET": "app-secret",
    "WHATSAPP_VERIFY_TOKEN": "verify-token",
}
PRODUCTION = {**WHATSAPP, "SMTP_HOST": "smtp.dresbach.com.br"}
POSTGRES = "postgresql://dresbach@db.internal:5432/dresbach"


def refusal(environ: dict[str, str]) -> str:
    with pytest.raises(SettingsError) as refused:
        load_settings(environ, env_file=None)
    return str(refused.value)


def test_nothing_set_is_not_the_sandbox_but_a_refusal_naming_every_missing_variable() -> None:
    said = refusal({})
    for variable in WHATSAPP:
        assert variable in said
    assert "DRESBACH_SANDBOX=1" in said


@pytest.mark.parametrize("missing", list(WHATSAPP))
def test_one_whatsapp_variable_missing_is_named_alone(missing: str) -> None:
    environ = {k: v for k, v in PRODUCTION.items() if k != missing}
    said = refusal(environ)
    assert missing in said
    assert [v for v in WHATSAPP if v in said] == [missing]
    assert refusal({**environ, missing: ""}) == said  # empty is missing too


def test_the_sandbox_is_asked_for_and_then_needs_nothing_else() -> None:
    for yes in ("1", "true", "yes", "sim"):
        assert load_settings({"DRESBACH_SANDBOX": yes}, env_file=None).sandbox is True
    on_postgres = load_settings(
        {"DRESBACH_SANDBOX": "1", "DRESBACH_DATABASE_URL": POSTGRES}, env_file=None
    )
    assert on_postgres.sandbox is True
    assert load_settings(PRODUCTION, env_file=None).sandbox is False
    assert load_settings({**PRODUCTION, "DRESBACH_SANDBOX": "0"}, env_file=None).sandbox is False
    assert "DRESBACH_SANDBOX" in refusal({"DRESBACH_SANDBOX": "talvez"})


def test_production_without_smtp_refuses_to_start() -> None:
    """Without it the 2FA codes would go to the sandbox mailbox, stored in clear, never sent."""
    said = refusal(WHATSAPP)
    assert "SMTP_HOST" in said
    assert "WHATSAPP" not in said


def test_production_on_postgresql_without_the_service_key_refuses_to_start() -> None:
    """Each machine would make its own key file and read the others' sealed data as garbage."""
    said = refusal({**PRODUCTION, "DRESBACH_DATABASE_URL": POSTGRES})
    assert "DRESBACH_SECRET_KEY" in said
    with_key = {**PRODUCTION, "DRESBACH_DATABASE_URL": POSTGRES, "DRESBACH_SECRET_KEY": "ab" * 32}
    assert load_settings(with_key, env_file=None).sandbox is False
    # on SQLite (one machine) the key file beside the database stays the default
    assert load_settings(PRODUCTION, env_file=None).secret_key.reveal() == ""


def test_a_malformed_value_is_named_before_the_mode_is_judged() -> None:
    said = refusal({"DRESBACH_LOG_LEVEL": "loud"})
    assert "DRESBACH_LOG_LEVEL" in said


def test_insecure_cookies_are_asked_for_explicitly() -> None:
    assert load_settings(PRODUCTION, env_file=None).insecure_cookies is False
    insecure = {**PRODUCTION, "DRESBACH_INSECURE_COOKIES": "1"}
    assert load_settings(insecure, env_file=None).insecure_cookies is True
    assert "DRESBACH_INSECURE_COOKIES" in refusal({**PRODUCTION, "DRESBACH_INSECURE_COOKIES": "2"})
