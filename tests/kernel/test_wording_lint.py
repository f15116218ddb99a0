"""The house's Portuguese (#10.19): each check `dresbach flows lint` gained catches a planted bad
text, and every text outside the flows' catalogs (the site checks, the reports, the console, the
simulator, the pt-BR strings in the code) speaks the glossary too."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime, time
from pathlib import Path
from types import MappingProxyType

import pytest

from dresbach.features.reports import texts as report_texts
from dresbach.features.scheduling.model import long_label, slot_label
from dresbach.features.sitecheck import texts as sitecheck_texts
from dresbach.features.sitecheck import texts_ticket, texts_web
from dresbach.kernel.hours import WorkingHours, at_clock, clock, parse_hours, when_label
from dresbach.kernel.machine.lint import lint_messages, lint_texts, lint_wording, sample, wording
from dresbach.kernel.messages import ListMenu, ListRow, ListSection

SRC = Path(__file__).resolve().parents[2] / "src" / "dresbach"

# ---- each check, on a planted bad text -----------------------------------------------------------


def test_the_lint_catches_an_abbreviated_weekday_before_a_date() -> None:
    problems = lint_texts({"x": {"bad": "A sua reunião é seg, 07/12 às 8h."}})
    assert problems == ["x.bad: abbreviated weekday 'seg, 07/12'"]


def test_the_lint_catches_abbreviated_weekdays_in_a_range() -> None:
    assert wording("Atendemos sáb a dom.") == ["abbreviated weekday 'sáb a dom'"]
    assert wording("Atendemos de segunda a sexta.") == []


def test_the_lint_catches_a_time_written_like_a_clock() -> None:
    assert lint_texts({"x": {"bad": "O Pix vale até as 08:00."}}) == [
        "x.bad: time '08:00' (write 8h, 10h15)"
    ]
    assert wording("O Pix vale até às 8h.") == []


@pytest.mark.parametrize(
    ("bad", "instead"),
    [
        ("Abra um ticket no suporte.", "chamado"),
        ("Um operador vai conferir o pagamento.", "atendente / a nossa equipe"),
        ("*Identificador (txid):* E123", "identificador do Pix"),
        ("Ana encerrou o hand-off.", "atendimento"),
        ("Ana encerrou a parte humana do atendimento.", "atendimento com a equipe"),
        ("Escolha um slot livre.", "horário"),
        ("O bot vai responder.", "assistente"),
        ("Pague o PIX.", "Pix"),
        ("Qual é o seu email?", "e-mail"),
        ("Marque uma call com o consultor.", "reunião"),
        ("Seu lead foi registrado.", "cadastro"),
        ("O fluxo terminou.", "(say what happens)"),
        ("Aponte a câmera para o QR code.", "QR Code"),
        ("Obrigado pela confiança!", "Agradecemos"),
        ("Seja bem-vindo!", "boas-vindas"),
        ("Você é o 4º da fila.", "a próxima pessoa"),
        ("Você é o próximo da fila.", "a próxima pessoa"),
    ],
)
def test_the_lint_catches_a_word_the_glossary_says_otherwise(bad: str, instead: str) -> None:
    [problem] = lint_texts({"x": {"bad": bad}})
    assert problem.startswith("x.bad: ")
    assert problem.endswith(f": say {instead}")


def test_staff_may_say_txid_and_lead_but_not_operador_or_ticket() -> None:
    assert wording("Confira o txid do lead no extrato.", staff=True) == []
    assert wording("O operador abriu um ticket.", staff=True) == [
        "'ticket': say chamado",
        "'operador': say atendente / a nossa equipe",
    ]


def test_links_and_addresses_are_not_words() -> None:
    assert wording("Entre pelo link https://cloud.example.com/call/ticket-1") == []
    assert wording("Escreva para ticket@example.com") == []


def test_the_lint_catches_praise_of_the_question_said_in_more_than_one_text() -> None:
    once = {"a": {"x": "Boa pergunta! O valor depende do diagnóstico."}}
    assert lint_wording(once) == []
    twice = {**once, "b": {"y": "Ótima pergunta! O valor depende do diagnóstico."}}
    assert lint_wording(twice) == ["praise of the question in 2 texts: a.x, b.y"]


def test_the_lint_reads_every_string_of_a_prompt_list_rows_too() -> None:
    rows = (ListRow(id="s1", title="seg, 07/12 às 08:00"),)
    menu = ListMenu(
        body="Qual horário fica melhor?",
        button="Ver horários",
        sections=(ListSection(title=None, rows=rows),),
    )
    problems = lint_messages("techops.choosing_slot", [menu])
    assert "techops.choosing_slot: abbreviated weekday 'seg, 07/12'" in problems
    assert "techops.choosing_slot: time '08:00' (write 8h, 10h15)" in problems


# ---- days and times, written out --------------------------------------------------------------


def test_days_and_times_are_written_out_in_one_style() -> None:
    assert clock(time(8)) == "8h"
    assert clock(time(10, 15)) == "10h15"
    assert at_clock(time(14, 30)) == "às 14h30"
    assert at_clock(time(1)) == "à 1h"  # one o'clock and midnight are singular
    assert at_clock(time(0, 30)) == "à 0h30"
    monday = datetime(2026, 12, 7, 11, tzinfo=UTC)  # 8h in São Paulo
    assert when_label(monday) == slot_label(monday) == "segunda, 07/12, às 8h"
    assert long_label(monday) == "segunda, 07/12/2026, às 8h (horário de Brasília)"
    longest = datetime(2026, 12, 7, 13, 15, tzinfo=UTC)
    assert slot_label(longest) == "segunda, 07/12, às 10h15"
    assert len(slot_label(longest)) <= 24  # a WhatsApp list row's title


def test_support_hours_are_said_in_full() -> None:
    hours = WorkingHours(
        windows=MappingProxyType(parse_hours("seg-sex 09:00-18:00; sab 09:00-13:00"))
    )
    assert hours.describe() == "de segunda a sexta, das 9h às 18h, e aos sábados, das 9h às 13h"
    only_wednesday = WorkingHours(windows=MappingProxyType(parse_hours("qua 01:00-10:30")))
    assert only_wednesday.describe() == "às quartas, da 1h às 10h30"


# ---- every text outside the flows' catalogs -----------------------------------------------------


def _flat(catalog: object, prefix: str = "") -> dict[str, str]:
    """Nested catalogs (a finding's title, explanation, action) as one level."""
    found: dict[str, str] = {}
    if isinstance(catalog, dict):
        for key, value in catalog.items():
            found.update(_flat(value, f"{prefix}{key}."))
    elif isinstance(catalog, str):
        found[prefix.rstrip(".")] = catalog
    return found


def _catalogs(module: object) -> dict[str, dict[str, str]]:
    return {
        f"{getattr(module, '__name__', '')}.{name}": _flat(value)
        for name, value in vars(module).items()
        if name.isupper() and isinstance(value, dict)
    }


def test_the_site_checks_speak_the_glossary_to_customers_and_staff() -> None:
    customer = {**_catalogs(sitecheck_texts), **_catalogs(texts_web)}
    assert customer, "no catalog found"
    assert lint_wording(customer) == []
    assert lint_wording(_catalogs(texts_ticket), staff=True) == []


def test_the_reports_speak_the_glossary() -> None:
    catalogs = _catalogs(report_texts)
    assert catalogs, "no catalog found"
    assert lint_wording(catalogs, staff=True) == []


_JINJA = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
_CODE = re.compile(r"<(script|style)\b.*?</\1>", re.S)
_SAID_IN_TAGS = re.compile(r'(?:aria-label|placeholder|title|alt)="([^"{]*)"')


def _page_text(html: str) -> str:
    html = _JINJA.sub(" ", html)
    attributes = " ".join(_SAID_IN_TAGS.findall(html))
    return f"{re.sub(r'<[^>]+>', ' ', _CODE.sub(' ', html))} {attributes}"


PAGES = [
    *sorted((SRC / "web" / "templates").glob("*.html")),
    SRC / "web" / "static" / "simulator.html",
]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_the_console_and_the_simulator_speak_the_glossary(page: Path) -> None:
    assert wording(_page_text(page.read_text("utf-8")), staff=True) == []


_PT_BR = re.compile(
    r"[ãõçáéíóúâêôà]|\b(?:você|não|para|seu|sua|uma|está|aqui|são|pelo|pela|cliente|conversa)\b",
    re.IGNORECASE,
)


def _pt_br_strings(path: Path) -> list[tuple[int, str]]:
    """The pt-BR strings a module says (its docstrings and comments aside)."""
    tree = ast.parse(path.read_text("utf-8"))
    documented = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in documented
        and " " in node.value.strip()
        and _PT_BR.search(node.value)
    ]


