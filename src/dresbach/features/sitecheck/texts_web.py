"""pt-BR texts of the site checks' web findings: the home page's answers and its certificate.
Edit wording here only; the house rules are those of ``texts``."""

from __future__ import annotations

from typing import Final

_AUTOSSL: Final = (
    "No cPanel, abra *SSL/TLS Status* e toque em *Run AutoSSL*: o certificado gratuito é "
    "emitido em alguns minutos. Para isso funcionar, o domínio precisa apontar para o nosso "
    "servidor."
)
PERSON: Final = "Digite *atendente* para falar com a nossa equipe."
PERSON_INLINE: Final = "digite *atendente* para falar com a nossa equipe."

WEB_FINDINGS: Final[dict[str, dict[str, str]]] = {
    "server_error": {
        "title": "Erro no site (código {status})",
        "explanation": (
            "A página inicial do site {domain} respondeu com o erro {status}: o servidor recebeu "
            "o acesso, mas o site falhou ao montar a página. Na maioria das vezes, a causa está "
            "nos arquivos ou na configuração do site."
        ),
        "action": (
            "No cPanel, abra *Erros* (em Métricas) para ver as últimas mensagens de erro. Pense "
            "também no que mudou recentemente: atualização de plugin ou tema, mudança no arquivo "
            ".htaccess ou troca da versão do PHP. Desfazer a última mudança costuma resolver."
        ),
    },
    "resource_limit": {
        "title": "Limite de recursos atingido",
        "explanation": (
            "A página inicial do site {domain} respondeu com o erro 508: a hospedagem atingiu o "
            "limite de processamento ou de memória do plano."
        ),
        "action": (
            "No cPanel, abra *Uso de recursos* para ver quando o limite foi atingido. Plugins "
            "pesados, robôs e ataques costumam ser a causa, e um plugin de cache ajuda. Se o site "
            f"cresceu, podemos mudar o seu plano para um maior. {PERSON}"
        ),
    },
    "client_error": {
        "title": "Página inicial com erro {status}",
        "explanation": (
            "A página inicial do site {domain} respondeu com o erro {status} ({meaning})."
        ),
        "action": (
            "No *Gerenciador de arquivos* do cPanel, confira se a pasta public_html tem o arquivo "
            "inicial do site (index.php ou index.html) e se as permissões estão corretas: 644 "
            "para arquivos e 755 para pastas. Veja também se o arquivo .htaccess mudou "
            "recentemente."
        ),
    },
    "redirect_loop": {
        "title": "Redirecionamento em loop",
        "explanation": (
            "A página inicial do site {domain} redireciona sem parar, e o navegador desiste com o "
            'erro de "redirecionamentos demais".'
        ),
        "action": (
            "Isso costuma vir de uma regra no arquivo .htaccess ou do endereço configurado no "
            "site (no WordPress, em *Configurações > Geral*) em conflito com o uso de https. "
            "Desfaça a última mudança nessas configurações."
        ),
    },
    "ssl_expired": {
        "title": "Certificado SSL vencido",
        "explanation": (
            "O certificado SSL do site {domain} venceu em {date}. Os navegadores mostram um aviso "
            "de site não seguro, e muitos visitantes desistem de entrar."
        ),
        "action": _AUTOSSL,
    },
    "ssl_not_yet_valid": {
        "title": "Certificado SSL ainda não válido",
        "explanation": (
            "O certificado SSL do site {domain} só vale a partir de {date}. Até lá, os "
            "navegadores mostram um aviso de site não seguro."
        ),
        "action": _AUTOSSL,
    },
    "ssl_wrong_host": {
        "title": "Certificado SSL de outro endereço",
        "explanation": (
            "O certificado SSL apresentado pelo site {domain} foi emitido para {names}. Os "
            "navegadores mostram um aviso de site não seguro."
        ),
        "action": _AUTOSSL,
    },
    "ssl_self_signed": {
        "title": "Certificado SSL autoassinado",
        "explanation": (
            "O site {domain} usa um certificado SSL autoassinado, que os navegadores não "
            "reconhecem como seguro."
        ),
        "action": _AUTOSSL,
    },
    "ssl_untrusted": {
        "title": "Certificado SSL não reconhecido",
        "explanation": (
            "Os navegadores não reconhecem o certificado SSL do site {domain} como confiável: "
            "a cadeia de certificação está incompleta ou o emissor ({issuer}) é desconhecido."
        ),
        "action": (
            f"{_AUTOSSL} Se o certificado foi comprado, instale também os certificados "
            "intermediários (CA bundle) no cPanel, em *SSL/TLS*."
        ),
    },
    "ssl_expiring": {
        "title": "Certificado SSL perto de vencer",
        "explanation": (
            "O certificado SSL do site {domain} vence {when} ({date}). O AutoSSL costuma renovar "
            "antes disso; se ainda não renovou, algo pode estar impedindo."
        ),
        "action": _AUTOSSL,
    },
    "https_unavailable": {
        "title": "Site sem acesso seguro (https)",
        "explanation": (
            "O site {domain} abre pelo endereço http://, mas não responde pelo endereço seguro, "
            "https://. Muitos navegadores tentam o endereço seguro primeiro e mostram um erro."
        ),
        "action": _AUTOSSL,
    },
    "redirect_elsewhere": {
        "title": "Site redirecionando para outro endereço",
        "explanation": "A página inicial do site {domain} redireciona para {target}.",
        "action": (
            "Se não foi você quem fez isso, confira as regras do arquivo .htaccess e o endereço "
            "configurado no site (no WordPress, em *Configurações > Geral*). Um redirecionamento "
            f"que ninguém criou pode indicar que o site foi invadido. Nesse caso, {PERSON_INLINE}"
        ),
    },
    "slow": {
        "title": "Site lento",
        "explanation": (
            "A página inicial do site {domain} levou {seconds} para responder. O esperado é "
            "menos de {limit}."
        ),
        "action": (
            "No cPanel, abra *Uso de recursos* para ver se a hospedagem está no limite. Atualize "
            "plugins e temas, desative os que não usa e use um plugin de cache. Imagens muito "
            "grandes também deixam o site lento."
        ),
    },
}

CLIENT_ERRORS: Final[dict[int, str]] = {
    401: "o site pede usuário e senha",
    403: "acesso negado",
    404: "página não encontrada",
    410: "página removida",
}
CLIENT_ERROR_OTHER: Final = "o site recusou o acesso"
