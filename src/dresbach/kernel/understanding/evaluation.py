"""Measuring the classifier on utterances it never learned from: accuracy and confusions.

`evaluate` ranks every utterance of an evaluation set and counts, per expected intent, how
often it was taken for the right one, which intent it was taken for when not, and what the
decision stage would have done (sure and right, sure and wrong, unsure, lost). `report`
renders it as plain text for a terminal.

What an utterance is "taken for":
- an utterance of an intent: the model's top guess (the classifier's accuracy; the decision
  outcomes are counted apart);
- an off-topic utterance (`out_of_scope`): `out_of_scope` when the decision is `Lost`, since
  that is what the conversation does with it, else the intent the decision went for.
A message in which nothing was ever seen in training is taken for `out_of_scope`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from dresbach.kernel.understanding.decision import (
    OUT_OF_SCOPE,
    Decision,
    Lost,
    Sure,
    Thresholds,
    decide,
)
from dresbach.kernel.understanding.examples import Example
from dresbach.kernel.understanding.model import Model


@dataclass(frozen=True, slots=True)
class IntentScore:
    intent: str
    total: int
    right: int

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class Outcomes:
    """What the decision stage did with the evaluation set."""

    sure_right: int = 0
    sure_wrong: int = 0
    unsure_with_right: int = 0
    unsure_without_right: int = 0
    lost: int = 0


@dataclass(frozen=True, slots=True)
class Miss:
    example: Example
    taken_for: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Evaluation:
    scores: tuple[IntentScore, ...]
    # (expected, top guess) -> how many; the diagonal holds the right ones.
    confusion: dict[tuple[str, str], int]
    outcomes: Outcomes
    misses: tuple[Miss, ...]

    @property
    def total(self) -> int:
        return sum(score.total for score in self.scores)

    @property
    def accuracy(self) -> float:
        right = sum(score.right for score in self.scores)
        return right / self.total if self.total else 0.0

    def accuracy_of(self, intent: str) -> float:
        return next(score.accuracy for score in self.scores if score.intent == intent)

    def worst_confusions(self, n: int = 5) -> tuple[tuple[str, str, int], ...]:
        """The `n` most frequent (expected, taken for) pairs that were wrong."""
        wrong = [(e, g, c) for (e, g), c in self.confusion.items() if e != g]
        return tuple(sorted(wrong, key=lambda x: (-x[2], x[0], x[1]))[:n])


def evaluate(
    model: Model, examples: Sequence[Example], thresholds: Thresholds | None = None
) -> Evaluation:
    """Rank every example with `model` and count what happened."""
    confusion: Counter[tuple[str, str]] = Counter()
    outcomes: Counter[str] = Counter()
    misses: list[Miss] = []
    for example in examples:
        ranking = model.rank(example.text)
        decision = decide(ranking, thresholds)
        top = ranking.top
        taken_for = top.intent if top else OUT_OF_SCOPE
        if example.intent == OUT_OF_SCOPE and isinstance(decision, Lost):
            taken_for = OUT_OF_SCOPE
        confusion[(example.intent, taken_for)] += 1
        if taken_for != example.intent:
            misses.append(Miss(example, taken_for, top.confidence if top else 0.0))
        outcomes[_outcome(decision, example.intent)] += 1
    intents = sorted({example.intent for example in examples})
    scores = tuple(
        IntentScore(
            intent=intent,
            total=sum(c for (e, _), c in confusion.items() if e == intent),
            right=confusion[(intent, intent)],
        )
        for intent in intents
    )
    return Evaluation(
        scores=scores,
        confusion=dict(sorted(confusion.items())),
        outcomes=Outcomes(**outcomes),
        misses=tuple(misses),
    )


def _outcome(decision: Decision, truth: str) -> str:
    if isinstance(decision, Sure):
        return "sure_right" if decision.intent == truth else "sure_wrong"
    if not isinstance(decision, Lost):
        return "unsure_with_right" if truth in decision.intents else "unsure_without_right"
    return "lost"


def report(evaluation: Evaluation) -> str:
    """The evaluation as a plain-text report: per intent, the confusion table, the outcomes."""
    width = max(len(score.intent) for score in evaluation.scores)
    lines = [f"accuracy {evaluation.accuracy:.1%} over {evaluation.total} utterances", ""]
    for score in evaluation.scores:
        lines.append(
            f"  {score.intent:<{width}}  {score.accuracy:6.1%}  ({score.right}/{score.total})"
        )
    lines += ["", "confusion (rows: expected; columns: taken for)", ""]
    intents = [score.intent for score in evaluation.scores]
    columns = intents + sorted({g for (_, g) in evaluation.confusion if g not in intents})
    codes = {intent: f"{i:>3}" for i, intent in enumerate(columns, start=1)}
    lines.append(" " * (width + 4) + " ".join(codes[c] for c in columns))
    for expected in intents:
        cells = [evaluation.confusion.get((expected, got), 0) for got in columns]
        row = " ".join(f"{c:>3}" if c else "  ." for c in cells)
        lines.append(f"{codes[expected]} {expected:<{width}} {row}")
    o = evaluation.outcomes
    lines += [
        "",
        f"decisions: sure and right {o.sure_right}, sure and wrong {o.sure_wrong}, "
        f"unsure with the right one {o.unsure_with_right}, unsure without it "
        f"{o.unsure_without_right}, lost {o.lost}",
    ]
    worst = evaluation.worst_confusions()
    if worst:
        lines.append("worst confusions: " + ", ".join(f"{e} → {g} ({c})" for e, g, c in worst))
    return "\n".join(lines)
