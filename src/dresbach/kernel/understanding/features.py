"""What the classifier looks at in a normalised message: character n-grams and words.

Character n-grams are taken inside each word, padded with a space on both sides (" boleto "
gives " b", "bo", … " bol", …), so a typo spoils a few n-grams of a word and leaves the rest.
Words and pairs of neighbouring words are features of their own, marked so they never meet
an n-gram. Every list is in the order of first occurrence, without repeats, so the sums over
it are the same on every run.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

# Long messages are read up to this many normalised characters: the ask is nearly always at
# the start, and the cap keeps the time per message bounded.
MAX_CHARS = 600


@dataclass(frozen=True, slots=True, kw_only=True)
class FeatureShape:
    """Which features are taken: n-gram lengths and whether word pairs count."""

    shortest: int = 2
    longest: int = 4
    word_pairs: bool = True


@dataclass(frozen=True, slots=True)
class Features:
    """The distinct character n-grams and word features of one message."""

    grams: tuple[str, ...]
    words: tuple[str, ...]


def extract(normalized: str, shape: FeatureShape) -> Features:
    """The features of an already normalised text."""
    text = normalized[:MAX_CHARS]
    tokens = text.split()
    grams: dict[str, None] = {}
    for token in tokens:
        padded = f" {token} "
        for n in range(shape.shortest, shape.longest + 1):
            for start in range(len(padded) - n + 1):
                grams[padded[start : start + n]] = None
    words: dict[str, None] = {f"w:{token}": None for token in tokens}
    if shape.word_pairs:
        for first, second in pairwise(tokens):
            words[f"p:{first}_{second}"] = None
    return Features(grams=tuple(grams), words=tuple(words))
