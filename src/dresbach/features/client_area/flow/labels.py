"""pt-BR labels of the Área do Cliente: buttons (up to 20 characters), list rows (titles up to
24, descriptions up to 72) and the names of the fields shown from the billing systems."""

from __future__ import annotations

BUTTONS: dict[str, str] = {
    "human": "Falar com atendente",
    "menu": "Menu principal",
    "resend": "Reenviar código",
    "type_here": "Digitar aqui",
    "open_login": "Entrar com segurança",
    "open_ticket": "Abrir chamado",
    "access": "Acessar o painel",
    "to_services": "Voltar à lista",
    "area": "Menu da área",
    "cpanel": "cPanel",
    "webmail": "Webmail",
    "whm": "WHM",
    "reply": "Responder",
    "to_tickets": "Voltar aos chamados",
    "to_invoices": "Voltar às faturas",
    "more": "Ver mais",
    "back": "Voltar",
    "open_cpanel": "Abrir o cPanel",
    "open_webmail": "Abrir o Webmail",
    "open_whm": "Abrir o WHM",
    "open_access": "Abrir o painel",
    "open_pdf": "Abrir o PDF",
    "domain_change": "Alterar o domínio",
    "confirm": "Confirmar",
    "cancel": "Cancelar",
}

ROWS: dict[str, str] = {
    "services": "Serviços ativos",
    "services.note": "Planos, domínios, situação e vencimento",
    "access": "Acessos",
    "access.note": "cPanel, Webmail e WHM",
    "domains": "Domínios e DNS",
    "domains.note": "Vencimento, nameservers e registros DNS",
    "tickets": "Chamados",
    "tickets.note": "Acompanhar, responder ou abrir um chamado",
    "invoices": "Faturas",
    "invoices.note": "Consultar faturas e baixar o PDF",
    "site_down": "Site fora do ar",
    "site_down.note": "Verificar o site e explicar o que houve",
    "human": "Falar com atendente",
    "human.note": "Uma pessoa da nossa equipe",
    "logout": "Sair da área",
    "logout.note": "Encerrar a sessão com segurança",
    "more": "Ver mais",
    "more.note": "Próximos itens da lista",
    "back": "Voltar",
    "back.note": "Página anterior",
    "new_ticket": "Abrir novo chamado",
    "new_ticket.note": "Falar com o suporte sobre outro assunto",
}

FIELDS: dict[str, str] = {
    "domain": "Domínio",
    "status": "Situação",
    "next_due": "Próximo vencimento",
    "username": "Usuário",
    "reseller": "Revenda",
    "mailboxes": "Contas de e-mail",
    "expires": "Expira em",
    "nameservers": "Nameservers",
    "department": "Departamento",
    "updated": "Atualizado",
    "issued": "Emissão",
    "due": "Vencimento",
    "ttl": "TTL",
    "priority": "prioridade",
}

ACCESS_NAMES: dict[str, str] = {"cpanel": "cPanel", "webmail": "Webmail", "whm": "WHM"}
