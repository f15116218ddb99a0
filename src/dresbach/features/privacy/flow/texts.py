"""pt-BR texts of the `privacidade` flow and of the personal-data document. Edit wording here
only.

House rules, checked by `dresbach flows lint` and the tests: at most one question per message,
button titles up to 20 characters, list rows up to 24 (title) and 72 (description). `{dpo}` is
the data-protection officer's contact from the settings.
"""

from __future__ import annotations

TEXTS: dict[str, str] = {
    "start": (
        "Aqui você cuida dos seus dados pessoais, como garante a LGPD. Posso enviar uma cópia "
        "de tudo o que guardamos sobre você, corrigir seu nome ou e-mail, ou excluir seus "
        "dados.\n\nO que você quer fazer?"
    ),
    "start_button": "Ver opções",
    "not_understood": "Toque em uma das opções abaixo.",  # after the router's "não entendi"
    "client_area": (
        "Os dados da Área do Cliente (serviços, domínios, faturas e chamados) ficam no seu "
        "cadastro de cliente e só aparecem depois do login com CPF ou CNPJ, senha e código, em "
        "*Área do Cliente* no menu. Para receber uma cópia, corrigir ou excluir esses dados, "
        "escreva para {dpo} a partir do e-mail do cadastro."
    ),
    # -- access and portability ----------------------------------------------------------
    "exporting": (
        "Certo! Estou reunindo tudo o que guardamos sobre você nesta conversa. Em instantes "
        "envio o arquivo aqui mesmo."
    ),
    "export_caption": (
        "Aqui estão os seus dados: tudo o que guardamos sobre você, para que usamos e por "
        "quanto tempo. Se algo estiver errado, digite *privacidade* para corrigir."
    ),
    "export_caption_json": (
        "Os mesmos dados em formato JSON, para levar a outro serviço se você quiser "
        "(portabilidade)."
    ),
    # -- correction -----------------------------------------------------------------------
    "correct_checking": "Um instante, estou conferindo quais dados seus temos guardados.",
    "correct_which": (
        "Nos seus cadastros da consultoria Tech Ops temos o seu {held}.\n\n"
        "Qual dado você quer corrigir?"
    ),
    "correct_nothing": (
        "Não encontrei nenhum cadastro seu com nome ou e-mail, então não há nada para corrigir: "
        "guardamos esses dados apenas quando você pede a consultoria Tech Ops. O nome do seu "
        "perfil vem do próprio WhatsApp e muda nas configurações do aplicativo."
    ),
    "correct_absent": (
        "Não temos {field} seu guardado em nenhum cadastro, então não há o que corrigir."
    ),
    "correct_name": "Qual é o nome correto?",
    "correct_email": "Qual é o e-mail correto?",
    "bad_name": (
        "Não consegui entender esse nome. Escreva só o nome, com letras, por exemplo: Maria Souza."
    ),
    "bad_email": (
        "Esse e-mail não parece completo. Confira e envie de novo, por exemplo: "
        "nome@empresa.com.br."
    ),
    "correct_other": (
        "O nome do seu perfil vem do próprio WhatsApp: para mudá-lo, altere nas configurações "
        "do aplicativo. Para corrigir qualquer outro dado, escreva para {dpo} ou digite "
        "*atendente*."
    ),
    "correcting": "Certo, estou atualizando seus cadastros. Um instante, por favor.",
    "corrected_one": "Pronto! Corrigi o seu {field} no seu cadastro.",
    "corrected_many": "Pronto! Corrigi o seu {field} nos seus {count} cadastros.",
    "corrected_none": (
        "Não encontrei nenhum cadastro seu com {field} para corrigir, então nada foi alterado. "
        "Guardamos nome e e-mail apenas quando você pede a consultoria Tech Ops."
    ),
    # -- erasure --------------------------------------------------------------------------
    "erase_confirm": (
        "Posso excluir seus dados pessoais desta conversa: as mensagens, seus cadastros de "
        "consultoria (nome, e-mail, empresa e respostas) e o contexto dos atendimentos.\n\n"
        "O que a lei nos obriga a guardar continua guardado: os registros de pagamento (valor, "
        "data e código do Pix) ficam pelo prazo legal de cinco anos, contados a partir do ano "
        "seguinte ao pagamento (Código Tributário Nacional, arts. 173 e 174), e os registros "
        "de acesso e de segurança, sem o conteúdo das mensagens, pelo prazo do Marco Civil da "
        "Internet. Reuniões já marcadas mantêm seu nome e e-mail até acontecerem.\n\n"
        "Confirma a exclusão?"
    ),
    "erase_kept": "Tudo bem, não excluí nada.",
    "erasing": "Certo, estou excluindo seus dados. Isso leva só alguns instantes.",
    "erased": (
        "Pronto! Excluí seus dados pessoais desta conversa. Guardamos apenas o que a lei "
        "exige, como os registros de pagamento. Se quiser conversar de novo, é só mandar uma "
        "mensagem: começamos do zero."
    ),
    "failed": (
        "Desculpe, não consegui concluir o seu pedido agora. Tente de novo em alguns minutos "
        "ou escreva para {dpo}."
    ),
}

