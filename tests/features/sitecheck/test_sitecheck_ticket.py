"""Site checks: when nothing explains the problem, the ticket for our team lists every check's
result, in pt-BR, with nothing secret in it (#15.2)."""

from __future__ import annotations

from datetime import timedelta

from dresbach.features.sitecheck.model import (
    DnsAnswers,
    Expectations,
    HttpAnswer,
    IncidentStatus,
    Nameservers,
    OpenIncident,
    Registration,
    ServiceState,
    TlsResult,
    Unverified,
)
from dresbach.features.sitecheck.ticket import ticket_draft
from dresbach.features.sitecheck.wording import SAO_PAULO
from tests.support.sitecheck import (
    DOMAIN,
    EXPECT,
    NOW,
    bot_says,
    certificate,
    diagnosis,
    healthy,
    http,
    https,
    lookup,
    nameservers,
    registered,
    tls,
    usage,
)


def test_the_ticket_lists_every_check_of_a_healthy_site() -> None:
    result = diagnosis(healthy(), reported="Meu site caiu desde hoje cedo, aparece tela branca")
    assert result.findings == ()
    assert result.ticket is not None
    assert result.ticket.subject == "Verificação do site cliente.com.br: nenhuma causa encontrada"
    assert result.ticket.body == (
        "Verificação automática do site cliente.com.br, feita em 25/11/2026, às 12h (horário "
        "de Brasília). Nenhuma verificação explicou o problema relatado pelo cliente; o "
        "resultado de cada uma segue abaixo.\n"
        'Relato do cliente: "Meu site caiu desde hoje cedo, aparece tela branca"\n'
        "\n"
        "Hospedagem:\n"
        "- Conta cPanel: cliente, no servidor srv1.dresbach.com.br\n"
        "- Situação no WHMCS: Active\n"
        "- Situação no WHM: ativa\n"
        "- Disco: 512 MB de 10 GB (5%)\n"
        "- Arquivos (inodes): 1.234 de 250.000 (0%)\n"
        "\n"
        "Domínio e DNS:\n"
        "- Registro no WHMCS: Active, vence em 12/03/2027\n"
        "- DNS de cliente.com.br: 203.0.113.10\n"
        "- DNS de www.cliente.com.br: 203.0.113.10\n"
        "- Endereços do servidor da conta: 203.0.113.10\n"
        "- Servidores DNS (zona cliente.com.br): ns1.dresbach.com.br, ns2.dresbach.com.br, que "
        "são os nossos\n"
        "\n"
        "Site:\n"
        "- https://cliente.com.br/: código 200 em 0,4 s\n"
        "- http://cliente.com.br/: código 200 em 0,6 s, depois de redirecionar para "
        "https://cliente.com.br/\n"
        "- Certificado SSL: emitido para cliente.com.br, www.cliente.com.br, por R11, válido de "
        "26/10/2026 a 24/01/2027 (vence em 60 dias); confiável\n"
        "\n"
        "Incidentes:\n"
        "- Nenhum incidente aberto no servidor"
    )
    assert bot_says(healthy()) == [
        "Verifiquei o site cliente.com.br e não encontrei nada que explique o problema: a "
        "hospedagem, o domínio, o DNS e o site estão respondendo normalmente agora.",
        "Vou abrir um chamado para a nossa equipe com o resultado de cada verificação, para você "
        "não precisar explicar tudo de novo.",
    ]


def test_what_could_not_be_verified_and_what_was_not_run_are_said() -> None:
    report = healthy(
        service=Unverified(reason="error", detail="WHMCS GetClientsProducts: HTTP 503"),
        usage=Unverified(reason="timeout"),
        registration=None,
        nameservers=Unverified(reason="timeout", detail="prazo total esgotado"),
        incident=None,
    )
    result = diagnosis(report)
    assert result.unverified == ("service", "usage", "nameservers")
    assert result.ticket is not None
    body = result.ticket.body
    assert (
        "- Situação no WHMCS: não foi possível verificar (WHMCS GetClientsProducts: HTTP 503)"
        in (body)
    )
    assert "- Uso da conta no WHM: não foi possível verificar (tempo esgotado)" in body
    assert "- Registro no WHMCS: não verificado" in body
    assert "- Servidores DNS: não foi possível verificar (tempo esgotado)" in body
    assert "- Incidentes no servidor: não verificado" in body
    assert bot_says(report)[0] == (
        "Verifiquei o site cliente.com.br e não encontrei a causa do problema, mas não consegui "
        "concluir algumas verificações agora."
    )


