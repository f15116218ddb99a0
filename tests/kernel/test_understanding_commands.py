"""`dresbach understanding eval` run in-process, the floors it holds, and the mark a step puts on a
text it answered with "não entendi" (what `dresbach understanding misses` lists)."""

from __future__ import annotations

import pytest

from dresbach.cli import understanding_commands
from dresbach.cli.main import main
from dresbach.kernel.understanding import (
    INTENT_FLOOR,
    OVERALL_FLOOR,
    Example,
    evaluate,
    report,
    shipped,
    short_of_floors,
    train,
)
from dresbach.kernel.understanding.evaluation import OVERALL
from tests.support.transcript import Transcript

# --- eval ---------------------------------------------------------------------------------------


def test_eval_prints_the_accuracy_per_intent_and_the_confusions_and_exits_0(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["understanding", "eval"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("acerto ")
    assert lines[0].endswith(f"em {len(shipped.evaluation_set())} frases (mínimo 90%)")
    assert "por intenção (mínimo 80%):" in lines
    for intent in ("access", "billing", "sales", "thanks", "out_of_scope"):
        assert any(line.startswith(f"  {intent} ") for line in lines), intent
    assert "confusão (linhas: esperado; colunas: entendido como)" in lines
    assert "confusões (esperado → entendido como):" in lines
    assert "o que a conversa faria:" in lines
    assert lines[-1] == "resultado: todos os mínimos atingidos"


def test_eval_exits_1_and_names_what_falls_short_when_a_floor_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The evaluation file says every greeting is a bill: billing falls under its floor.
    swapped = tuple(
        Example(intent="billing", text=e.text, line=e.line) if e.intent == "greeting" else e
        for e in shipped.evaluation_set()
    )
    monkeypatch.setattr(understanding_commands.shipped, "evaluation_set", lambda: swapped)
    assert main(["understanding", "eval"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[-1].startswith("resultado: abaixo do mínimo em ")
    assert out.splitlines()[-1].endswith("billing")
    assert any(line.endswith("abaixo do mínimo") for line in out.splitlines() if "billing" in line)


def test_the_floors_are_those_of_the_issue() -> None:
    assert (OVERALL_FLOOR, INTENT_FLOOR) == (0.90, 0.80)


def test_short_of_floors_names_the_overall_accuracy_then_each_intent() -> None:
    model = train(
        [
            Example(intent="billing", text="boleto", line=1),
            Example(intent="access", text="senha", line=2),
        ]
    )
    evaluation = evaluate(
        model,
        [
            Example(intent="billing", text="boleto", line=1),
            Example(intent="billing", text="senha", line=2),
            Example(intent="access", text="senha", line=3),
        ],
    )
    assert short_of_floors(evaluation) == (OVERALL, "billing")
    assert report(evaluation).splitlines()[-1] == "resultado: abaixo do mínimo em geral, billing"
    assert "  billing   50,0%  (1/2)  abaixo do mínimo" in report(evaluation)


# --- the mark on a text not understood ----------------------------------------------------------


def test_a_text_answered_with_nao_entendi_is_marked_not_understood() -> None:
    chat = Transcript()
    chat.says("oi")
    assert chat.last is not None
    assert not chat.last.not_understood
    chat.says("xablau quadrado")
    assert "Desculpe, não entendi." in chat.bot_said()
    assert chat.last.not_understood
    chat.says("blorb")  # the second miss in a row: "ainda não consegui entender"
    assert "Ainda não consegui entender." in chat.bot_said()
    assert chat.last.not_understood


def test_understood_texts_courtesy_and_media_are_not_marked() -> None:
    chat = Transcript()
    chat.says("oi")
    chat.says("obrigada")  # thanks at the menu: "de nada", not "não entendi"
    assert chat.last is not None
    assert not chat.last.not_understood
    chat.sends_media("audio")  # not read, but nothing was typed
    assert not chat.last.not_understood
    chat.says("1")  # a menu choice
    assert not chat.last.not_understood
