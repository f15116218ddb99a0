"""Site checks, the hosting account: what the checks found, what the customer reads (#15.2).

An open incident, a suspended, pending or closed service, a full disk or inode quota."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dresbach.features.sitecheck.model import (
    FindingKind,
    IncidentStatus,
    OpenIncident,
    ServiceState,
    Severity,
    SuspensionCause,
    suspension_cause,
)
from tests.support.sitecheck import (
    FOUND,
    NOW,
    bot_says,
    diagnosis,
    healthy,
    https,
    kinds,
    usage,
)

PAY_ON_THE_SITE = (
    "*O que fazer:* Pague a fatura em aberto pela Área do Cliente no site "
    "https://cliente.dresbach.com.br. Os pagamentos são feitos somente por lá: por esta conversa "
    "não enviamos boleto, Pix nem link de pagamento. A hospedagem é reativada depois que o "
    "pagamento é confirmado."
)


def test_an_open_incident_comes_first_with_its_message_and_when_it_was_updated() -> None:
    incident = OpenIncident(
        incident_id="inc-7",
        title="Lentidão no servidor srv1",
        message="Estamos trocando um disco do servidor. Previsão de normalização: 14h.",
        updated_at=NOW - timedelta(minutes=20),
    )
    report = healthy(
        incident=IncidentStatus(open=incident),
        https=https(status=503),  # a symptom of the incident: not repeated
        usage=usage(disk_used_mb=9800.0),  # a notice still worth knowing
    )
    assert bot_says(report) == [
        FOUND,
        "*Instabilidade no servidor*\n\n"
        "Estamos com uma instabilidade no servidor onde o site cliente.com.br está hospedado: "
        "Lentidão no servidor srv1.\n\n"
        "Estamos trocando um disco do servidor. Previsão de normalização: 14h.\n\n"
        "Última atualização: 25/11/2026, às 11h40.\n\n"
        "*O que fazer:* Nossa equipe já está trabalhando nisso e não é preciso abrir um chamado. "
        "Avisaremos por aqui quando estiver resolvido.",
        "*Espaço em disco quase cheio*\n\n"
        "A hospedagem do site cliente.com.br está usando 9,6 GB de 10 GB de espaço (95%). "
        "Quando o espaço acabar, o site pode dar erro e os e-mails param de chegar.\n\n"
        "*O que fazer:* No cPanel, abra *Uso do disco* para ver o que ocupa mais espaço e apague "
        "o que não precisa: backups antigos, e-mails antigos, logs e caches.",
    ]
    assert diagnosis(report).ticket is None


def test_a_long_incident_message_is_clipped_to_fit_one_whatsapp_message() -> None:
    incident = OpenIncident(
        incident_id="inc-8",
        title="Manutenção",
        message="Atualização do servidor em andamento. " * 300,
        updated_at=NOW,
    )
    [_, said] = bot_says(healthy(incident=IncidentStatus(open=incident)))
    assert len(said) <= 4096
    assert "…\n\nÚltima atualização: 25/11/2026, às 12h." in said


def test_suspended_for_an_overdue_invoice_says_where_payments_are_made() -> None:
    report = healthy(
        service=ServiceState(status="Suspended", suspension_reason="Overdue on Payment"),
        https=https(status=200),
    )
    assert bot_says(report) == [
        FOUND,
        "*Hospedagem suspensa por fatura em aberto*\n\n"
        "A hospedagem do site cliente.com.br está suspensa porque há uma fatura vencida. "
        "Enquanto a suspensão durar, o site fica fora do ar.\n\n" + PAY_ON_THE_SITE,
    ]
    [finding] = diagnosis(report).findings
    assert finding.severity is Severity.CRITICAL
    assert finding.needs_person is False


def test_suspended_for_abuse_goes_to_a_person() -> None:
    report = healthy(service=ServiceState(status="Suspended", suspension_reason="Envio de SPAM"))
    assert bot_says(report) == [
        FOUND,
        "*Hospedagem suspensa para análise*\n\n"
        "A hospedagem do site cliente.com.br foi suspensa pela nossa equipe por um problema de "
        "segurança ou de uso, como envio de spam ou arquivos maliciosos.\n\n"
        "*O que fazer:* Esse caso é tratado por uma pessoa da nossa equipe, que vai explicar o "
        "motivo e os próximos passos. Digite *atendente* para falar com ela.",
    ]
    assert diagnosis(report).findings[0].needs_person is True


def test_suspended_for_another_reason_goes_to_a_person() -> None:
    report = healthy(service=ServiceState(status="Suspended"))
    assert bot_says(report) == [
        FOUND,
        "*Hospedagem suspensa*\n\n"
        "A hospedagem do site cliente.com.br está suspensa, por isso o site não está no ar.\n\n"
        "*O que fazer:* Uma pessoa da nossa equipe vai verificar o motivo com você. Digite "
        "*atendente* para falar com ela.",
    ]


def test_suspended_in_whm_only_counts_with_whm_s_reason() -> None:
    overdue = healthy(usage=usage(suspended=True, suspend_reason="Pagamento em atraso"))
    assert kinds(overdue) == ["suspended_overdue"]
    abuse = healthy(usage=usage(suspended=True, suspend_reason="Phishing kit em public_html"))
    assert kinds(abuse) == ["suspended_abuse"]


def test_whmcs_suspension_without_a_reason_takes_whm_s() -> None:
    report = healthy(
        service=ServiceState(status="Suspended"),
        usage=usage(suspended=True, suspend_reason="Overdue on Payment"),
    )
    assert kinds(report) == ["suspended_overdue"]


@pytest.mark.parametrize(
    ("reason", "cause"),
    [
        ("Overdue on Payment", SuspensionCause.OVERDUE),
        ("Fatura vencida", SuspensionCause.OVERDUE),
        ("Inadimplência", SuspensionCause.OVERDUE),
        ("Abuse: outgoing spam", SuspensionCause.ABUSE),
        ("Violação dos termos de uso", SuspensionCause.ABUSE),
        ("malware + falta de pagamento", SuspensionCause.ABUSE),  # a person decides
        ("Pedido do cliente", SuspensionCause.OTHER),
        ("", SuspensionCause.OTHER),
        (None, SuspensionCause.OTHER),
    ],
)
def test_the_cause_of_a_suspension_is_read_from_its_free_text(
    reason: str | None, cause: SuspensionCause
) -> None:
    assert suspension_cause(reason) is cause


@pytest.mark.parametrize(
    ("status", "named"), [("Terminated", "encerrada"), ("Cancelled", "cancelada")]
)
def test_a_closed_service_goes_to_a_person(status: str, named: str) -> None:
    report = healthy(service=ServiceState(status=status), https=https(status=404))
    assert bot_says(report) == [
        FOUND,
        "*Hospedagem encerrada*\n\n"
        f"A hospedagem do site cliente.com.br consta como {named} no nosso sistema, por isso o "
        "site não está no ar.\n\n"
        "*O que fazer:* Só a nossa equipe pode verificar esse caso. Digite *atendente* para "
        "falar com ela.",
    ]


def test_a_pending_service_says_where_to_pay_the_order() -> None:
    assert bot_says(healthy(service=ServiceState(status="Pending"))) == [
        FOUND,
        "*Hospedagem aguardando ativação*\n\n"
        "A hospedagem do site cliente.com.br ainda não foi ativada. Isso costuma acontecer "
        "quando a fatura do pedido ainda não foi paga ou o pagamento ainda não foi confirmado."
        "\n\n*O que fazer:* Se a fatura do pedido está em aberto, pague pela Área do Cliente no "
        "site https://cliente.dresbach.com.br: os pagamentos são feitos somente por lá. Se você "
        "já pagou, digite *atendente* para falar com a nossa equipe.",
    ]


def test_a_full_disk_says_what_to_delete_or_to_upgrade() -> None:
    report = healthy(usage=usage(disk_used_mb=10240.0, disk_limit_mb=10240.0))
    assert bot_says(report) == [
        FOUND,
        "*Espaço em disco esgotado*\n\n"
        "A hospedagem do site cliente.com.br está usando 10 GB de 10 GB de espaço (100%). Sem "
        "espaço livre, o site pode dar erro e os e-mails param de chegar.\n\n"
        "*O que fazer:* No cPanel, abra *Uso do disco* para ver o que ocupa mais espaço e apague "
        "o que não precisa: backups antigos (arquivos .tar.gz ou .zip), e-mails antigos, a "
        "lixeira e o spam das caixas de e-mail, logs e caches. Se precisar de mais espaço, "
        "podemos mudar o seu plano para um maior. Digite *atendente* para falar com a nossa "
        "equipe.",
    ]


def test_a_full_disk_and_the_error_it_causes_are_both_said() -> None:
    report = healthy(
        usage=usage(disk_used_mb=2048.0, disk_limit_mb=2000.0), https=https(status=500)
    )
    assert kinds(report) == ["disk_full", "server_error"]


def test_full_inodes_say_what_to_delete() -> None:
    report = healthy(usage=usage(inodes_used=250_000, inodes_limit=250_000))
    assert bot_says(report) == [
        FOUND,
        "*Limite de arquivos atingido*\n\n"
        "A hospedagem do site cliente.com.br tem 250.000 arquivos e o limite do plano é 250.000 "
        "(100%). No limite, não dá para criar arquivos novos e o site pode dar erro.\n\n"
        "*O que fazer:* Apague os arquivos pequenos e numerosos que não precisa: caches de "
        "plugins, arquivos de sessão, e-mails antigos e cópias do site dentro da hospedagem. No "
        "cPanel, *Uso do disco* mostra as pastas maiores. Se precisar de um limite maior, "
        "podemos mudar o seu plano. Digite *atendente* para falar com a nossa equipe.",
    ]


def test_nearly_full_quotas_are_notices_and_do_not_explain_an_outage() -> None:
    report = healthy(usage=usage(disk_used_mb=9300.0, inodes_used=240_000))
    result = diagnosis(report)
    assert [f.kind for f in result.findings] == [
        FindingKind.DISK_NEARLY_FULL,
        FindingKind.INODES_NEARLY_FULL,
    ]
    assert {f.severity for f in result.findings} == {Severity.NOTICE}
    assert result.ticket is not None
    said = bot_says(report)
    assert said[2] == (
        "*Limite de arquivos quase atingido*\n\n"
        "A hospedagem do site cliente.com.br tem 240.000 arquivos e o limite do plano é 250.000 "
        "(96%).\n\n"
        "*O que fazer:* Apague os arquivos pequenos e numerosos que não precisa: caches de "
        "plugins, arquivos de sessão e e-mails antigos."
    )


def test_unlimited_quotas_are_never_full() -> None:
    report = healthy(usage=usage(disk_used_mb=900_000.0, disk_limit_mb=None, inodes_limit=None))
    assert kinds(report) == []
