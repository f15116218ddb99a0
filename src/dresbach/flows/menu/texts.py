"""pt-BR texts of the main menu and of the house-wide answers. Edit wording here only."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    "greeting": (
        "Olá{name}! 👋 Eu sou a Dresbach Assistente, da {company}.\n\n"
        "Para atender você, tratamos os dados desta conversa conforme a LGPD. "
        "Controladora: {controller}. Finalidade: {purpose}. "
        "Política de privacidade: {privacy_url}. Encarregado de dados (DPO): {dpo_contact}. "
        "Digite *privacidade* a qualquer momento para ver, corrigir ou excluir seus dados."
    ),
    "menu_question": "Como posso ajudar você hoje?",
    "menu_button": "Ver opções",
    "menu_footer": "Digite *menu* a qualquer momento para voltar aqui.",
    "welcome_back": "Olá de novo! 😊",
    "not_understood": (
        "Desculpe, não entendi. Você pode tocar em uma das opções ou digitar *menu* "
        "a qualquer momento."
    ),
    "unsupported": (
        "Recebi {what}, mas por aqui consigo entender apenas mensagens de texto e as opções "
        "dos botões."
    ),
    "timed_out": "Como ficamos um tempo sem conversar, voltei ao início para você.",
    "goodbye": "Até logo! Quando precisar, é só mandar uma mensagem por aqui. 👋",
    "cancelled": "Tudo bem, cancelei o que estávamos fazendo.",
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