def test_the_ticket_of_a_site_that_does_not_answer() -> None:
    report = healthy(
        service=ServiceState(status="Active"),
        usage=usage(disk_limit_mb=None, inodes_used=None, ipv6=("2001:db8::10",)),
        registration=Registration(record=None),
        dns=DnsAnswers(
            apex=lookup(DOMAIN, "203.0.113.10", "2001:db8::10"),
            www=lookup(f"www.{DOMAIN}", status="servfail"),
        ),
        nameservers=Nameservers(zone=DOMAIN, status="servfail"),
        https=HttpAnswer(url=f"https://{DOMAIN}/", outcome="timeout", seconds=10.0),
        http=HttpAnswer(url=f"http://{DOMAIN}/", outcome="refused"),
        certificate=TlsResult(outcome="handshake_failed", detail="wrong version number"),
    )
    result = diagnosis(report, Expectations(billing_site=EXPECT.billing_site))
    assert result.ticket is not None
    lines = result.ticket.body.splitlines()
    for line in [
        "- Disco: 512 MB, sem limite",
        "- Arquivos (inodes): o WHM não informou",
        "- Registro no WHMCS: o domínio não está registrado conosco",
        "- DNS de cliente.com.br: 203.0.113.10, 2001:db8::10",
        "- DNS de www.cliente.com.br: os servidores DNS do domínio falharam (SERVFAIL)",
        "- Endereços do servidor da conta: 203.0.113.10, 2001:db8::10",
        "- Servidores DNS (zona cliente.com.br): os servidores DNS falharam (SERVFAIL)",
        "- https://cliente.com.br/: sem resposta no tempo limite",
        "- http://cliente.com.br/: conexão recusada",
        "- Certificado SSL: a negociação TLS falhou",
    ]:
        assert line in lines


def test_the_ticket_says_how_the_certificate_failed_and_lists_the_notices() -> None:
    report = healthy(
        https=https(status=301, left_to="https://outro.example/", redirects=()),
        http=http(outcome="too_many_redirects", status=302, redirects=("a", "b")),
        certificate=tls(certificate=certificate(not_after=NOW + timedelta(days=3))),
        registration=registered(expires=NOW.date() + timedelta(days=20)),
    )
    result = diagnosis(report)
    # a redirect away explains; the notices come with it and there is no ticket
    assert [f.kind.value for f in result.findings] == [
        "redirect_elsewhere",
        "domain_expiring",
        "ssl_expiring",
    ]
    assert result.ticket is None
    quiet = healthy(
        certificate=tls(
            certificate=certificate(not_after=NOW - timedelta(hours=2)),
            trusted=False,
            verify_error="certificate has expired",
        ),
        https=https(outcome="tls_failed", status=None),
        http=HttpAnswer(url=f"http://{DOMAIN}/", outcome="refused"),
    )
    expired = diagnosis(quiet)
    assert [f.kind.value for f in expired.findings] == ["ssl_expired"]
    assert expired.ticket is None
    unexplained = diagnosis(
        healthy(
            certificate=tls(certificate=certificate(not_after=NOW + timedelta(days=3))),
            registration=registered(expires=NOW.date() + timedelta(days=20)),
        )
    )
    assert unexplained.ticket is not None
    assert unexplained.ticket.body.endswith(
        "- Certificado SSL: emitido para cliente.com.br, www.cliente.com.br, por R11, válido de "
        "26/10/2026 a 28/11/2026 (vence em 3 dias); confiável\n"
        "\n"
        "Incidentes:\n"
        "- Nenhum incidente aberto no servidor\n"
        "\n"
        "Avisos encontrados:\n"
        "- Domínio perto de vencer\n"
        "- Certificado SSL perto de vencer"
    )


def test_an_untrusted_certificate_in_the_ticket_carries_openssl_s_words() -> None:
    report = healthy(
        certificate=tls(
            certificate=certificate(not_after=NOW - timedelta(days=400)),
            trusted=False,
            verify_error="certificate has expired",
        ),
        incident=IncidentStatus(
            open=OpenIncident(incident_id="1", title="Rede", message="Instável.", updated_at=NOW)
        ),
    )
    result = diagnosis(report)
    assert result.ticket is None  # the incident explains it
    draft = ticket_draft(report, EXPECT, (), NOW, tz=SAO_PAULO)
    assert (
        "- Certificado SSL: emitido para cliente.com.br, www.cliente.com.br, por R11, válido de "
        "26/10/2026 a 21/10/2025 (vencido há 400 dias); não confiável (certificate has expired)"
    ) in draft.body
    assert "- Incidente aberto: Rede (atualizado em 25/11/2026, às 12h)" in draft.body


def test_the_ticket_has_no_secret_and_no_payment() -> None:
    result = diagnosis(healthy(), reported="minha senha é hunter2, meu CPF 529.982.247-25")
    assert result.ticket is not None
    body = result.ticket.body.lower()
    for word in ("token", "password", "pix", "boleto", "r$"):
        assert word not in body
    # what the customer typed is theirs to give; it is quoted, clipped, and nothing is added
    assert body.count("hunter2") == 1


def test_what_the_customer_said_is_clipped() -> None:
    result = diagnosis(healthy(), reported="socorro " * 400)
    assert result.ticket is not None
    quoted = next(
        line for line in result.ticket.body.splitlines() if line.startswith("Relato do cliente")
    )
    assert len(quoted) < 1100
    assert quoted.endswith('…"')


def test_a_public_check_has_no_account_lines() -> None:
    report = healthy(
        username=None,
        server=None,
        service=None,
        usage=None,
        registration=None,
        nameservers=nameservers(),
    )
    result = diagnosis(report, Expectations(billing_site=EXPECT.billing_site))
    assert result.ticket is not None
    hosting = result.ticket.body.split("\n\n")[1]
    assert hosting == (
        "Hospedagem:\n- Situação no WHMCS: não verificado\n- Uso da conta no WHM: não verificado"
    )
