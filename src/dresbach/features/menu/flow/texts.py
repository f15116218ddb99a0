"""pt-BR texts of the main menu and of the house-wide answers. Edit wording here only."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    "greeting": (
        "{hello}{name}! 👋 Eu sou a Dresbach Assistente, da {company}.\n\n"
        "Para atender você, tratamos os dados desta conversa conforme a LGPD. "
        "Controladora: {controller}. Finalidade: {purpose}. "
        "Política de privacidade: {privacy_url}. Encarregado de dados (DPO): {dpo_contact}. "
        "Digite *privacidade* a qualquer momento para ver, corrigir ou excluir seus dados."
    ),
    "menu_question": "Como posso ajudar você hoje?",
    "menu_button": "Ver opções",
    "menu_footer": "Digite *menu* a qualquer momento para voltar aqui.",
    "welcome_back": "{hello}! Que bom falar com você de novo. 😊",
    # a miss opens with "not_understood_opening" (then "still_not_understood"): re-asks of a
    # text not understood say only what to do
    "not_understood": (
        "Você pode tocar em uma das opções ou digitar *menu* para ver tudo o que posso fazer."
    ),
    "menu_not_understood": (
        "Toque em *Ver opções* ou escreva em poucas palavras o que você precisa, por exemplo: "
        "segunda via da fatura."
    ),
    "not_understood_opening": "Desculpe, não entendi.",
    "did_you_mean": "Só para eu não errar: você quis dizer uma destas opções?",
    "sales_question": (
        "Que bom que você quer contratar com a gente! Para eu chamar a pessoa certa do nosso "
        "time comercial: o que você procura?"
    ),
    "sales_handoff": "Certo! Vou passar a sua conversa para o nosso time comercial.",
    "still_not_understood": "Ainda não consegui entender.",
    "offer_person": (
        "Se preferir, uma pessoa da nossa equipe pode continuar o atendimento com você por aqui."
    ),
    "unsupported": (
        "Recebi {what}, mas por aqui só consigo ler mensagens escritas e as opções que você toca."
    ),
    # -- courtesy: a greeting is answered with the time of day, thanks with "de nada" ---------
    "hello": "Olá",
    "good_morning": "Bom dia",
    "good_afternoon": "Boa tarde",
    "good_evening": "Boa noite",
    "greeted_back": "{hello}! 😊",
    "thanked": "De nada! 😊",
    "thanked_at_rest": (
        "De nada! 😊 Se precisar de mais alguma coisa, é só mandar uma mensagem por aqui."
    ),
    "timed_out": "Como ficamos um tempo sem conversar, voltei ao início para você.",
    "goodbye": "Até logo! Quando precisar, é só mandar uma mensagem por aqui. 👋",
    "cancelled": "Tudo bem, paramos por aqui.",
    "cancelled_under_way": (
        "Tudo bem, voltei ao menu. Só não consigo desfazer o pedido que já estava em andamento."
    ),
    "nothing_to_cancel": "Não há nada em andamento para cancelar.",
    "at_start": "Você já está no início.",
    "flood": (
        "Recebi muitas mensagens seguidas. Vou ler com calma: aguarde um minuto antes de "
        "enviar a próxima, por favor."
    ),
}

BUTTONS: dict[str, str] = {
    "techops": "Consultoria Tech Ops",
    "client_area": "Área do Cliente",
    "human": "Falar com atendente",
    "privacy": "Privacidade e seus dados",
    "menu": "Menu principal",
}

SALES: dict[str, str] = {
    "hosting": "Hospedagem de site",
    "domain": "Registrar domínio",
    "other": "VPS ou migração",
    "route": "Contratar serviços",
}
"""The prospect's question's buttons, and the button of the sales route ("Você quis dizer…?")."""

WHAT: dict[str, str] = {
    "audio": "seu áudio",
    "video": "seu vídeo",
    "image": "sua imagem",
    "document": "seu documento",
    "sticker": "sua figurinha",
    "location": "sua localização",
    "contacts": "seu contato",
    "flow_reply": "seu formulário",
    "unsupported": "sua mensagem",
}