FIELD_NAMES: dict[str, str] = {"name": "nome", "email": "e-mail"}
HELD: dict[str, str] = {"name": "nome", "email": "e-mail", "both": "nome e o seu e-mail"}

BUTTONS: dict[str, str] = {
    "name": "Nome",
    "email": "E-mail",
    "other": "Outro dado",
    "erase_yes": "Sim, excluir",
    "erase_no": "Não, manter",
    "route.privacy": "Seus dados (LGPD)",
}

ROWS: dict[str, tuple[str, str]] = {
    "export": ("Baixar meus dados", "Um arquivo com tudo o que guardamos sobre você"),
    "correct": ("Corrigir meus dados", "Nome ou e-mail dos seus cadastros"),
    "erase": ("Excluir meus dados", "Apagar conversas e cadastros (com confirmação)"),
    "client_area": ("Dados da Área do Cliente", "Serviços, faturas e chamados: exigem login"),
    "human": ("Falar com atendente", "Uma pessoa da equipe ou o encarregado de dados"),
}

DOCUMENT: dict[str, str] = {
    "title": "Dados pessoais tratados pela {controller} (LGPD, art. 18, II e V)",
    "notice": (
        "O aviso de privacidade é a primeira mensagem de cada conversa; depois de uma exclusão "
        "a pedido, ele é enviado de novo no próximo contato."
    ),
    "client_area": (
        "Os dados da Área do Cliente exigem login e não entram neste arquivo. Para recebê-los, "
        "escreva para {dpo} a partir do e-mail do cadastro."
    ),
    "client_area_hidden": "[Área do Cliente: este conteúdo só aparece com o login]",
}

READABLE: dict[str, str] = {
    "title": "SEUS DADOS NA {controller}",
    "intro": (
        "Cópia gerada em {when} (horário de Brasília), a seu pedido, como garante a Lei Geral "
        "de Proteção de Dados (LGPD, art. 18). Aqui está, em linguagem simples, tudo o que "
        "guardamos sobre você: o que é, para que usamos e por quanto tempo fica guardado.\n\n"
        "Junto deste arquivo vai um segundo, {json}, com os mesmos dados num formato que outros "
        "sistemas leem, caso você queira levá-los a outro serviço (portabilidade)."
    ),
    "who": "QUEM CUIDA DOS SEUS DADOS",
    "controller": "Controladora",
    "dpo": "Encarregado de dados (DPO)",
    "policy": "Política de privacidade",
    "purpose": "Para que usamos",
    "you": "1. QUEM É VOCÊ PARA NÓS",
    "whatsapp": "Número de WhatsApp",
    "profile": "Nome do seu perfil no WhatsApp",
    "first_contact": "Primeira conversa",
    "last_message": "Sua última mensagem",
    "now_at": "Onde a conversa está agora",
    "in_progress": "Respostas ainda em andamento",
    "notice": "Aviso de privacidade enviado em",
    "conversation": "2. NOSSA CONVERSA",
    "conversation_count": "Você enviou {received} mensagem(ns) e nós enviamos {sent}.",
    "you_said": "Você",
    "we_said": "Dresbach",
    "files": "Arquivos que você nos enviou e guardamos:",
    "file": "{kind} {file}, recebido em {when}",
    "file_kept": "guardado com o pagamento",
    "system_events": (
        "Além das mensagens, guardamos {count} registro(s) interno(s) do atendimento (por "
        "exemplo, um pagamento confirmado), sem o conteúdo de nenhuma mensagem."
    ),
    "leads": "3. CADASTROS DA CONSULTORIA TECH OPS",
    "lead": "Cadastro de {when}: {status}",
    "payments": "4. PAGAMENTOS (guardados por exigência legal)",
    "payment": "Pix de {amount}, criado em {when}: {status}",
    "paid_at": "pago em {when}",
    "charge_code": "código da cobrança",
    "receipts": "5. COMPROVANTES QUE VOCÊ ENVIOU",
    "receipt": "{file}, enviado em {when}: {status}",
    "meetings": "6. REUNIÕES",
    "meeting": "{when}: {status}",
    "attendee": "Participante",
    "handoffs": "7. ATENDIMENTOS COM A NOSSA EQUIPE",
    "handoff": "Pedido em {when}: {status}",
    "handoff_rating": "sua avaliação: {score} de 5",
    "handoff_note": "Anotação da equipe em {when}: {text}",
    "requests": "8. SEUS PEDIDOS DE PRIVACIDADE",
    "request": "{when}: {what}",
    "notices": "9. AVISOS DE FATURAS, DOMÍNIOS E CHAMADOS",
    "notice_sent": "{when}: {what} (por {how})",
    "notices_stopped": "Você pediu para não receber estes avisos em {when}.",
    "client_area": "10. ÁREA DO CLIENTE",
    "bases": "11. POR QUE GUARDAMOS E POR QUANTO TEMPO",
    "none": "Nenhum.",
    "nobody": "Não informado.",
    "closing": (
        "Se algo estiver errado, digite “privacidade” na conversa para corrigir ou excluir seus "
        "dados, ou escreva para {dpo}."
    ),
}
"""Headings and lines of the readable copy of the data (`meus-dados-dresbach.txt`)."""

