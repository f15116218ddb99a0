"""The Área do Cliente table as data: its graph, its catalog, its imports; and any text typed at
any of its states keeps the house rules."""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dresbach.features.client_area.flow import FLOW
from dresbach.features.client_area.flow.labels import BUTTONS, ROWS
from dresbach.features.client_area.login.guard import payment_content
from dresbach.features.registry import MACHINE
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.limits import BUTTON_TITLE, ROW_DESCRIPTION, ROW_TITLE
from dresbach.kernel.machine.lint import lint, sample
from dresbach.kernel.machine.machine import Flow, edges
from tests.support.client_area_transcript import (
    DEPARTMENTS,
    DOMAINS,
    INVOICES,
    PASSWORD,
    PDF,
    TICKETS,
    ClientAreaTranscript,
    dns_records,
    service,
    services,
)

CLIENT_AREA = (
    Path(__file__).resolve().parents[3] / "src" / "dresbach" / "features" / "client_area" / "flow"
)
LOGIN = {"start", "password", "checking", "totp", "email_code", "checking_code"}


def reachable(flow: Flow) -> set[str]:
    graph: dict[str, set[str]] = defaultdict(set)
    for source, _kind, to_flow, to_state in edges(flow):
        if to_flow == flow.name:
            graph[source].add(to_state)
    seen, todo = set(), [flow.entry]
    while todo:
        state = todo.pop()
        if state not in seen:
            seen.add(state)
            todo.extend(graph[state])
    return seen


def test_the_whole_house_obeys_the_rules() -> None:
    assert lint(MACHINE) == []


def test_the_entry_the_resting_states_and_the_registry() -> None:
    assert FLOW.entry == "start"
    assert MACHINE.flows["client_area"] is FLOW
    resting = {name for name, state in FLOW.states.items() if state.resting}
    assert resting == {
        "checking",
        "checking_code",
        "finishing_login",  # the login Flow's completion, being checked
        "opening_access",
        "sending_reply",
        "domain_changing",
        "opening_ticket",
        "finishing_ticket",  # the ticket Flow's completion, being checked
    }


def test_every_state_is_reachable_from_start() -> None:
    assert reachable(FLOW) == set(FLOW.states)


def test_every_state_after_the_login_can_end_the_session() -> None:
    to_start = {
        source for source, _k, flow, state in edges(FLOW) if (flow, state) == (FLOW.name, "start")
    }
    assert set(FLOW.states) - LOGIN <= to_start


