"""What a customer typed, matched to one answer of the FAQ by the understanding tier.

The FAQ is a model of its own (`kernel.understanding`): each answer is an intent, trained on
its example questions. Beside them, the tier's examples of what the FAQ does not answer
(greetings, thanks, asking for a person, cancelling, buying, prices, Tech Ops, privacy, other
subjects) are trained as intents of their own, so that such a message is taken for what it is
and never for an answer. Only a sure decision for an answer is a match: a near tie, a doubt or
anything else is none, and the conversation goes on as if the FAQ were not there.

Deterministic: the same files give the same model and the same decisions, on every run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from dresbach.features.faq import knowledge
from dresbach.features.faq.model import Answer
from dresbach.kernel.understanding import (
    Decision,
    Example,
    Model,
    Recipe,
    Sure,
    Thresholds,
    decide,
    train,
    tuning,
)
from dresbach.kernel.understanding import shipped as understanding

NOT_ANSWERED = (
    "cancellation",
    "greeting",
    "human",
    "out_of_scope",
    "price",
    "privacy",
    "sales",
    "site_down",
    "support_ticket",
    "techops",
    "thanks",
)
"""The understanding tier's intents whose examples teach the FAQ what is not a question for it
(billing, access and domains_dns share its subjects, so they are left out)."""

NEGATIVES_PER_INTENT = 20
"""How many examples of each intent not answered are taken (the first in the file): about as
many as an answer has questions, so that no side outweighs the other."""

SHARPNESS = 3.0
THRESHOLDS = Thresholds(floor=0.25, margin=0.4)
"""Chosen by cross-validation on the answers' questions and the examples not answered
(`tune`), never on the held-out questions: a test holds them to what `tune` chooses."""


def examples_of(answers: Iterable[Answer]) -> tuple[Example, ...]:
    """Each answer's example questions, as examples of the intent named by its id."""
    return tuple(
        Example(intent=answer.id, text=question, line=number)
        for answer in answers
        for number, question in enumerate(answer.questions, start=1)
    )


@dataclass(frozen=True, slots=True)
class Matcher:
    """A trained FAQ: the answers by id and the model that tells them apart."""

    answers: Mapping[str, Answer]
    model: Model
    thresholds: Thresholds = THRESHOLDS

    def decision(self, text: str) -> Decision:
        """What the tier decides for `text` (an answer's id, another intent, or lost)."""
        return decide(self.model.rank(text), self.thresholds)

    def match(self, text: str) -> Answer | None:
        """The answer `text` asks for, when the tier is sure of one; else None."""
        decision = self.decision(text)
        if isinstance(decision, Sure):
            return self.answers.get(decision.intent)
        return None


def build(answers: Iterable[Answer], others: Iterable[Example]) -> Matcher:
    """A matcher trained on the answers' questions and on `others` (what is not asked of the
    FAQ); an answer's id may not be the name of one of the others' intents."""
    by_id = {answer.id: answer for answer in answers}
    negatives = tuple(others)
    clash = sorted(by_id.keys() & {example.intent for example in negatives})
    if clash:
        raise ValueError(f"answer ids taken by other intents: {', '.join(clash)}")
    model = train((*examples_of(by_id.values()), *negatives), Recipe(sharpness=SHARPNESS))
    return Matcher(answers=MappingProxyType(by_id), model=model)


def tune(answers: Iterable[Answer], others: Iterable[Example]) -> tuple[float, Thresholds]:
    """The sharpness and thresholds cross-validation chooses for these answers and others."""
    examples = (*examples_of(answers), *others)
    by_sharpness = tuning.cross_validate(examples, sharpnesses=tuning.SHARPNESSES)
    sharpness = tuning.choose_sharpness(by_sharpness)
    return sharpness, tuning.choose_thresholds(by_sharpness[sharpness])


def not_answered() -> tuple[Example, ...]:
    """The shipped examples of the intents the FAQ does not answer, `NEGATIVES_PER_INTENT`
    of each at most, in file order."""
    taken: dict[str, int] = {}
    chosen: list[Example] = []
    for example in understanding.examples():
        if example.intent in NOT_ANSWERED and taken.get(example.intent, 0) < NEGATIVES_PER_INTENT:
            taken[example.intent] = taken.get(example.intent, 0) + 1
            chosen.append(example)
    return tuple(chosen)


@cache
def shipped() -> Matcher:
    """The matcher of the shipped answers, trained once per process."""
    return build(knowledge.answers(), not_answered())


def match(text: str) -> Answer | None:
    """The shipped answer `text` asks for, or None (the router's entry to the FAQ)."""
    return shipped().match(text)
