"""pt-BR texts of the hand-off to a person. Edit wording here only."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    "calling": (
        "Certo! Chamei uma pessoa da nossa equipe para continuar com você. Pode ir escrevendo "
        "aqui o que precisa: quem assumir vai ler tudo."
    ),
    "closed_now": (
        "Nossa equipe atende {hours}. Agora estamos fora desse horário, mas sua mensagem fica "
        "registrada: a primeira pessoa a chegar responde a partir de {opens}. Pode deixar aqui "
        "o que precisa."
    ),
    "closed_now_unknown": (
        "Agora estamos fora do horário de atendimento ({hours}). Sua mensagem fica registrada "
        "e respondemos assim que possível. Pode deixar aqui o que precisa."
    ),
    "position": "Você é o {position}º da fila.",
    "position_first": "Você é o próximo da fila.",
    "already_waiting": "Você já está na fila: assim que alguém da equipe assumir, responde aqui.",
    "noted": "Anotado! Sua mensagem fica com a equipe.",
    "joined": "{operator}, da equipe Dresbach, entrou na conversa e vai continuar com você.",
    "unanswered": (
        "Desculpe a demora: ninguém da equipe conseguiu assumir a conversa ainda. "
        "Quer que a gente retorne o contato assim que possível?"
    ),
    "callback_noted": (
        "Combinado! Registrei o pedido de retorno: alguém da equipe vai chamar você por aqui "
        "assim que possível."
    ),
    "keep_waiting": "Tudo bem, você continua na fila.",
    "leave_question": (
        "Você está em atendimento com a nossa equipe. Quer encerrar e voltar ao menu do assistente?"
    ),
    "leave_waiting_question": (
        "Se voltar ao menu agora, você sai da fila de atendimento. Quer mesmo sair?"
    ),
    "left": "Tudo bem, encerrei o atendimento com a equipe.",
    "stay": "Certo, a conversa com a equipe continua.",
    "handed_back": (
        "{operator} encerrou a parte humana do atendimento. Estou de volta por aqui para o que "
        "precisar."
    ),
    "closed": "Atendimento encerrado por {operator}. Obrigado pelo contato!",
    "with_human_prompt": "Você está falando com {operator}, da equipe Dresbach.",
    "reply_header": "*{operator}:*",
}

BUTTONS: dict[str, str] = {
    "callback": "Quero retorno",
    "keep_waiting": "Continuar esperando",
    "menu": "Menu principal",
    "leave_yes": "Sim, sair",
    "leave_no": "Não, continuar",
}

REPLY_TEMPLATE = "atendimento_resposta"
"""An operator's reply outside the 24 h window: params (operator, text)."""

CATALOG: dict[str, str] = {**TEXTS, **{f"button.{k}": v for k, v in BUTTONS.items()}}
