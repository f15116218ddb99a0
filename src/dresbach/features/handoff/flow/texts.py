"""pt-BR texts of the hand-off to a person. Edit wording here only."""

from __future__ import annotations

from dresbach.platform.whatsapp.templates.declarations import TemplateDeclaration

TEXTS: dict[str, str] = {
    "calling": (
        "Certo! Chamei uma pessoa da nossa equipe para continuar o atendimento. Pode ir "
        "escrevendo aqui o que você precisa: quem atender vai ler tudo."
    ),
    "closed_now": (
        "A nossa equipe atende {hours}. Agora estamos fora desse horário, mas a sua mensagem "
        "fica registrada e respondemos a partir de {opens}. Pode deixar aqui o que você precisa."
    ),
    "closed_now_unknown": (
        "Agora estamos fora do horário de atendimento ({hours}). A sua mensagem fica "
        "registrada e respondemos assim que possível. Pode deixar aqui o que você precisa."
    ),
    "position": "Você é a {position}ª pessoa na fila.",
    "position_first": "Você é a próxima pessoa a ser atendida.",
    "already_waiting": (
        "Você já está na fila de atendimento. Assim que uma pessoa da nossa equipe estiver "
        "livre, ela responde por aqui."
    ),
    "desk_file_missing": "[{kind}] {caption} (o arquivo não pôde ser recebido)",
    "noted": "Anotado! A sua mensagem já está com a nossa equipe.",
    "joined": "{operator}, da equipe Dresbach, entrou na conversa e vai continuar com você.",
    "unanswered": (
        "Desculpe a demora: ainda não conseguimos atender você. Quer que alguém da nossa "
        "equipe chame você por aqui assim que possível?"
    ),
    "callback_noted": (
        "Combinado! Registrei o seu pedido: alguém da nossa equipe vai chamar você por aqui "
        "assim que possível."
    ),
    "keep_waiting": "Tudo bem, você continua na fila.",
    "leave_question": (
        "Você está em atendimento com a nossa equipe. Quer encerrar o atendimento e voltar ao menu?"
    ),
    "leave_waiting_question": (
        "Se voltar ao menu agora, você sai da fila de atendimento. Quer mesmo sair?"
    ),
    "left": "Tudo bem, encerrei o atendimento com a equipe.",
    "stay": "Certo, a conversa com a equipe continua.",
    "handed_back": (
        "{operator} concluiu o atendimento. Se precisar de mais alguma coisa, continuo por aqui."
    ),
    "closed": "{operator} encerrou o atendimento. Agradecemos o contato!",
    "rating_question": "Como foi o seu atendimento? Escolha uma nota de 1 a 5.",
    "rating_comment": (
        "Agradecemos a nota! Se quiser, escreva em uma mensagem um comentário sobre o atendimento."
    ),
    "rating_thanks": "Agradecemos! O seu comentário foi registrado e ajuda a nossa equipe.",
    "rating_skipped": "Tudo bem, agradecemos a avaliação!",
    "with_human_prompt": "Você está falando com {operator}, da equipe Dresbach.",
    "reply_header": "*{operator}:*",
    "cancellation": (
        "Para cancelar um serviço, vou chamar uma pessoa da nossa equipe: ela confirma os "
        "detalhes com você."
    ),
}

BUTTONS: dict[str, str] = {
    "callback": "Quero retorno",
    "keep_waiting": "Continuar esperando",
    "menu": "Menu principal",
    "leave_yes": "Sim, sair",
    "leave_no": "Não, continuar",
    "rating_list": "Dar nota",
    "rating_section": "Notas",
    "rating.5": "5 - Excelente",
    "rating.4": "4 - Bom",
    "rating.3": "3 - Regular",
    "rating.2": "2 - Ruim",
    "rating.1": "1 - Péssimo",
    "rating_skip": "Sem comentário",
    "route.human": "Falar com atendente",
    "route.cancellation": "Cancelar serviço",
}

OPERATOR_REPLY = TemplateDeclaration(
    name="atendimento_resposta",
    category="UTILITY",
    body="Resposta de {{1}}, da equipe Dresbach: {{2}}. Para continuar, é só responder aqui.",
    examples=("Ana", "O seu site já voltou ao ar"),
)
"""An operator's reply outside the 24 h window: {{1}} the operator, {{2}} the reply."""
HANDOFF_WAITING = TemplateDeclaration(
    name="atendimento_aguardando",
    category="UTILITY",
    body="Atendimento aguardando: {{1}} ({{2}}). Abra o console para atender.",
    examples=("Maria Souza", "pediu para falar com um atendente"),
)
"""To every on-duty operator with a phone when a hand-off waits: {{1}} the customer, {{2}} why.
Operators have usually not written in the last 24 hours."""
TEMPLATES = (OPERATOR_REPLY, HANDOFF_WAITING)

CATALOG: dict[str, str] = {**TEXTS, **{f"button.{k}": v for k, v in BUTTONS.items()}}
