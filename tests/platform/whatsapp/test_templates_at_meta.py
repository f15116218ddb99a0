"""The message templates at a local Graph API that answers the template endpoints as Meta
does: the client and Meta's refusals, `dresbach templates list` and `sync`, and `dresbach
doctor`'s row, each over HTTP with the real command line in process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from dresbach.cli.main import main
from dresbach.cli.templates.doctor import templates as doctor_templates
from dresbach.config import Secret, Settings
from dresbach.features.registry import HOUSE
from dresbach.kernel.errors import PermanentError
from dresbach.platform.whatsapp.templates.api import TemplatesApi
from dresbach.platform.whatsapp.templates.declarations import TemplateDeclaration
from tests.fakes.graph_api import FakeGraphServer, GraphApiState
from tests.support.environments import production_env
from tests.support.meta import ACCESS_TOKEN, PHONE_NUMBER_ID

WABA = "200000000000002"
NAMES = sorted(t.name for t in HOUSE.templates)


@pytest.fixture
def graph() -> Iterator[FakeGraphServer]:
    state = GraphApiState(
        access_token=ACCESS_TOKEN, phone_number_id=PHONE_NUMBER_ID, business_account_id=WABA
    )
    with FakeGraphServer(state) as server:
        yield server


@pytest.fixture
def api(graph: FakeGraphServer) -> TemplatesApi:
    return TemplatesApi(base_url=graph.base_url, access_token=ACCESS_TOKEN)


def production(
    graph: FakeGraphServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **extra: str
) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    database = f"sqlite:///{tmp_path / 'dresbach.sqlite3'}"
    settings = {"WHATSAPP_BUSINESS_ACCOUNT_ID": WABA} | extra
    for name, value in production_env(database, graph.base_url, **settings).items():
        monkeypatch.setenv(name, value)


def settings_for(graph: FakeGraphServer, **fields: object) -> Settings:
    given: dict[str, object] = {
        "whatsapp_access_token": Secret(ACCESS_TOKEN),
        "whatsapp_phone_number_id": PHONE_NUMBER_ID,
        "whatsapp_api_base_url": graph.base_url,
        "whatsapp_business_account_id": WABA,
    }
    return Settings(**(given | fields))  # type: ignore[arg-type]


def body(**fields: object) -> dict[str, object]:
    return {
        "name": "lembrete_fatura",
        "language": "pt_BR",
        "category": "UTILITY",
        "components": [
            {
                "type": "BODY",
                "text": "Olá, {{1}}: a sua fatura vence em {{2}}.",
                "example": {"body_text": [["Maria", "10/12"]]},
            }
        ],
    } | fields


# ---- the client, and Meta's refusals ------------------------------------------------------------


def test_a_template_is_created_pending_and_listed(api: TemplatesApi) -> None:
    (declaration, *_) = HOUSE.templates
    template_id, status = api.create(WABA, declaration)
    assert status == "PENDING"
    (listed,) = api.list(WABA)
    assert (listed.template_id, listed.name, listed.language) == (
        template_id,
        declaration.name,
        "pt_BR",
    )
    assert (listed.status, listed.category, listed.body) == (
        "PENDING",
        declaration.category,
        declaration.body,
    )
    assert listed.parameter_count == declaration.parameter_count


def test_the_list_follows_meta_s_pages(api: TemplatesApi, graph: FakeGraphServer) -> None:
    for n in range(130):
        graph.app_state.templates.create(WABA, body(name=f"modelo_{n}"))
    assert len(api.list(WABA)) == 130


@pytest.mark.parametrize(
    ("fields", "refusal"),
    [
        ({"category": "TRANSACTIONAL"}, "category must be one of"),
        ({"name": "Lembrete Fatura"}, "lowercase"),
        (
            {"components": [{"type": "BODY", "text": "Olá, {{1}}: vence em {{2}}."}]},
            "missing sample values",
        ),
        (
            {"components": [{"type": "BODY", "text": "Olá " + "x" * 1030 + "."}]},
            "at most 1024",
        ),
        (
            {
                "components": [
                    {
                        "type": "BODY",
                        "text": "{{1}}, a sua fatura vence amanhã.",
                        "example": {"body_text": [["Maria"]]},
                    }
                ]
            },
            "start or end",
        ),
        ({"components": [{"type": "HEADER", "text": "Fatura"}]}, "BODY"),
    ],
)
def test_meta_refuses_what_it_refuses(
    graph: FakeGraphServer, fields: dict[str, object], refusal: str
) -> None:
    answer = httpx.post(
        f"{graph.base_url}/{WABA}/message_templates",
        json=body(**fields),
        headers={"Authorization": f"Bearer {ACCESS_TOKEN}"},
    )
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == 100
    assert refusal in error["message"] + error.get("error_data", {}).get("details", "")
    assert graph.app_state.templates.all == []


def test_a_name_and_language_exist_once_and_another_waba_is_unknown(api: TemplatesApi) -> None:
    declaration = HOUSE.templates[0]
    api.create(WABA, declaration)
    with pytest.raises(PermanentError, match="already exists"):
        api.create(WABA, declaration)
    with pytest.raises(PermanentError, match="does not exist"):
        api.list("999")
    wrong = TemplatesApi(base_url=api._base, access_token="EAAwrongwrong")
    with pytest.raises(PermanentError):
        wrong.list(WABA)


# ---- dresbach templates list / sync ----------------------------------------------------------


def test_sync_creates_the_missing_templates_and_list_shows_their_status(
    graph: FakeGraphServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    production(graph, tmp_path, monkeypatch)
    held = graph.app_state.templates
    assert main(["templates", "list"]) == 0
    out = capsys.readouterr().out
    assert out.count("ausente na conta") == len(NAMES)
    assert f"0 de {len(NAMES)}" in out

    assert main(["templates", "sync"]) == 0
    assert sorted(t.name for t in held.all) == NAMES
    for template in held.all:
        (declaration,) = [d for d in HOUSE.templates if d.name == template.name]
        assert template.components == declaration.creation_body()["components"]
        assert template.category == declaration.category
    assert capsys.readouterr().out.count("criado (id") == len(NAMES)

    held.set_status("pix_vencendo", "APPROVED")
    assert main(["templates", "list"]) == 0
    out = capsys.readouterr().out
    (line,) = [row for row in out.splitlines() if row.startswith("pix_vencendo")]
    assert line.endswith("APPROVED")
    assert out.count("PENDING") == len(NAMES) - 1
    assert ACCESS_TOKEN not in out

    assert main(["templates", "sync"]) == 0  # nothing new to create
    assert len(held.all) == len(NAMES)
    assert "criado" not in capsys.readouterr().out


def test_sync_names_meta_s_refusal(
    graph: FakeGraphServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    production(graph, tmp_path, monkeypatch, WHATSAPP_BUSINESS_ACCOUNT_ID="999")
    assert main(["templates", "sync"]) == 1
    assert "WHATSAPP_BUSINESS_ACCOUNT_ID" in capsys.readouterr().err
    assert graph.app_state.templates.all == []


def test_without_a_waba_or_in_the_sandbox_nothing_is_asked(
    graph: FakeGraphServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    production(graph, tmp_path, monkeypatch, WHATSAPP_BUSINESS_ACCOUNT_ID="")
    assert main(["templates", "list"]) == 1
    assert "WHATSAPP_BUSINESS_ACCOUNT_ID está vazio" in capsys.readouterr().err
    monkeypatch.setenv("DRESBACH_SANDBOX", "1")
    assert main(["templates", "sync"]) == 1
    assert "modo sandbox" in capsys.readouterr().err
    assert graph.app_state.requests == []


# ---- dresbach doctor ---------------------------------------------------------------------------


def approved(graph: FakeGraphServer, *, but: tuple[str, ...] = ()) -> None:
    for declaration in HOUSE.templates:
        if declaration.name not in but:
            graph.app_state.templates.create(WABA, declaration.creation_body())
            graph.app_state.templates.set_status(declaration.name, "APPROVED")


def test_doctor_passes_when_every_template_is_approved_as_declared(
    graph: FakeGraphServer,
) -> None:
    approved(graph)
    finding = doctor_templates(settings_for(graph), 3)
    assert (finding.status, finding.detail) == (
        "ok",
        f"{len(NAMES)} aprovados, com os parâmetros do código",
    )


@pytest.mark.parametrize("status", ["PENDING", "REJECTED", "PAUSED", "DISABLED"])
def test_doctor_fails_on_a_template_not_approved(graph: FakeGraphServer, status: str) -> None:
    approved(graph)
    graph.app_state.templates.set_status("lembrete_reuniao", status)
    finding = doctor_templates(settings_for(graph), 3)
    assert finding.status == "falha"
    assert f"1 de {len(NAMES)}" in finding.detail
    assert f"lembrete_reuniao: {status}" in finding.detail


def test_doctor_fails_on_a_missing_template(graph: FakeGraphServer) -> None:
    approved(graph, but=("atendimento_aguardando",))
    finding = doctor_templates(settings_for(graph), 3)
    assert finding.status == "falha"
    assert "atendimento_aguardando: ausente na conta" in finding.detail
    assert "dresbach templates sync" in finding.detail


def test_doctor_catches_a_parameter_count_that_differs(graph: FakeGraphServer) -> None:
    approved(graph, but=("pix_vencendo",))
    other = TemplateDeclaration(
        name="pix_vencendo",
        category="UTILITY",
        body="O Pix de {{1}} vence às {{2}}, corra.",
        examples=("Maria", "14h30"),
    )
    graph.app_state.templates.create(WABA, other.creation_body())
    graph.app_state.templates.set_status("pix_vencendo", "APPROVED")
    finding = doctor_templates(settings_for(graph), 3)
    assert finding.status == "falha"
    assert "pix_vencendo: APPROVED, mas com 2 parâmetro(s) na conta e 1 no código" in (
        finding.detail
    )


def test_doctor_without_a_waba_fails_and_the_sandbox_is_not_checked(
    graph: FakeGraphServer,
) -> None:
    finding = doctor_templates(settings_for(graph, whatsapp_business_account_id=""), 3)
    assert (finding.status, "WHATSAPP_BUSINESS_ACCOUNT_ID" in finding.detail) == ("falha", True)
    sandbox = doctor_templates(settings_for(graph, sandbox=True), 3)
    assert sandbox.status == "ok"
    assert graph.app_state.requests == []


def test_doctor_names_the_token_when_meta_refuses(graph: FakeGraphServer) -> None:
    wrong = settings_for(graph, whatsapp_access_token=Secret("EAAwrongwrongwrong"))
    finding = doctor_templates(wrong, 3)
    assert (finding.status, "WHATSAPP_ACCESS_TOKEN" in finding.detail) == ("falha", True)
