"""`dresbach flows lint`: the house rules, checked over every table and every text.

- at most one question per text;
- WhatsApp's limits on every prompt each state can show;
- every state reachable from the menu, and every state with a way out;
- every flow's table and its enum of state names (`states.States`) name the same states;
- the house's Portuguese (`wording`): days and times written out, one word per thing.

Glossary (one word for each thing, in every text a customer or our staff reads):

- **chamado**: a support request in the Área do Cliente (WHMCS calls it a ticket; we never do).
- **fatura**: what a hosting customer owes; paid only on the Área do Cliente's website.
  *Boleto* names only a way of paying, never the bill.
- **Pix**, **QR Code**, **código Pix copia e cola**: how the diagnosis is paid; never "PIX".
  Its id is the **identificador do Pix** to a customer; staff, who match bank statements, may
  say *txid*.
- **comprovante** is what the customer sends to prove a payment; **recibo** is what we send
  once it is confirmed.
- **diagnóstico**: the paid first step of the Consultoria Tech Ops; its **reunião** (never
  "call", "slot" or "agendamento" to a customer) is held by a **consultor**.
- **atendente** / **a nossa equipe** / **uma pessoa da nossa equipe**: the people who answer.
  Never "operador", to a customer or to staff: the console's users are atendentes too. Their
  conversation with the customer is the **atendimento** (never "hand-off" or "parte humana").
- **assistente**: this bot (the Dresbach Assistente); never "bot" or "robô" for it.
- **horário**: a free time for a meeting (never "slot").
- **e-mail**, with the hyphen; **Área do Cliente**, capitalised.
- To the customer, gender-neutral: "a 4ª pessoa na fila", "Agradecemos", never "obrigado",
  "bem-vindo" or "o próximo da fila".
- Days and times: "segunda, 07/12, às 8h", "10h15", "de segunda a sexta, das 9h às 18h"
  (list rows too: the form fits their 24 characters); never "seg, 07/12" or "08:00".
- Praise of the customer's question ("Boa pergunta!") at most once in all the catalogs.
"""

from __future__ import annotations

import re
import string
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from dresbach.kernel.conversation import Conversation, Place
from dresbach.kernel.limits import violations
from dresbach.kernel.machine.house import Machine
from dresbach.kernel.machine.machine import ANYWHERE, Flow, edges, qualify
from dresbach.kernel.messages import Message, visible_texts
from dresbach.kernel.policy import Policy

QUESTION = re.compile(r"\?")

_DAY = r"(?:seg|ter|qua|qui|sex|s[áa]b|dom)"
ABBREVIATED_DAY = re.compile(
    rf"\b{_DAY}\.?(?:,?\s*\d{{1,2}}/\d{{1,2}}|\s+(?:a|à)\s+{_DAY}\b)", re.IGNORECASE
)
"""An abbreviated weekday before a date or in a range: "seg, 07/12", "seg a sex"."""
DIGITAL_CLOCK = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?![\d:])")
"""A time written "08:00" where prose says "8h"."""
PRAISE = re.compile(r"\b(?:boa|ótima|excelente) pergunta\b", re.IGNORECASE)
ADDRESS = re.compile(r"https?://\S+|\S+@\S+")
"""Links and e-mail addresses: not words, so not checked."""

