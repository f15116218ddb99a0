"""The Área do Cliente's Flows at a local Graph API that answers the Flows endpoints as Meta
does: the Flows API client and its refusals, `dresbach flows publish` (create, update a draft,
replace a published Flow) and `dresbach doctor`'s row per Flow."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from dresbach.cli.doctor_flows import flow_login, flow_ticket
from dresbach.cli.main import main
from dresbach.config import Secret, Settings
from dresbach.features.client_area.flows import LOGIN, TICKET, flow_json
from dresbach.kernel.errors import PermanentError
from dresbach.platform.whatsapp.flows.api import ENDPOINT_PATH, FlowsApi
from dresbach.web.flows_endpoint import PATH
from tests.fakes.graph_api import FakeGraphServer, GraphApiState
from tests.support.environments import production_env
from tests.support.meta import ACCESS_TOKEN, PHONE_NUMBER_ID

WABA = "200000000000002"
PUBLIC = "https://bot.dresbach.example"


@pytest.fixture
def graph() -> Iterator[FakeGraphServer]:
    state = GraphApiState(
        access_token=ACCESS_TOKEN, phone_number_id=PHONE_NUMBER_ID, business_account_id=WABA
    )
    with FakeGraphServer(state) as server:
        yield server


@pytest.fixture
def api(graph: FakeGraphServer) -> FlowsApi:
    return FlowsApi(base_url=graph.base_url, access_token=ACCESS_TOKEN)


def production(
    graph: FakeGraphServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **ids: str
) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    database = f"sqlite:///{tmp_path / 'dresbach.sqlite3'}"
    flows = {"WHATSAPP_BUSINESS_ACCOUNT_ID": WABA, "DRESBACH_PUBLIC_URL": PUBLIC} | ids
    environment = production_env(database, graph.base_url, **flows)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)


def settings_for(graph: FakeGraphServer, **fields: str) -> Settings:
    return Settings(
        whatsapp_access_token=Secret(ACCESS_TOKEN),
        whatsapp_phone_number_id=PHONE_NUMBER_ID,
        whatsapp_api_base_url=graph.base_url,
        whatsapp_business_account_id=WABA,
        whatsapp_flows_private_key="/etc/dresbach/flows/private.pem",
        **fields,
    )


def published(api: FlowsApi, name: str = LOGIN) -> str:
    flow_id = api.create(WABA, name=f"Dresbach {name}", categories=["SIGN_IN"], endpoint_uri=PUBLIC)
    assert api.upload(flow_id, flow_json(name)) == ()
    api.publish(flow_id)
    return flow_id


# ---- the client, and Meta's refusals ------------------------------------------------------------


def test_the_endpoint_uri_is_the_path_the_endpoint_listens_on() -> None:
    assert ENDPOINT_PATH == PATH


def test_a_flow_is_created_uploaded_and_published(api: FlowsApi, graph: FakeGraphServer) -> None:
    flow_id = published(api)
    status = api.status(flow_id)
    assert (status.status, status.validation_errors) == ("PUBLISHED", ())
    held = graph.app_state.flows.get(flow_id)
    assert held is not None
    assert held.flow_json == flow_json(LOGIN)
    assert (held.waba_id, held.categories, held.endpoint_uri) == (WABA, ["SIGN_IN"], PUBLIC)


def test_another_waba_is_refused(api: FlowsApi) -> None:
    with pytest.raises(PermanentError, match="does not exist"):
        api.create("999", name="x", categories=["OTHER"])


def test_a_name_is_used_once_per_waba_and_categories_are_metas(api: FlowsApi) -> None:
    api.create(WABA, name="Dresbach login", categories=["SIGN_IN"])
    with pytest.raises(PermanentError, match="not unique"):
        api.create(WABA, name="Dresbach login", categories=["SIGN_IN"])
    with pytest.raises(PermanentError, match="categories"):
        api.create(WABA, name="other", categories=["LOGIN"])


def test_a_broken_json_comes_back_as_validation_errors_and_cannot_be_published(
    api: FlowsApi,
) -> None:
    flow_id = api.create(WABA, name="broken", categories=["SIGN_IN"], endpoint_uri=PUBLIC)
    broken = json.loads(flow_json(LOGIN))
    broken["screens"][2]["id"] = "SUCCESS"
    errors = api.upload(flow_id, json.dumps(broken).encode())
    assert any("SUCCESS" in e for e in errors)
    assert api.status(flow_id).validation_errors == errors
    with pytest.raises(PermanentError, match="139002"):
        api.publish(flow_id)
    assert api.upload(flow_id, b"{not json") != ()
    assert api.status(flow_id).status == "DRAFT"


def test_an_endpoint_flow_without_its_endpoint_is_not_published(api: FlowsApi) -> None:
    flow_id = api.create(WABA, name="no endpoint", categories=["SIGN_IN"])
    assert api.upload(flow_id, flow_json(LOGIN)) == ()
    with pytest.raises(PermanentError, match="endpoint_uri"):
        api.publish(flow_id)
    api.set_endpoint(flow_id, PUBLIC + ENDPOINT_PATH)
    api.publish(flow_id)


def test_a_published_flow_is_neither_published_again_nor_changed(api: FlowsApi) -> None:
    flow_id = published(api)
    with pytest.raises(PermanentError, match="139002"):
        api.publish(flow_id)
    with pytest.raises(PermanentError, match="139001"):
        api.upload(flow_id, flow_json(LOGIN))
    with pytest.raises(PermanentError, match="139001"):
        api.set_endpoint(flow_id, PUBLIC)


def test_an_unknown_flow_and_a_wrong_token_are_refused(graph: FakeGraphServer) -> None:
    api = FlowsApi(base_url=graph.base_url, access_token=ACCESS_TOKEN)
    with pytest.raises(PermanentError):
        api.publish("7000000009999")
    wrong = FlowsApi(base_url=graph.base_url, access_token="EAAwrongwrong")
    with pytest.raises(PermanentError, match="401"):
        wrong.create(WABA, name="x", categories=["OTHER"])


# ---- dresbach flows publish --------------------------------------------------------------------


def test_publish_creates_both_flows_and_prints_the_settings_to_add(
    graph: FakeGraphServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    production(graph, tmp_path, monkeypatch)
    assert main(["flows", "publish"]) == 0
    flows = graph.app_state.flows.all
    assert [f.status for f in flows] == ["PUBLISHED", "PUBLISHED"]
    assert {f.flow_json for f in flows} == {flow_json(LOGIN), flow_json(TICKET)}
    assert {f.endpoint_uri for f in flows} == {PUBLIC + ENDPOINT_PATH}
    login, ticket = flows
    out = capsys.readouterr().out
    assert f"Defina WHATSAPP_FLOW_LOGIN_ID={login.flow_id}" in out
    assert f"Defina WHATSAPP_FLOW_TICKET_ID={ticket.flow_id}" in out
    assert ACCESS_TOKEN not in out
    monkeypatch.setenv("WHATSAPP_FLOW_LOGIN_ID", login.flow_id)
    assert main(["flows", "publish", "--login"]) == 0  # at once: a new name all the same
    assert len({f.name for f in graph.app_state.flows.all}) == 3


def test_publish_updates_a_draft_in_place(
    api: FlowsApi,
    graph: FakeGraphServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    draft = api.create(WABA, name="draft", categories=["SIGN_IN"])
    production(graph, tmp_path, monkeypatch, WHATSAPP_FLOW_LOGIN_ID=draft)
    assert main(["flows", "publish", "--login"]) == 0
    (only,) = graph.app_state.flows.all
    assert (only.flow_id, only.status, only.endpoint_uri) == (
        draft,
        "PUBLISHED",
        PUBLIC + ENDPOINT_PATH,
    )
    out = capsys.readouterr().out
    assert "rascunho" in out
    assert "Defina" not in out


def test_publish_replaces_a_published_flow_with_a_new_one(
    api: FlowsApi,
    graph: FakeGraphServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    old = published(api, TICKET)
    production(graph, tmp_path, monkeypatch, WHATSAPP_FLOW_TICKET_ID=old)
    assert main(["flows", "publish", "--ticket"]) == 0
    new = [f for f in graph.app_state.flows.all if f.flow_id != old]
    assert [(f.status, f.flow_json) for f in new] == [("PUBLISHED", flow_json(TICKET))]
    assert f"Defina WHATSAPP_FLOW_TICKET_ID={new[0].flow_id}" in capsys.readouterr().out


def test_publish_names_meta_s_refusal_and_the_settings(
    graph: FakeGraphServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    production(graph, tmp_path, monkeypatch, WHATSAPP_BUSINESS_ACCOUNT_ID="999")
    assert main(["flows", "publish", "--login"]) == 1
    err = capsys.readouterr().err
    assert "WHATSAPP_BUSINESS_ACCOUNT_ID" in err
    assert graph.app_state.flows.all == []


def test_publish_without_a_waba_or_in_the_sandbox_sends_nothing(
    graph: FakeGraphServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    production(graph, tmp_path, monkeypatch, WHATSAPP_BUSINESS_ACCOUNT_ID="")
    assert main(["flows", "publish"]) == 1
    assert "WHATSAPP_BUSINESS_ACCOUNT_ID está vazio" in capsys.readouterr().err
    monkeypatch.setenv("DRESBACH_SANDBOX", "1")
    assert main(["flows", "publish"]) == 1
    assert "sandbox" in capsys.readouterr().err
    assert graph.app_state.flows.all == []


def test_publish_refuses_a_flow_json_that_breaks_metas_rules_before_sending(
    graph: FakeGraphServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    production(graph, tmp_path, monkeypatch)
    broken = flow_json(LOGIN).replace(b'"label": "Senha"', b'"label": "Senha da Area do Cliente"')
    monkeypatch.setattr("dresbach.cli.flows_commands.flow_json", lambda _name: broken)
    assert main(["flows", "publish", "--login"]) == 1
    err = capsys.readouterr().err
    assert "login.json: screen PASSWORD, TextInput: label has 24 characters" in err
    assert "nada foi enviado" in err
    assert graph.app_state.flows.all == []


# ---- dresbach doctor ---------------------------------------------------------------------------


def test_doctor_a_flow_not_configured_is_off(graph: FakeGraphServer) -> None:
    finding = flow_login(settings_for(graph), 5.0)
    assert (finding.check, finding.status) == ("WhatsApp Flow (login)", "desligado")
    assert "WHATSAPP_FLOW_LOGIN_ID vazio" in finding.detail


def test_doctor_a_published_flow_is_ok(api: FlowsApi, graph: FakeGraphServer) -> None:
    flow_id = published(api, TICKET)
    finding = flow_ticket(settings_for(graph, whatsapp_flow_ticket_id=flow_id), 5.0)
    assert (finding.check, finding.status) == ("WhatsApp Flow (chamado)", "ok")


def test_doctor_a_draft_an_unknown_id_or_no_key_fails(
    api: FlowsApi, graph: FakeGraphServer
) -> None:
    draft = api.create(WABA, name="draft", categories=["SIGN_IN"])
    finding = flow_login(settings_for(graph, whatsapp_flow_login_id=draft), 5.0)
    assert finding.status == "falha"
    assert "DRAFT" in finding.detail
    assert "dresbach flows publish --login" in finding.detail
    finding = flow_login(settings_for(graph, whatsapp_flow_login_id="7000000009999"), 5.0)
    assert finding.status == "falha"
    assert "WHATSAPP_FLOW_LOGIN_ID" in finding.detail
    keyless = settings_for(graph, whatsapp_flow_login_id=published(api))
    finding = flow_login(replace(keyless, whatsapp_flows_private_key=""), 5.0)
    assert finding.status == "falha"
    assert "WHATSAPP_FLOWS_PRIVATE_KEY vazio" in finding.detail
