"""pt-BR texts of the Tech Ops funnel. Edit wording here only.

House rules, checked by `dresbach flows lint` and the tests: at most one question per message
(a re-ask is merged into the question it repeats, so re-ask texts ask nothing; a re-ask of words
not understood says only what to do: the router opens it with "não entendi"), button titles up
to 20 characters, list rows up to 24 (title) and 72 (description), and no amount of money in any
text shown before the offer: the fee appears only through `{fee}`.
"""

from __future__ import annotations

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
    # -- the Pix -----------------------------------------------------------------------------
    "creating_charge": "Estou gerando o seu Pix… Em instantes envio o QR Code e o código por aqui.",
    "still_creating": "O seu Pix ainda está sendo gerado. Já já ele chega por aqui.",
    "charge_failed": (
        "Desculpe, não consegui gerar o seu Pix agora por uma falha do nosso lado. "
        "Você pode tentar de novo em instantes ou falar com um consultor."
    ),
    "qr_caption": "Pix do diagnóstico: aponte a câmera do app do seu banco para o QR Code.",
    "pay_instructions": (
        "Para pagar, abra o app do seu banco, escolha *Pix copia e cola* e cole o código da "
        "mensagem acima (ou leia o QR Code).\n\n"
        "*Valor:* {amount}\n"
        "*Válido até:* {time} (horário de Brasília)\n\n"
        "Assim que o banco confirmar, eu aviso por aqui. Se preferir, envie o comprovante."
    ),
    "pay_instructions_plain": (
        "O seu Pix está aguardando pagamento. Assim que o banco confirmar, eu aviso por aqui. "
        "Se já pagou, pode enviar o comprovante."
    ),
    "paid_claim": (
        "Certo! Assim que o banco nos avisar, eu confirmo por aqui; costuma levar poucos "
        "minutos. Se quiser agilizar, envie o comprovante (foto ou PDF)."
    ),
    "code_again": "Aqui está o código de novo:",
    "receipt_stored": (
        "Recebi o seu comprovante. Alguém da nossa equipe vai conferir o pagamento, e eu aviso "
        "por aqui assim que ele for confirmado."
    ),
    "receipt_kind": (
        "Recebi {what}. Para o comprovante de pagamento, envie uma foto (imagem) ou um PDF."
    ),
    "no_receipt_needed": "O seu pagamento já está confirmado: não é preciso enviar comprovante.",
    "payment_rejected": (
        "Não consegui confirmar o seu pagamento. A nossa equipe explicou:\n\n“{reason}”"
    ),
    "payment_rejected_plain": "Não consegui confirmar o seu pagamento.",
    "payment_rejected_next": (
        "Se você já pagou, envie o comprovante por aqui; se ainda não, o código Pix enviado "
        "continua valendo até o vencimento."
    ),
    "reminder": (
        "Lembrete: o seu Pix do diagnóstico vence {at_time} (horário de Brasília). Se ainda "
        "não pagou, é só usar o código que enviei acima. Se já pagou, pode desconsiderar."
    ),
    "expired": (
        "O prazo do seu Pix terminou e ele não pode mais ser pago. Se ainda quiser o "
        "diagnóstico, gero um novo Pix para você agora.\n\nQuer que eu gere um novo Pix?"
    ),
    "expired_reask": "Toque em *Gerar novo Pix* ou em *Agora não*.",
    "receipt": (
        "✅ Pagamento confirmado!\n\n"
        "*Valor:* {amount}\n"
        "*Identificador do Pix:* {txid}\n"
        "*Data:* {date}, {at_time} (horário de Brasília)\n\n"
        "O seu diagnóstico está garantido. Agradecemos a confiança!"
    ),
    # -- scheduling ------------------------------------------------------------------------
    "paid": (
        "Agora vamos marcar a reunião do seu diagnóstico. Estou consultando a agenda dos "
        "consultores, só um instante."
    ),
    "still_finding": "Ainda estou consultando a agenda, só um instante.",
    "choose_slot": (
        "Estes são os próximos horários livres (horário de Brasília), para uma reunião online "
        "de {duration}. Qual fica melhor para você?"
    ),
    "late_slot": "Daqui a menos de {hours} h: mudanças só até {grace} min após marcar",
    "slot_reask": "Não encontrei esse horário na lista.",
    "booking": "Estou reservando o horário de {slot} para você, só um instante.",
    "still_booking": "Estou terminando a reserva, só um instante.",
    "slot_taken": (
        "Esse horário acabou de ser reservado por outra pessoa. Vou buscar outros horários "
        "livres para você."
    ),
    "booked": (
        "Reunião marcada para *{when}*.\n"
        "*Onde:* {place}\n\n"
        "{invite} Antes da reunião, um consultor vai falar com você por aqui. {change}"
    ),
    "invite_attached": "O convite vai em anexo para você salvar na agenda.",
    "invite_attached_mailed": (
        "O convite vai em anexo para você salvar na agenda, e uma cópia segue para o seu e-mail."
    ),
    "place_link": "{location}, pelo link {link}",
    "place_pending": (
        "{location}. A nossa equipe ainda vai criar o link; assim que ele estiver pronto, eu "
        "envio por aqui e por e-mail."
    ),
    "change_until": (
        "Se precisar, você pode remarcar ou cancelar por aqui até {hours} horas antes."
    ),
    "change_grace": (
        "Como a reunião é daqui a menos de {hours} horas, você pode remarcar ou cancelar por "
        "aqui até {at_time}; depois disso, só com a nossa equipe."
    ),
    "change_closed": (
        "Faltam menos de {hours} horas para a reunião: para remarcar ou cancelar, fale com a "
        "nossa equipe."
    ),
    "booked_again": ("O seu diagnóstico está marcado para *{when}*.\n*Onde:* {place}\n\n{change}"),
    "ics_caption": "Convite da reunião: abra para salvar na sua agenda.",
    "ics_update_caption": "Convite atualizado: abra para atualizar a reunião na sua agenda.",
    "cancel_caption": "Cancelamento: abra para tirar a reunião da sua agenda.",
    "ics_description": (
        "Diagnóstico Tech Ops da {company} com {name}.\n\n"
        "Onde: {place}\n\n"
        "Precisa remarcar ou cancelar? Fale com a gente pelo WhatsApp."
    ),
    "meeting_link": (
        "O link da sua reunião de *{when}* está pronto: {link}\n\n"
        "Mandei também o convite atualizado, aqui e por e-mail."
    ),
    "link_answer": "O link da sua reunião de *{when}* é: {link}",
    "link_pending": (
        "O link da sua reunião de *{when}* ainda não foi criado pela nossa equipe. Assim que "
        "ele estiver pronto, eu envio por aqui e por e-mail."
    ),
    "too_late": (
        "Faltam menos de {hours} horas para a reunião, então não consigo mais remarcar ou "
        "cancelar por aqui. Se precisar, fale com a nossa equipe."
    ),
    "confirm_cancel": "Você quer cancelar a reunião de {when}?",
    "keep_booking": "Certo, a reunião continua marcada.",
    "cancelling": "Cancelando a reunião, só um instante.",
    "cancelled": (
        "Reunião cancelada e horário liberado. O diagnóstico continua pago: quando quiser, "
        "escolha um novo horário por aqui."
    ),
    "no_slots": (
        "Não há horários livres na agenda das próximas semanas. Já avisei a equipe: um "
        "consultor vai falar com você por aqui para combinar a data."
    ),
    "schedule_failed": (
        "Não consegui acessar a agenda agora. Já avisei a equipe, e você pode tentar de novo "
        "em instantes."
    ),
    # -- what the customer already paid for (found from the records) ---------------------------
    "unscheduled": (
        "{diagnosis} já está pago e ainda não tem reunião marcada. Quer escolher um horário agora?"
    ),
    "unscheduled_any": "O seu diagnóstico",
    "mine_none": (
        "Não encontrei nenhum diagnóstico pago neste número de WhatsApp. Se você pagou há "
        "pouco, a confirmação pode levar alguns minutos, e eu aviso por aqui assim que ela "
        "chegar. Se pagou usando outro número, a nossa equipe confere para você.\n\n"
        "Como você prefere seguir?"
    ),
    "mine_reask": "Toque em uma das opções abaixo.",
    # -- `cancelar` at each step after the offer (never claiming what was not done) -------------
    "cancel_later": (
        "Tudo bem, deixamos o horário para depois. O seu diagnóstico continua pago: quando "
        "quiser marcar a reunião, é só escolher *Consultoria Tech Ops* no menu."
    ),
    "cancel_while_booking": (
        "Estou terminando a reserva do horário que você escolheu. Assim que ela for confirmada, "
        "você pode cancelar a reunião por aqui, se quiser."
    ),
    "cancel_charge_creating": (
        "Tudo bem, não vou seguir com o pagamento, e nenhum Pix foi enviado para você. Quando "
        "quiser retomar, é só escolher *Consultoria Tech Ops* no menu."
    ),
    "cancel_open_pix": (
        "Tudo bem, voltei ao menu. O Pix que enviei não é cancelado: ele vale até {at_time} "
        "(horário de Brasília) e, se for pago até lá, eu confirmo por aqui. Se não quiser "
        "seguir, é só não pagar."
    ),
    "reminder_24": (
        "Lembrete: a reunião do seu diagnóstico Tech Ops é amanhã, {when}.\n\n*Onde:* {place}"
    ),
    "reminder_1": (
        "Lembrete: a reunião do seu diagnóstico Tech Ops começa daqui a 1 hora, {when}.\n\n"
        "*Onde:* {place}"
    ),
    # -- e-mails ------------------------------------------------------------------------------
    "mail_hello": "Olá, {name}!",
    "mail_hello_anonymous": "Olá!",
    "mail_receipt_subject": "Recibo do seu diagnóstico Tech Ops",
    "mail_receipt": (
        "{greeting}\n\n"
        "Recebemos o pagamento do seu diagnóstico. Este é o seu recibo:\n\n"
        "Serviço: Diagnóstico Tech Ops — {area}\n"
        "Valor: {amount}\n"
        "Forma de pagamento: Pix\n"
        "Identificador do Pix: {txid}\n"
        "Data: {date}, {at_time} (horário de Brasília)\n"
        "Empresa: {customer_company}\n\n"
        "A reunião do diagnóstico é marcada pelo WhatsApp; o convite chega por lá e por "
        "e-mail.\n\n"
        "Agradecemos a confiança,\n{company}"
    ),
    "mail_booked_subject": "Convite: diagnóstico Tech Ops marcado para {when}",
    "mail_moved_subject": "Reunião remarcada: diagnóstico Tech Ops agora para {when}",
    "mail_link_subject": "Link da reunião: diagnóstico Tech Ops de {when}",
    "mail_cancelled_subject": "Reunião cancelada: diagnóstico Tech Ops de {when}",
    "mail_booked": "A reunião do seu diagnóstico Tech Ops está marcada.",
    "mail_moved": (
        "A reunião do seu diagnóstico Tech Ops foi remarcada. O convite em anexo atualiza o "
        "evento na sua agenda."
    ),
    "mail_link": (
        "O link da reunião do seu diagnóstico Tech Ops está pronto. O convite em anexo atualiza "
        "o evento na sua agenda."
    ),
    "mail_meeting": (
        "{greeting}\n\n"
        "{opening}\n\n"
        "Quando: {when}\n"
        "Duração: {duration}\n"
        "Onde: {place}\n\n"
        "O convite vai em anexo: abra para salvar na sua agenda. {change}\n\n"
        "Atenciosamente,\n{company}"
    ),
    "mail_change_until": (
        "Se precisar remarcar ou cancelar, é só falar com a gente pelo WhatsApp até {hours} "
        "horas antes."
    ),
    "mail_change_grace": (
        "Como a reunião é daqui a menos de {hours} horas, remarcar ou cancelar pelo WhatsApp "
        "só é possível até {at_time}; depois disso, fale com a nossa equipe."
    ),
    "mail_change_closed": (
        "Faltam menos de {hours} horas para a reunião: se precisar mudar algo, fale com a nossa "
        "equipe pelo WhatsApp."
    ),
    "mail_cancelled": (
        "{greeting}\n\n"
        "A reunião do seu diagnóstico Tech Ops de {when} foi cancelada e o horário foi "
        "liberado. O arquivo em anexo tira o evento da sua agenda.\n\n"
        "O diagnóstico continua pago: para escolher um novo horário, é só falar com a gente "
        "pelo WhatsApp.\n\n"
        "Atenciosamente,\n{company}"
    ),
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
