"""The FAQ's matcher on questions it never saw: the held-out file (`held_out.pt-BR.txt`), never
used for training, and messages that are not questions for it at all."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from dresbach.features.faq import knowledge, matcher
from dresbach.kernel.understanding import normalize, parse_examples

HELD_OUT = parse_examples((Path(__file__).parent / "held_out.pt-BR.txt").read_text("utf-8"))
ANSWERS = knowledge.answers()
FLOOR = 0.85

UNRELATED = (
    "quero falar com atendente",
    "oi",
    "cancelar",
    "bom dia, tudo bem?",
    "obrigado!",
    "quero cancelar minha hospedagem",
    "tem alguém aí?",
    "quero contratar uma hospedagem",
    "quanto custa um site?",
    "meu site caiu",
    "quero uma consultoria de segurança",
    "quero apagar meus dados",
    "qual time vc torce",
    "kkkkk",
)


def test_every_answer_has_at_least_three_held_out_questions() -> None:
    counted = Counter(example.intent for example in HELD_OUT)
    assert {answer.id: counted[answer.id] >= 3 for answer in ANSWERS} == {
        answer.id: True for answer in ANSWERS
    }
    assert set(counted) <= {answer.id for answer in ANSWERS}


def test_no_held_out_question_is_a_training_question() -> None:
    trained = {normalize(q) for answer in ANSWERS for q in answer.questions}
    trained |= {normalize(example.text) for example in matcher.not_answered()}
    assert [e.text for e in HELD_OUT if normalize(e.text) in trained] == []


def test_the_held_out_questions_find_their_answer() -> None:
    found = matcher.shipped()
    misses = []
    for example in HELD_OUT:
        answer = found.match(example.text)
        if answer is None or answer.id != example.intent:
            misses.append((example.text, example.intent, found.decision(example.text)))
    accuracy = 1 - len(misses) / len(HELD_OUT)
    assert accuracy >= FLOOR, f"{accuracy:.1%}: {misses}"


@pytest.mark.parametrize("text", UNRELATED)
def test_what_is_not_a_question_for_the_faq_gets_no_answer(text: str) -> None:
    assert matcher.match(text) is None


def test_the_same_files_give_the_same_decisions() -> None:
    again = matcher.build(knowledge.answers(), matcher.not_answered())
    texts = [example.text for example in HELD_OUT] + list(UNRELATED)
    assert [again.decision(t) for t in texts] == [matcher.shipped().decision(t) for t in texts]


def test_the_knobs_are_the_ones_cross_validation_chooses() -> None:
    sharpness, thresholds = matcher.tune(ANSWERS, matcher.not_answered())
    assert (sharpness, thresholds) == (matcher.SHARPNESS, matcher.THRESHOLDS)


def test_an_answer_named_like_another_intent_is_refused() -> None:
    clashing = [e for e in matcher.not_answered() if e.intent == "greeting"]
    renamed = [e.__class__(intent=ANSWERS[0].id, text=e.text, line=e.line) for e in clashing]
    with pytest.raises(ValueError, match=ANSWERS[0].id):
        matcher.build(ANSWERS, renamed)