SAY_INSTEAD: tuple[tuple[re.Pattern[str], str, bool], ...] = tuple(
    (re.compile(pattern, flags), instead, staff)
    for pattern, flags, instead, staff in (
        (r"\btickets?\b", re.IGNORECASE, "chamado", True),
        (r"\boperador(?:a|es|as)?\b", re.IGNORECASE, "atendente / a nossa equipe", True),
        (r"\bhand-?offs?\b", re.IGNORECASE, "atendimento", True),
        (r"\bparte humana\b", re.IGNORECASE, "atendimento com a equipe", True),
        (r"\bslots?\b", re.IGNORECASE, "horário", True),
        (r"\b(?:chat)?bots?\b", re.IGNORECASE, "assistente", True),
        (r"\bPIX\b", 0, "Pix", True),
        (r"\bemails?\b", re.IGNORECASE, "e-mail", True),
        (r"\btxid\b", re.IGNORECASE, "identificador do Pix", False),
        (r"\bleads?\b", re.IGNORECASE, "cadastro", False),
        (r"\b(?:flows?|fluxos?)\b", re.IGNORECASE, "(say what happens)", False),
        (r"\bcall\b", re.IGNORECASE, "reunião", False),
        (r"\bQR code\b", 0, "QR Code", False),
        (r"\bobrigad[oa]s?\b", re.IGNORECASE, "Agradecemos", False),
        (r"\bbem-vind[oa]s?\b", re.IGNORECASE, "boas-vindas", False),
        (r"\b[oa] próxim[oa] da fila\b|º da fila", re.IGNORECASE, "a próxima pessoa", False),
    )
)
"""The glossary's forbidden words: (pattern, what to say instead, forbidden to staff too)."""


