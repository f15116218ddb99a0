"""Site checks, the domain and its DNS: what the checks found, what the customer reads (#15.2).

An expired, expiring or missing domain; addresses pointing elsewhere (with our nameservers,
another provider's, or a proxy in front); no address at all; no ``www``; nameservers not ours."""

from __future__ import annotations

from datetime import date

from dresbach.features.sitecheck.model import (
    DnsAnswers,
    Expectations,
    HttpAnswer,
    Registration,
    Severity,
    TlsResult,
)
from tests.support.sitecheck import (
    DOMAIN,
    EXPECT,
    FOUND,
    SERVER_IP,
    bot_says,
    diagnosis,
    dns,
    healthy,
    http,
    https,
    kinds,
    lookup,
    nameservers,
    registered,
    usage,
)

NOTHING_EXPLAINS = (
    "Verifiquei o site cliente.com.br e não encontrei nada que explique o problema: a "
    "hospedagem, o domínio, o DNS e o site estão respondendo normalmente agora."
)
OPENING_TICKET = (
    "Vou abrir um chamado para a nossa equipe com o resultado de cada verificação, para você não "
    "precisar explicar tudo de novo."
)
NXDOMAIN = DnsAnswers(
    apex=lookup(DOMAIN, status="nxdomain"), www=lookup(f"www.{DOMAIN}", status="nxdomain")
)
DOWN = {
    "https": HttpAnswer(url=f"https://{DOMAIN}/", outcome="refused"),
    "http": HttpAnswer(url=f"http://{DOMAIN}/", outcome="refused"),
    "certificate": TlsResult(outcome="refused"),
}


def test_an_expired_domain_says_to_renew_where_payments_are_made() -> None:
    report = healthy(
        registration=registered(status="Expired", expires=date(2026, 11, 20)),
        dns=NXDOMAIN,  # what an expired domain looks like: not said twice
        **DOWN,
    )
    assert bot_says(report) == [
        FOUND,
        "*Domínio expirado*\n\n"
        "O domínio cliente.com.br expirou em 20/11/2026. Com o domínio expirado, o site e os "
        "e-mails param de funcionar.\n\n"
        "*O que fazer:* Renove o domínio pela Área do Cliente no site "
        "https://cliente.dresbach.com.br, onde os pagamentos são feitos. Depois da renovação, o "
        "site pode levar algumas horas para voltar em todo lugar.",
    ]


def test_a_domain_past_its_date_is_expired_whatever_its_status() -> None:
    assert kinds(healthy(registration=registered(expires=date(2026, 11, 24)))) == ["domain_expired"]
    assert kinds(healthy(registration=registered(expires=date(2026, 11, 25)))) == [
        "domain_expiring"
    ]


def test_a_domain_in_grace_without_a_date_is_expired() -> None:
    [_, said] = bot_says(healthy(registration=registered(status="Grace", expires=None)))
    assert said.startswith(
        "*Domínio expirado*\n\nO registro do domínio cliente.com.br está expirado. Com o domínio "
        "expirado, o site e os e-mails param de funcionar."
    )


def test_a_domain_close_to_expiry_is_a_notice_beside_the_ticket() -> None:
    report = healthy(registration=registered(expires=date(2026, 12, 10)))
    assert bot_says(report) == [
        NOTHING_EXPLAINS,
        "*Domínio perto de vencer*\n\n"
        "O registro do domínio cliente.com.br vence em 15 dias (10/12/2026).\n\n"
        "*O que fazer:* Renove com antecedência pela Área do Cliente no site "
        "https://cliente.dresbach.com.br, onde os pagamentos são feitos, para o site e os "
        "e-mails não pararem.",
        OPENING_TICKET,
    ]


def test_a_domain_dns_does_not_know_points_to_its_registrar() -> None:
    report = healthy(registration=Registration(record=None), dns=NXDOMAIN, **DOWN)
    assert bot_says(report) == [
        FOUND,
        "*Domínio não encontrado na internet*\n\n"
        "A consulta de DNS respondeu que o domínio cliente.com.br não existe. Isso acontece "
        "quando o domínio expirou, ainda não foi registrado ou foi suspenso pelo órgão de "
        "registro.\n\n"
        "*O que fazer:* Confira no painel da empresa onde o domínio foi registrado (para "
        "domínios .br, no Registro.br) se ele está ativo e em dia. Se o domínio foi registrado "
        "conosco, veja a situação dele na Área do Cliente, no site "
        "https://cliente.dresbach.com.br.",
    ]


