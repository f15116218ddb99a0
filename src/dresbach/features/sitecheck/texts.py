"""pt-BR texts of the site checks. Edit wording here only.

``FINDINGS``: per finding kind, its ``title``, ``explanation`` and ``action`` ("o que fazer"),
and variants of them where the advice depends on the case (the web findings are in
``texts_web``). ``REPLIES``: the messages around the findings. The ticket's lines, read by our
team, are in ``texts_ticket`` (the WHMCS ticket is a *chamado* in every text).

House rules, checked by the tests: no text asks more than one question (these ask none: the flow
asks its one question after them); every message fits WhatsApp's 4096 characters; no payment is
ever made or linked here: ``{site}`` is the website where payments are made, and no text carries
a boleto, a Pix code, a payment link or an amount.
"""

from __future__ import annotations

from typing import Final

from dresbach.features.sitecheck.texts_web import (
    CLIENT_ERROR_OTHER,
    CLIENT_ERRORS,
    PERSON,
    PERSON_INLINE,
    WEB_FINDINGS,
)

__all__ = [
    "CLIENT_ERRORS",
    "CLIENT_ERROR_OTHER",
    "FINDINGS",
    "RECORDS",
    "REPLIES",
    "STATUS_NAMES",
]

PERSON_HER: Final = "Digite *atendente* para falar com ela."
_REGISTRAR: Final = (
    "no painel da empresa onde o domínio foi registrado (para domínios .br, no Registro.br)"
)

