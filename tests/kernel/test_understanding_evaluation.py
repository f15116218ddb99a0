"""The held-out evaluation, the shipped files, the tuned knobs, the budget and the purity."""

from __future__ import annotations

import ast
import gc
import tracemalloc
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from dresbach.kernel.understanding import (
    AMBIGUITY_MARGIN,
    LOST_FLOOR,
    OUT_OF_SCOPE,
    Evaluation,
    Example,
    Model,
    Recipe,
    Thresholds,
    evaluate,
    intents_of,
    normalize,
    report,
    shipped,
    train,
)
from dresbach.kernel.understanding.tuning import (
    SHARPNESSES,
    Prediction,
    calibration_error,
    choose_thresholds,
    cross_validate,
    folds,
    log_loss,
    mean_cost,
)

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "dresbach" / "kernel" / "understanding"
INTENTS = {
    "billing",
    "access",
    "site_down",
    "domains_dns",
    "support_ticket",
    "sales",
    "cancellation",
    "techops",
    "price",
    "human",
    "privacy",
    "greeting",
    "thanks",
}


@cache
def model() -> Model:
    return shipped.trained_model()


@cache
def held_out() -> Evaluation:
    return evaluate(model(), shipped.evaluation_set())


# --- the floors ---------------------------------------------------------------------------------


def test_overall_accuracy_on_the_held_out_file_is_at_least_90_percent() -> None:
    evaluation = held_out()
    assert evaluation.accuracy >= 0.90, report(evaluation)


def test_every_intent_is_at_least_80_percent_right_on_the_held_out_file() -> None:
    evaluation = held_out()
    weak = {s.intent: round(s.accuracy, 3) for s in evaluation.scores if s.accuracy < 0.80}
    assert weak == {}, report(evaluation)


def test_going_confidently_to_the_wrong_place_is_rare() -> None:
    evaluation = held_out()
    assert evaluation.outcomes.sure_wrong <= 0.06 * evaluation.total, report(evaluation)


# --- the shipped files --------------------------------------------------------------------------


def test_no_held_out_utterance_is_in_the_example_file() -> None:
    taught = {normalize(e.text): e for e in shipped.examples()}
    copied = [
        f"evaluation line {e.line} = examples line {taught[normalize(e.text)].line}: {e.text!r}"
        for e in shipped.evaluation_set()
        if normalize(e.text) in taught
    ]
    assert copied == []


def test_no_held_out_utterance_is_a_training_line_with_its_words_shuffled() -> None:
    taught = {frozenset(normalize(e.text).split()): e for e in shipped.examples()}
    shuffled = [
        f"evaluation line {e.line} ~ examples line {taught[words].line}: {e.text!r}"
        for e in shipped.evaluation_set()
        if (words := frozenset(normalize(e.text).split())) in taught
    ]
    assert shuffled == []


def test_the_example_file_has_at_least_40_examples_of_every_intent() -> None:
    examples = shipped.examples()
    assert set(intents_of(examples)) == INTENTS | {OUT_OF_SCOPE}
    counts = Counter(e.intent for e in examples)
    assert {i: n for i, n in counts.items() if n < 40} == {}


def test_the_evaluation_file_has_300_utterances_over_the_same_intents() -> None:
    evaluation_set = shipped.evaluation_set()
    assert len(evaluation_set) >= 300
    assert set(intents_of(evaluation_set)) == INTENTS | {OUT_OF_SCOPE}


