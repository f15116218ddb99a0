"""Reading what people type: accents and case ignored, small typos tolerated."""

from __future__ import annotations

import re
import unicodedata

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
    return edit_distance(typed, word, 2) <= tolerance(word)


def matches_keyword(typed: str, word: str) -> bool:
    """Stricter, for keywords inside free text: only long words may carry one typo, so that
    ordinary words ("domingo", "futura") are not taken for keywords ("dominio", "fatura")."""
    if typed == word or (len(word) >= 5 and _swapped(typed, word)):
        return True
    return len(word) >= 8 and edit_distance(typed, word, 1) <= 1


def matches_phrase(text: str, phrase: str) -> bool:
    """Whether normalized `text` contains normalized `phrase` word by word, typos tolerated."""
    words = text.split()
    target = phrase.split()
    if not target or len(words) < len(target):
        return False
    for start in range(len(words) - len(target) + 1):
        window = words[start : start + len(target)]
        if all(matches_keyword(w, t) for w, t in zip(window, target, strict=True)):
            return True
    return False


def yes_or_no(text: str, yes: tuple[str, ...], no: tuple[str, ...]) -> bool | None:
    """True when normalized `text` says one of `yes`, False one of `no` (asked first: "não
    resolveu" is no), None when neither: the whole text, or a phrase longer than two letters
    inside it ("s" and "n" count only alone)."""
    if text in no or any(matches_phrase(text, p) for p in no if len(p) > 2):
        return False
    if text in yes or any(matches_phrase(text, p) for p in yes if len(p) > 2):
        return True
    return None
