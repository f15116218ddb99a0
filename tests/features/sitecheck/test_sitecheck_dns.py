"""The dnspython resolver adapter against a real DNS server on 127.0.0.1 (#15.2): addresses,
CNAMEs, NXDOMAIN, NODATA, SERVFAIL, a subdomain's zone, and a server that never answers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest

from dresbach.features.sitecheck.adapters.dns_resolver import DnsPythonResolver
from dresbach.features.sitecheck.model import NameLookup, Nameservers
from dresbach.features.sitecheck.ports import DnsResolver
from dresbach.kernel.errors import PermanentError, TransientError
from tests.support.dns_server import LocalDns


@pytest.fixture(scope="module")
def server() -> Iterator[LocalDns]:
    with LocalDns() as dns_server:
        dns_server.zone("cliente.com.br", "ns1.dresbach.com.br.", "ns2.dresbach.com.br.")
        dns_server.add("cliente.com.br", "A", "203.0.113.10")
        dns_server.add("cliente.com.br", "AAAA", "2001:db8::10")
        dns_server.add("www.cliente.com.br", "CNAME", "cliente.com.br.")
        dns_server.add("loja.cliente.com.br", "A", "203.0.113.11")
        dns_server.zone("semsite.com.br", "ns1.dresbach.com.br.")
        dns_server.zone("cloud.com.br", "ana.ns.cloudflare.com.", "bob.ns.cloudflare.com.")
        dns_server.add("cloud.com.br", "A", "104.21.3.4")
        dns_server.servfail.add("quebrado.com.br")
        dns_server.silent.add("mudo.com.br")
        yield dns_server


def resolver(server: LocalDns, **options: Any) -> DnsPythonResolver:
    settings: dict[str, Any] = {"nameservers": ["127.0.0.1"], "port": server.port}
    settings.update(options)
    return DnsPythonResolver(**settings)


def test_it_is_the_port(server: LocalDns) -> None:
    port: DnsResolver = resolver(server)
    assert asyncio.run(port.addresses("cliente.com.br")).status == "found"


def test_a_and_aaaa_of_a_name(server: LocalDns) -> None:
    found = asyncio.run(resolver(server).addresses("Cliente.com.br."))
    assert found == NameLookup(
        name="cliente.com.br", status="found", addresses=("203.0.113.10", "2001:db8::10")
    )


def test_a_cname_is_followed_to_its_addresses(server: LocalDns) -> None:
    found = asyncio.run(resolver(server).addresses("www.cliente.com.br"))
    assert found.addresses == ("203.0.113.10", "2001:db8::10")


def test_a_name_that_does_not_exist(server: LocalDns) -> None:
    found = asyncio.run(resolver(server).addresses("naoexiste.com.br"))
    assert found == NameLookup(name="naoexiste.com.br", status="nxdomain")


def test_a_domain_without_addresses(server: LocalDns) -> None:
    found = asyncio.run(resolver(server).addresses("semsite.com.br"))
    assert found == NameLookup(name="semsite.com.br", status="nodata")


def test_a_broken_domain_is_servfail(server: LocalDns) -> None:
    found = asyncio.run(resolver(server).addresses("quebrado.com.br"))
    assert found.status == "servfail"


def test_the_nameservers_of_a_domain(server: LocalDns) -> None:
    assert asyncio.run(resolver(server).nameservers("cloud.com.br")) == Nameservers(
        zone="cloud.com.br",
        status="found",
        hosts=("ana.ns.cloudflare.com", "bob.ns.cloudflare.com"),
    )


def test_a_subdomain_s_nameservers_are_its_zone_s(server: LocalDns) -> None:
    found = asyncio.run(resolver(server).nameservers("loja.cliente.com.br"))
    assert found.zone == "cliente.com.br"
    assert found.hosts == ("ns1.dresbach.com.br", "ns2.dresbach.com.br")


def test_nameservers_of_a_name_that_does_not_exist(server: LocalDns) -> None:
    found = asyncio.run(resolver(server).nameservers("naoexiste.com.br"))
    assert found == Nameservers(zone="naoexiste.com.br", status="nxdomain")


def test_a_resolver_that_does_not_answer_is_a_transient_error_in_time(server: LocalDns) -> None:
    started = time.monotonic()
    with pytest.raises(TransientError, match="no answer in time"):
        asyncio.run(resolver(server, timeout=0.2, lifetime=0.5).addresses("mudo.com.br"))
    assert time.monotonic() - started < 3


def test_an_unreachable_resolver_is_a_transient_error(server: LocalDns) -> None:
    nobody = LocalDns().start()
    port = nobody.port
    nobody.stop()
    quiet = DnsPythonResolver(nameservers=["127.0.0.1"], port=port, timeout=0.2, lifetime=0.5)
    with pytest.raises(TransientError):
        asyncio.run(quiet.addresses("cliente.com.br"))


@pytest.mark.parametrize("name", ["br", "", "exa mple..com", "."])
def test_what_is_not_a_domain_is_refused(server: LocalDns, name: str) -> None:
    with pytest.raises(PermanentError):
        asyncio.run(resolver(server).addresses(name))


def test_every_question_reaches_the_server_no_cache(server: LocalDns) -> None:
    before = len(server.queries)
    probe = resolver(server)

    async def twice() -> None:
        await probe.addresses("cliente.com.br")
        await probe.addresses("cliente.com.br")

    asyncio.run(twice())
    asked = server.queries[before:]
    assert sorted(asked) == sorted([("cliente.com.br", "A"), ("cliente.com.br", "AAAA")] * 2)