def _filled(text: str) -> str:
    """A template with its placeholders filled; anything else (CSS in a page) as it is."""
    try:
        return sample(text)
    except (ValueError, IndexError, KeyError):
        return text


def test_every_pt_br_string_in_the_code_speaks_the_glossary() -> None:
    """The console's messages, the CLI an operator reads, e-mails, errors shown to people:
    staff's words at least (the flows' catalogs are held to the customer's by the lint)."""
    problems = [
        f"{path.relative_to(SRC)}:{line}: {problem}"
        for path in sorted(SRC.rglob("*.py"))
        for line, text in _pt_br_strings(path)
        for problem in wording(_filled(text), staff=True)
    ]
    assert problems == []


def test_the_code_scan_would_see_a_bad_string(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text('ERROR = "Operador não encontrado às 08:00."\n', "utf-8")
    [(line, text)] = _pt_br_strings(planted)
    assert (line, wording(text, staff=True)) == (
        1,
        ["time '08:00' (write 8h, 10h15)", "'Operador': say atendente / a nossa equipe"],
    )


def test_the_readme_demo_speaks_to_a_business_reader_in_the_house_words() -> None:
    readme = (SRC.parents[1] / "README.md").read_text("utf-8")
    start = readme.index("## Demonstração em 5 minutos")
    demo = readme[start : readme.index("\n## ", start + 1)]
    prose = re.sub(r"`[^`]*`", " ", demo)  # commands and settings are not prose
    assert wording(prose) == []
