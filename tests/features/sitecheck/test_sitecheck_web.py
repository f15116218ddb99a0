"""The HTTP probe (httpx) and the certificate inspector against real local sites over HTTP and
HTTPS (#15.2): status codes, time, redirects within the site and away, loops, refused and silent
servers, and certificates valid, expired, not yet valid, of another name and self-signed, read
even when verification refuses them."""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from dresbach.features.sitecheck.adapters.http_probe import HttpxProbe
from dresbach.features.sitecheck.adapters.tls_inspector import TlsInspector
from dresbach.features.sitecheck.diagnosis_web import covers
from dresbach.features.sitecheck.model import HttpAnswer, TlsResult
from dresbach.features.sitecheck.ports import CertificateInspector, HttpProbe, Scheme
from tests.support.servers import free_port
from tests.support.sites import SLOW, Sites, local_sites


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    with local_sites(tmp_path_factory.mktemp("sites"), free_port()) as running:
        yield running


def probe(sites: Sites, domain: str, scheme: Scheme, **options: Any) -> HttpAnswer:
    async def main() -> HttpAnswer:
        adapter = HttpxProbe(connect_to=sites.connect_to(), **{"timeout": 5.0, **options})
        try:
            port: HttpProbe = adapter
            return await port.home_page(domain, scheme)
        finally:
            await adapter.aclose()

    return asyncio.run(main())


def inspect(sites: Sites, domain: str, **options: Any) -> TlsResult:
    trust = ssl.create_default_context()
    sites.ca.configure_trust(trust)
    inspector: CertificateInspector = TlsInspector(
        trust=trust, connect_to=sites.connect_to(), **{"timeout": 5.0, **options}
    )
    return asyncio.run(inspector.certificate(domain))


# ---- the probe -----------------------------------------------------------------------------------


def test_a_site_that_answers(sites: Sites) -> None:
    answer = probe(sites, "ok.test", "https")
    assert (answer.url, answer.outcome, answer.status) == ("https://ok.test/", "answered", 200)
    assert answer.redirects == ()
    assert answer.left_to is None
    assert answer.seconds is not None
    assert 0 < answer.seconds < 2


def test_redirects_within_the_site_are_followed(sites: Sites) -> None:
    answer = probe(sites, "redir.test", "http")
    assert (answer.outcome, answer.status) == ("answered", 200)
    assert answer.redirects == ("https://redir.test/", "https://www.redir.test/")


def test_a_redirect_to_another_site_is_recorded_not_followed(sites: Sites) -> None:
    answer = probe(sites, "fora.test", "https")
    assert (answer.outcome, answer.status) == ("answered", 301)
    assert answer.left_to == "https://outro-lugar.example/promo"


def test_a_redirect_loop_stops(sites: Sites) -> None:
    answer = probe(sites, "loop.test", "https", max_redirects=3)
    assert answer.outcome == "too_many_redirects"
    assert answer.status == 302
    assert answer.redirects == ("https://loop.test/",) * 4


@pytest.mark.parametrize(("name", "status"), [("erro", 500), ("limite", 508), ("proibido", 403)])
def test_error_pages_are_answers(sites: Sites, name: str, status: int) -> None:
    answer = probe(sites, f"{name}.test", "https")
    assert (answer.outcome, answer.status) == ("answered", status)


def test_a_slow_site_takes_its_time(sites: Sites) -> None:
    answer = probe(sites, "lento.test", "https")
    assert answer.status == 200
    assert answer.seconds is not None
    assert answer.seconds >= SLOW


def test_a_site_that_does_not_answer_in_time(sites: Sites) -> None:
    answer = probe(sites, "parado.test", "https", timeout=0.5)
    assert answer.outcome == "timeout"
    assert answer.status is None


def test_a_refused_connection(sites: Sites) -> None:
    assert probe(sites, "recusado.test", "https").outcome == "refused"
    assert probe(sites, "recusado.test", "http").outcome == "refused"


def test_a_port_443_without_tls(sites: Sites) -> None:
    assert probe(sites, "semtls.test", "https").outcome == "tls_failed"


def test_a_bad_certificate_still_shows_the_status(sites: Sites) -> None:
    answer = probe(sites, "expirado.test", "https")
    assert (answer.outcome, answer.status) == ("answered", 200)


def test_a_name_that_does_not_resolve_is_unreachable(sites: Sites) -> None:
    answer = probe(sites, "nao-existe.invalid", "http")
    assert answer.outcome == "unreachable"


# ---- the certificate -----------------------------------------------------------------------------


def test_a_valid_certificate(sites: Sites) -> None:
    result = inspect(sites, "ok.test")
    assert (result.outcome, result.trusted, result.verify_error) == ("presented", True, None)
    assert result.certificate is not None
    assert covers(result.certificate, "ok.test")
    assert result.certificate.not_after > datetime.now(UTC)


def test_an_expired_certificate_is_read_after_verification_refuses_it(sites: Sites) -> None:
    result = inspect(sites, "expirado.test")
    assert (result.outcome, result.trusted) == ("presented", False)
    assert result.verify_error == "certificate has expired"
    assert result.certificate is not None
    assert result.certificate.not_after < datetime.now(UTC)
    assert result.certificate.names == ("expirado.test",)


def test_a_certificate_not_yet_valid(sites: Sites) -> None:
    result = inspect(sites, "futuro.test")
    assert result.trusted is False
    assert result.verify_error == "certificate is not yet valid"
    assert result.certificate is not None
    assert result.certificate.not_before > datetime.now(UTC)


def test_a_certificate_of_another_name(sites: Sites) -> None:
    result = inspect(sites, "errado.test")
    assert result.trusted is False
    assert result.verify_error is not None
    assert "Hostname mismatch" in result.verify_error
    assert result.certificate is not None
    assert result.certificate.names == ("outro-site.test",)
    assert not covers(result.certificate, "errado.test")


def test_a_self_signed_certificate(sites: Sites) -> None:
    result = inspect(sites, "auto.test")
    assert result.trusted is False
    assert result.verify_error == "self-signed certificate"
    assert result.certificate is not None
    assert result.certificate.self_issued is True


def test_the_system_trust_store_does_not_know_a_private_ca(sites: Sites) -> None:
    inspector = TlsInspector(connect_to=sites.connect_to(), timeout=5.0)
    result = asyncio.run(inspector.certificate("ok.test"))
    assert result.trusted is False
    assert result.certificate is not None


def test_refused_no_tls_unreachable_and_silent(sites: Sites) -> None:
    assert inspect(sites, "recusado.test").outcome == "refused"
    handshake = inspect(sites, "semtls.test")
    assert handshake.outcome == "handshake_failed"
    assert handshake.certificate is None
    assert inspect(sites, "nao-existe.invalid").outcome == "unreachable"
    with socket.socket() as mute:  # accepts TCP, never says a word of TLS
        mute.bind(("127.0.0.1", 0))
        mute.listen(1)
        route = {"mudo.test:443": f"127.0.0.1:{mute.getsockname()[1]}"}
        silent = TlsInspector(connect_to=route, timeout=0.5)
        assert asyncio.run(silent.certificate("mudo.test")).outcome == "timeout"
