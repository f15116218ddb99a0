"""Templates declared once: Meta's creation rules hold for each declaration, a sender cannot
give a declared template the wrong number of parameters, and every feature's templates are in
the house."""

from __future__ import annotations

import pytest

from dresbach.features.registry import HOUSE
from dresbach.kernel.messages import Template
from dresbach.platform.feature import Feature, House
from dresbach.platform.whatsapp.templates.declarations import TemplateDeclaration

REMINDER = TemplateDeclaration(
    name="lembrete_teste",
    category="UTILITY",
    body="Olá, {{1}}: a sua fatura de {{2}} vence amanhã.",
    examples=("Maria", "R$ 49,90"),
)


def test_a_declaration_builds_its_message() -> None:
    assert REMINDER.parameter_count == 2
    assert REMINDER.message("Ana", "R$ 10,00") == Template(
        name="lembrete_teste", language="pt_BR", body_params=("Ana", "R$ 10,00")
    )


def test_a_wrong_parameter_count_is_caught_when_sending() -> None:
    with pytest.raises(ValueError, match="takes 2 parameter"):
        REMINDER.message("Ana")
    with pytest.raises(ValueError, match="takes 2 parameter"):
        REMINDER.message("Ana", "R$ 10,00", "extra")


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"examples": ("Maria",)}, "2 parameter"),
        ({"body": "Olá, {{1}}: vence em {{3}}, ok."}, "numbered 1..n"),
        ({"body": "{{1}}, a sua fatura de {{2}} vence amanhã."}, "first or last"),
        ({"body": "A sua fatura de {{1}} vence amanhã, {{2}}"}, "first or last"),
        ({"category": "TRANSACTIONAL"}, "category"),
        ({"name": "Lembrete-Teste"}, "lowercase"),
        ({"body": "Olá, {{1}}: " + "x" * 1020 + " {{2}}."}, "at most 1024"),
        ({"examples": ("Maria", " ")}, "empty example"),
    ],
)
def test_what_meta_refuses_is_refused_at_declaration(
    fields: dict[str, object], problem: str
) -> None:
    base: dict[str, object] = {
        "name": "lembrete_teste",
        "category": "UTILITY",
        "body": "Olá, {{1}}: a sua fatura de {{2}} vence amanhã.",
        "examples": ("Maria", "R$ 49,90"),
    } | fields
    with pytest.raises(ValueError, match=problem):
        TemplateDeclaration(**base)  # type: ignore[arg-type]


def test_the_creation_body_is_metas() -> None:
    assert REMINDER.creation_body() == {
        "name": "lembrete_teste",
        "language": "pt_BR",
        "category": "UTILITY",
        "components": [
            {
                "type": "BODY",
                "text": "Olá, {{1}}: a sua fatura de {{2}} vence amanhã.",
                "example": {"body_text": [["Maria", "R$ 49,90"]]},
            }
        ],
    }


def test_the_house_holds_every_feature_template_once() -> None:
    names = [t.name for t in HOUSE.templates]
    assert sorted(names) == sorted(
        {
            "pagamento_confirmado",
            "pix_vencendo",
            "lembrete_reuniao",
            "incidente_resolvido",
            "atendimento_resposta",
            "atendimento_aguardando",
            "aviso_fatura_emitida",
            "aviso_fatura_vencendo",
            "aviso_fatura_vencida",
            "aviso_servico_suspenso",
            "aviso_dominio_expirando",
            "aviso_ssl_expirando",
            "aviso_chamado_respondido",
        }
    )
    twice = Feature(name="twice", templates=(REMINDER,))
    with pytest.raises(ValueError, match="declared twice"):
        House.of([*HOUSE.features, twice, Feature(name="again", templates=(REMINDER,))])