STATUS_NAMES: dict[str, str] = {
    "qualified": "perguntas respondidas",
    "offered": "proposta enviada",
    "paid": "pago",
    "lost": "encerrado sem contratação",
    "active": "aguardando pagamento",
    "expired": "expirado",
    "cancelled": "cancelado",
    "booked": "marcada",
    "waiting": "aguardando atendimento",
    "closed": "encerrado",
    "scheduled": "agendado",
    "returned": "devolvido ao assistente",
    "replaced": "substituído",
    "pending": "em análise",
    "approved": "aprovado",
    "rejected": "recusado",
    "flagged": "em análise",
    "resolved": "resolvido",
}
"""Situations of records, in words (the JSON keeps the system's own codes)."""

FILE_KINDS: dict[str, str] = {
    "image": "Imagem",
    "document": "Documento",
    "audio": "Áudio",
    "video": "Vídeo",
    "sticker": "Figurinha",
}
"""The kinds of file a user sends, in words (the copy of the data)."""

REQUEST_NAMES: dict[str, str] = {
    "privacy_export": "cópia dos dados",
    "privacy_correction": "correção de dados",
    "privacy_erasure": "exclusão de dados",
}

LEGAL_BASES: dict[str, str] = {
    "conversa_e_mensagens": (
        "Atendimento e suporte a seu pedido: execução de contrato ou de procedimentos "
        "preliminares (art. 7º, V). Guardadas por {inbox} dias."
    ),
    "cadastros_de_consultoria": (
        "Proposta e venda do diagnóstico Tech Ops a seu pedido: procedimentos preliminares de "
        "contrato (art. 7º, V). Guardados por {leads} dias sem novidades."
    ),
    "pagamentos_e_reunioes": (
        "Cobrança e registro fiscal: cumprimento de obrigação legal (art. 7º, II; CTN, arts. "
        "173 e 174). Guardados por {payments} dias."
    ),
    "registros_de_acesso_e_seguranca": (
        "Segurança e prevenção a fraudes: obrigação legal (Marco Civil da Internet, art. 15) e "
        "legítimo interesse (art. 7º, IX). Guardados por {access_log} a {audit} dias."
    ),
    "marketing": "Não usamos seus dados para marketing; não há consentimento a revogar.",
}

CATALOG: dict[str, str] = {
    **TEXTS,
    **{f"field.{k}": v for k, v in FIELD_NAMES.items()},
    **{f"held.{k}": v for k, v in HELD.items()},
    **{f"button.{k}": v for k, v in BUTTONS.items()},
    **{f"row.{k}": title for k, (title, _) in ROWS.items()},
    **{f"row.{k}.description": description for k, (_, description) in ROWS.items()},
    **{f"document.{k}": v for k, v in DOCUMENT.items()},
    **{f"legal_basis.{k}": v for k, v in LEGAL_BASES.items()},
    **{f"readable.{k}": v for k, v in READABLE.items()},
    **{f"status.{k}": v for k, v in STATUS_NAMES.items()},
    **{f"request.{k}": v for k, v in REQUEST_NAMES.items()},
    **{f"file_kind.{k}": v for k, v in FILE_KINDS.items()},
}
