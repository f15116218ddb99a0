"""Site checks, the home page and its certificate: what the checks found, what the customer
reads (#15.2). Errors 5xx, 508 and 4xx, redirect loops and redirects away, slowness, and every
way a certificate fails (AutoSSL is the answer), or no HTTPS at all."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dresbach.features.sitecheck.diagnosis_web import covers
from dresbach.features.sitecheck.model import HttpAnswer, Severity, TlsResult
from tests.support.sitecheck import (
    DOMAIN,
    FOUND,
    NOW,
    bot_says,
    certificate,
    diagnosis,
    healthy,
    http,
    https,
    kinds,
    tls,
)

AUTOSSL = (
    "*O que fazer:* No cPanel, abra *SSL/TLS Status* e toque em *Run AutoSSL*: o certificado "
    "gratuito é emitido em alguns minutos. Para isso funcionar, o domínio precisa apontar para o "
    "nosso servidor."
)


def test_an_error_500_points_to_the_error_log_and_recent_changes() -> None:
    assert bot_says(healthy(https=https(status=500, seconds=0.2))) == [
        FOUND,
        "*Erro no site (código 500)*\n\n"
        "A página inicial do site cliente.com.br respondeu com o erro 500: o servidor recebeu o "
        "acesso, mas o site falhou ao montar a página. Na maioria das vezes, a causa está nos "
        "arquivos ou na configuração do site.\n\n"
        "*O que fazer:* No cPanel, abra *Erros* (em Métricas) para ver as últimas mensagens de "
        "erro. Pense também no que mudou recentemente: atualização de plugin ou tema, mudança no "
        "arquivo .htaccess ou troca da versão do PHP. Desfazer a última mudança costuma resolver.",
    ]


def test_a_508_is_the_plan_s_resource_limit() -> None:
    assert bot_says(healthy(https=https(status=508))) == [
        FOUND,
        "*Limite de recursos atingido*\n\n"
        "A página inicial do site cliente.com.br respondeu com o erro 508: a hospedagem atingiu "
        "o limite de processamento ou de memória do plano.\n\n"
        "*O que fazer:* No cPanel, abra *Uso de recursos* para ver quando o limite foi atingido. "
        "Plugins pesados, robôs e ataques costumam ser a causa, e um plugin de cache ajuda. Se o "
        "site cresceu, podemos mudar o seu plano para um maior. Digite *atendente* para falar "
        "com a nossa equipe.",
    ]


@pytest.mark.parametrize(
    ("status", "meaning"),
    [(403, "acesso negado"), (404, "página não encontrada"), (418, "o site recusou o acesso")],
)
def test_a_4xx_points_to_public_html(status: int, meaning: str) -> None:
    [_, said] = bot_says(healthy(https=https(status=status)))
    assert said == (
        f"*Página inicial com erro {status}*\n\n"
        f"A página inicial do site cliente.com.br respondeu com o erro {status} ({meaning}).\n\n"
        "*O que fazer:* No *Gerenciador de arquivos* do cPanel, confira se a pasta public_html "
        "tem o arquivo inicial do site (index.php ou index.html) e se as permissões estão "
        "corretas: 644 para arquivos e 755 para pastas. Veja também se o arquivo .htaccess mudou "
        "recentemente."
    )


def test_a_redirect_loop() -> None:
    looping = https(outcome="too_many_redirects", status=301, redirects=(f"https://{DOMAIN}/",) * 6)
    assert bot_says(healthy(https=looping)) == [
        FOUND,
        "*Redirecionamento em loop*\n\n"
        "A página inicial do site cliente.com.br redireciona sem parar, e o navegador desiste "
        'com o erro de "redirecionamentos demais".\n\n'
        "*O que fazer:* Isso costuma vir de uma regra no arquivo .htaccess ou do endereço "
        "configurado no site (no WordPress, em *Configurações > Geral*) em conflito com o uso de "
        "https. Desfaça a última mudança nessas configurações.",
    ]


def test_a_redirect_to_another_site() -> None:
    away = https(status=302, left_to="https://promo.example/entrar", redirects=())
    assert bot_says(healthy(https=away)) == [
        FOUND,
        "*Site redirecionando para outro endereço*\n\n"
        "A página inicial do site cliente.com.br redireciona para https://promo.example/entrar."
        "\n\n*O que fazer:* Se não foi você quem fez isso, confira as regras do arquivo "
        ".htaccess e o endereço configurado no site (no WordPress, em *Configurações > Geral*). "
        "Um redirecionamento que ninguém criou pode indicar que o site foi invadido. Nesse caso, "
        "digite *atendente* para falar com a nossa equipe.",
    ]


def test_a_slow_home_page() -> None:
    report = healthy(https=https(seconds=12.34))
    assert bot_says(report) == [
        FOUND,
        "*Site lento*\n\n"
        "A página inicial do site cliente.com.br levou 12,3 s para responder. O esperado é menos "
        "de 5 s.\n\n"
        "*O que fazer:* No cPanel, abra *Uso de recursos* para ver se a hospedagem está no "
        "limite. Atualize plugins e temas, desative os que não usa e use um plugin de cache. "
        "Imagens muito grandes também deixam o site lento.",
    ]
    assert diagnosis(report).findings[0].severity is Severity.WARNING


def test_the_http_answer_is_judged_when_https_does_not_answer() -> None:
    report = healthy(
        https=HttpAnswer(url=f"https://{DOMAIN}/", outcome="refused"),
        http=http(status=500, redirects=()),
        certificate=TlsResult(outcome="refused"),
    )
    assert kinds(report) == ["server_error", "https_unavailable"]


def test_an_expired_certificate_says_run_autossl() -> None:
    expired = tls(
        certificate=certificate(not_after=NOW - timedelta(days=3)),
        trusted=False,
        verify_error="certificate has expired",
    )
    assert bot_says(healthy(certificate=expired)) == [
        FOUND,
        "*Certificado SSL vencido*\n\n"
        "O certificado SSL do site cliente.com.br venceu em 22/11/2026. Os navegadores mostram "
        "um aviso de site não seguro, e muitos visitantes desistem de entrar.\n\n" + AUTOSSL,
    ]


def test_a_certificate_not_yet_valid() -> None:
    early = tls(certificate=certificate(not_before=NOW + timedelta(hours=5)), trusted=False)
    assert bot_says(healthy(certificate=early))[1] == (
        "*Certificado SSL ainda não válido*\n\n"
        "O certificado SSL do site cliente.com.br só vale a partir de 25/11/2026, às 17h. Até "
        "lá, os navegadores mostram um aviso de site não seguro.\n\n" + AUTOSSL
    )


def test_a_certificate_of_another_name() -> None:
    other = certificate(subject="srv1.dresbach.com.br", names=("srv1.dresbach.com.br",))
    report = healthy(certificate=tls(certificate=other, trusted=False))
    assert bot_says(report)[1] == (
        "*Certificado SSL de outro endereço*\n\n"
        "O certificado SSL apresentado pelo site cliente.com.br foi emitido para "
        "srv1.dresbach.com.br. Os navegadores mostram um aviso de site não seguro.\n\n" + AUTOSSL
    )


def test_a_self_signed_certificate() -> None:
    own = certificate(self_issued=True, issuer=DOMAIN)
    assert bot_says(healthy(certificate=tls(certificate=own, trusted=False)))[1] == (
        "*Certificado SSL autoassinado*\n\n"
        "O site cliente.com.br usa um certificado SSL autoassinado, que os navegadores não "
        "reconhecem como seguro.\n\n" + AUTOSSL
    )


def test_a_certificate_no_one_trusts() -> None:
    unknown = tls(
        certificate=certificate(issuer="Obscure CA"),
        trusted=False,
        verify_error="unable to get local issuer certificate",
    )
    assert bot_says(healthy(certificate=unknown))[1] == (
        "*Certificado SSL não reconhecido*\n\n"
        "Os navegadores não reconhecem o certificado SSL do site cliente.com.br como confiável: "
        "a cadeia de certificação está incompleta ou o emissor (Obscure CA) é desconhecido.\n\n"
        + AUTOSSL
        + " Se o certificado foi comprado, instale também os certificados intermediários (CA "
        "bundle) no cPanel, em *SSL/TLS*."
    )


def test_a_certificate_close_to_its_end_is_a_notice() -> None:
    ending = tls(certificate=certificate(not_after=NOW + timedelta(days=5, hours=2)))
    result = diagnosis(healthy(certificate=ending))
    [finding] = result.findings
    assert finding.severity is Severity.NOTICE
    assert result.ticket is not None
    assert bot_says(healthy(certificate=ending))[1] == (
        "*Certificado SSL perto de vencer*\n\n"
        "O certificado SSL do site cliente.com.br vence em 5 dias (30/11/2026). O AutoSSL "
        "costuma renovar antes disso; se ainda não renovou, algo pode estar impedindo.\n\n"
        + AUTOSSL
    )


def test_no_https_while_http_answers() -> None:
    report = healthy(
        https=HttpAnswer(url=f"https://{DOMAIN}/", outcome="refused"),
        http=http(redirects=()),
        certificate=TlsResult(outcome="refused"),
    )
    assert bot_says(report) == [
        FOUND,
        "*Site sem acesso seguro (https)*\n\n"
        "O site cliente.com.br abre pelo endereço http://, mas não responde pelo endereço "
        "seguro, https://. Muitos navegadores tentam o endereço seguro primeiro e mostram um "
        "erro.\n\n" + AUTOSSL,
    ]


def test_a_site_that_does_not_answer_at_all_is_not_explained() -> None:
    report = healthy(
        https=HttpAnswer(url=f"https://{DOMAIN}/", outcome="timeout", seconds=10.0),
        http=HttpAnswer(url=f"http://{DOMAIN}/", outcome="timeout", seconds=10.0),
        certificate=TlsResult(outcome="timeout"),
    )
    assert bot_says(report) == [
        "Verifiquei o site cliente.com.br: a hospedagem, o domínio e o DNS estão em ordem, mas "
        "o site não respondeu, e não encontrei a causa.",
        "Vou abrir um chamado para a nossa equipe com o resultado de cada verificação, para você "
        "não precisar explicar tudo de novo.",
    ]
    assert diagnosis(report).ticket is not None


@pytest.mark.parametrize(
    ("names", "host", "covered"),
    [
        (("cliente.com.br",), "cliente.com.br", True),
        (("CLIENTE.com.br.",), "cliente.com.br", True),
        (("*.cliente.com.br",), "www.cliente.com.br", True),
        (("*.cliente.com.br",), "cliente.com.br", False),
        (("*.cliente.com.br",), "a.b.cliente.com.br", False),
        (("*.com.br",), "cliente.com.br", True),
        (("outro.com.br",), "cliente.com.br", False),
        ((), "cliente.com.br", True),  # the subject names it
    ],
)
def test_which_names_a_certificate_covers(names: tuple[str, ...], host: str, covered: bool) -> None:
    assert covers(certificate(names=names), host) is covered