def test_the_flow_imports_only_the_domain_and_the_machine() -> None:
    allowed = (
        "dresbach.kernel",
        "dresbach.features.client_area.model",
        "dresbach.features.client_area.states",
        "dresbach.features.client_area.hosting",
        "dresbach.features.client_area.login",
        "dresbach.kernel.machine.machine",
        "dresbach.kernel.machine.choices",
        "dresbach.features.client_area.flow",
    )
    stdlib = {"__future__", "collections", "dataclasses", "datetime", "math", "re", "types"}
    stdlib |= {"typing", "zoneinfo"}
    for path in [*CLIENT_AREA.glob("flow/*.py"), *CLIENT_AREA.glob("login/*.py")]:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
                imported = [alias.name for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
                imported = []
            else:
                continue
            for name in names:
                if name.startswith("dresbach"):
                    assert name.startswith(allowed), f"{path.name} imports {name}"
                    assert name not in (
                        "dresbach.features.payments.model",
                        "dresbach.features.payments.pix",
                    )
                else:
                    assert name.split(".")[0] in stdlib, f"{path.name} imports {name}"
            assert "CreatePixCharge" not in imported, path.name
            assert "QueueReceiptReview" not in imported, path.name


def test_every_module_stays_small() -> None:
    for path in [*CLIENT_AREA.glob("flow/*.py"), *CLIENT_AREA.glob("login/*.py")]:
        assert len(path.read_text("utf-8").splitlines()) <= 260, path.name


def test_the_catalog_asks_one_question_at_most_and_never_carries_a_payment() -> None:
    for key, template in MACHINE.catalogs["client_area"].items():
        text = sample(template).replace("Exemplo", "https://cliente.dresbach.com.br")
        assert text.count("?") <= 1, key
        assert payment_content(text) is None, key


def test_labels_fit_whatsapp_s_limits() -> None:
    assert all(len(title) <= BUTTON_TITLE for title in BUTTONS.values())
    for key, text in ROWS.items():
        assert len(text) <= (ROW_DESCRIPTION if key.endswith(".note") else ROW_TITLE), key


# -- any text, at any state ---------------------------------------------------------------------


def _logged_in() -> ClientAreaTranscript:
    chat = ClientAreaTranscript()
    chat.logs_in()
    return chat


def _walk(*steps: Callable[[ClientAreaTranscript], object]) -> Callable[[], ClientAreaTranscript]:
    def walk() -> ClientAreaTranscript:
        chat = _logged_in()
        for step in steps:
            step(chat)
        return chat

    return walk


def _login_until(state: str) -> ClientAreaTranscript:
    chat = ClientAreaTranscript()
    chat.opens_the_area()
    if state != "start":
        chat.sends_document("529.982.247-25")
    if state in ("checking", "totp", "email_code"):
        chat.says(PASSWORD)
    if state in ("totp", "email_code"):
        chat.login_checked("ok", factor="email" if state == "email_code" else "totp")
    return chat


WALKS: dict[str, Callable[[], ClientAreaTranscript]] = {
    **{s: partial(_login_until, s) for s in ("start", "password", "checking", "totp")},
    "email_code": partial(_login_until, "email_code"),
    "home": _logged_in,
    "services": _walk(lambda c: c.taps("Serviços ativos"), lambda c: c.answer(*services(23))),
    "service": _walk(
        lambda c: c.taps("Serviços ativos"),
        lambda c: c.answer(*services(3)),
        lambda c: c.taps("site1.com.br"),
    ),
    "mailbox": _walk(
        lambda c: c.taps("Acessos"),
        lambda c: c.answer(service(1, mailboxes="a@site1.com.br,b@site1.com.br")),
        lambda c: c.taps("Webmail"),
    ),
    "opening_access": _walk(
        lambda c: c.taps("Acessos"), lambda c: c.answer(service(1)), lambda c: c.taps("cPanel")
    ),
    "dns": _walk(
        lambda c: c.taps("Domínios e DNS"),
        lambda c: c.answer(*DOMAINS),
        lambda c: c.taps("boamassa.com.br"),
        lambda c: c.answer(*dns_records(12)),
    ),
    "ticket_reply": _walk(
        lambda c: c.taps("Chamados"),
        lambda c: c.answer(*TICKETS),
        lambda c: c.taps("#482913 Site fora do ar"),
        lambda c: c.answer(TICKETS[0]),
        lambda c: c.taps("Responder"),
    ),
    "ticket_subject": _walk(
        lambda c: c.taps("Chamados"),
        lambda c: c.answer(),
        lambda c: c.taps("Abrir novo chamado"),
        lambda c: c.answer(*DEPARTMENTS),
        lambda c: c.taps("Financeiro"),
    ),
    "invoice": _walk(
        lambda c: c.taps("Faturas"),
        lambda c: c.answer(*INVOICES),
        lambda c: c.taps("Fatura 2026-0512"),
        lambda c: c.answer({**INVOICES[1], "pdf": PDF}),
    ),
}


@cache
def standing(state: str) -> Conversation:
    chat = WALKS[state]()
    assert chat.state == state, chat.place
    assert chat.conversation is not None
    return chat.conversation


@pytest.mark.parametrize("state", sorted(WALKS))
def test_each_walk_stands_where_it_says(state: str) -> None:
    assert standing(state).place.state == state


@settings(max_examples=200, deadline=None)
@given(state=st.sampled_from(sorted(WALKS)), typed=st.text(min_size=1, max_size=600))
def test_any_text_at_any_state_keeps_the_house_rules(state: str, typed: str) -> None:
    """No defect, WhatsApp's limits, one question per message, the guard's consent, no payment
    and no secret in a reply or a slot (all checked by ClientAreaTranscript), whatever is typed."""
    chat = ClientAreaTranscript(conversation=standing(state))
    chat.says(typed)
    assert chat.last is not None
