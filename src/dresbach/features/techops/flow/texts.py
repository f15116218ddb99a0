"""pt-BR texts of the Tech Ops funnel. Edit wording here only.

House rules, checked by `dresbach flows lint` and the tests: at most one question per message
(a re-ask is merged into the question it repeats, so re-ask texts ask nothing; a re-ask of words
not understood says only what to do: the router opens it with "não entendi"), button titles up
to 20 characters, list rows up to 24 (title) and 72 (description), and no amount of money in any
text shown before the offer: the fee appears only through `{fee}`.

The texts of the paid diagnosis (the Pix, the meeting, the e-mails) are in
`techops/diagnosis/texts.py`; `TEXTS` holds both, under one name each.
"""

from __future__ import annotations

from dresbach.features.techops.diagnosis.texts import DIAGNOSIS_TEXTS
from dresbach.features.techops.flow.labels import (
    AREA_DESCRIPTIONS,
    AREA_NAMES,
    AREA_TITLES,
    DIAGNOSES,
    FIELDS,
    MEDIA_NAMES,
    OFFERS,
    SIZES,
    URGENCIES,
)

TEXTS: dict[str, str] = {
    # -- qualification ---------------------------------------------------------------------
    "start": (
        "Que bom ter você por aqui! A Consultoria Tech Ops começa sempre por um diagnóstico "
        "pago: um consultor estuda o seu cenário e entrega um plano de ação. Antes, preciso "
        "entender a sua necessidade com algumas perguntas rápidas.\n\n"
        "Em qual área você precisa de ajuda?"
    ),
    "start_button": "Ver áreas",
    "area_reask": "Toque em *Ver áreas* e escolha uma das áreas.",
    "description": (
        "Em poucas palavras, qual é a situação que você quer resolver?\n\n"
        "Por exemplo: o sistema fica lento nos horários de pico, sofremos um ataque, vamos "
        "migrar para a nuvem, precisamos nos adequar à LGPD."
    ),
    "description_short": (
        "Preciso de um pouco mais de detalhe para o consultor chegar preparado. "
        "Conte em uma ou duas frases o que está acontecendo."
    ),
    "description_long": (
        "Ficou um pouco longo: o limite aqui é de 1000 caracteres e a sua mensagem tem "
        "{length}. Resuma o principal, que os detalhes ficam para a reunião."
    ),
    "company": "Qual é o nome da sua empresa?",
    "company_reask": (
        "Não consegui ler o nome da empresa. Envie só o nome, por exemplo: Padaria Boa Massa."
    ),
    "size": "Quantas pessoas trabalham na empresa?",
    "size_button": "Ver opções",
    "size_reask": (
        "Escolha uma das opções da lista ou envie só o número de pessoas, por exemplo: 15."
    ),
    "urgency": "Para quando você precisa do diagnóstico?",
    "urgency_reask": "Toque em uma das opções de prazo abaixo.",
    "email": (
        "Qual é o seu e-mail? Vou usá-lo para enviar o recibo e o convite da reunião com o "
        "consultor."
    ),
    "email_invalid": (
        "Esse e-mail não parece completo. Confira se tem o @ e o domínio, por exemplo: "
        "nome@empresa.com.br."
    ),
    "email_typo": (
        "Confira o domínio do seu e-mail: você escreveu *{typed}*, e o mais comum é "
        "*{suggested}*. Se estiver certo assim mesmo, é só enviar o mesmo endereço de novo."
    ),
    "name_confirm": "Posso registrar o seu nome como *{name}*?",
    "name_confirm_reask": "Toque em *Sim, pode ser* ou em *Usar outro nome*.",
    "name": "Como você se chama? Envie o seu nome e sobrenome.",
    "name_reask": "Não consegui ler isso como um nome. Envie só o seu nome, por exemplo: Ana Lima.",
    "cnpj_choice": (
        "Se quiser, você pode informar o CNPJ da empresa para que o recibo saia em nome dela. "
        "Isso é opcional.\n\nVocê quer informar o CNPJ?"
    ),
    "cnpj_choice_reask": "Toque em *Informar CNPJ* ou em *Pular*.",
    "cnpj": (
        "Qual é o CNPJ da empresa? Pode enviar com ou sem pontuação; o CNPJ novo, com letras, "
        "também vale.\n\nSe preferir não informar, digite *pular*."
    ),
    "cnpj_characters": (
        "O CNPJ tem só letras e números; a pontuação é opcional. Confira o que foi digitado."
    ),
    "cnpj_empty": "Não encontrei um CNPJ na sua mensagem.",
    "cnpj_length": "O CNPJ tem 14 caracteres. Confira se faltou ou sobrou algum.",
    "cnpj_letters": (
        "O CNPJ tem 14 caracteres e termina sempre com dois números. Confira a digitação."
    ),
    "cnpj_repeated": "Esse CNPJ não é válido: todos os números são iguais.",
    "cnpj_invalid": (
        "Esse CNPJ não é válido: os dígitos verificadores não conferem. Confira a digitação."
    ),
    "cnpj_is_cpf": (
        "Esse número é um CPF. Aqui o recibo sai em nome da empresa, por isso preciso do CNPJ "
        "(14 caracteres). Se não tiver, digite *pular*."
    ),
    # -- summary and corrections -------------------------------------------------------------
    "summary": (
        "Confira os seus dados:\n\n"
        "*Área:* {area}\n"
        "*Situação:* {description}\n"
        "*Empresa:* {company}\n"
        "*Porte:* {size}\n"
        "*Urgência:* {urgency}\n"
        "*E-mail:* {email}\n"
        "*Nome:* {name}\n"
        "*CNPJ:* {cnpj}"
    ),
    "summary_question": "Está tudo certo?",
    "summary_reask": "Toque em *Está tudo certo* ou em *Corrigir*.",
    "no_cnpj": "não informado",
    "missing": "(falta responder)",
    "fix": "Qual informação você quer corrigir?",
    "fix_button": "Ver campos",
    "fix_reask": "Toque em *Ver campos* e escolha o que você quer corrigir.",
    # -- prices ------------------------------------------------------------------------------
    "price_before_offer": (
        "O valor de um projeto só é definido depois do diagnóstico, que é pago: "
        "é nele que um consultor entende o seu cenário e propõe a solução certa, sem chute. "
        "Assim que você confirmar os seus dados, eu mostro o que o diagnóstico inclui e quanto "
        "ele custa, antes de qualquer compromisso."
    ),
    "price_after_offer": (
        "{diagnosis} custa {fee}, pago via Pix. O valor de um projeto só é "
        "definido depois do diagnóstico, com base no que o consultor encontrar: assim você "
        "recebe uma proposta sob medida, sem chute."
    ),
    # -- the offer ---------------------------------------------------------------------------
    "offer_fee": (
        "*Investimento no diagnóstico:* {fee}, pago via Pix. Assim que o pagamento for "
        "confirmado, eu mostro os horários livres dos consultores e você escolhe o que for melhor."
    ),
    "offer_question": "Como você prefere seguir?",
    "offer_reask": "Toque em *Pagar e agendar*, *Falar com consultor* ou *Agora não*.",
    # answers at the offer: each is followed by "offer_question", and no charge is created
    "only_pix": (
        "Por enquanto o diagnóstico é pago só via Pix, à vista: não aceitamos cartão, boleto "
        "nem parcelamento. O Pix pode ser pago pelo app de qualquer banco."
    ),
    "how_to_pay": (
        "O pagamento é via Pix: ao tocar em *Pagar e agendar*, eu envio o QR Code e o código "
        "copia e cola por aqui."
    ),
    "fixed_fee": (
        "Entendo. O diagnóstico custa {fee} para qualquer empresa, e eu não consigo oferecer "
        "desconto por aqui. É nele que o consultor entende o seu cenário e propõe a solução "
        "certa, sem chute. Se quiser tirar dúvidas antes de decidir, fale com um consultor."
    ),
    "refund": (
        "Se você desistir em até {days} depois do pagamento, antes da reunião do diagnóstico, "
        "devolvemos o valor integral pelo Pix: é só pedir à nossa equipe por aqui. Depois que a "
        "reunião acontece, o valor não é devolvido."
    ),
    "no_refund": (
        "O valor do diagnóstico não é devolvido depois do pagamento. Se tiver dúvidas antes de "
        "decidir, um consultor conversa com você."
    ),
    "offer_not_now": (
        "Tudo bem, não gerei nenhuma cobrança. A proposta continua de pé: quando quiser, é só "
        "tocar em *Pagar e agendar*."
    ),
    "offer_unknown_question": (
        "Essa eu não sei responder por aqui, mas um consultor tira a sua dúvida antes de você "
        "pagar: é só tocar em *Falar com consultor*."
    ),
    "already_paid": ("Você já tem um diagnóstico pago com a gente, então não gerei um novo Pix."),
    "declined": (
        "Tudo bem! Agradecemos o seu tempo. Quando quiser retomar, é só escolher *Consultoria "
        "Tech Ops* no menu."
    ),
    "handoff_reason": (
        "Tech Ops: o cliente quer falar com um consultor antes de pagar o diagnóstico "
        "({area}, lead {lead_id})."
    ),
    "charge_description": "Diagnóstico Tech Ops: {area}",
    **DIAGNOSIS_TEXTS,
}