def test_pointing_elsewhere_with_our_nameservers_gives_the_records_for_the_zone_editor() -> None:
    report = healthy(dns=dns(apex=("198.51.100.7",), www=("198.51.100.7",)), **DOWN)
    assert bot_says(report) == [
        FOUND,
        "*Domínio apontando para outro servidor*\n\n"
        "O endereço do site cliente.com.br aponta para 198.51.100.7, mas a sua hospedagem "
        "conosco está em 203.0.113.10. Quem acessa o site chega a outro servidor.\n\n"
        "*O que fazer:* Os servidores DNS do domínio são os nossos: no cPanel, abra *Zone "
        "Editor* e deixe os registros assim:\n"
        "• Tipo A, nome @ (cliente.com.br), valor 203.0.113.10\n"
        "• Tipo CNAME, nome www, valor cliente.com.br\n"
        "A mudança pode levar algumas horas para valer em todo lugar.",
    ]


def test_pointing_elsewhere_with_another_provider_s_nameservers() -> None:
    report = healthy(
        registration=Registration(record=None),
        dns=dns(apex=("198.51.100.7", "2001:db8::99"), www=("198.51.100.7",)),
        nameservers=nameservers("ns1.hostinger.com", "NS2.Hostinger.com."),
        https=https(status=404),  # the other server's page: not our problem to explain
    )
    assert bot_says(report) == [
        FOUND,
        "*Servidores DNS de outro provedor*\n\n"
        "O domínio cliente.com.br usa os servidores DNS ns1.hostinger.com e ns2.hostinger.com, "
        "que não são os nossos. Por isso, o endereço do site é definido nesse outro provedor, e "
        "não na sua hospedagem conosco.\n\n"
        "*O que fazer:* Para que nós cuidemos do DNS, troque os servidores DNS do domínio para:\n"
        "• ns1.dresbach.com.br\n"
        "• ns2.dresbach.com.br\n"
        "A troca é feita no painel da empresa onde o domínio foi registrado (para domínios .br, "
        "no Registro.br) e pode levar até 24 horas para valer em todo lugar.",
        "*Domínio apontando para outro servidor*\n\n"
        "O endereço do site cliente.com.br aponta para 198.51.100.7 e 2001:db8::99, mas a sua "
        "hospedagem conosco está em 203.0.113.10. Quem acessa o site chega a outro servidor.\n\n"
        "*O que fazer:* O DNS do domínio está em ns1.hostinger.com e ns2.hostinger.com. Lá, "
        "deixe os registros assim:\n"
        "• Tipo A, nome @ (cliente.com.br), valor 203.0.113.10\n"
        "• Tipo CNAME, nome www, valor cliente.com.br\n"
        "• Apague o registro AAAA com o valor 2001:db8::99\n"
        "Ou troque os servidores DNS do domínio para os nossos. A mudança pode levar algumas "
        "horas para valer em todo lugar.",
        "*Página inicial com erro 404*\n\n"
        "A página inicial do site cliente.com.br respondeu com o erro 404 (página não "
        "encontrada).\n\n"
        "*O que fazer:* No *Gerenciador de arquivos* do cPanel, confira se a pasta public_html "
        "tem o arquivo inicial do site (index.php ou index.html) e se as permissões estão "
        "corretas: 644 para arquivos e 755 para pastas. Veja também se o arquivo .htaccess "
        "mudou recentemente.",
    ]


def test_foreign_nameservers_of_a_domain_registered_with_us_are_changed_on_our_site() -> None:
    report = healthy(
        dns=dns(apex=("198.51.100.7",), www=("198.51.100.7",)),
        nameservers=nameservers("ns1.outro.com.br", "ns2.outro.com.br"),
        **DOWN,
    )
    first = diagnosis(report).findings[0]
    assert first.what_to_do.endswith(
        "Você pode fazer isso na Área do Cliente, no site https://cliente.dresbach.com.br. A "
        "troca pode levar até 24 horas para valer em todo lugar."
    )


