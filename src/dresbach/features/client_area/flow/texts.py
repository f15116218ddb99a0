"""pt-BR texts of the Área do Cliente (buttons, rows and field names in `labels`). Edit wording
here only.

House rules, checked by `dresbach flows lint` and the tests: at most one question per message
(a re-ask is merged into the question it repeats, so re-ask texts ask nothing), button titles up
to 20 characters, list rows up to 24 (title) and 72 (description). No text here ever carries a
payment: no boleto, no Pix code, no payment link; `{site}` is the Área do Cliente website, where
payments are made.
"""

from __future__ import annotations

from dresbach.features.client_area.flow.labels import ACCESS_NAMES, BUTTONS, FIELDS, ROWS
from dresbach.features.client_area.login.texts import LOGIN_TEXTS

SITE = "https://cliente.dresbach.com.br"
"""The Área do Cliente website (placeholder: to be wired to the settings)."""

TEXTS: dict[str, str] = {
    **LOGIN_TEXTS,
    # -- the session -------------------------------------------------------------------------
    "session_idle": (
        "Por segurança, a sua sessão na Área do Cliente foi encerrada depois de 10 minutos sem "
        "atividade. Para continuar, entre de novo."
    ),
    "session_absolute": (
        "Por segurança, a sua sessão na Área do Cliente foi encerrada: ela dura no máximo 60 "
        "minutos. Para continuar, entre de novo."
    ),
    "session_required": "Para ver isso, entre de novo na Área do Cliente.",
    "session_over": (
        "A sua sessão na Área do Cliente terminou por segurança. Envie qualquer mensagem para "
        "entrar de novo."
    ),
    "logged_out": "Você saiu da Área do Cliente com segurança. Até a próxima!",
    # -- home --------------------------------------------------------------------------------
    "home": "O que você quer consultar?",
    "home_button": "Ver opções",
    "home_footer": "Sessão segura: encerra após 10 min sem uso",
    "home_reask": "Toque em *Ver opções* e escolha o que você quer consultar.",
    "pay_elsewhere": (
        "Por segurança, pagamentos não são feitos por esta conversa: aqui eu não envio boleto, "
        "código de barras, Pix nem link de pagamento. Para pagar uma fatura, entre na Área do "
        "Cliente pelo site {site} e abra a fatura por lá. Por aqui você pode consultar as "
        "faturas e baixar o PDF."
    ),
    # -- loading -----------------------------------------------------------------------------
    "loading_services": "Um instante, estou buscando os seus serviços…",
    "loading_domains": "Um instante, estou buscando os seus domínios…",
    "loading_dns": "Um instante, estou buscando os registros DNS…",
    "loading_tickets": "Um instante, estou buscando os seus chamados…",
    "loading_ticket": "Um instante, estou buscando as respostas do chamado…",
    "loading_departments": "Um instante, estou buscando os departamentos…",
    "loading_invoices": "Um instante, estou buscando as suas faturas…",
    "loading_invoice": "Um instante, estou buscando os detalhes da fatura…",
    "still_loading": "Ainda estou buscando as informações. Em instantes elas chegam por aqui.",
    "data_unavailable": (
        "Não consegui buscar essas informações agora. Tente novamente em instantes."
    ),
    "options_reask": "Toque em uma das opções abaixo.",
    "missed_buttons": (
        "Toque em uma das opções abaixo ou digite o nome de uma seção: Serviços, Acessos, "
        "Domínios, Chamados ou Faturas."
    ),
    "missed_list": (
        "Toque em *{button}* e escolha uma opção, ou digite o nome de uma seção: Serviços, "
        "Acessos, Domínios, Chamados ou Faturas."
    ),
    "stale_choice": "Essa opção não está mais na lista. Escolha de novo, por favor.",
    "page": "Página {page} de {pages}.",
    # -- services and accesses ---------------------------------------------------------------
    "services": "Estes são os seus serviços ({count}). Toque em um para ver os detalhes.",
    "services_button": "Ver serviços",
    "services_empty": "Não encontrei serviços ativos no seu cadastro.",
    "service_question": "O que você quer fazer?",
    "service_missing": "Não encontrei esse serviço na sua lista. Escolha de novo, por favor.",
    "access_service": "Para qual serviço você quer abrir um acesso?",
    "access_kind": "Qual acesso você quer abrir para *{service}*?",
    "no_mailboxes": (
        "Esse serviço não tem contas de e-mail cadastradas, então não há Webmail para abrir."
    ),
    "no_whm": "O WHM existe só nos planos de revenda. Escolha cPanel ou Webmail.",
    "mailbox": "Qual conta de e-mail você quer abrir no Webmail?",
    "mailbox_button": "Ver contas",
    "opening_access": "Gerando o seu link de acesso… Um instante, por favor.",
    "access_ready": (
        "Aqui está o seu acesso ao {what}{demo}:\n\n{url}\n\n"
        "O link é pessoal e vale para um único acesso, até {at_time} (horário de Brasília). "
        "Não compartilhe com ninguém."
    ),
    "access_button": (
        "Aqui está o seu acesso ao {what}{demo}: toque no botão abaixo para entrar.\n\n"
        "O link é pessoal e vale para um único acesso, até {at_time} (horário de Brasília). "
        "Não compartilhe com ninguém."
    ),
    "demo": " (demonstração)",
    "access_unavailable": (
        "Não consegui gerar o link de acesso agora. Tente novamente em instantes."
    ),
    # -- domains and DNS ---------------------------------------------------------------------
    "domains": "Estes são os seus domínios ({count}). Toque em um para ver os registros DNS.",
    "domains_button": "Ver domínios",
    "domains_empty": "Não encontrei domínios no seu cadastro.",
    "dns_records": "*Registros DNS* ({first}–{last} de {count}):",
    "dns_empty": "Não encontrei registros A, AAAA, CNAME, MX ou TXT para esse domínio.",
    "dns_nav": "Registros {first}–{last} de {count}. Toque em uma opção para continuar.",
    "dns_nav_empty": "Toque em uma opção para continuar.",
    "domain_change": "O que você quer mudar em {domain}?",
    "domain_change_button": "Ver opções",
    "change_epp": "Código EPP",
    "change_epp.note": "Para transferir o domínio; vai para o seu e-mail",
    "change_lock": "Ativar bloqueio",
    "change_lock.note": "Impede a transferência do domínio",
    "change_unlock": "Desativar bloqueio",
    "change_unlock.note": "Necessário antes de transferir o domínio",
    "change_nameservers": "Servidores DNS",
    "change_nameservers.note": "Apontar o domínio para outros servidores DNS",
    "ask_nameservers": (
        "Quais são os novos servidores DNS de {domain}? Escreva de 2 a 5, separados por "
        "vírgula, como ns1.exemplo.com.br, ns2.exemplo.com.br."
    ),
    "change_record_add": "Criar registro DNS",
    "change_record_add.note": "Um registro A, CNAME, MX ou TXT",
    "change_record_remove": "Apagar registro DNS",
    "change_record_remove.note": "Escolha na lista dos registros",
    "ask_record": (
        "Qual registro você quer criar em {domain}? Escreva o nome, o tipo e o valor numa "
        "linha, como: www CNAME {domain}, loja A 177.70.1.10 ou @ MX 10 mail.{domain}"
    ),
    "pick_record": "Qual registro de {domain} você quer apagar?",
    "pick_record_button": "Ver registros",
    "change_back": "Voltar",
    "change_back.note": "Aos registros do domínio",
    "previewing_change": "Conferindo o domínio… Um instante, por favor.",
    "confirm_change": "Confirma a mudança?",
    "changing_domain": "Fazendo a mudança… Um instante, por favor.",
    "change_cancelled": "Tudo certo: nada foi alterado.",
    "change_unavailable": (
        "Não consegui fazer essa mudança agora. Tente de novo mais tarde ou abra um chamado "
        "no menu da área."
    ),
    # -- tickets -----------------------------------------------------------------------------
    "tickets": (
        "Estes são os seus chamados ({count}). Toque em um para ver as últimas respostas, ou "
        "abra um novo."
    ),
    "tickets_empty": "Você não tem chamados no momento. Se precisar de ajuda, abra um novo.",
    "tickets_button": "Ver chamados",
    "ticket_title": "*Chamado #{number}* · {subject}",
    "ticket_replies": "*Últimas respostas:*",
    "ticket_no_replies": "Ainda não há respostas neste chamado.",
    "ticket_question": "O que você quer fazer?",
    "ticket_reply": (
        "Qual é a sua resposta para o chamado #{number}? Escreva tudo em uma única mensagem."
    ),
    "text_short": "Ficou muito curto. Escreva com um pouco mais de detalhe.",
    "text_long": (
        "Ficou longo demais: o limite é de {limit} caracteres e a sua mensagem tem {length}. "
        "Resuma o principal."
    ),
    "file_noted": (
        "Recebi o arquivo: ele vai junto. Agora escreva a mensagem em uma única mensagem de texto."
    ),
    "sending_reply": "Enviando a sua resposta… Um instante, por favor.",
    "still_sending": "Ainda estou enviando. Em instantes eu confirmo por aqui.",
    "reply_sent": (
        "Pronto! A sua resposta foi registrada no chamado #{number}. As respostas da equipe "
        "chegam no seu e-mail cadastrado."
    ),
    "reply_failed": "Não consegui enviar a sua resposta agora. Tente novamente em instantes.",
    "department": "Para qual departamento é o novo chamado?",
    "department_button": "Ver departamentos",
    "departments_empty": (
        "Não encontrei departamentos para abrir um chamado agora. Se preferir, digite *atendente*."
    ),
    "ticket_subject": (
        "Qual é o assunto do chamado? Resuma em poucas palavras, por exemplo: Site fora do ar."
    ),
    "ticket_message": (
        "Agora descreva o problema em uma única mensagem: o que aconteceu, desde quando e o que "
        "você já tentou."
    ),
    "opening_ticket": "Abrindo o seu chamado… Um instante, por favor.",
    "ticket_opened": (
        "Pronto! O seu chamado #{number} foi aberto no departamento {department}. As respostas "
        "da equipe chegam no seu e-mail cadastrado."
    ),
    "ticket_failed": "Não consegui abrir o seu chamado agora. Tente novamente em instantes.",
    "ticket_flow": (
        "Para abrir o chamado, toque em *Abrir chamado* e preencha o departamento, o assunto e a "
        "mensagem num formulário do próprio WhatsApp."
    ),
    "ticket_flow_or_chat": (
        "Se o formulário não abrir no seu aparelho, toque em *Digitar aqui* para abrir o chamado "
        "por esta conversa."
    ),
    "ticket_flow_department": "Escolha um dos departamentos da lista.",
    "ticket_flow_expired": (
        "Esse formulário de chamado expirou ou já foi usado. Envio um novo para você abrir o "
        "chamado."
    ),
    # -- invoices ----------------------------------------------------------------------------
    "invoices": (
        "Estas são as suas faturas ({count}). Toque em uma para ver os detalhes e o PDF. "
        "Pagamentos são feitos somente pelo site {site}."
    ),
    "invoices_button": "Ver faturas",
    "invoices_empty": "Não encontrei faturas no seu cadastro.",
    "invoice_items": "*Itens:*",
    "invoice_total": "*Total:* {total}",
    "invoice_pdf": "PDF da fatura {number}",
    "invoice_no_pdf": "O PDF desta fatura não está disponível por aqui.",
    "invoice_pay_note": (
        "Pagamentos não são feitos por esta conversa. Para pagar, acesse a Área do Cliente no "
        "site {site}."
    ),
    # -- an understood message leads here: the login first, then the section asked for ------
    "resume_login": (
        "Posso ver isso com você na Área do Cliente. Primeiro, preciso confirmar a sua identidade."
    ),
    "route.billing": "Faturas e boletos",
    "route.access": "cPanel e e-mail",
    "route.domains_dns": "Domínios e DNS",
    "route.support_ticket": "Chamados",
    "route.client_area": "Área do Cliente",
}

CATALOG: dict[str, str] = {
    **TEXTS,
    **{f"button.{k}": v for k, v in BUTTONS.items()},
    **{f"row.{k}": v for k, v in ROWS.items()},
    **{f"field.{k}": v for k, v in FIELDS.items()},
    **{f"access.{k}": v for k, v in ACCESS_NAMES.items()},
}
"""Every text of the flow under one name, for the catalog lint."""
