"""Reading what people type: accents and case ignored, small typos tolerated."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

ERASED = "[removido a pedido do titular]"
"""What replaces a personal text (a message, a name) once its owner asked for its erasure."""

_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalize(text: str) -> str:
    """Lower case, no accents, punctuation folded to single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", ascii_only).strip()


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal-string-alignment distance (a transposition counts as one edit), capped at limit+1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev_prev: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev_prev[j - 2] + 1)
        prev_prev, prev = prev, row
    return prev[-1]


def within_one_edit(a: str, b: str) -> bool:
    """Whether `edit_distance(a, b) <= 1`, in one pass: equal, or one letter changed, added,
    removed, or two neighbours swapped."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if la == lb:
        i = _first_difference(a, b)
        if a[i + 1 :] == b[i + 1 :]:
            return True
        return a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    if la == lb + 1:
        a, b, la, lb = b, a, lb, la
    if lb != la + 1:
        return False
    i = _first_difference(a, b)
    return a[i:] == b[i + 1 :]


def _first_difference(a: str, b: str) -> int:
    """The first index where a and b differ (len(a) when a is a prefix of b)."""
    for i, (ca, cb) in enumerate(zip(a, b, strict=False)):
        if ca != cb:
            return i
    return len(a)


def tolerance(word: str) -> int:
    """How many typos a command word of this length may carry and still be recognized.
    Short words accept only two swapped letters ("meun" is "menu", "meu" is not)."""
    if len(word) <= 4:
        return 0
    if len(word) <= 8:
        return 1
    return 2


def _swapped(typed: str, word: str) -> bool:
    if len(typed) != len(word) or typed == word:
        return False
    diff = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and typed[diff[0]] == word[diff[1]]
        and typed[diff[1]] == word[diff[0]]
    )


def matches_word(typed: str, word: str) -> bool:
    """Whether one typed word is the command word `word`, allowing for small typos."""
    if typed == word or _swapped(typed, word):
        return True
    allowed = tolerance(word)
    if allowed == 0:  # a short word: only the swap above
        return False
    if allowed == 1:
        return within_one_edit(typed, word)
    return edit_distance(typed, word, 2) <= allowed


def matches_keyword(typed: str, word: str) -> bool:
    """Stricter, for keywords inside free text: only long words may carry one typo, so that
    ordinary words ("domingo", "futura") are not taken for keywords ("dominio", "fatura")."""
    if typed == word:
        return True
    size = len(word)
    if size < 5:
        return False
    if size < 8:
        return _swapped(typed, word)
    return within_one_edit(typed, word)


def matches_phrase(text: str, phrase: str) -> bool:
    """Whether normalized `text` contains normalized `phrase` word by word, typos tolerated."""
    return _phrase_in(text.split(), _words_of(phrase))


def matches_any_phrase(text: str, phrases: Iterable[str]) -> bool:
    """Whether normalized `text` contains one of the normalized `phrases` (`matches_phrase`),
    the text read once for all of them."""
    words = text.split()
    return any(_phrase_in(words, _words_of(phrase)) for phrase in phrases)


@lru_cache(maxsize=4096)
def _words_of(phrase: str) -> tuple[str, ...]:
    """A phrase's words (the phrases are the house's own: a bounded set, split once)."""
    return tuple(phrase.split())


def _phrase_in(words: list[str], target: tuple[str, ...]) -> bool:
    size = len(target)
    if not size or len(words) < size:
        return False
    if size == 1:
        only = target[0]
        return only in words or any(matches_keyword(w, only) for w in words)
    for start in range(len(words) - size + 1):
        if all(matches_keyword(words[start + n], t) for n, t in enumerate(target)):
            return True
    return False


def yes_or_no(text: str, yes: tuple[str, ...], no: tuple[str, ...]) -> bool | None:
    """True when normalized `text` says one of `yes`, False one of `no` (asked first: "não
    resolveu" is no), None when neither: the whole text, or a phrase longer than two letters
    inside it ("s" and "n" count only alone)."""
    if text in no or matches_any_phrase(text, (p for p in no if len(p) > 2)):
        return False
    if text in yes or matches_any_phrase(text, (p for p in yes if len(p) > 2)):
        return True
    return None
