"""Reading what people type: normalization, typo distance, global commands and free-text intents."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dresbach.features.registry import MACHINE
from dresbach.kernel.events import (
    ButtonChosen,
    Event,
    InternalEvent,
    ListRowChosen,
    MediaReceived,
    Sender,
    TextReceived,
)
from dresbach.kernel.text import edit_distance, matches_phrase, matches_word, normalize, tolerance


def _named(event: Event) -> str | None:
    command = MACHINE.command(event)
    return command.name if command is not None else None


SENDER = Sender(user_id="BR.1502576394655843", wa_id="5511987654321", profile_name="Mariana")
NOW = datetime(2025, 11, 24, 13, 0, tzinfo=UTC)


def said(body: str) -> TextReceived:
    return TextReceived(message_id="wamid.t", sender=SENDER, timestamp=NOW, body=body)


def tapped(choice_id: str, title: str = "Menu") -> ButtonChosen:
    return ButtonChosen(
        message_id="wamid.b", sender=SENDER, timestamp=NOW, choice_id=choice_id, title=title
    )


# --- normalize ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("Olá, MUNDO!!", "ola mundo"),
        ("  Ação—já  ", "acao ja"),
        ("Não, obrigado.", "nao obrigado"),
        ("SEGUNDA-VIA do BOLETO?", "segunda via do boleto"),
        ("São Paulo/SP: 01310-200", "sao paulo sp 01310 200"),
        ("Ñandú çé ü", "nandu ce u"),
        ("ﬁm", "fim"),  # NFKD folds the ligature
        ("menu\n\tprincipal", "menu principal"),
        ("👍🙏", ""),
        ("!!!", ""),
        ("", ""),
    ],
)
def test_normalize(typed: str, normalized: str) -> None:
    assert normalize(typed) == normalized


def test_normalize_is_idempotent() -> None:
    once = normalize("Quero a 2ª VIA da Fatura, por favor!")
    assert normalize(once) == once


# --- edit distance ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("menu", "menu", 0),
        ("menu", "meun", 1),  # transposition counts as one edit
        ("voltar", "vlotar", 1),
        ("sair", "siar", 1),
        ("menu", "meu", 1),  # deletion
        ("menu", "menuu", 1),  # insertion
        ("menu", "mena", 1),  # substitution
        ("kitten", "sitting", 3),
        ("ca", "abc", 3),  # optimal string alignment, not full Damerau
        ("", "abc", 3),
    ],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance
    assert edit_distance(b, a) == distance


def test_edit_distance_is_capped_at_limit_plus_one() -> None:
    assert edit_distance("a", "abcdefg") == 4
    assert edit_distance("a", "abcdefg", limit=1) == 2
    assert edit_distance("abc", "xyz", limit=1) == 3  # same length: computed, not capped


def test_tolerance_grows_with_the_word() -> None:
    words = ("sim", "menu", "voltar", "cancelar", "atendente")
    assert [tolerance(w) for w in words] == [0, 0, 1, 1, 2]


def test_matches_word_and_phrase() -> None:
    assert matches_word("meun", "menu")
    assert not matches_word("meu", "menu")  # short words: only two swapped letters
    assert not matches_word("dsa", "dns")
    assert not matches_phrase("quero o dsn", "dns")  # inside free text, short keywords are exact
    assert matches_phrase("quero a segunda via", "segunda via")
    assert matches_phrase("quero a segnuda via", "segunda via")
    assert not matches_phrase("segunda", "segunda via")
    assert not matches_phrase("qualquer coisa", "")


# --- global commands ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "command"),
    [
        ("Menu", "menu"),
        ("MENU!", "menu"),
        ("  menu  ", "menu"),
        ("meun", "menu"),
        ("Menu principal", "menu"),
        ("Início", "menu"),
        ("voltar ao menu", "menu"),
        ("Voltar", "back"),
        ("vlotar", "back"),
        ("anterior", "back"),
        ("Atendente", "human"),
        ("humano", "human"),
        ("humano!!!", "human"),
        ("falar com atendente", "human"),
        ("Falar com um atendente", "human"),
        ("falar com humano", "human"),
        ("sair", "quit"),
        ("Sair.", "quit"),
        ("encerrar", "quit"),
        ("Cancelar", "cancel"),
        ("cancela", "cancel"),
        ("cancelra", "cancel"),
    ],
)
def test_global_command_in_text(body: str, command: str) -> None:
    assert _named(said(body)) == command


@pytest.mark.parametrize(
    ("choice_id", "command"),
    [
        ("go:menu", "menu"),
        ("go:back", "back"),
        ("go:human", "human"),
        ("go:quit", "quit"),
        ("go:cancel", "cancel"),
    ],
)
def test_global_command_from_a_button_or_list_row(choice_id: str, command: str) -> None:
    assert _named(tapped(choice_id)) == command
    row = ListRowChosen(
        message_id="wamid.l", sender=SENDER, timestamp=NOW, choice_id=choice_id, title="x"
    )
    assert _named(row) == command


def test_a_button_is_judged_by_its_id_not_its_title() -> None:
    assert MACHINE.command(tapped("qual:yes", title="Menu")) is None
    assert MACHINE.command(tapped("menu", title="Menu")) is None


@pytest.mark.parametrize(
    "body",
    [
        "quero cancelar meu plano",
        "como faço para sair do plano?",
        "o menu do site sumiu",
        "posso falar com atendente amanhã de manhã?",
        "sim",
        "não",
        "ok",
        "obrigado",
        "oi",
        "",
        "   ",
        "?!",
        "menu " * 10,  # too long to be one command
    ],
)
def test_not_a_global_command(body: str) -> None:
    assert MACHINE.command(said(body)) is None


@pytest.mark.parametrize("body", ["meu", "cancelado", "encerrado"])
def test_ordinary_words_near_a_command_are_not_commands(body: str) -> None:
    assert MACHINE.command(said(body)) is None


def test_only_messages_and_choices_can_be_commands() -> None:
    media = MediaReceived(
        message_id="wamid.m",
        sender=SENDER,
        timestamp=NOW,
        media_kind="image",
        media_id="1",
        mime_type="image/jpeg",
        caption="menu",
    )
    internal = InternalEvent(event_id="e1", conversation_key="BR.1", timestamp=NOW)
    events: list[Event] = [media, internal]
    assert [MACHINE.command(e) for e in events] == [None, None]
