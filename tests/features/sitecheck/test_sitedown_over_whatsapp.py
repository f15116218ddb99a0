"""The site-down assistant end to end (#15.2): a signed webhook says "meu site caiu", the bot asks
for the domain, the `site_check` job runs the real DNS, HTTP and TLS adapters against local
servers (a DNS server, web sites over HTTP and HTTPS: no internet), and the explanation reaches
the fake Graph API, in plain pt-BR with what to do."""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from dresbach.config import Secret
from dresbach.features.sitecheck.adapters.dns_resolver import DnsPythonResolver
from dresbach.features.sitecheck.adapters.http_probe import HttpxProbe
from dresbach.features.sitecheck.adapters.tls_inspector import TlsInspector
from dresbach.features.sitecheck.texts import FINDINGS
from dresbach.platform.store.schema import jobs, metadata
from tests.support.dns_server import LocalDns
from tests.support.meta import text_of
from tests.support.servers import free_port
from tests.support.sites import Sites, local_sites
from tests.support.stack_fixtures import Stack

USER = "5511944445555"


@pytest.fixture(scope="module")
def dns_server() -> Iterator[LocalDns]:
    with LocalDns() as server:
        for name in ("ok.test", "erro.test", "expirado.test"):
            server.zone(name, "ns1.dresbach.com.br.", "ns2.dresbach.com.br.")
            server.add(name, "A", "203.0.113.10")
            server.add(f"www.{name}", "CNAME", f"{name}.")
        yield server


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    with local_sites(tmp_path_factory.mktemp("sites"), free_port()) as running:
        yield running


def on_local_servers(stack: Stack, dns_server: LocalDns, sites: Sites) -> None:
    """The composition root's probes, pointed at the local servers instead of the internet."""
    trust = ssl.create_default_context()
    sites.ca.configure_trust(trust)
    routes = sites.connect_to()
    service = stack.container.sitedown
    service.resolver = DnsPythonResolver(
        nameservers=["127.0.0.1"], port=dns_server.port, timeout=0.3, lifetime=0.8
    )
    service.probe = HttpxProbe(connect_to=routes, timeout=3.0)
    service.inspector = TlsInspector(trust=trust, connect_to=routes, timeout=3.0)


def said(replies: list[dict[str, object]]) -> str:
    return "\n".join(text_of(m) for m in replies)  # type: ignore[arg-type]


def test_meu_site_caiu_to_the_explanation_over_http(  # type: ignore[no-untyped-def]
    stack_factory, sqlite_url: str, dns_server: LocalDns, sites: Sites
) -> None:
    stack: Stack = stack_factory(sqlite_url)
    on_local_servers(stack, dns_server, sites)
    customer = stack.customer(USER)
    customer.says("oi")

    asked = said(customer.says("meu site caiu"))
    assert "Qual é o endereço do site" in asked

    replies = customer.says("erro.test")
    assert "estou verificando o site erro.test" in said(replies)
    while "Posso ajudar em mais alguma coisa" not in said(replies):
        replies += customer.waits_for_reply(timeout=20)

    explanation = said(replies)
    assert "Verifiquei o site erro.test. Veja o que encontrei:" in explanation
    assert FINDINGS["server_error"]["title"].format(status=500) in explanation
    assert "*O que fazer:*" in explanation
    with stack.container.db.engine.connect() as connection:
        [job] = connection.execute(select(jobs).where(jobs.c.kind == "site_check")).mappings()
    assert job["status"] == "done"
    assert job["conversation_key"] is not None


def test_a_healthy_site_from_the_domain_alone_opens_no_ticket(  # type: ignore[no-untyped-def]
    stack_factory, sqlite_url: str, dns_server: LocalDns, sites: Sites
) -> None:
    stack: Stack = stack_factory(sqlite_url)
    on_local_servers(stack, dns_server, sites)
    customer = stack.customer(USER)
    customer.says("oi")
    replies = customer.says("o site ok.test está fora do ar")
    while "Posso ajudar em mais alguma coisa" not in said(replies):
        replies += customer.waits_for_reply(timeout=20)
    told = said(replies)
    assert "não encontrei nada que explique o problema" in told
    assert "entre na Área do Cliente" in told
    assert "Abri o chamado" not in told


def test_a_document_in_what_the_customer_said_is_never_kept_in_clear(  # type: ignore[no-untyped-def]
    stack_factory, sqlite_url: str, dns_server: LocalDns, sites: Sites
) -> None:
    stack: Stack = stack_factory(sqlite_url, secret_key=Secret("33" * 32))
    on_local_servers(stack, dns_server, sites)
    customer = stack.customer(USER)
    customer.says("oi")
    asked = said(customer.says("meu site caiu desde cedo, meu cpf é 529.982.247-25"))
    assert "Qual é o endereço do site" in asked
    while_asked = everything(stack)  # what the customer said waits, sealed, for the domain
    replies = customer.says("ok.test")
    while "Posso ajudar em mais alguma coisa" not in said(replies):
        replies += customer.waits_for_reply(timeout=20)
    with stack.container.db.engine.connect() as connection:
        [payload] = connection.execute(
            select(jobs.c.payload).where(jobs.c.kind == "site_check")
        ).scalars()
    assert "meu site caiu desde cedo" in payload  # kept for the ticket…
    assert "***.982.247-**" in payload  # …with the document masked
    for dump in (while_asked, everything(stack)):
        for clear in ("529.982.247-25", "52998224725"):
            assert clear not in dump


def everything(stack: Stack) -> str:
    with stack.container.db.engine.connect() as connection:
        return "\n".join(
            " ".join(str(v) for v in row)
            for table in metadata.sorted_tables
            for row in connection.execute(select(table))
        )
