"""Measuring the classifier on utterances it never learned from: accuracy and confusions.

`evaluate` ranks every utterance of an evaluation set and counts, per expected intent, how
often it was taken for the right one, which intent it was taken for when not, and what the
decision stage would have done (sure and right, sure and wrong, unsure, lost). `report`
renders it as plain text for the operator (`dresbach understanding eval`), in pt-BR;
`short_of_floors` says what falls short of the floors (90 % overall, 80 % for every intent).

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

OVERALL_FLOOR = 0.90
"""The share of the held-out utterances that must be taken for the right intent."""
INTENT_FLOOR = 0.80
"""The share of each intent's held-out utterances that must be taken for it."""
OVERALL = "overall"
"""What `short_of_floors` names when the overall accuracy falls short."""


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


def short_of_floors(evaluation: Evaluation) -> tuple[str, ...]:
    """What falls short of the floors: `OVERALL` when the accuracy is under `OVERALL_FLOOR`,
    then each intent under `INTENT_FLOOR`. Empty when every floor holds."""
    short = (OVERALL,) if evaluation.accuracy < OVERALL_FLOOR else ()
    return short + tuple(s.intent for s in evaluation.scores if s.accuracy < INTENT_FLOOR)


def _percent(share: float, digits: int = 1) -> str:
    """`93,7%`, as an operator in Brazil reads it."""
    return f"{share:.{digits}%}".replace(".", ",")


def report(evaluation: Evaluation) -> str:
    """The evaluation as a plain-text report for the operator (pt-BR): the accuracy overall and
    per intent against their floors, the confusion table, the confusions one a line, what the
    decision stage did, and whether the floors hold."""
    width = max(len(score.intent) for score in evaluation.scores)
    short = short_of_floors(evaluation)
    lines = [
        f"acerto {_percent(evaluation.accuracy)} em {evaluation.total} frases "
        f"(mínimo {_percent(OVERALL_FLOOR, 0)})",
        "",
        f"por intenção (mínimo {_percent(INTENT_FLOOR, 0)}):",
    ]
    for score in evaluation.scores:
        below = "  abaixo do mínimo" if score.intent in short else ""
        lines.append(
            f"  {score.intent:<{width}}  {_percent(score.accuracy):>6}  "
            f"({score.right}/{score.total}){below}"
        )
    lines += ["", "confusão (linhas: esperado; colunas: entendido como)", ""]
    intents = [score.intent for score in evaluation.scores]
    columns = intents + sorted({g for (_, g) in evaluation.confusion if g not in intents})
    codes = {intent: f"{i:>3}" for i, intent in enumerate(columns, start=1)}
    lines.append(" " * (width + 4) + " ".join(codes[c] for c in columns))
    for expected in intents:
        cells = [evaluation.confusion.get((expected, got), 0) for got in columns]
        row = " ".join(f"{c:>3}" if c else "  ." for c in cells)
        lines.append(f"{codes[expected]} {expected:<{width}} {row}")
    wrong = evaluation.worst_confusions(len(evaluation.confusion))
    if wrong:
        lines += ["", "confusões (esperado → entendido como):"]
        lines += [f"  {e} → {g}: {c}" for e, g, c in wrong]
    o = evaluation.outcomes
    lines += [
        "",
        "o que a conversa faria:",
        f"  foi direto e acertou                {o.sure_right:>4}",
        f"  foi direto e errou                  {o.sure_wrong:>4}",
        f"  perguntou entre duas, uma era certa {o.unsure_with_right:>4}",
        f"  perguntou entre duas, nenhuma certa {o.unsure_without_right:>4}",
        f"  pediu para reformular               {o.lost:>4}",
        "",
    ]
    if not short:
        lines.append("resultado: todos os mínimos atingidos")
    else:
        named = ", ".join("geral" if name == OVERALL else name for name in short)
        lines.append(f"resultado: abaixo do mínimo em {named}")
    return "\n".join(lines)