def test_addresses_elsewhere_while_the_site_answers_look_like_a_proxy() -> None:
    report = healthy(
        dns=dns(apex=("104.21.3.4", "2606:4700::6812:304"), www=("104.21.3.4",)),
        nameservers=nameservers("ana.ns.cloudflare.com", "bob.ns.cloudflare.com"),
    )
    assert bot_says(report) == [
        NOTHING_EXPLAINS,
        "*Domínio apontando para outro servidor*\n\n"
        "O endereço do site cliente.com.br aponta para 104.21.3.4 e 2606:4700::6812:304, e não "
        "para o nosso servidor (203.0.113.10). Como o site respondeu normalmente, pode ser um "
        "serviço intermediário, como a Cloudflare.\n\n"
        "*O que fazer:* Se você não usa um serviço assim, deixe os registros do domínio assim:\n"
        "• Tipo A, nome @ (cliente.com.br), valor 203.0.113.10\n"
        "• Tipo CNAME, nome www, valor cliente.com.br\n"
        "• Apague o registro AAAA com o valor 2606:4700::6812:304",
        OPENING_TICKET,
    ]


def test_foreign_nameservers_pointing_right_are_only_good_to_know() -> None:
    report = healthy(nameservers=nameservers("ns1.outro.com.br", "ns2.outro.com.br"))
    assert bot_says(report) == [
        NOTHING_EXPLAINS,
        "*Servidores DNS de outro provedor*\n\n"
        "O domínio cliente.com.br usa os servidores DNS ns1.outro.com.br e ns2.outro.com.br, que "
        "não são os nossos. O site aponta corretamente para o nosso servidor, então isso não "
        "impede o funcionamento: só lembre que mudanças de DNS, como as de e-mail, são feitas "
        "nesse provedor.\n\n"
        "*O que fazer:* Nada a fazer agora.",
        OPENING_TICKET,
    ]


def test_one_of_our_nameservers_beside_a_foreign_one_is_not_ours() -> None:
    report = healthy(nameservers=nameservers("ns1.dresbach.com.br", "ns.outro.com.br"))
    assert kinds(report) == ["nameservers_foreign"]


def test_the_account_s_own_ipv6_is_asked_for_and_an_unknown_server_judges_nothing() -> None:
    report = healthy(
        usage=usage(ipv6=("2001:db8::10",)),
        dns=dns(apex=("198.51.100.7",), www=("198.51.100.7",)),
        **DOWN,
    )
    [finding] = diagnosis(report).findings
    assert finding.what_to_do.splitlines()[1:3] == [
        "• Tipo A, nome @ (cliente.com.br), valor 203.0.113.10",
        "• Tipo AAAA, nome @ (cliente.com.br), valor 2001:db8::10",
    ]
    public = Expectations(billing_site=EXPECT.billing_site, our_nameservers=EXPECT.our_nameservers)
    public_report = healthy(usage=None, dns=dns(apex=("198.51.100.7",)), **DOWN)
    assert kinds(public_report, public) == []


def test_a_domain_with_no_address_gets_the_records_to_create() -> None:
    report = healthy(
        dns=DnsAnswers(
            apex=lookup(DOMAIN, status="nodata"), www=lookup(f"www.{DOMAIN}", status="nodata")
        ),
        **DOWN,
    )
    assert bot_says(report) == [
        FOUND,
        "*Domínio sem endereço de site*\n\n"
        "O domínio cliente.com.br existe, mas não tem nenhum registro de endereço (A ou AAAA) "
        "para o site, então os navegadores não sabem onde encontrá-lo.\n\n"
        "*O que fazer:* No DNS do domínio, crie os registros:\n"
        "• Tipo A, nome @ (cliente.com.br), valor 203.0.113.10\n"
        "• Tipo CNAME, nome www, valor cliente.com.br",
    ]


def test_no_www_record_is_a_warning_that_explains() -> None:
    report = healthy(
        dns=DnsAnswers(
            apex=lookup(DOMAIN, SERVER_IP), www=lookup(f"www.{DOMAIN}", status="nxdomain")
        ),
        http=http(redirects=()),
    )
    assert bot_says(report) == [
        FOUND,
        "*Endereço com www sem configuração*\n\n"
        "O endereço www.cliente.com.br não tem registro de DNS, então quem digita o site com www "
        "não consegue abri-lo.\n\n"
        "*O que fazer:* No DNS do domínio, crie o registro:\n"
        "• Tipo CNAME, nome www, valor cliente.com.br",
    ]
    assert diagnosis(report).findings[0].severity is Severity.WARNING
    assert diagnosis(report).ticket is None
