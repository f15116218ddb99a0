"""The site-down assistant's settings (#15.2): read from the environment, refused at start-up
when malformed, each refusal naming its variable."""

from __future__ import annotations

import pytest

from dresbach.config import SettingsError, load_settings


def settings(**environ: str):  # type: ignore[no-untyped-def]
    return load_settings({"DRESBACH_SANDBOX": "1", **environ}, env_file=None)


def test_the_defaults_check_with_our_nameservers_and_the_system_resolver() -> None:
    s = settings()
    assert s.our_nameservers == ("ns1.dresbach.com.br", "ns2.dresbach.com.br")
    assert s.resolver_address == ((), 53)
    assert s.sitecheck_department == ""
    assert s.billing_site == "https://cliente.dresbach.com.br"


def test_the_resolver_nameservers_and_department_are_read() -> None:
    s = settings(
        DRESBACH_SITECHECK_RESOLVER="127.0.0.1:5353,[::1]:5353",
        DRESBACH_SITECHECK_NAMESERVERS=" NS1.Exemplo.com. , ns2.exemplo.com ",
        DRESBACH_SITECHECK_DEPARTMENT="4",
    )
    assert s.resolver_address == (("127.0.0.1", "::1"), 5353)
    assert s.our_nameservers == ("ns1.exemplo.com", "ns2.exemplo.com")
    assert s.sitecheck_department == "4"


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("DRESBACH_SITECHECK_TIMEOUT", "30", "DRESBACH_SITECHECK_TIMEOUT"),  # over the deadline
        ("DRESBACH_SITECHECK_DEADLINE", "600", "DRESBACH_SITECHECK_DEADLINE"),
        ("DRESBACH_SITECHECK_TIMEOUT", "0", "DRESBACH_SITECHECK_TIMEOUT"),
        ("DRESBACH_SITECHECK_RESOLVER", "127.0.0.1:dns", "DRESBACH_SITECHECK_RESOLVER"),
        ("DRESBACH_BILLING_SITE", "cliente.dresbach.com.br", "DRESBACH_BILLING_SITE"),
    ],
)
def test_a_malformed_value_is_refused_naming_its_variable(
    variable: str, value: str, named: str
) -> None:
    with pytest.raises(SettingsError, match=named):
        settings(**{variable: value})
