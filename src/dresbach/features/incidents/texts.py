"""Every word of the incidents a customer or an operator reads (pt-BR)."""

from __future__ import annotations

from dresbach.platform.whatsapp.templates.declarations import TemplateDeclaration

TEXTS: dict[str, str] = {
    "open": (
        "⚠️ Estamos cientes de uma instabilidade: *{title}*.\n\n{message}\n\n"
        "Última atualização: {when}. A nossa equipe já está trabalhando nisso e avisaremos "
        "aqui assim que for resolvido."
    ),
    "resolved": (
        "✅ Resolvido: *{title}*. Tudo voltou a funcionar normalmente. Se algo ainda não "
        "estiver certo para você, é só responder aqui."
    ),
}

ERRORS: dict[str, str] = {
    "title": "Informe um título de até 200 caracteres.",
    "message": "Informe uma mensagem de até 1000 caracteres.",
    "unknown": "Incidente {incident_id} não encontrado.",
    "closed": "O incidente {incident_id} já foi encerrado.",
}
"""What an operator reads when the console or `dresbach incidents` refuses a change."""

RESOLVED = TemplateDeclaration(
    name="incidente_resolvido",
    category="UTILITY",
    body=(
        "Resolvido: {{1}}. Tudo voltou a funcionar normalmente; se algo ainda não estiver "
        "certo para você, é só responder aqui."
    ),
    examples=("Instabilidade no servidor br1",),
)
"""The closing told outside the 24 h window: {{1}} the incident's title."""
TEMPLATES = (RESOLVED,)

CATALOG: dict[str, str] = {**TEXTS, **{f"error.{k}": v for k, v in ERRORS.items()}}
