"""The Tech Ops table as data: its graph, its catalog, its imports, and its readers."""

from __future__ import annotations

import ast
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dresbach.features.payments.model import is_money_pattern
from dresbach.features.registry import MACHINE
from dresbach.features.techops.flow import FLOW
from dresbach.features.techops.flow.answers import (
    area_of,
    is_price_question,
    likely_domain,
    size_of,
    urgency_of,
)
from dresbach.features.techops.flow.labels import OFFERS
from dresbach.features.techops.flow.offer import offer_prompt
from dresbach.kernel.conversation import Conversation, Place
from dresbach.kernel.flow_kit import email_of
from dresbach.kernel.limits import violations
from dresbach.kernel.machine.lint import lint, sample
from dresbach.kernel.machine.machine import Flow, edges
from dresbach.kernel.messages import visible_texts
from dresbach.kernel.policy import Policy
from tests.support.techops_transcript import TechOpsTranscript, at

TECHOPS = Path(__file__).resolve().parents[3] / "src" / "dresbach" / "features" / "techops" / "flow"

QUESTIONS = ["start", "description", "company", "size", "urgency", "email", "name_confirm"]
QUESTIONS += ["name", "cnpj_choice", "cnpj", "summary", "fix", "offer", "expired"]


def reachable(flow: Flow, *, without: str | None = None) -> set[str]:
    graph: dict[str, set[str]] = defaultdict(set)
    for source, kind, to_flow, to_state in edges(flow):
        if kind != without and to_flow == flow.name:
            graph[source].add(to_state)
    seen, todo = set(), [flow.entry]
    while todo:
        state = todo.pop()
        if state not in seen:
            seen.add(state)
            todo.extend(graph[state])
    return seen


def test_paid_is_reached_only_through_a_confirmed_payment() -> None:
    assert "paid" in reachable(FLOW)
    assert "paid" not in reachable(FLOW, without="payment_confirmed")
    into_paid = {
        kind for _s, kind, flow, state in edges(FLOW) if (flow, state) == ("techops", "paid")
    }
    assert into_paid == {"payment_confirmed"}


def test_every_state_is_reachable_from_start() -> None:
    assert reachable(FLOW) == set(FLOW.states)


def test_the_entry_and_the_resting_states() -> None:
    assert FLOW.entry == "start"
    assert MACHINE.flows["techops"] is FLOW
    resting = {name for name, state in FLOW.states.items() if state.resting}
    waiting_for_pix = {"creating_charge", "awaiting_payment", "expired"}
    waiting_for_calendar = {"paid", "finding_slots", "booking_slot", "cancelling"}
    waiting_for_the_customer = {"choosing_slot", "booked", "cancelled", "no_slots", "unscheduled"}
    assert resting == {
        *waiting_for_pix,
        *waiting_for_calendar,
        *waiting_for_the_customer,
        "schedule_failed",
    }


def test_the_whole_house_obeys_the_rules() -> None:
    assert lint(MACHINE) == []


def test_the_flow_imports_only_the_domain_and_the_machine() -> None:
    allowed = (
        "dresbach.kernel",
        "dresbach.features.techops.model",
        "dresbach.features.techops.states",
        "dresbach.features.techops.diagnosis",
        "dresbach.features.payments.model",
        "dresbach.features.payments.pix",
        "dresbach.features.scheduling.model",
        "dresbach.features.scheduling.invitation",
        "dresbach.kernel.machine.machine",
        "dresbach.features.techops.flow",
    )
    for path in TECHOPS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                if name.startswith("dresbach"):
                    assert name.startswith(allowed), f"{path.name} imports {name}"
                else:
                    assert name.split(".")[0] in {
                        "__future__",
                        "collections",
                        "dataclasses",
                        "datetime",
                        "decimal",
                        "re",
                        "types",
                        "typing",
                        "zoneinfo",
                    }, f"{path.name} imports {name}"


def test_no_amount_is_written_in_the_catalog_only_through_placeholders() -> None:
    for key, template in MACHINE.catalogs["techops"].items():
        text = sample(template)
        assert not is_money_pattern(text), key
        assert text.count("?") <= 1, key


