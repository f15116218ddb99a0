"""The intent classifier: complement naive Bayes over character n-grams and words.

Complement naive Bayes (Rennie et al., 2003) estimates, for each intent, how rare each feature
is in the *other* intents' examples; a message scores high for an intent when its features are
rare everywhere else. It is trained by counting, in one pass over the examples, and keeps well
on small, unbalanced example sets, where the plain multinomial one leans to the largest intent.

The summed weights are turned into a confidence by a softmax over the intents after dividing
by the square root of the number of features seen (a long message does not become certain only
by being long) and multiplying by `Recipe.sharpness`, which cross-validation on the example
file sets so that the confidences roughly match how often the top guess is right.

Everything is deterministic: intents are sorted, features keep their order of first
occurrence, and no set or hash order ever reaches a sum.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from dresbach.kernel.understanding.examples import Example
from dresbach.kernel.understanding.features import Features, FeatureShape, extract
from dresbach.kernel.understanding.normalize import normalize


@dataclass(frozen=True, slots=True, kw_only=True)
class Recipe:
    """How a model is trained; the defaults are the ones cross-validation chose."""

    shape: FeatureShape = field(default_factory=FeatureShape)
    # Additive smoothing of the counts.
    smoothing: float = 1.0
    # A word (or a pair of words) counts as much as this many character n-grams.
    word_weight: float = 3.0
    # The inverse temperature of the softmax that turns scores into confidences.
    sharpness: float = 2.0


@dataclass(frozen=True, slots=True)
class Guess:
    """One intent and how confident the model is in it (0 to 1)."""

    intent: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Ranking:
    """Every intent, most likely first; `known` counts the message's features the model had
    seen in training (0: nothing in the message was ever seen, and `guesses` is empty)."""

    guesses: tuple[Guess, ...]
    known: int

    @property
    def top(self) -> Guess | None:
        return self.guesses[0] if self.guesses else None


class Model:
    """A trained classifier. Built by `train`; immutable afterwards."""

    __slots__ = ("_ids", "_weights", "intents", "recipe")

    def __init__(
        self,
        *,
        intents: tuple[str, ...],
        ids: dict[str, int],
        weights: tuple[array[float], ...],
        recipe: Recipe,
    ) -> None:
        self.intents = intents
        self.recipe = recipe
        self._ids = ids
        self._weights = weights

    def sharpened(self, sharpness: float) -> Model:
        """The same model with another softmax sharpness (the weights are shared)."""
        recipe = replace(self.recipe, sharpness=sharpness)
        return Model(intents=self.intents, ids=self._ids, weights=self._weights, recipe=recipe)

    @property
    def vocabulary(self) -> int:
        """How many distinct features the model knows."""
        return len(self._ids)

    def rank(self, text: str) -> Ranking:
        """The intents of a raw message, most likely first (ties: by name)."""
        features = extract(normalize(text), self.recipe.shape)
        return self.rank_features(features)

    def rank_features(self, features: Features) -> Ranking:
        ids = self._ids
        grams = [ids[g] for g in features.grams if g in ids]
        words = [ids[w] for w in features.words if w in ids]
        word_weight = self.recipe.word_weight
        mass = len(grams) + word_weight * len(words)
        if mass == 0:
            return Ranking(guesses=(), known=0)
        scores = [
            math.fsum(map(column.__getitem__, grams))
            + word_weight * math.fsum(map(column.__getitem__, words))
            for column in self._weights
        ]
        factor = self.recipe.sharpness / math.sqrt(mass)
        best = max(scores)
        exps = [math.exp((score - best) * factor) for score in scores]
        total = math.fsum(exps)
        guesses = sorted(
            (Guess(intent, e / total) for intent, e in zip(self.intents, exps, strict=True)),
            key=lambda guess: (-guess.confidence, guess.intent),
        )
        return Ranking(guesses=tuple(guesses), known=len(grams) + len(words))


def train(examples: Sequence[Example], recipe: Recipe | None = None) -> Model:
    """A model from labelled examples (at least two intents)."""
    recipe = recipe or Recipe()
    intents = tuple(sorted({example.intent for example in examples}))
    if len(intents) < 2:
        raise ValueError("training needs examples of at least two intents")
    column_of = {intent: i for i, intent in enumerate(intents)}
    ids: dict[str, int] = {}
    # One column per intent: how often each feature was seen in that intent's examples. The
    # columns become the weights in place, so training holds no more than the model.
    weights = tuple(array("d") for _ in intents)
    for example in examples:
        column = weights[column_of[example.intent]]
        features = extract(normalize(example.text), recipe.shape)
        for feature, weight in _weighted(features, recipe.word_weight):
            i = ids.get(feature)
            if i is None:
                i = ids[feature] = len(ids)
                for other in weights:
                    other.append(0.0)
            column[i] += weight
    vocabulary = len(ids)
    seen = array("d", (math.fsum(column[i] for column in weights) for i in range(vocabulary)))
    totals = [math.fsum(column) for column in weights]
    grand_total = math.fsum(totals)
    alpha = recipe.smoothing
    for column, total in zip(weights, totals, strict=True):
        # Complement naive Bayes: how rare the feature is in the other intents' examples.
        denominator = grand_total - total + alpha * vocabulary
        for i in range(vocabulary):
            column[i] = -math.log((seen[i] - column[i] + alpha) / denominator)
    # Centre each feature over the intents: the softmax does not change, and a feature seen
    # as often everywhere adds nothing to any score.
    for i in range(vocabulary):
        mean = math.fsum(column[i] for column in weights) / len(intents)
        for column in weights:
            column[i] -= mean
    return Model(intents=intents, ids=ids, weights=weights, recipe=recipe)


def _weighted(features: Features, word_weight: float) -> Iterable[tuple[str, float]]:
    for gram in features.grams:
        yield gram, 1.0
    for word in features.words:
        yield word, word_weight
