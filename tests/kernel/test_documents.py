"""CPF and CNPJ (numeric and alphanumeric): the reference vectors, then properties."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dresbach.kernel.documents import (
    Document,
    DocumentError,
    cnpj_check_digits,
    cpf_check_digits,
    is_valid_cnpj,
    is_valid_cpf,
    normalize_document,
    parse_document,
)

DIGITS = "0123456789"
ALNUM = DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

# -- reference vectors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value", "formatted"),
    [
        ("529.982.247-25", "52998224725", "529.982.247-25"),
        ("52998224725", "52998224725", "529.982.247-25"),
        ("123.456.789-09", "12345678909", "123.456.789-09"),
    ],
)
def test_valid_cpfs(raw: str, value: str, formatted: str) -> None:
    document = parse_document(raw)
    assert document == Document(kind="cpf", value=value)
    assert document.formatted == formatted
    assert is_valid_cpf(value)


@pytest.mark.parametrize(
    ("raw", "value", "formatted"),
    [
        ("11.222.333/0001-81", "11222333000181", "11.222.333/0001-81"),
        ("00.000.000/0001-91", "00000000000191", "00.000.000/0001-91"),
        ("12.345.678/0001-95", "12345678000195", "12.345.678/0001-95"),
        ("12.ABC.345/01DE-35", "12ABC34501DE35", "12.ABC.345/01DE-35"),
        ("12ABC34501DE35", "12ABC34501DE35", "12.ABC.345/01DE-35"),
        ("12abc34501de35", "12ABC34501DE35", "12.ABC.345/01DE-35"),
        ("12. ABC.345 /01DE–35", "12ABC34501DE35", "12.ABC.345/01DE-35"),  # en dash
    ],
)
def test_valid_cnpjs(raw: str, value: str, formatted: str) -> None:
    document = parse_document(raw)
    assert document == Document(kind="cnpj", value=value)
    assert document.formatted == formatted
    assert is_valid_cnpj(value)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("529.982.247-24", "check_digits"),
        ("111.111.111-11", "repeated"),
        ("9982247 25", "length"),
        ("5299822472٥", "characters"),  # Arabic-Indic five
        ("11.222.333/0001-80", "check_digits"),
        ("00000000000000", "repeated"),
        ("222333000181", "length"),  # 12 characters: never auto-padded
        ("12ABC34501DE36", "check_digits"),
        ("12ABC34501DE3٥", "characters"),
    ],
)
def test_invalid_reference_vectors(raw: str, reason: str) -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document(raw)
    assert caught.value.reason == reason
    assert caught.value.message == str(caught.value)
    assert not is_valid_cpf(raw)
    assert not is_valid_cnpj(raw)


@pytest.mark.parametrize(
    ("base", "digits"),
    [("529982247", "25"), ("123456789", "09"), ("112223330001", "81"), ("12ABC34501DE", "35")],
)
def test_check_digit_generators(base: str, digits: str) -> None:
    generate = cpf_check_digits if len(base) == 9 else cnpj_check_digits
    assert generate(base) == digits


@pytest.mark.parametrize("base", ["", "12345678", "1234567890", "12345678a", "١٢٣٤٥٦٧٨٩"])
def test_cpf_generator_rejects_bad_bases(base: str) -> None:
    with pytest.raises(ValueError, match="9 ASCII digits"):
        cpf_check_digits(base)


@pytest.mark.parametrize("base", ["", "12ABC34501D", "12abc34501de", "12ABC34501DÉ"])
def test_cnpj_generator_rejects_bad_bases(base: str) -> None:
    with pytest.raises(ValueError, match="12 characters"):
        cnpj_check_digits(base)


# -- messages for the customer -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "reason", "fragment"),
    [
        ("", "empty", "Não encontrei um CPF ou CNPJ"),
        (" .-/ ", "empty", "Não encontrei um CPF ou CNPJ"),
        ("529.982.247-2", "length", "Confira se faltou ou sobrou algum"),
        ("5299822472A", "letters", "O CPF tem só números"),
        ("12ABC34501DEAB", "letters", "dois últimos caracteres do CNPJ são sempre números"),
        ("529,982;247-25", "characters", "a pontuação é opcional"),
        ("5299822472ª", "letters", "O CPF tem só números"),  # NFKC turns ª into a
        ("ıı", "characters", "só números"),  # dotless i would upper-case to I: refused instead
        ("2222222222222", "length", "O CPF tem 11 dígitos e o CNPJ, 14 caracteres"),
        ("22222222222222", "repeated", "todos os números são iguais"),
    ],
)
def test_error_messages(raw: str, reason: str, fragment: str) -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document(raw)
    assert caught.value.reason == reason
    assert fragment in caught.value.message
    # never what was typed (it may be a password typed too soon), nor a count of it
    assert not raw.strip() or raw.strip() not in caught.value.message
    assert "recebi" not in caught.value.message


# -- normalising, formatting, masking ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("529.982.247-25", "52998224725"),
        ("  529 982 247 25\n", "52998224725"),
        ("５２９９８２２４７２５", "52998224725"),  # full-width digits: NFKC
        ("529\u200b982\u00a0247\u201125", "52998224725"),  # zero-width space, NBSP, hyphen
        ("529982247²⁵", "52998224725"),  # superscripts: NFKC
        ("12.abc.345/01de-35", "12ABC34501DE35"),
        ("12\\ABC_345,01DE-35", "12ABC34501DE35"),
    ],
)
def test_normalize_document(raw: str, normalized: str) -> None:
    assert normalize_document(raw) == normalized


@pytest.mark.parametrize("raw", ["12ÀBC34501DE35", "ß", "5299822472٥", "529*982"])
def test_normalize_refuses_non_ascii_and_symbols(raw: str) -> None:
    with pytest.raises(DocumentError):
        normalize_document(raw)


def test_masks_hide_the_sensitive_parts() -> None:
    assert parse_document("529.982.247-25").masked == "***.982.247-**"
    assert parse_document("11.222.333/0001-81").masked == "**.***.***/0001-**"
    assert parse_document("12ABC34501DE35").masked == "**.***.***/01DE-**"


def test_repr_shows_only_the_mask() -> None:
    text = repr(parse_document("52998224725"))
    assert "52998224725" not in text
    assert "***.982.247-**" in text


def test_document_cannot_be_built_invalid() -> None:
    with pytest.raises(DocumentError):
        Document(kind="cpf", value="52998224724")
    with pytest.raises(DocumentError):
        Document(kind="cnpj", value="52998224725")


def test_helpers_want_normalized_input() -> None:
    assert not is_valid_cpf("529.982.247-25")
    assert not is_valid_cnpj("12abc34501de35")
    assert not is_valid_cpf("11111111111")


# -- properties ----------------------------------------------------------------------------------

cpf_bases = st.text(DIGITS, min_size=9, max_size=9)
cnpj_bases = st.text(ALNUM, min_size=12, max_size=12)
numeric_cnpj_bases = st.text(DIGITS, min_size=12, max_size=12)


def replace(text: str, index: int, char: str) -> str:
    return text[:index] + char + text[index + 1 :]


@given(cpf_bases)
def test_any_cpf_base_with_its_check_digits_is_valid(base: str) -> None:
    cpf = base + cpf_check_digits(base)
    assume(len(set(cpf)) > 1)
    assert is_valid_cpf(cpf)
    assert parse_document(cpf) == Document(kind="cpf", value=cpf)


@given(cnpj_bases)
def test_any_alphanumeric_cnpj_base_with_its_check_digits_is_valid(base: str) -> None:
    cnpj = base + cnpj_check_digits(base)
    assume(len(set(cnpj)) > 1)
    assert is_valid_cnpj(cnpj)
    assert parse_document(cnpj.lower()).value == cnpj


@given(cpf_bases, st.integers(0, 10), st.sampled_from(DIGITS))
def test_changing_one_cpf_digit_invalidates(base: str, index: int, digit: str) -> None:
    cpf = base + cpf_check_digits(base)
    assume(len(set(cpf)) > 1 and cpf[index] != digit)
    changed = replace(cpf, index, digit)
    if index >= 9:
        assert not is_valid_cpf(changed)  # a check digit is always caught
    elif is_valid_cpf(changed):
        # Remainders 0 and 1 both give check digit 0, so mod 11 misses a few base-digit
        # changes; only then can a changed CPF stay valid (the first digit does not count in
        # the second check digit, so there only the first check digit needs to be 0).
        assert cpf[9] == "0"
        assert index == 0 or cpf[9:] == "00"


@given(numeric_cnpj_bases, st.integers(0, 13), st.sampled_from(DIGITS))
def test_changing_one_numeric_cnpj_digit_invalidates(base: str, index: int, digit: str) -> None:
    cnpj = base + cnpj_check_digits(base)
    assume(len(set(cnpj)) > 1 and cnpj[index] != digit)
    changed = replace(cnpj, index, digit)
    if index >= 12 or cnpj[12:] != "00":
        assert not is_valid_cnpj(changed)


def test_known_blind_spots_of_mod_11() -> None:
    # Changing the first CPF digit when the first check digit is 0 can go unnoticed.
    assert is_valid_cpf("10000000108")
    assert is_valid_cpf("20000000108")
    # Alphanumeric CNPJ: characters whose values differ by 11 ("6" = 6, "A" = 17) collide.
    assert is_valid_cnpj("12ABC34501DE35")
    assert is_valid_cnpj("126BC34501DE35")


@given(cpf_bases)
def test_cpf_formatting_round_trips(base: str) -> None:
    cpf = base + cpf_check_digits(base)
    assume(len(set(cpf)) > 1)
    document = parse_document(cpf)
    assert parse_document(document.formatted) == document
    assert normalize_document(document.formatted) == cpf
    assert document.masked == f"***.{cpf[3:6]}.{cpf[6:9]}-**"


@given(cnpj_bases)
def test_cnpj_formatting_round_trips(base: str) -> None:
    cnpj = base + cnpj_check_digits(base)
    assume(len(set(cnpj)) > 1)
    document = parse_document(cnpj)
    assert parse_document(document.formatted) == document
    assert parse_document(document.formatted.lower()) == document
    assert document.masked == f"**.***.***/{cnpj[8:12]}-**"


@given(st.text(max_size=40))
def test_random_junk_only_ever_raises_document_error(raw: str) -> None:
    try:
        document = parse_document(raw)
    except DocumentError:
        return
    assert is_valid_cpf(document.value) or is_valid_cnpj(document.value)


@given(st.text(DIGITS + ALNUM + ".-/ ", max_size=20))
def test_document_like_junk_only_ever_raises_document_error(raw: str) -> None:
    with contextlib.suppress(DocumentError):
        parse_document(raw)