class _Sample(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "Exemplo"


def sample(template: str) -> str:
    """A text with every placeholder filled, to be measured."""
    fields = [f for _, f, _, _ in string.Formatter().parse(template) if f]
    return template.format_map(_Sample({f: "Exemplo" for f in fields}))


def count_questions(text: str) -> int:
    return len(QUESTION.findall(text))


def wording(text: str, *, staff: bool = False) -> list[str]:
    """What in `text` breaks the house's Portuguese (the glossary above); `staff`: a text only
    our staff reads, where the words of their trade (txid, lead) are fine."""
    text = ADDRESS.sub(" ", text)
    problems = [f"abbreviated weekday {m.group(0)!r}" for m in ABBREVIATED_DAY.finditer(text)]
    problems += [f"time {m.group(0)!r} (write 8h, 10h15)" for m in DIGITAL_CLOCK.finditer(text)]
    for pattern, instead, to_staff in SAY_INSTEAD:
        if to_staff or not staff:
            problems += [f"{m.group(0)!r}: say {instead}" for m in pattern.finditer(text)]
    return problems


STAFF_TEXTS = frozenset({"techops.handoff_reason"})
"""Catalog texts only our staff reads (the reason a hand-off shows in the console)."""


def lint_wording(catalogs: Mapping[str, Mapping[str, str]], *, staff: bool = False) -> list[str]:
    """The glossary over catalogs, and no praise of the customer's question more than once."""
    problems, praised = [], []
    for name, catalog in catalogs.items():
        for key, template in catalog.items():
            text = sample(template)
            to_staff = staff or f"{name}.{key}" in STAFF_TEXTS
            problems += [f"{name}.{key}: {p}" for p in wording(text, staff=to_staff)]
            praised += [f"{name}.{key}"] * len(PRAISE.findall(text))
    if len(praised) > 1:
        problems.append(f"praise of the question in {len(praised)} texts: {', '.join(praised)}")
    return problems


def lint_texts(catalogs: Mapping[str, Mapping[str, str]]) -> list[str]:
    problems = []
    for name, catalog in catalogs.items():
        for key, template in catalog.items():
            text = sample(template)
            if count_questions(text) > 1:
                problems.append(f"{name}.{key}: more than one question in one message")
            if len(text) > 4096:
                problems.append(f"{name}.{key}: longer than a WhatsApp text (4096)")
    return problems + lint_wording(catalogs)


def lint_messages(where: str, messages: Iterable[Message]) -> list[str]:
    problems = []
    for message in messages:
        questions = sum(count_questions(t) for t in visible_texts(message))
        if questions > 1:
            problems.append(f"{where}: a message asks more than one question")
        problems += [f"{where}: {p}" for p in violations(message)]
        problems += [f"{where}: {p}" for t in visible_texts(message) for p in wording(t)]
    return problems


def lint_prompts(flows: Mapping[str, Flow], policy: Policy) -> list[str]:
    problems = []
    sample_conversation = Conversation(
        key="lint", address="5511900000000", profile_name="Maria Exemplo"
    )
    for flow in flows.values():
        for state in flow.states.values():
            conversation = _at(sample_conversation, Place(flow=flow.name, state=state.name))
            try:
                prompt = state.prompt(conversation, policy)
            except Exception as error:
                problems.append(f"{flow.name}.{state.name}: prompt fails on sample data: {error}")
                continue
            problems += lint_messages(f"{flow.name}.{state.name}", prompt)
    return problems


def _at(conversation: Conversation, place: Place) -> Conversation:
    from dataclasses import replace

    return replace(conversation, place=place, last_activity_at=datetime(2026, 1, 1, tzinfo=UTC))


def lint_graph(machine: Machine) -> list[str]:
    problems = []
    flows = machine.flows
    graph: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    anywhere: set[tuple[str, str]] = set()
    for flow in flows.values():
        for source, _kind, to_flow, to_state in edges(flow):
            if to_flow not in flows or to_state not in flows[to_flow].states:
                problems.append(
                    f"{flow.name}.{source}: leads to unknown state {to_flow}.{to_state}"
                )
                continue
            if source == ANYWHERE:
                anywhere.add((to_flow, to_state))
            else:
                graph[(flow.name, source)].add((to_flow, to_state))
    # a listening state reaches wherever an understood message leads
    understood = machine.understanding.goes_to() if machine.understanding else ()
    for target in understood:
        to_flow, to_state = qualify("", target)
        if to_flow not in flows or to_state not in flows[to_flow].states:
            problems.append(f"understanding: leads to unknown state {to_flow}.{to_state}")
            continue
        for flow in flows.values():
            for state in flow.states.values():
                if state.listens:
                    graph[(flow.name, state.name)].add((to_flow, to_state))
    # global commands reach the home's places and their flows' entries from anywhere
    roots = [(p.flow, p.state) for p in machine.entries()]
    roots += sorted(anywhere)
    first_contact = (machine.home.new.flow, machine.home.new.state)
    seen: set[tuple[str, str]] = set()
    todo = list(roots)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        todo.extend(graph.get(node, ()))
    for flow in flows.values():
        for state in flow.states.values():
            node = (flow.name, state.name)
            if node not in seen:
                problems.append(f"{flow.name}.{state.name}: unreachable")
            outgoing = graph.get(node, set()) - {node}
            if not outgoing and not state.resting and node != first_contact:
                problems.append(f"{flow.name}.{state.name}: no way out (declare one or rest)")
    return problems


def lint_names(flows: Mapping[str, Flow]) -> list[str]:
    """Each flow declares the enum of its state names, and its table names exactly its members:
    its states and its entry are members, and every member is a state of the table (so every
    state a rule leads to, a state of its flow's table by `lint_graph`, is a member too)."""
    problems = []
    for flow in flows.values():
        names = flow.names
        if names is None:
            problems.append(f"{flow.name}: no enum of its state names (Flow.names)")
            continue
        members = {member.value for member in names}
        if names.flow != flow.name:
            problems.append(f"{flow.name}: its names are those of flow {names.flow!r}")
        named = [("entry", flow.entry)] + [(key, state.name) for key, state in flow.states.items()]
        problems += [
            f"{flow.name}.{name}: not a member of {names.__name__} ({where})"
            for where, name in named
            if name not in members
        ]
        problems += [
            f"{flow.name}.{member}: a member of {names.__name__} without a state"
            for member in sorted(members - set(flow.states))
        ]
    return problems


def lint(machine: Machine, policy: Policy | None = None) -> list[str]:
    """Every problem found, in words; empty when the flows obey the house rules."""
    return (
        lint_texts(machine.catalogs)
        + lint_prompts(machine.flows, policy or Policy())
        + lint_graph(machine)
        + lint_names(machine.flows)
    )
