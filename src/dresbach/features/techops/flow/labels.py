"""pt-BR labels of the Tech Ops funnel: the areas and what each diagnosis covers, the options of
the lists and buttons, the fields of the summary. Edit wording here only (row titles up to 24
characters, descriptions up to 72, button titles up to 20). `{duration}` in an offer is the
meeting's length from the settings (`DRESBACH_MEETING_MINUTES`), the one the slots and the
invitation use."""

from __future__ import annotations

AREA_TITLES: dict[str, str] = {
    "technical": "Diagnóstico técnico",
    "security": "Segurança da informação",
    "architecture": "Arquitetura de sistemas",
    "lgpd": "LGPD e governança",
}

AREA_NAMES: dict[str, str] = {
    "technical": "Diagnóstico técnico",
    "security": "Segurança da informação",
    "architecture": "Arquitetura de sistemas",
    "lgpd": "LGPD e governança digital",
}

DIAGNOSES: dict[str, str] = {
    "technical": "O diagnóstico técnico",
    "security": "O diagnóstico de segurança da informação",
    "architecture": "O diagnóstico de arquitetura de sistemas",
    "lgpd": "O diagnóstico de LGPD e governança digital",
}

AREA_DESCRIPTIONS: dict[str, str] = {
    "technical": "Servidores, desempenho, falhas e infraestrutura",
    "security": "Vulnerabilidades, incidentes e proteção de dados",
    "architecture": "Escalabilidade, nuvem, integrações e modernização",
    "lgpd": "Adequação à LGPD, políticas, contratos e processos",
}

OFFERS: dict[str, str] = {
    "technical": (
        "*Diagnóstico técnico*\n\n"
        "*O que analisamos:* servidores, desempenho, disponibilidade, falhas recorrentes e a "
        "infraestrutura que sustenta o seu sistema.\n"
        "*Como funciona:* uma reunião online de {duration} com um consultor sênior, mais a "
        "análise do material que você enviar.\n"
        "*O que você recebe:* em até 5 dias úteis, um relatório com os problemas encontrados, "
        "os riscos e um plano de ação por prioridade."
    ),
    "security": (
        "*Diagnóstico de segurança da informação*\n\n"
        "*O que analisamos:* exposição a ataques, configurações, controle de acessos, backups "
        "e a resposta a incidentes.\n"
        "*Como funciona:* uma reunião online de {duration} com um especialista em segurança, "
        "mais uma verificação externa não invasiva.\n"
        "*O que você recebe:* em até 5 dias úteis, um relatório com as vulnerabilidades, o "
        "nível de risco de cada uma e as correções por prioridade."
    ),
    "architecture": (
        "*Diagnóstico de arquitetura de sistemas*\n\n"
        "*O que analisamos:* a estrutura atual do sistema, integrações, escalabilidade, custos "
        "de nuvem e gargalos.\n"
        "*Como funciona:* uma reunião online de {duration} com um arquiteto de soluções, mais "
        "a análise da documentação que você enviar.\n"
        "*O que você recebe:* em até 7 dias úteis, um documento com a arquitetura atual, os "
        "pontos críticos e uma proposta de evolução em etapas."
    ),
    "lgpd": (
        "*Diagnóstico de LGPD e governança digital*\n\n"
        "*O que analisamos:* como a empresa coleta, usa e guarda dados pessoais, as bases "
        "legais, contratos, políticas e os direitos dos titulares.\n"
        "*Como funciona:* uma reunião online de {duration} com um consultor de privacidade, "
        "mais a leitura dos documentos que você enviar.\n"
        "*O que você recebe:* em até 7 dias úteis, um relatório de maturidade com as lacunas "
        "e um plano de adequação por prioridade."
    ),
}

SIZES: dict[str, str] = {
    "solo": "Só eu",
    "2-9": "De 2 a 9 pessoas",
    "10-49": "De 10 a 49 pessoas",
    "50-249": "De 50 a 249 pessoas",
    "250+": "250 pessoas ou mais",
}

URGENCIES: dict[str, str] = {
    "urgent": "É urgente",
    "weeks": "Nas próximas semanas",
    "flexible": "Sem pressa",
}

FIELDS: dict[str, str] = {
    "area": "Área",
    "description": "Situação",
    "company": "Empresa",
    "size": "Porte da empresa",
    "urgency": "Urgência",
    "email": "E-mail",
    "name": "Nome",
    "cnpj": "CNPJ",
}

MEDIA_NAMES: dict[str, str] = {
    "audio": "o seu áudio",
    "video": "o seu vídeo",
    "sticker": "a sua figurinha",
}