_HOSTING: Final[dict[str, dict[str, str]]] = {
    "incident": {
        "title": "Instabilidade no servidor",
        "explanation": (
            "Estamos com uma instabilidade no servidor onde o site {domain} está hospedado: "
            "{title}.\n\n{message}\n\nÚltima atualização: {updated}."
        ),
        "action": (
            "Nossa equipe já está trabalhando nisso e não é preciso abrir um chamado. Avisaremos "
            "por aqui quando estiver resolvido."
        ),
    },
    "service_closed": {
        "title": "Hospedagem encerrada",
        "explanation": (
            "A hospedagem do site {domain} consta como {status} no nosso sistema, por isso o "
            "site não está no ar."
        ),
        "action": f"Só a nossa equipe pode verificar esse caso. {PERSON_HER}",
    },
    "service_pending": {
        "title": "Hospedagem aguardando ativação",
        "explanation": (
            "A hospedagem do site {domain} ainda não foi ativada. Isso costuma acontecer quando "
            "a fatura do pedido ainda não foi paga ou o pagamento ainda não foi confirmado."
        ),
        "action": (
            "Se a fatura do pedido está em aberto, pague pela Área do Cliente no site {site}: os "
            f"pagamentos são feitos somente por lá. Se você já pagou, {PERSON_INLINE}"
        ),
    },
    "suspended_overdue": {
        "title": "Hospedagem suspensa por fatura em aberto",
        "explanation": (
            "A hospedagem do site {domain} está suspensa porque há uma fatura vencida. Enquanto "
            "a suspensão durar, o site fica fora do ar."
        ),
        "action": (
            "Pague a fatura em aberto pela Área do Cliente no site {site}. Os pagamentos são "
            "feitos somente por lá: por esta conversa não enviamos boleto, Pix nem link de "
            "pagamento. A hospedagem é reativada depois que o pagamento é confirmado."
        ),
    },
    "suspended_abuse": {
        "title": "Hospedagem suspensa para análise",
        "explanation": (
            "A hospedagem do site {domain} foi suspensa pela nossa equipe por um problema de "
            "segurança ou de uso, como envio de spam ou arquivos maliciosos."
        ),
        "action": (
            "Esse caso é tratado por uma pessoa da nossa equipe, que vai explicar o motivo e os "
            f"próximos passos. {PERSON_HER}"
        ),
    },
    "suspended_other": {
        "title": "Hospedagem suspensa",
        "explanation": (
            "A hospedagem do site {domain} está suspensa, por isso o site não está no ar."
        ),
        "action": f"Uma pessoa da nossa equipe vai verificar o motivo com você. {PERSON_HER}",
    },
    "domain_expired": {
        "title": "Domínio expirado",
        "explanation": (
            "O domínio {domain} expirou em {date}. Com o domínio expirado, o site e os e-mails "
            "param de funcionar."
        ),
        "explanation_undated": (
            "O registro do domínio {domain} está expirado. Com o domínio expirado, o site e os "
            "e-mails param de funcionar."
        ),
        "action": (
            "Renove o domínio pela Área do Cliente no site {site}, onde os pagamentos são feitos. "
            "Depois da renovação, o site pode levar algumas horas para voltar em todo lugar."
        ),
    },
    "domain_missing": {
        "title": "Domínio não encontrado na internet",
        "explanation": (
            "A consulta de DNS respondeu que o domínio {domain} não existe. Isso acontece quando "
            "o domínio expirou, ainda não foi registrado ou foi suspenso pelo órgão de registro."
        ),
        "action": (
            f"Confira {_REGISTRAR} se ele está ativo e em dia. Se o domínio foi registrado "
            "conosco, veja a situação dele na Área do Cliente, no site {site}."
        ),
    },
    "nameservers_foreign": {
        "title": "Servidores DNS de outro provedor",
        "explanation": (
            "O domínio {domain} usa os servidores DNS {found}, que não são os nossos. Por isso, "
            "o endereço do site é definido nesse outro provedor, e não na sua hospedagem conosco."
        ),
        "explanation_fine": (
            "O domínio {domain} usa os servidores DNS {found}, que não são os nossos. O site "
            "aponta corretamente para o nosso servidor, então isso não impede o funcionamento: "
            "só lembre que mudanças de DNS, como as de e-mail, são feitas nesse provedor."
        ),
        "action": (
            "Para que nós cuidemos do DNS, troque os servidores DNS do domínio para:\n{ours}\n"
            "Você pode fazer isso na Área do Cliente, no site {site}. A troca pode levar até "
            "24 horas para valer em todo lugar."
        ),
        "action_registrar": (
            "Para que nós cuidemos do DNS, troque os servidores DNS do domínio para:\n{ours}\n"
            f"A troca é feita {_REGISTRAR} e pode levar até 24 horas para valer em todo lugar."
        ),
        "action_fine": "Nada a fazer agora.",
    },
    "dns_elsewhere": {
        "title": "Domínio apontando para outro servidor",
        "explanation": (
            "O endereço do site {domain} aponta para {found}, mas a sua hospedagem conosco está "
            "em {expected}. Quem acessa o site chega a outro servidor."
        ),
        "explanation_proxy": (
            "O endereço do site {domain} aponta para {found}, e não para o nosso servidor "
            "({expected}). Como o site respondeu normalmente, pode ser um serviço intermediário, "
            "como a Cloudflare."
        ),
        "action": "No DNS do domínio, deixe os registros assim:\n{records}",
        "action_ours": (
            "Os servidores DNS do domínio são os nossos: no cPanel, abra *Zone Editor* e deixe "
            "os registros assim:\n{records}\nA mudança pode levar algumas horas para valer em "
            "todo lugar."
        ),
        "action_foreign": (
            "O DNS do domínio está em {provider}. Lá, deixe os registros assim:\n{records}\nOu "
            "troque os servidores DNS do domínio para os nossos. A mudança pode levar algumas "
            "horas para valer em todo lugar."
        ),
        "action_proxy": (
            "Se você não usa um serviço assim, deixe os registros do domínio assim:\n{records}"
        ),
    },
    "dns_missing": {
        "title": "Domínio sem endereço de site",
        "explanation": (
            "O domínio {domain} existe, mas não tem nenhum registro de endereço (A ou AAAA) para "
            "o site, então os navegadores não sabem onde encontrá-lo."
        ),
        "action": "No DNS do domínio, crie os registros:\n{records}",
    },
    "disk_full": {
        "title": "Espaço em disco esgotado",
        "explanation": (
            "A hospedagem do site {domain} está usando {used} de {limit} de espaço ({percent}). "
            "Sem espaço livre, o site pode dar erro e os e-mails param de chegar."
        ),
        "action": (
            "No cPanel, abra *Uso do disco* para ver o que ocupa mais espaço e apague o que não "
            "precisa: backups antigos (arquivos .tar.gz ou .zip), e-mails antigos, a lixeira e o "
            "spam das caixas de e-mail, logs e caches. Se precisar de mais espaço, podemos mudar "
            f"o seu plano para um maior. {PERSON}"
        ),
    },
    "disk_nearly_full": {
        "title": "Espaço em disco quase cheio",
        "explanation": (
            "A hospedagem do site {domain} está usando {used} de {limit} de espaço ({percent}). "
            "Quando o espaço acabar, o site pode dar erro e os e-mails param de chegar."
        ),
        "action": (
            "No cPanel, abra *Uso do disco* para ver o que ocupa mais espaço e apague o que não "
            "precisa: backups antigos, e-mails antigos, logs e caches."
        ),
    },
    "inodes_full": {
        "title": "Limite de arquivos atingido",
        "explanation": (
            "A hospedagem do site {domain} tem {used} arquivos e o limite do plano é {limit} "
            "({percent}). No limite, não dá para criar arquivos novos e o site pode dar erro."
        ),
        "action": (
            "Apague os arquivos pequenos e numerosos que não precisa: caches de plugins, arquivos "
            "de sessão, e-mails antigos e cópias do site dentro da hospedagem. No cPanel, *Uso "
            "do disco* mostra as pastas maiores. Se precisar de um limite maior, podemos mudar o "
            f"seu plano. {PERSON}"
        ),
    },
    "inodes_nearly_full": {
        "title": "Limite de arquivos quase atingido",
        "explanation": (
            "A hospedagem do site {domain} tem {used} arquivos e o limite do plano é {limit} "
            "({percent})."
        ),
        "action": (
            "Apague os arquivos pequenos e numerosos que não precisa: caches de plugins, arquivos "
            "de sessão e e-mails antigos."
        ),
    },
    "www_missing": {
        "title": "Endereço com www sem configuração",
        "explanation": (
            "O endereço www.{domain} não tem registro de DNS, então quem digita o site com www "
            "não consegue abri-lo."
        ),
        "action": "No DNS do domínio, crie o registro:\n• Tipo CNAME, nome www, valor {domain}",
    },
    "domain_expiring": {
        "title": "Domínio perto de vencer",
        "explanation": "O registro do domínio {domain} vence {when} ({date}).",
        "action": (
            "Renove com antecedência pela Área do Cliente no site {site}, onde os pagamentos são "
            "feitos, para o site e os e-mails não pararem."
        ),
    },
}

