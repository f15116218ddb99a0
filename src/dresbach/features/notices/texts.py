"""What the notices say, in pt-BR, apart from the logic: each kind as a text (inside the 24 h
window) and as the utility template that goes outside it, with the same facts; and the answers
to "parar" and "voltar a receber".

Never a payment here: no boleto, no Pix code, no payment link. `{site}` (`{{n}}` in the
templates) is the website where payments are made (`DRESBACH_NOTICES_BILLING_SITE`); every
notice says how to stop them."""

from __future__ import annotations

from typing import Final

from dresbach.features.notices.model import (
    DOMAIN_EXPIRING,
    INVOICE_DUE,
    INVOICE_ISSUED,
    INVOICE_OVERDUE,
    SERVICE_SUSPENDED,
    SSL_EXPIRING,
    TICKET_ANSWERED,
)
from dresbach.platform.whatsapp.templates.declarations import TemplateDeclaration

STOP_HINT: Final = "Para não receber mais estes avisos, responda *parar*."

TEXTS: dict[str, str] = {
    INVOICE_ISSUED: (
        "Olá, {name}! A fatura {subject}, de {amount}, foi emitida e vence em {on}. Para "
        "pagar, entre na Área do Cliente pelo site {site}, onde os pagamentos são feitos. "
        + STOP_HINT
    ),
    INVOICE_DUE: (
        "Olá, {name}! Lembrete: a fatura {subject}, de {amount}, vence em {on}. Para pagar, "
        "entre na Área do Cliente pelo site {site}, onde os pagamentos são feitos. "
        "Se já pagou, desconsidere este aviso. " + STOP_HINT
    ),
    INVOICE_OVERDUE: (
        "Olá, {name}! A fatura {subject}, de {amount}, venceu em {on} e ainda consta em aberto. "
        "Para evitar a suspensão dos serviços, pague pela Área do Cliente no site {site}, onde "
        "os pagamentos são feitos. Se já pagou, desconsidere este aviso. " + STOP_HINT
    ),
    SERVICE_SUSPENDED: (
        "Olá, {name}! O serviço {subject} foi suspenso por falta de pagamento. Para reativar, "
        "pague a fatura em aberto pela Área do Cliente no site {site}, onde os pagamentos são "
        "feitos: a reativação é automática após a confirmação. " + STOP_HINT
    ),
    DOMAIN_EXPIRING: (
        "Olá, {name}! O domínio {subject} expira em {on}. Para não perder o domínio, renove "
        "pela Área do Cliente no site {site}, onde os pagamentos são feitos. " + STOP_HINT
    ),
    SSL_EXPIRING: (
        "Olá, {name}! O certificado SSL de {subject} expira em {on}. Depois dessa data, o "
        "navegador avisa que o site não é seguro. Para renovar, acesse a Área do Cliente pelo "
        "site {site}, onde os pagamentos são feitos. " + STOP_HINT
    ),
    TICKET_ANSWERED: (
        "Olá, {name}! A nossa equipe respondeu ao seu chamado {subject}. Você pode ler a "
        "resposta pela Área do Cliente, aqui no WhatsApp ou no site {site}. " + STOP_HINT
    ),
    "stopped": (
        "Pronto: você não vai mais receber os nossos avisos de faturas, domínios e chamados "
        "por aqui. Para voltar a receber, é só escrever *voltar a receber*."
    ),
    "resumed": (
        "Pronto: você volta a receber os nossos avisos de faturas, domínios e chamados por "
        "aqui. Para parar, é só escrever *parar*."
    ),
}

KIND_NAMES: Final = {
    INVOICE_ISSUED: "fatura emitida",
    INVOICE_DUE: "fatura perto do vencimento",
    INVOICE_OVERDUE: "fatura vencida",
    SERVICE_SUSPENDED: "serviço suspenso por falta de pagamento",
    DOMAIN_EXPIRING: "domínio perto de expirar",
    SSL_EXPIRING: "certificado SSL perto de expirar",
    TICKET_ANSWERED: "chamado respondido",
}
"""Each kind as the copy of one's data names it."""
VIA_NAMES: Final = {"text": "mensagem", "template": "mensagem modelo aprovada pela Meta"}

BUTTONS: dict[str, str] = {
    "route.stop": "Parar avisos",
    "route.resume": "Receber avisos",
}

CATALOG: Final = {**TEXTS, **{f"button.{k}": v for k, v in BUTTONS.items()}}

# ---- templates: what goes instead when the 24 h window has closed -------------------------------

