"""The Área do Cliente's Flow JSON (login and ticket) passes Meta's rules as
`dresbach.platform.whatsapp.flows.json_rules` holds them, has the screens and fields the endpoint
relies on, and a copy broken in each way Meta refuses is refused, naming the screen."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from dresbach.features.client_area.flows import LOGIN, NAMES, TICKET, flow_json
from dresbach.platform.whatsapp.flows.json_rules import FlowJsonError, check, problems

Flow = dict[str, Any]


def load(name: str) -> Flow:
    loaded: Flow = json.loads(flow_json(name))
    return loaded


def inputs(screen: Flow) -> dict[str, Flow]:
    return {c["name"]: c for c in screen["layout"]["children"] if "name" in c}


def screen(flow: Flow, screen_id: str) -> Flow:
    (found,) = [s for s in flow["screens"] if s["id"] == screen_id]
    return found


@pytest.mark.parametrize("name", NAMES)
def test_both_flows_pass_metas_rules(name: str) -> None:
    flow = load(name)
    assert problems(flow) == []
    check(flow)
    assert flow["version"] == "7.3"
    assert flow["data_api_version"] == "3.0"
    assert "routing_model" in flow


def test_the_login_asks_document_password_then_code_and_each_closes_by_the_endpoint() -> None:
    flow = load(LOGIN)
    assert [s["id"] for s in flow["screens"]] == ["DOCUMENT", "PASSWORD", "SECOND_FACTOR"]
    assert flow["routing_model"] == {
        "DOCUMENT": ["PASSWORD"],
        "PASSWORD": ["SECOND_FACTOR"],
        "SECOND_FACTOR": [],
    }
    document = inputs(screen(flow, "DOCUMENT"))["document"]
    assert (document["required"], document["min-chars"], document["max-chars"]) == (True, 11, 18)
    assert inputs(screen(flow, "PASSWORD"))["password"]["input-type"] == "password"
    code = inputs(screen(flow, "SECOND_FACTOR"))["code"]
    assert (code["input-type"], code["min-chars"], code["max-chars"]) == ("number", 6, 6)
    for each in flow["screens"]:
        footer = each["layout"]["children"][-1]
        assert footer["on-click-action"]["name"] == "data_exchange"
        (field,) = inputs(each)
        assert footer["on-click-action"]["payload"] == {field: f"${{form.{field}}}"}
        assert "error_message" in each["data"]


def test_the_ticket_asks_department_subject_and_message_on_one_screen() -> None:
    flow = load(TICKET)
    (only,) = flow["screens"]
    assert only["id"] == "TICKET"
    assert only["terminal"] is True
    fields = inputs(only)
    assert list(fields) == ["department", "subject", "message"]
    assert fields["department"]["data-source"] == "${data.departments}"
    assert {"id", "title"} <= set(only["data"]["departments"]["__example__"][0])
    footer = only["layout"]["children"][-1]
    assert footer["on-click-action"]["payload"] == {f: f"${{form.{f}}}" for f in fields}


def _rename(flow: Flow, old: str, new: str) -> None:
    screen(flow, old)["id"] = new
    flow["routing_model"] = {
        (new if k == old else k): [new if t == old else t for t in v]
        for k, v in flow["routing_model"].items()
    }


def _child(flow: Flow, screen_id: str, name: str) -> Flow:
    return inputs(screen(flow, screen_id))[name]


BREAKS: dict[str, tuple[Callable[[Flow], None], str]] = {
    "SUCCESS as a screen": (lambda f: _rename(f, "SECOND_FACTOR", "SUCCESS"), "reserved"),
    "lower case id": (lambda f: _rename(f, "PASSWORD", "password"), "upper case"),
    "no terminal screen": (lambda f: screen(f, "SECOND_FACTOR").pop("terminal"), "terminal"),
    "no routing model": (lambda f: f.pop("routing_model"), "routing_model: required"),
    "no data API version": (lambda f: f.pop("data_api_version"), "data_api_version"),
    "an old version": (lambda f: f.update(version="2.1"), "version"),
    "a cycle": (lambda f: f["routing_model"].update(SECOND_FACTOR=["DOCUMENT"]), "entry"),
    "a backward route": (lambda f: f["routing_model"].update(SECOND_FACTOR=["PASSWORD"]), "cycle"),
    "a route to nowhere": (lambda f: f["routing_model"].update(PASSWORD=["NOWHERE"]), "routing"),
    "a screen left unrouted": (lambda f: f["routing_model"].pop("PASSWORD"), "missing"),
    "a label over 20": (
        lambda f: _child(f, "DOCUMENT", "document").update(label="Seu CPF ou o seu CNPJ"),
        "label has 21 characters",
    ),
    "a helper text over 80": (
        lambda f: _child(f, "PASSWORD", "password").update({"helper-text": "x" * 81}),
        "helper-text",
    ),
    "an unknown input type": (
        lambda f: _child(f, "PASSWORD", "password").update({"input-type": "secret"}),
        "input-type",
    ),
    "min above max": (
        lambda f: _child(f, "SECOND_FACTOR", "code").update({"min-chars": 7}),
        "min-chars",
    ),
    "an undeclared form field": (
        lambda f: screen(f, "PASSWORD")["layout"]["children"][-1]["on-click-action"][
            "payload"
        ].update(document="${form.document}"),
        "${form.document} names no input",
    ),
    "an undeclared data field": (
        lambda f: screen(f, "DOCUMENT")["data"].pop("error_message"),
        "${data.error_message} is not declared",
    ),
    "data without an example": (
        lambda f: screen(f, "DOCUMENT")["data"]["error_message"].pop("__example__"),
        "__example__",
    ),
    "a terminal screen without a footer": (
        lambda f: screen(f, "SECOND_FACTOR")["layout"]["children"].pop(),
        "needs a Footer",
    ),
    "a footer label over 35": (
        lambda f: screen(f, "DOCUMENT")["layout"]["children"][-1].update(label="x" * 36),
        "label has 36",
    ),
    "a heading over 80": (
        lambda f: screen(f, "DOCUMENT")["layout"]["children"][0].update(text="x" * 81),
        "text has 81",
    ),
    "navigate to no screen": (
        lambda f: screen(f, "DOCUMENT")["layout"]["children"][-1].update(
            {"on-click-action": {"name": "navigate", "next": {"type": "screen", "name": "X"}}}
        ),
        "not a screen",
    ),
    "too many components": (
        lambda f: screen(f, "DOCUMENT")["layout"]["children"].extend(
            [{"type": "TextBody", "text": "x"}] * 50
        ),
        "components, Meta allows 50",
    ),
}


@pytest.mark.parametrize("broken", sorted(BREAKS))
def test_a_broken_copy_is_refused_naming_what_breaks(broken: str) -> None:
    flow = copy.deepcopy(load(LOGIN))
    spoil, expected = BREAKS[broken]
    spoil(flow)
    found = problems(flow)
    assert any(expected in p for p in found), found
    with pytest.raises(FlowJsonError, match=re.escape(expected)):
        check(flow)


def test_a_static_dropdown_keeps_metas_option_limits() -> None:
    flow = copy.deepcopy(load(TICKET))
    department = inputs(flow["screens"][0])["department"]
    department["data-source"] = [{"id": "1", "title": "Suporte Técnico"}]
    assert problems(flow) == []
    department["data-source"] = [{"id": "1", "title": "x" * 31}]
    assert any("option title has 31" in p for p in problems(flow))
    department["data-source"] = []
    assert any("1 to 200" in p for p in problems(flow))


def test_an_unknown_flow_name_is_refused() -> None:
    with pytest.raises(ValueError, match="login, ticket"):
        flow_json("signup")