FINDINGS: Final[dict[str, dict[str, str]]] = {**_HOSTING, **WEB_FINDINGS}

STATUS_NAMES: Final[dict[str, str]] = {
    "terminated": "encerrada",
    "cancelled": "cancelada",
    "fraud": "bloqueada",
}


RECORDS: Final[dict[str, str]] = {
    "a_apex": "Tipo A, nome @ ({domain}), valor {address}",
    "aaaa_apex": "Tipo AAAA, nome @ ({domain}), valor {address}",
    "www": "Tipo CNAME, nome www, valor {domain}",
    "drop_aaaa": "Apague o registro AAAA com o valor {address}",
}

REPLIES: Final[dict[str, str]] = {
    "checking": "Um instante, estou verificando o site {domain}…",
    "found": "Verifiquei o site {domain}. Veja o que encontrei:",
    "finding": "*{title}*\n\n{explanation}\n\n*O que fazer:* {action}",
    "nothing_found": (
        "Verifiquei o site {domain} e não encontrei nada que explique o problema: a hospedagem, "
        "o domínio, o DNS e o site estão respondendo normalmente agora."
    ),
    "nothing_found_down": (
        "Verifiquei o site {domain}: a hospedagem, o domínio e o DNS estão em ordem, mas o site "
        "não respondeu, e não encontrei a causa."
    ),
    "nothing_found_partial": (
        "Verifiquei o site {domain} e não encontrei a causa do problema, mas não consegui "
        "concluir algumas verificações agora."
    ),
    "opening_ticket": (
        "Vou abrir um chamado para a nossa equipe com o resultado de cada verificação, para você "
        "não precisar explicar tudo de novo."
    ),
    "ticket_opened": (
        "Pronto! Abri o chamado #{number} no departamento {department}. As respostas da equipe "
        "chegam no seu e-mail cadastrado."
    ),
}