def test_the_data_files_ship_with_the_package() -> None:
    pyproject = (PACKAGE.parents[3] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"kernel/understanding/*.txt"' in pyproject
    assert {p.name for p in PACKAGE.glob("*.txt")} == {
        shipped.EXAMPLES_FILE,
        shipped.EVALUATION_FILE,
    }


# --- the knobs come from cross-validation on the example file -----------------------------------


@cache
def cross_validated() -> dict[float, tuple[Prediction, ...]]:
    """Out-of-fold rankings of the example file, under each candidate sharpness."""
    return cross_validate(shipped.examples(), Recipe(), sharpnesses=SHARPNESSES)


def test_the_shipped_sharpness_is_the_best_calibrated_one() -> None:
    by_sharpness = cross_validated()
    losses = {s: log_loss(p) for s, p in by_sharpness.items()}
    assert losses[Recipe().sharpness] <= 1.02 * min(losses.values()), losses


def test_the_confidences_are_roughly_how_often_the_top_guess_is_right() -> None:
    predictions = cross_validated()[Recipe().sharpness]
    assert calibration_error(predictions) <= 0.08
    sure = [p for p in predictions if p.ranking.top and p.ranking.top.confidence >= 0.9]
    right = [p for p in sure if p.ranking.top and p.ranking.top.intent == p.example.intent]
    assert len(right) >= 0.9 * len(sure)


def test_the_shipped_thresholds_cost_no_more_than_the_cross_validated_best() -> None:
    predictions = cross_validated()[Recipe().sharpness]
    best = choose_thresholds(predictions)
    shipped_cost = mean_cost(predictions, Thresholds(floor=LOST_FLOOR, margin=AMBIGUITY_MARGIN))
    assert shipped_cost <= 1.02 * mean_cost(predictions, best), best


def test_folds_are_stratified_and_cover_every_example_once() -> None:
    examples = shipped.examples()
    parts = folds(examples, 5)
    assert sorted(e.line for part in parts for e in part) == sorted(e.line for e in examples)
    for part in parts:
        share = Counter(e.intent for e in part)
        for intent, n in Counter(e.intent for e in examples).items():
            assert n // 5 <= share[intent] <= n // 5 + 1


# --- the budget ---------------------------------------------------------------------------------


@pytest.mark.slow  # trains the model under tracemalloc
def test_the_trained_model_and_its_training_stay_under_10_megabytes() -> None:
    examples = shipped.examples()
    gc.collect()
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        trained = train(examples)
        gc.collect()
        after, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert trained.vocabulary > 1000
    assert after - before < 10 * 2**20
    assert peak - before < 10 * 2**20


# --- evaluate and report, on a model small enough to count by hand ------------------------------


def tiny() -> Model:
    return train(
        [
            Example(intent="billing", text="boleto", line=1),
            Example(intent="billing", text="fatura", line=2),
            Example(intent="access", text="senha", line=3),
            Example(intent="access", text="webmail", line=4),
            Example(intent=OUT_OF_SCOPE, text="futebol", line=5),
        ]
    )


def test_evaluate_counts_right_wrong_and_the_confusions() -> None:
    evaluation = evaluate(
        tiny(),
        [
            Example(intent="billing", text="boleto", line=1),
            Example(intent="billing", text="senha", line=2),  # taken for access
            Example(intent="access", text="webmail", line=3),
            Example(intent=OUT_OF_SCOPE, text="zzz", line=4),  # nothing known: lost, right
        ],
    )
    assert evaluation.total == 4
    assert evaluation.accuracy == 0.75
    assert evaluation.accuracy_of("billing") == 0.5
    assert evaluation.accuracy_of("access") == 1.0
    assert evaluation.accuracy_of(OUT_OF_SCOPE) == 1.0
    assert evaluation.confusion == {
        ("access", "access"): 1,
        ("billing", "access"): 1,
        ("billing", "billing"): 1,
        (OUT_OF_SCOPE, OUT_OF_SCOPE): 1,
    }
    assert evaluation.worst_confusions() == (("billing", "access", 1),)
    assert [(m.example.text, m.taken_for) for m in evaluation.misses] == [("senha", "access")]
    assert evaluation.outcomes.sure_wrong == 1
    assert evaluation.outcomes.lost == 1


def test_an_off_topic_utterance_taken_for_an_intent_is_a_miss() -> None:
    evaluation = evaluate(tiny(), [Example(intent=OUT_OF_SCOPE, text="boleto", line=1)])
    assert evaluation.confusion == {(OUT_OF_SCOPE, "billing"): 1}
    assert evaluation.outcomes.sure_wrong == 1


def test_the_report_shows_each_intent_the_table_and_the_confusions() -> None:
    text = report(
        evaluate(
            tiny(),
            [
                Example(intent="billing", text="boleto", line=1),
                Example(intent="billing", text="senha", line=2),
            ],
        )
    )
    assert text.splitlines()[0] == "acerto 50,0% em 2 frases (mínimo 90%)"
    assert "  billing   50,0%  (1/2)  abaixo do mínimo" in text
    assert "confusão (linhas: esperado; colunas: entendido como)" in text
    assert "confusões (esperado → entendido como):\n  billing → access: 1" in text


# --- purity -------------------------------------------------------------------------------------

PURE_IMPORTS = {
    "__future__",
    "array",
    "collections",
    "collections.abc",
    "dataclasses",
    "itertools",
    "math",
    "re",
    "unicodedata",
}


def test_the_engine_imports_nothing_that_does_io_except_its_loader() -> None:
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        if path.name == "shipped.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name not in PURE_IMPORTS and not name.startswith(
                    "dresbach.kernel.understanding"
                ):
                    found.setdefault(path.name, set()).add(name)
    assert found == {}
