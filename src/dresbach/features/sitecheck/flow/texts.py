"""pt-BR texts of the site-down assistant's flow. Edit wording here only.

The findings themselves, and the lines around them, are the engine's (`sitecheck.texts`); here
are the questions the flow asks (one per message) and what it says while it waits. No text asks
for or shows a payment: the findings name the site where payments are made, nothing else.
"""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {
    "ask_domain": (
        "Vou verificar o seu site agora: o DNS, o certificado SSL e se a página responde. Qual "
        "é o endereço do site (por exemplo, meusite.com.br)?"
    ),
    "ask_domain_footer": "Para ver também a hospedagem, entre na Área do Cliente.",
    "invalid_domain": (
        "Não reconheci um endereço de site nessa mensagem. Escreva só o domínio, como "
        "meusite.com.br."
    ),
    "loading_services": "Um instante, estou buscando os seus serviços…",
    "pick_service": "Qual site você quer que eu verifique? Toque no serviço ou digite o domínio.",
    "pick_button": "Ver serviços",
    "services_unavailable": (
        "Não consegui buscar os seus serviços agora, mas posso verificar o site pelo domínio."
    ),
    "checking": (
        "Um instante, estou verificando o site {domain}: a hospedagem, o domínio, o DNS e o "
        "certificado. Isso leva menos de um minuto."
    ),
    "checking_public": (
        "Um instante, estou verificando o site {domain}: o DNS, o certificado e se a página "
        "responde. Isso leva menos de um minuto."
    ),
    "still_checking": "Ainda estou verificando o site {domain}. Já já trago o resultado.",
    "progress": (
        "Ainda estou verificando o site {domain}: algumas verificações demoram mais quando o "
        "site está lento. Já já trago o resultado."
    ),
    "done": "Posso ajudar em mais alguma coisa?",
    "public_unexplained": (
        "Para abrir um chamado com esse resultado para a nossa equipe, entre na Área do Cliente "
        "(digite *área do cliente*) e peça a verificação de novo, ou digite *atendente*."
    ),
    "ticket_failed": (
        "Não consegui abrir o chamado agora. Digite *atendente* para falar com a nossa equipe."
    ),
    "check_failed": (
        "Não consegui concluir a verificação do site {domain} agora. Digite *atendente* para "
        "falar com a nossa equipe."
    ),
    "route.site_down": "Site fora do ar",
    "button.menu": "Menu principal",
    "button.human": "Falar com atendente",
}
