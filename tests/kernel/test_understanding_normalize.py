"""The understanding tier's reading of what people type, and its example-file format."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dresbach.kernel.understanding import ExampleFileError, normalize, parse_examples
from dresbach.kernel.understanding.examples import intents_of
from dresbach.kernel.understanding.normalize import ABBREVIATIONS, squeeze

# --- the normaliser -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        # case, accents, punctuation
        ("MEU SITE CAIU!!!", "meu site caiu"),
        ("Não consigo acessar o cPanel...", "nao consigo acessar o cpanel"),
        ("Preciso de ajuda: o e-mail não chega", "preciso de ajuda o email nao chega"),
        ("E-MAILS voltando", "email voltando"),
        # the second copy, however it is written
        ("2ª via do boleto", "segunda via do boleto"),
        ("2a via", "segunda via"),
        ("2 via pfv", "segunda via por favor"),
        ("quero a 2via", "quero a segunda via"),
        ("seg. via da fatura", "segunda via da fatura"),
        # chat abbreviations
        ("qro cancelar pq ta caro", "quero cancelar porque esta caro"),
        ("vc pode me ajudar? tb preciso do boleto", "voce pode me ajudar tambem preciso do boleto"),
        ("q horas vcs abrem", "que horas voces abrem"),
        ("ñ recebi o boleto hj", "nao recebi o boleto hoje"),
        ("obg, vlw msm", "obrigado valeu mesmo"),
        ("manda no zap", "manda no whatsap"),
        # letters repeated for emphasis fold; "rr" and "ss" are spelling and stay
        ("oiiii", "oi"),
        ("socorrrrro", "socorro"),
        ("urgenteeee", "urgente"),
        ("acesso", "acesso"),
        ("erro", "erro"),
        ("boletooo pfvvv", "boleto por favor"),
        # laughter and emoji carry nothing
        ("kkkkkk", ""),
        ("hahaha oi rsrs", "oi"),
        ("👍🙏", ""),
        ("", ""),
        # numbers stay: error codes matter
        ("erro 500 no site", "erro 500 no site"),
    ],
)
def test_the_normaliser_reads(typed: str, read_as: str) -> None:
    assert normalize(typed) == read_as


@given(st.text())
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(st.text())
def test_the_normalised_text_is_lower_case_ascii_words(text: str) -> None:
    read = normalize(text)
    assert all(c.islower() or c.isdigit() or c == " " for c in read)
    assert read == " ".join(read.split())
    assert read.isascii()


def test_every_abbreviation_expands_to_words_the_normaliser_keeps() -> None:
    squeezed = [squeeze(short) for short in ABBREVIATIONS]
    assert len(set(squeezed)) == len(squeezed), "two abbreviations read the same once squeezed"
    for short, full in ABBREVIATIONS.items():
        expanded = normalize(short)
        assert expanded == normalize(full), (short, expanded)
        assert expanded != short


# --- the example-file format --------------------------------------------------------------------

FILE = """\
# Comentário no topo
[billing]
quero a 2a via
   boleto vencido

# outro comentário
[ access ]
esqueci a senha
"""


def test_the_example_file_reads_one_utterance_per_line_under_its_intent() -> None:
    examples = parse_examples(FILE)
    assert [(e.intent, e.text, e.line) for e in examples] == [
        ("billing", "quero a 2a via", 3),
        ("billing", "boleto vencido", 4),
        ("access", "esqueci a senha", 8),
    ]
    assert intents_of(examples) == ("access", "billing")


def test_an_utterance_before_any_intent_names_its_line() -> None:
    with pytest.raises(ExampleFileError, match=r"linha 2: a frase vem antes de qualquer assunto"):
        parse_examples("# topo\nquero a 2a via\n[billing]\n")


@pytest.mark.parametrize("header", ["[Billing]", "[fatura boleto]", "[faturação]", "[billing"])
def test_a_malformed_intent_name_names_its_line(header: str) -> None:
    with pytest.raises(ExampleFileError, match=r"linha 3: o nome do assunto vai entre colchetes"):
        parse_examples(f"[billing]\nboleto\n{header}\nsenha\n")
