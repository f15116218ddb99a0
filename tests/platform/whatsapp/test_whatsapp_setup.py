"""`dresbach whatsapp setup` against a local Graph API that answers `conversational_automation`
as Meta does: the ice breakers and the /commands the features register, and Meta's refusals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from dresbach.cli.whatsapp.setup import starters
from dresbach.kernel.errors import PermanentError
from dresbach.platform.whatsapp.number.conversational import (
    SlashCommand,
    body,
    problems,
    register_starters,
)
from tests.fakes.graph_api import FakeGraphServer, GraphApiState
from tests.support.cli import run_dresbach
from tests.support.environments import production_env, sandbox_env
from tests.support.meta import ACCESS_TOKEN, PHONE_NUMBER_ID

FATURA = SlashCommand("fatura", "Ver as suas faturas")


@pytest.fixture
def graph() -> Iterator[FakeGraphServer]:
    state = GraphApiState(access_token=ACCESS_TOKEN, phone_number_id=PHONE_NUMBER_ID)
    with FakeGraphServer(state) as server:
        yield server


def test_setup_registers_the_starters_and_commands_at_meta(
    graph: FakeGraphServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    env = production_env(f"sqlite:///{tmp_path / 'd.sqlite3'}", graph.base_url)
    ran = run_dresbach(["whatsapp", "setup"], env)
    assert ran.returncode == 0, ran.stderr
    registered = graph.app_state.conversational_automation
    assert registered is not None
    assert registered["enable_welcome_message"] is False
    assert registered["prompts"] == [
        "Quero conhecer a consultoria Tech Ops",
        "Quero a segunda via da minha fatura",
        "Preciso de suporte técnico para o meu site",
        "Quero falar com um atendente",
    ]
    names = [c["command_name"] for c in registered["commands"]]
    assert names == ["fatura", "suporte", "atendente", "privacidade"]
    assert all(c["command_description"] for c in registered["commands"])
    assert "/fatura: Ver as suas faturas" in ran.stdout
    assert "conversa: Quero falar com um atendente" in ran.stdout


def test_setup_refuses_the_sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    ran = run_dresbach(["whatsapp", "setup"], sandbox_env(f"sqlite:///{tmp_path / 'd.sqlite3'}"))
    assert ran.returncode == 1
    assert "sandbox" in ran.stderr


def test_setup_says_why_meta_refused(
    graph: FakeGraphServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    env = production_env(f"sqlite:///{tmp_path / 'd.sqlite3'}", graph.base_url)
    env["WHATSAPP_ACCESS_TOKEN"] = "not-the-token"
    ran = run_dresbach(["whatsapp", "setup"], env)
    assert ran.returncode == 1
    assert "a Meta recusou os atalhos" in ran.stderr
    assert graph.app_state.conversational_automation is None


def test_what_we_register_is_within_metas_limits() -> None:
    prompts, commands = starters()
    assert problems(prompts, commands) == []


@pytest.mark.parametrize(
    ("prompts", "commands", "expected"),
    [
        (
            ["a"] * 5,
            [FATURA],
            "(#105) The parameter prompts must have at most 4 elements, 5 found.",
        ),
        (["p" * 81], [FATURA], "(#100) Param prompts[0] must be at most 80 characters long."),
        (
            ["a"],
            [FATURA, SlashCommand("c" * 33, "longo")],
            "(#100) Param commands[1]['command_name'] must be at most 32 characters long.",
        ),
        (
            ["a"],
            [SlashCommand("fatura", "d" * 257)],
            "(#100) Param commands[0]['command_description'] must be at most 256 characters long.",
        ),
        (
            ["a"],
            [FATURA] * 31,
            "(#105) The parameter commands must have at most 30 elements, 31 found.",
        ),
    ],
)
def test_the_fake_refuses_what_meta_refuses(
    graph: FakeGraphServer, prompts: list[str], commands: list[SlashCommand], expected: str
) -> None:
    assert problems(prompts, commands) != []  # we check first, and never send it
    answer = httpx.post(
        f"{graph.base_url}/{PHONE_NUMBER_ID}/conversational_automation",
        headers={"Authorization": f"Bearer {ACCESS_TOKEN}"},
        json=body(prompts, commands),
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == expected
    with pytest.raises(PermanentError):
        register_starters(
            base_url=graph.base_url,
            phone_number_id=PHONE_NUMBER_ID,
            access_token=ACCESS_TOKEN,
            prompts=prompts,
            commands=commands,
        )
    assert graph.app_state.conversational_automation is None


def test_the_fake_refuses_a_key_meta_does_not_know(graph: FakeGraphServer) -> None:
    answer = httpx.post(
        f"{graph.base_url}/{PHONE_NUMBER_ID}/conversational_automation",
        headers={"Authorization": f"Bearer {ACCESS_TOKEN}"},
        json={"prompts": ["a"], "ice_breakers": ["b"]},
    )
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == 100