BUTTONS: dict[str, str] = {
    "name_yes": "Sim, pode ser",
    "name_other": "Usar outro nome",
    "cnpj_give": "Informar CNPJ",
    "cnpj_skip": "Pular",
    "summary_ok": "Está tudo certo",
    "summary_fix": "Corrigir",
    "pay": "Pagar e agendar",
    "consultant": "Falar com consultor",
    "decline": "Agora não",
    "new_pix": "Gerar novo Pix",
    "see_slots": "Ver horários",
    "more_slots": "Outros horários",
    "reschedule": "Remarcar",
    "cancel_meeting": "Cancelar reunião",
    "main_menu": "Menu principal",
    "retry": "Tentar de novo",
    "cancel_yes": "Sim, cancelar",
    "cancel_no": "Não, manter",
    "pick_slot": "Escolher horário",
    "talk_to_team": "Falar com a equipe",
    "new_diagnosis": "Novo diagnóstico",
    "route.techops": "Consultoria Tech Ops",
    "route.price": "Preços e valores",
    "route.mine": "Meu diagnóstico",
}

CATALOG: dict[str, str] = {
    **TEXTS,
    **{f"button.{k}": v for k, v in BUTTONS.items()},
    **{f"area.{k}": v for k, v in AREA_TITLES.items()},
    **{f"area_name.{k}": v for k, v in AREA_NAMES.items()},
    **{f"area_description.{k}": v for k, v in AREA_DESCRIPTIONS.items()},
    **{f"diagnosis.{k}": v for k, v in DIAGNOSES.items()},
    **{f"offer.{k}": v for k, v in OFFERS.items()},
    **{f"size.{k}": v for k, v in SIZES.items()},
    **{f"urgency.{k}": v for k, v in URGENCIES.items()},
    **{f"field.{k}": v for k, v in FIELDS.items()},
    **{f"media.{k}": v for k, v in MEDIA_NAMES.items()},
}
"""Every text of the flow under one name, for the catalog lint."""
