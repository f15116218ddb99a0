"""pt-BR lines of the ticket opened when no check explains the problem, read by our team.
Edit wording here only. Plain text (readable with or without markdown); no secret ever goes in."""

from __future__ import annotations

from typing import Final

TICKET: Final[dict[str, str]] = {
    "subject": "Verificação do site {domain}: nenhuma causa encontrada",
    "intro": (
        "Verificação automática do site {domain}, feita em {moment} (horário de Brasília). "
        "Nenhuma verificação explicou o problema relatado pelo cliente; o resultado de cada uma "
        "segue abaixo."
    ),
    "reported": 'Relato do cliente: "{text}"',
    "hosting": "Hospedagem:",
    "domain": "Domínio e DNS:",
    "site": "Site:",
    "incidents": "Incidentes:",
    "notices": "Avisos encontrados:",
    "account": "Conta cPanel: {username}",
    "account_server": "Conta cPanel: {username}, no servidor {server}",
    "service": "Situação no WHMCS: {status}",
    "service_reason": "Situação no WHMCS: {status} (motivo: {reason})",
    "whm_active": "Situação no WHM: ativa",
    "whm_suspended": "Situação no WHM: suspensa (motivo: {reason})",
    "disk": "Disco: {used} de {limit} ({percent})",
    "disk_unlimited": "Disco: {used}, sem limite",
    "inodes": "Arquivos (inodes): {used} de {limit} ({percent})",
    "inodes_unlimited": "Arquivos (inodes): {used}, sem limite",
    "inodes_unknown": "Arquivos (inodes): o WHM não informou",
    "registration": "Registro no WHMCS: {status}, vence em {date}",
    "registration_undated": "Registro no WHMCS: {status}, sem data de vencimento",
    "registration_none": "Registro no WHMCS: o domínio não está registrado conosco",
    "lookup_found": "DNS de {name}: {addresses}",
    "lookup_nxdomain": "DNS de {name}: o domínio não existe (NXDOMAIN)",
    "lookup_nodata": "DNS de {name}: nenhum registro A ou AAAA",
    "lookup_servfail": "DNS de {name}: os servidores DNS do domínio falharam (SERVFAIL)",
    "expected": "Endereços do servidor da conta: {addresses}",
    "expected_unknown": "Endereços do servidor da conta: não informados",
    "ns_found": "Servidores DNS (zona {zone}): {hosts}",
    "ns_ours": "Servidores DNS (zona {zone}): {hosts}, que são os nossos",
    "ns_foreign": "Servidores DNS (zona {zone}): {hosts}, que não são os nossos ({ours})",
    "ns_nxdomain": "Servidores DNS (zona {zone}): a zona não existe (NXDOMAIN)",
    "ns_nodata": "Servidores DNS (zona {zone}): nenhum registro NS",
    "ns_servfail": "Servidores DNS (zona {zone}): os servidores DNS falharam (SERVFAIL)",
    "http_answered": "{url}: código {status} em {seconds}",
    "http_redirects": "{url}: código {status} em {seconds}, depois de redirecionar para {targets}",
    "http_left": "{url}: código {status} em {seconds}, redirecionando para outro site: {target}",
    "http_refused": "{url}: conexão recusada",
    "http_timeout": "{url}: sem resposta no tempo limite",
    "http_tls_failed": "{url}: a conexão segura (TLS) falhou",
    "http_unreachable": "{url}: não foi possível conectar",
    "http_too_many_redirects": "{url}: redirecionamentos demais ({targets})",
    "certificate": (
        "Certificado SSL: emitido para {names}, por {issuer}, válido de {start} a {end} "
        "({left}); {trust}"
    ),
    "certificate_left": "vence {when}",
    "certificate_gone": "vencido há {days}",
    "certificate_gone_today": "vencido hoje",
    "trusted": "confiável",
    "untrusted": "não confiável ({error})",
    "untrusted_plain": "não confiável",
    "tls_refused": "Certificado SSL: a porta 443 recusou a conexão",
    "tls_timeout": "Certificado SSL: a porta 443 não respondeu no tempo limite",
    "tls_unreachable": "Certificado SSL: não foi possível conectar à porta 443",
    "tls_handshake_failed": "Certificado SSL: a negociação TLS falhou",
    "incident_none": "Nenhum incidente aberto no servidor",
    "incident_open": "Incidente aberto: {title} (atualizado em {updated})",
    "unverified_timeout": "{what}: não foi possível verificar (tempo esgotado)",
    "unverified_error": "{what}: não foi possível verificar ({detail})",
    "not_run": "{what}: não verificado",
}

CHECK_NAMES: Final[dict[str, str]] = {
    "service": "Situação no WHMCS",
    "usage": "Uso da conta no WHM",
    "registration": "Registro no WHMCS",
    "dns": "DNS do site",
    "nameservers": "Servidores DNS",
    "https": "https://{domain}/",
    "http": "http://{domain}/",
    "certificate": "Certificado SSL",
    "incident": "Incidentes no servidor",
}
