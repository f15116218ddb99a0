"""Choosing the knobs on the example file alone, by k-fold cross-validation.

Each example is ranked by a model trained on the other folds; from those rankings come the
softmax sharpness (the one whose confidences best match how often the top guess is right) and
the decision thresholds (the pair with the lowest expected cost for the customer, costs below).
The evaluation file never takes part: it measures what this chose.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from dresbach.kernel.understanding.decision import (
    OUT_OF_SCOPE,
    Lost,
    Sure,
    Thresholds,
    Unsure,
    decide,
)
from dresbach.kernel.understanding.examples import Example
from dresbach.kernel.understanding.model import Ranking, Recipe, train

FOLDS = 5

# What each outcome costs the customer, in "wasted turns". Going to the wrong place is the
# worst: the customer must notice it and find the way back.
COST_SURE_WRONG = 4.0
COST_UNSURE_RIGHT = 1.0  # one extra tap on the right button
COST_UNSURE_WRONG = 3.0  # two wrong buttons, then a rephrase
COST_LOST = 2.0  # a rephrase
COST_OUT_OF_SCOPE_ANSWERED = 3.0  # off-topic taken for an intent (sure or unsure)

FLOORS = tuple(round(0.05 * i, 2) for i in range(2, 13))  # 0.10 … 0.60
MARGINS = tuple(round(0.05 * i, 2) for i in range(9))  # 0.00 … 0.40
SHARPNESSES = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0)


@dataclass(frozen=True, slots=True)
class Prediction:
    """An example and how a model that never saw it ranked it."""

    example: Example
    ranking: Ranking


def folds(examples: Sequence[Example], k: int = FOLDS) -> tuple[tuple[Example, ...], ...]:
    """`k` folds, stratified: the i-th example of each intent (file order) goes to fold i % k."""
    buckets: list[list[Example]] = [[] for _ in range(k)]
    position: dict[str, int] = {}
    for example in examples:
        i = position.get(example.intent, 0)
        position[example.intent] = i + 1
        buckets[i % k].append(example)
    return tuple(tuple(bucket) for bucket in buckets)


def cross_validate(
    examples: Sequence[Example],
    recipe: Recipe | None = None,
    *,
    k: int = FOLDS,
    sharpnesses: Sequence[float] = (),
) -> dict[float, tuple[Prediction, ...]]:
    """Out-of-fold rankings of every example, under the recipe's sharpness and each of
    `sharpnesses` (one training per fold serves them all)."""
    recipe = recipe or Recipe()
    wanted = tuple(dict.fromkeys((recipe.sharpness, *sharpnesses)))
    found: dict[float, list[Prediction]] = {s: [] for s in wanted}
    parts = folds(examples, k)
    for i, held in enumerate(parts):
        rest = [example for j, part in enumerate(parts) if j != i for example in part]
        model = train(rest, recipe)
        for sharpness in wanted:
            sharpened = model.sharpened(sharpness)
            found[sharpness].extend(Prediction(e, sharpened.rank(e.text)) for e in held)
    return {s: tuple(predictions) for s, predictions in found.items()}


def log_loss(predictions: Sequence[Prediction]) -> float:
    """Mean negative log of the confidence given to the right intent."""
    total = 0.0
    for prediction in predictions:
        confidence = next(
            (
                g.confidence
                for g in prediction.ranking.guesses
                if g.intent == prediction.example.intent
            ),
            0.0,
        )
        total -= math.log(max(confidence, 1e-9))
    return total / len(predictions)


def calibration_error(predictions: Sequence[Prediction], bins: int = 10) -> float:
    """Expected calibration error: over confidence bins of equal width, the gap between the
    mean confidence of the top guess and how often it was right, weighted by the bin's size."""
    right = [0] * bins
    confidence = [0.0] * bins
    for prediction in predictions:
        top = prediction.ranking.top
        value = top.confidence if top else 0.0
        b = min(int(value * bins), bins - 1)
        confidence[b] += value
        right[b] += top is not None and top.intent == prediction.example.intent
    gaps = (abs(right[b] - confidence[b]) for b in range(bins))
    return math.fsum(gaps) / len(predictions)


def choose_sharpness(by_sharpness: dict[float, tuple[Prediction, ...]]) -> float:
    """The sharpness with the lowest log loss (ties: the smaller)."""
    return min(by_sharpness, key=lambda s: (log_loss(by_sharpness[s]), s))


def cost(prediction: Prediction, thresholds: Thresholds) -> float:
    """What deciding this prediction with `thresholds` costs the customer."""
    decision = decide(prediction.ranking, thresholds)
    truth = prediction.example.intent
    if truth == OUT_OF_SCOPE:
        return 0.0 if isinstance(decision, Lost) else COST_OUT_OF_SCOPE_ANSWERED
    if isinstance(decision, Sure):
        return 0.0 if decision.intent == truth else COST_SURE_WRONG
    if isinstance(decision, Unsure):
        return COST_UNSURE_RIGHT if truth in decision.intents else COST_UNSURE_WRONG
    return COST_LOST


def mean_cost(predictions: Sequence[Prediction], thresholds: Thresholds) -> float:
    return math.fsum(cost(p, thresholds) for p in predictions) / len(predictions)


def choose_thresholds(predictions: Sequence[Prediction]) -> Thresholds:
    """The (floor, margin) of the grid with the lowest mean cost (ties: the smaller pair)."""
    grid = [Thresholds(floor=f, margin=m) for f in FLOORS for m in MARGINS]
    return min(grid, key=lambda t: (mean_cost(predictions, t), t.floor, t.margin))
