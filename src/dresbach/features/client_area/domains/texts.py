"""What a client reads about a domain change, in pt-BR: why an entry is refused, and how a
change is confirmed. Edit wording here only."""

from __future__ import annotations

from types import MappingProxyType

REFUSALS = MappingProxyType(
    {
        "ipv4": "O endereço “{value}” não é um IP válido. Um registro A leva um IPv4, quatro "
        "números de 0 a 255 separados por pontos, como 203.0.113.10.",
        "ipv4_private": "O IP “{value}” é de rede interna e não funciona na internet. Use o IP "
        "público do servidor.",
        "host": "“{value}” não é um nome de servidor válido. Use letras, números e hífens "
        "separados por pontos, como mail.seudominio.com.br.",
        "name": "“{value}” não é um nome válido dentro do domínio {zone}. Use @ para o próprio "
        "domínio ou um nome como www ou loja.",
        "cname_apex": "O próprio domínio ({zone}) não pode ter um CNAME, porque ele já tem os "
        "registros de e-mail e de servidor. Use um registro A.",
        "priority": "A prioridade “{value}” não é válida. Num registro MX ela é um número de 0 "
        "a 65535; o menor número é o servidor de e-mail preferido.",
        "txt_empty": "O texto do registro TXT está vazio.",
        "txt_long": "O texto do registro TXT tem {size} caracteres, e o limite aqui é 2.048.",
        "ttl": "O TTL “{value}” não é válido. Ele é o tempo, em segundos, de 300 a 86400.",
        "kind": "Aqui é possível editar registros A, CNAME, MX e TXT.",
        "line": "Não entendi o registro. Escreva o nome, o tipo e o valor numa linha, como: www "
        "CNAME {zone}",
        "nameserver": "“{value}” não é um nome de servidor DNS válido, como ns1.dresbach.com.br.",
        "nameserver_count": "Informe de 2 a 5 servidores DNS, sem repetir.",
    }
)
"""Why an entry is refused; each says what a valid one looks like."""

CONFIRMATIONS = MappingProxyType(
    {
        "nameservers": "Trocar os servidores DNS de {domain}\n\n*Antes:* {before}\n*Depois:* "
        "{after}\n\nA mudança pode levar até 24 horas para valer em toda a internet.",
        "lock": "Ativar o bloqueio de transferência de {domain}\n\n*Antes:* {before}\n*Depois:* "
        "bloqueado",
        "unlock": "Desativar o bloqueio de transferência de {domain}\n\n*Antes:* {before}\n"
        "*Depois:* desbloqueado\n\nSem o bloqueio, o domínio pode ser transferido para outro "
        "registrador.",
        "epp": "Pedir o código de transferência (EPP) de {domain}\n\nO código vai só para o "
        "e-mail da sua conta ({email}), nunca por aqui.",
        "record_add": "Criar um registro {kind} em {domain}\n\n*Antes:* nenhum\n*Depois:* {after}",
        "record_edit": "Alterar um registro {kind} de {domain}\n\n*Antes:* {before}\n*Depois:* "
        "{after}",
        "record_remove": "Apagar um registro {kind} de {domain}\n\n*Antes:* {before}\n*Depois:* "
        "nenhum",
    }
)
"""The before/after a client sees before confirming a change (the question comes apart)."""

LOCK_STATES = MappingProxyType(
    {"locked": "bloqueado", "unlocked": "desbloqueado", "unknown": "não informado"}
)

EPP_MAIL_SUBJECT = "Código de transferência do domínio {domain}"
EPP_MAIL_BODY = (
    "{hello}\n\nO código de transferência (EPP) do domínio {domain}, pedido pelo WhatsApp, é:\n\n"
    "{code}\n\nUse-o só no registrador para onde o domínio vai. Se não foi você que pediu, "
    "responda a este e-mail ou fale com a nossa equipe."
)

DONE = MappingProxyType(
    {
        "epp": "Pronto: pedimos o código de transferência de {domain}. Ele vai só para o e-mail "
        "da sua conta ({email}); confira também a caixa de spam.",
        "lock": "Pronto: o bloqueio de transferência de {domain} está ativado.",
        "unlock": "Pronto: o bloqueio de transferência de {domain} está desativado. Ative-o de "
        "novo quando a transferência terminar.",
        "nameservers": "Pronto: os servidores DNS de {domain} agora são {after}. A mudança pode "
        "levar até 24 horas para valer em toda a internet.",
        "record_add": "Pronto: o registro {after} foi criado. Ele pode levar algumas horas para "
        "valer em toda a internet.",
        "record_remove": "Pronto: o registro {after} foi apagado.",
    }
)
"""What the client reads once a confirmed change is made."""
