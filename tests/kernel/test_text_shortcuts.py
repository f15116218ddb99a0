"""The typo-tolerant matching takes shortcuts (the pure step spent most of its time in it): each
shortcut answers exactly what the plain definition does, for any words.

The plain definitions are written out here as they read before the shortcuts: the edit distance
over the whole pair, for every pair of words.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dresbach.kernel.text import (
    _swapped,
    edit_distance,
    matches_any_phrase,
    matches_keyword,
    matches_phrase,
    matches_word,
    tolerance,
    within_one_edit,
)

# a small alphabet, so that near misses (one letter off, two swapped) come up often
WORD = st.text(alphabet="abcdeo", min_size=0, max_size=11)
TEXT = st.lists(st.text(alphabet="abcdeo", min_size=1, max_size=10), max_size=6).map(" ".join)


def plain_keyword(typed: str, word: str) -> bool:
    if typed == word or (len(word) >= 5 and _swapped(typed, word)):
        return True
    return len(word) >= 8 and edit_distance(typed, word, 1) <= 1


def plain_word(typed: str, word: str) -> bool:
    if typed == word or _swapped(typed, word):
        return True
    return edit_distance(typed, word, 2) <= tolerance(word)


def plain_phrase(text: str, phrase: str) -> bool:
    words, target = text.split(), phrase.split()
    if not target or len(words) < len(target):
        return False
    return any(
        all(plain_keyword(w, t) for w, t in zip(words[s : s + len(target)], target, strict=True))
        for s in range(len(words) - len(target) + 1)
    )


@settings(max_examples=3000)
@given(WORD, WORD)
def test_within_one_edit_is_an_edit_distance_of_at_most_one(a: str, b: str) -> None:
    assert within_one_edit(a, b) == (edit_distance(a, b, 1) <= 1)


@settings(max_examples=3000)
@given(WORD, WORD)
def test_a_keyword_and_a_command_word_match_as_their_definitions_say(a: str, b: str) -> None:
    assert matches_keyword(a, b) == plain_keyword(a, b)
    assert matches_word(a, b) == plain_word(a, b)


@settings(max_examples=1500)
@given(TEXT, TEXT)
def test_a_phrase_is_found_in_a_text_as_its_definition_says(text: str, phrase: str) -> None:
    assert matches_phrase(text, phrase) == plain_phrase(text, phrase)


@settings(max_examples=1000)
@given(TEXT, st.lists(TEXT, max_size=4))
def test_any_of_several_phrases_is_any_one_of_them(text: str, phrases: list[str]) -> None:
    assert matches_any_phrase(text, phrases) == any(plain_phrase(text, p) for p in phrases)


def test_the_near_misses_the_customers_make() -> None:
    assert within_one_edit("faturas", "fatura")  # one letter more
    assert within_one_edit("dominoi", "dominio")  # two neighbours swapped
    assert within_one_edit("boleot", "boleto")
    assert not within_one_edit("boletos", "bolet")  # two letters apart
    assert matches_keyword("hospedagme", "hospedagem")
    assert not matches_keyword("domingo", "dominio")  # an ordinary word, not the keyword
    assert matches_word("meun", "menu")
    assert not matches_word("meu", "menu")
    assert matches_phrase("quero a segunda via do boelto", "segunda via do boleto")