_STOP: Final = "Para não receber mais estes avisos, responda parar."

INVOICE_ISSUED_TEMPLATE = TemplateDeclaration(
    name="aviso_fatura_emitida",
    category="UTILITY",
    body="Olá, {{1}}! A fatura {{2}}, de {{3}}, foi emitida e vence em {{4}}. Para pagar, "
    "entre na Área do Cliente pelo site {{5}}, onde os pagamentos são feitos. " + _STOP,
    examples=("Ana", "nº 2026/0042", "R$ 59,90", "10/12/2026", "https://cliente.dresbach.com.br"),
)
INVOICE_DUE_TEMPLATE = TemplateDeclaration(
    name="aviso_fatura_vencendo",
    category="UTILITY",
    body="Olá, {{1}}! Lembrete: a fatura {{2}}, de {{3}}, vence em {{4}}. Para pagar, entre "
    "na Área do Cliente pelo site {{5}}, onde os pagamentos são feitos. Se já pagou, "
    "desconsidere este aviso. " + _STOP,
    examples=("Ana", "nº 2026/0042", "R$ 59,90", "10/12/2026", "https://cliente.dresbach.com.br"),
)
INVOICE_OVERDUE_TEMPLATE = TemplateDeclaration(
    name="aviso_fatura_vencida",
    category="UTILITY",
    body="Olá, {{1}}! A fatura {{2}}, de {{3}}, venceu em {{4}} e ainda consta em aberto. "
    "Para evitar a suspensão dos serviços, pague pela Área do Cliente no site {{5}}, onde os "
    "pagamentos são feitos. Se já pagou, desconsidere este aviso. " + _STOP,
    examples=("Ana", "nº 2026/0042", "R$ 59,90", "10/12/2026", "https://cliente.dresbach.com.br"),
)
SERVICE_SUSPENDED_TEMPLATE = TemplateDeclaration(
    name="aviso_servico_suspenso",
    category="UTILITY",
    body="Olá, {{1}}! O serviço {{2}} foi suspenso por falta de pagamento. Para reativar, "
    "pague a fatura em aberto pela Área do Cliente no site {{3}}, onde os pagamentos são "
    "feitos. " + _STOP,
    examples=("Ana", "Hospedagem Plus (anasouza.com.br)", "https://cliente.dresbach.com.br"),
)
DOMAIN_EXPIRING_TEMPLATE = TemplateDeclaration(
    name="aviso_dominio_expirando",
    category="UTILITY",
    body="Olá, {{1}}! O domínio {{2}} expira em {{3}}. Para não perder o domínio, renove pela "
    "Área do Cliente no site {{4}}, onde os pagamentos são feitos. " + _STOP,
    examples=("Ana", "anasouza.com.br", "10/03/2027", "https://cliente.dresbach.com.br"),
)
SSL_EXPIRING_TEMPLATE = TemplateDeclaration(
    name="aviso_ssl_expirando",
    category="UTILITY",
    body="Olá, {{1}}! O certificado SSL de {{2}} expira em {{3}}. Para renovar, acesse a Área "
    "do Cliente pelo site {{4}}, onde os pagamentos são feitos. " + _STOP,
    examples=("Ana", "anasouza.com.br", "10/03/2027", "https://cliente.dresbach.com.br"),
)
TICKET_ANSWERED_TEMPLATE = TemplateDeclaration(
    name="aviso_chamado_respondido",
    category="UTILITY",
    body="Olá, {{1}}! A nossa equipe respondeu ao seu chamado {{2}}. Você pode ler a resposta "
    "pela Área do Cliente, aqui no WhatsApp ou no site {{3}}. " + _STOP,
    examples=("Ana", "#482913 (Site fora do ar)", "https://cliente.dresbach.com.br"),
)

TEMPLATE_OF: Final = {
    INVOICE_ISSUED: INVOICE_ISSUED_TEMPLATE,
    INVOICE_DUE: INVOICE_DUE_TEMPLATE,
    INVOICE_OVERDUE: INVOICE_OVERDUE_TEMPLATE,
    SERVICE_SUSPENDED: SERVICE_SUSPENDED_TEMPLATE,
    DOMAIN_EXPIRING: DOMAIN_EXPIRING_TEMPLATE,
    SSL_EXPIRING: SSL_EXPIRING_TEMPLATE,
    TICKET_ANSWERED: TICKET_ANSWERED_TEMPLATE,
}
TEMPLATES: Final = tuple(TEMPLATE_OF.values())
