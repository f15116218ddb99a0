"""pt-BR texts of the Área do Cliente's login; `texts` takes them into the flow's catalog, and
its house rules hold here too (`{site}` is its `SITE`). Edit wording here only. Nothing here
repeats what was typed at the document or password prompt: it may be a password.
"""

from __future__ import annotations

LOGIN_TEXTS: dict[str, str] = {
    # -- login -----------------------------------------------------------------------------
    "start": (
        "Na Área do Cliente você consulta seus serviços, acessos, domínios, chamados e faturas. "
        "Para entrar, preciso confirmar a sua identidade. Pode enviar com ou sem pontuação; o "
        "CNPJ novo, com letras, também vale.\n\n"
        "Qual é o CPF ou o CNPJ do titular da conta?"
    ),
    "flow_start": (
        "Na Área do Cliente você consulta seus serviços, acessos, domínios, chamados e faturas. "
        "Para entrar, toque em *Entrar com segurança* e preencha o CPF ou o CNPJ do titular, a "
        "senha e o código de verificação num formulário do próprio WhatsApp: eles vão "
        "protegidos e não ficam no histórico desta conversa."
    ),
    "flow_or_chat": (
        "Se o formulário não abrir no seu aparelho, toque em *Digitar aqui* para entrar por "
        "esta conversa."
    ),
    "flow_code_resent": (
        "Esse código expirou: ele vale por 5 minutos. Enviamos um novo código para o e-mail "
        "{email}; use sempre o mais recente."
    ),
    "flow_expired": (
        "Esse formulário de acesso expirou ou já foi usado. Envio um novo para você entrar."
    ),
    "password": (
        "Conta: {document}\n\n"
        "Agora preciso da sua senha da Área do Cliente. Ela é conferida diretamente com o nosso "
        "sistema de faturamento e não fica guardada nesta conversa. Depois de enviar, se quiser, "
        "apague a mensagem: toque e segure nela e escolha *Apagar para mim*.\n\n"
        "Qual é a sua senha?"
    ),
    "document_characters": (
        "O CPF e o CNPJ têm só números (o CNPJ novo também pode ter letras); a pontuação é "
        "opcional. Confira o que foi digitado."
    ),
    "document_length": (
        "O CPF tem 11 dígitos e o CNPJ tem 14 caracteres. Confira se faltou ou sobrou algum."
    ),
    "document_letters": (
        "O CPF tem só números, e o CNPJ termina sempre com dois números. Confira a digitação."
    ),
    "document_repeated": "Esse número não é válido: todos os dígitos são iguais.",
    "document_invalid": (
        "Esse CPF ou CNPJ não é válido: os dígitos verificadores não conferem. Confira a digitação."
    ),
    "not_a_document": "Não encontrei um CPF ou CNPJ na sua mensagem.",
    "forgot_password": (
        "Acontece! Você pode criar uma nova senha pelo site {site}, na opção de recuperar a "
        "senha. Quando tiver a nova senha, é só voltar aqui e me enviar o CPF ou o CNPJ do "
        "titular da conta."
    ),
    "forgot_password_now": (
        "É a mesma senha que você usa para entrar na Área do Cliente pelo site {site}. Se não "
        "lembra dela, você pode criar uma nova por lá, na opção de recuperar a senha. Quando "
        "tiver a nova senha, é só me enviar aqui."
    ),
    "not_a_client": (
        "Sem problema! A Área do Cliente é para quem já tem serviços com a Dresbach. Para "
        "conhecer o que fazemos, toque em *Menu principal*; para falar com uma pessoa da nossa "
        "equipe, toque em *Falar com atendente*. Se você já é cliente, é só me enviar o CPF ou "
        "o CNPJ do titular da conta."
    ),
    "problem": (
        "Sinto muito pelo transtorno! Se for urgente, toque em *Falar com atendente* e uma pessoa "
        "da nossa equipe continua o atendimento por aqui. Para consultar os seus serviços e pedir "
        "suporte por aqui mesmo, entre na Área do Cliente."
    ),
    "document_again": "Preciso do CPF ou CNPJ de novo antes da senha.",
    "checking": "Conferindo seus dados… Um instante, por favor.",
    "still_checking": "Ainda estou conferindo. Em instantes eu respondo por aqui.",
    "login_failed": (
        "O CPF/CNPJ ou a senha não conferem. Confira os dados e tente de novo. Se esqueceu a "
        "senha, você pode criar uma nova no site {site}."
    ),
    "login_locked": (
        "Por segurança, o acesso à Área do Cliente foi bloqueado por 15 minutos. Depois desse "
        "prazo, é só tentar de novo. Se precisar de ajuda agora, digite *atendente*."
    ),
    "factor_locked": (
        "Por segurança, o acesso à Área do Cliente foi bloqueado por 15 minutos, e enviamos um "
        "aviso para o e-mail {email}. Depois desse prazo, é só tentar de novo. Se precisar de "
        "ajuda agora, digite *atendente*."
    ),
    "login_unavailable": (
        "O nosso sistema está indisponível no momento. Tente novamente em instantes."
    ),
    "no_second_factor": (
        "Para entrar por esta conversa, a sua conta precisa ter a verificação em duas etapas "
        "ativada. Ative o aplicativo autenticador na Área do Cliente, pelo site {site}, e depois "
        "volte aqui."
    ),
    "totp": (
        "Falta só mais um passo. Abra o seu aplicativo autenticador (Google Authenticator, "
        "Microsoft Authenticator, Authy…) e procure a Dresbach.\n\n"
        "Qual é o código de 6 dígitos que aparece lá?"
    ),
    "email_code": (
        "Falta só mais um passo. Enviamos um código de 6 dígitos para o e-mail {email}. Ele "
        "vale por 5 minutos.\n\nQual é o código?"
    ),
    "your_email": "cadastrado",
    "code_format": "O código tem exatamente 6 números. Envie só os números, sem letras.",
    "code_resent": (
        "Pronto, enviei um novo código para o e-mail {email}. Ele vale por 5 minutos; use sempre "
        "o mais recente. Assim que chegar, é só digitar o código aqui."
    ),
    "too_many_resends": (
        "Já enviei vários códigos. Confira também a caixa de spam. Se não chegar, digite "
        "*atendente* para falar com a nossa equipe."
    ),
    "checking_code": "Conferindo o código… Um instante, por favor.",
    "totp_failed": (
        "Esse código não confere. Os códigos do aplicativo mudam a cada 30 segundos: use o que "
        "estiver na tela agora."
    ),
    "totp_expired": "Esse código já expirou. Use o que aparece agora no aplicativo.",
    "email_failed": "Esse código não confere. Confira o e-mail mais recente que enviamos.",
    "email_expired": (
        "Esse código expirou: ele vale por 5 minutos. Toque em *Reenviar código* para receber "
        "um novo."
    ),
    "code_unavailable": (
        "Não consegui conferir o código agora, o sistema está indisponível. Tente de novo em "
        "instantes."
    ),
    "welcome": "Pronto! Você entrou na Área do Cliente.",
    "welcome_person": "Pronto, {name}! Você entrou na Área do Cliente.",
    "welcome_company": "Pronto! Você entrou na Área do Cliente da conta *{company}*.",
}