def _sample(state: str, **slots: object) -> Conversation:
    conversation = Conversation(key="k", address="5511900000000", profile_name="Maria Souza")
    return Conversation(
        key=conversation.key,
        address=conversation.address,
        profile_name=conversation.profile_name,
        place=Place(flow="techops", state=state),
        slots=slots,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("state", QUESTIONS)
def test_each_question_asks_exactly_one_question(state: str) -> None:
    messages = FLOW.state(state).prompt(_sample(state), Policy())
    assert sum(t.count("?") for m in messages for t in visible_texts(m)) == 1


@pytest.mark.parametrize("area", sorted(OFFERS))
def test_every_offer_fits_one_interactive_message(area: str) -> None:
    policy = Policy()
    [offer] = offer_prompt(_sample("offer", **{"techops.area": area}), policy)
    assert violations(offer) == []
    assert sum(t.count("?") for t in visible_texts(offer)) == 1


# -- the readers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("maria@empresa.com.br", "maria@empresa.com.br"),
        ("  Maria.Souza+ti@Empresa.COM.BR ", "Maria.Souza+ti@empresa.com.br"),
        ("maria@empresa", None),
        ("maria@@empresa.com", None),
        ("maria empresa.com", None),
        ("maria@.com", None),
        (".maria@empresa.com", None),
        ("maria..souza@empresa.com", None),
        ("a" * 65 + "@empresa.com", None),
    ],
)
def test_email_addresses(typed: str, expected: str | None) -> None:
    assert email_of(typed) == expected


@pytest.mark.parametrize(
    ("domain", "suggested"),
    [
        ("gmial.com", "gmail.com"),
        ("gmail.con", "gmail.com"),
        ("hotmal.com", "hotmail.com"),
        ("yahoo.com.bt", "yahoo.com.br"),
        ("outlok.com", "outlook.com"),
        ("empresa.con.br", "empresa.com.br"),
        ("gmail.com", None),
        ("boamassa.com.br", None),
        ("dresbach.com.br", None),
    ],
)
def test_likely_domain_typos(domain: str, suggested: str | None) -> None:
    assert likely_domain(domain) == suggested


@pytest.mark.parametrize(
    ("typed", "asks"),
    [
        ("quanto custa?", True),
        ("Quanto custa o diagnóstico de segurança para uma empresa pequena?", True),
        ("qual o valor", True),
        ("preço", True),
        ("precos?", True),
        ("orçamento", True),
        ("quanto cobram", True),
        ("quanto fica", True),
        ("qnto custa?", True),
        ("qaunto custa", True),
        ("Precisamos de um orçamento para migrar o ERP para a nuvem ainda este ano", False),
        ("O servidor cai toda noite", False),
        ("Padaria Boa Massa", False),
        ("quanto tempo demora?", False),
    ],
)
def test_price_questions(typed: str, asks: bool) -> None:
    assert is_price_question(typed) is asks


def test_sizes_areas_and_urgency_from_free_text() -> None:
    assert [size_of(t) for t in ("só eu", "1", "7", "uns 30", "120 pessoas", "1.500")] == [
        "solo",
        "solo",
        "2-9",
        "10-49",
        "50-249",
        "250+",
    ]
    assert size_of("muitos") is None
    assert area_of("3") == "architecture"
    assert area_of("segurança") == "security"
    assert area_of("diagnóstico") == "technical"
    assert area_of("segurança e LGPD") is None  # two areas: asked again
    assert urgency_of("sem urgência") == "flexible"
    assert urgency_of("é pra ontem, urgente") == "urgent"


# -- any text, at any question --------------------------------------------------------------


@cache
def standing(state: str) -> Conversation:
    conversation = at(state).conversation
    assert conversation is not None
    return conversation


@settings(max_examples=150, deadline=None)
@given(
    state=st.sampled_from(QUESTIONS[:12]),
    typed=st.text(min_size=1, max_size=1200),
)
def test_any_text_at_any_question_keeps_the_house_rules(state: str, typed: str) -> None:
    """No defect, WhatsApp's limits, one question per message, and the guard's consent (all
    checked by the TechOpsTranscript on every reply), whatever the customer types."""
    chat = TechOpsTranscript(conversation=standing(state))
    assert chat.says(typed)


@settings(max_examples=60, deadline=None)
@given(
    description=st.text(min_size=10, max_size=1000).filter(lambda t: len(t.strip()) >= 10),
    company=st.text(min_size=2, max_size=100),
)
def test_any_answers_echoed_in_the_summary_keep_the_house_rules(
    description: str, company: str
) -> None:
    chat = TechOpsTranscript(conversation=standing("description"))
    chat.says(description)
    if chat.place != "techops.company":
        return  # a global command or a price question: covered above
    chat.says(company)
    if chat.place != "techops.size":
        return
    chat.taps("Só eu")
    chat.taps("Sem pressa")
    chat.says("ana@empresa.com.br")
    chat.taps("Sim, pode ser")
    chat.taps("Pular")
    assert chat.place == "techops.summary"
    assert chat.bot_said().count("?") == 1
