"""pt-BR texts of the paid diagnosis: the Pix, the meeting and its changes, what the customer
already paid for, `cancelar` after the offer, and the e-mails. Edit wording here only; the house
rules of `techops/flow/texts.py` hold here too, and its `TEXTS` includes these."""

from __future__ import annotations

from dresbach.platform.whatsapp.templates.declarations import TemplateDeclaration

DIAGNOSIS_TEXTS: dict[str, str] = {
    # -- the Pix -----------------------------------------------------------------------------
    "creating_charge": "Estou gerando o seu Pix… Em instantes envio o QR Code e o código por aqui.",
    "still_creating": "O seu Pix ainda está sendo gerado. Já já ele chega por aqui.",
    "charge_failed": (
        "Desculpe, não consegui gerar o seu Pix agora por uma falha do nosso lado. "
        "Você pode tentar de novo em instantes ou falar com um consultor."
    ),
    "qr_caption": "Pix do diagnóstico: aponte a câmera do app do seu banco para o QR Code.",
    "pix_order": (
        "Pix do diagnóstico: toque no botão para copiar o código Pix e cole no app do seu banco."
    ),
    "pix_order_item": "Diagnóstico técnico",
    "pix_order_paid": "Pagamento confirmado",
    "pix_order_expired": "O prazo deste Pix terminou e ele não pode mais ser pago.",
    "pix_order_expired_status": "Pix vencido",
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


# ---- templates: what goes instead when the 24 h window has closed -------------------------------

PAYMENT_CONFIRMED = TemplateDeclaration(
    name="pagamento_confirmado",
    category="UTILITY",
    body="Pagamento confirmado: {{1}} (identificador do Pix: {{2}}). "
    "O seu diagnóstico está garantido.",
    examples=("R$ 1.500,00", "DRESBACH7F3A9C2E"),
)
"""The payment receipt: {{1}} the amount, {{2}} the txid."""
PIX_EXPIRING = TemplateDeclaration(
    name="pix_vencendo",
    category="UTILITY",
    body="Lembrete: o Pix do seu diagnóstico vence às {{1}} (horário de Brasília). "
    "Se precisar, peça um novo código por aqui.",
    examples=("14h30",),
)
"""The reminder before a charge expires: {{1}} the time it expires."""
MEETING_REMINDER = TemplateDeclaration(
    name="lembrete_reuniao",
    category="UTILITY",
    body="Lembrete da sua reunião de diagnóstico com a Dresbach: {{1}}. Local: {{2}}. Até lá!",
    examples=("quarta, 26/11, às 14h", "Google Meet, https://meet.google.com/abc-defg-hij"),
)
"""The meeting reminders 24 h and 1 h before: {{1}} when, {{2}} the place."""
TEMPLATES = (PAYMENT_CONFIRMED, PIX_EXPIRING, MEETING_REMINDER)
