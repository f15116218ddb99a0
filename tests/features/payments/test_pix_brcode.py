"""Pix BR Code: pinned to the official BCB vectors, then the rules one by one."""

from __future__ import annotations

import binascii
import contextlib
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dresbach.features.payments.pix import (
    BrCode,
    BrCodeError,
    brcode_crc,
    build_brcode,
    crc16_ccitt_false,
    parse_brcode,
)

# Manual de Padrões para Iniciação do Pix v2.2, §1.5.4 (static) and §1.6.7 (dynamic).
OFFICIAL_STATIC = (
    "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000"
    "5204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D"
)
OFFICIAL_DYNAMIC = (
    "00020101021226730014br.gov.bcb.pix2551pix.example.com/v2/8b3da2f39a4140d1a91abd93113bd441"
    "5204000053039865406123.455802BR5913Fulano de Tal6008BRASILIA62190515RP12345678-2019"
    "63047309"
)
# API Pix OpenAPI 2.9.0 `pixCopiaECola` examples: Pix Automático composite QRs (template 80).
OPENAPI_COMPOSITE = {
    "62C9": (
        "00020126180014br.gov.bcb.pix5204000053039865802BR5913Fulano de Tal6008BRASILIA"
        "62070503***80800014br.gov.bcb.pix2558pix.example.com/qr/v2/rec/"
        "2353c790eefb11eaadc10242ac120002630462C9"
    ),
    "7741": (
        "00020101021226760014br.gov.bcb.pix2554pix.example.com/qr/v2/"
        "8b3da2f39a4140d1a91abd93113bd4415204000053039865802BR5913Fulano de Tal6008BRASILIA"
        "62070503***80800014br.gov.bcb.pix2558pix.example.com/qr/v2/rec/"
        "94ed2badcbc04c15b0bb7fa35319489063047741"
    ),
    "A441": (
        "00020101021226810014br.gov.bcb.pix2559pix.example.com/qr/v2/cobv/"
        "1e6c54d3ec9449b7a7fc53b6b0f998e75204000053039865802BR5913Fulano de Tal6008BRASILIA"
        "62070503***80800014br.gov.bcb.pix2558pix.example.com/qr/v2/rec/"
        "3ffa640fa4f14080adccb949fa2dc0d06304A441"
    ),
}
# Not in the reference notes: example of the Rust `brcode` crate (CRC checked independently).
# Upper-case GUI, a second merchant scheme in 27, tag 04 and an unreserved template 80.
MULTI_SCHEME = (
    "00020104141234567890123426580014BR.GOV.BCB.PIX0136123e4567-e12b-12d1-a456-426655440000"
    "27300012BR.COM.OUTRO011001234567895204000053039865406123.455802BR5917NOME DO RECEBEDOR"
    "6008BRASILIA61087007490062190515RP12345678-201980390012BR.COM.OUTRO01190123.ABCD.3456.WXYZ"
    "6304AD38"
)
ALL_VECTORS = [OFFICIAL_STATIC, OFFICIAL_DYNAMIC, *OPENAPI_COMPOSITE.values(), MULTI_SCHEME]

STATIC_CODE = BrCode(
    key="123e4567-e12b-12d1-a456-426655440000",
    merchant_name="Fulano de Tal",
    merchant_city="BRASILIA",
    amount=None,
)
DYNAMIC_CODE = BrCode(
    key="",
    url="pix.example.com/v2/8b3da2f39a4140d1a91abd93113bd441",
    merchant_name="Fulano de Tal",
    merchant_city="BRASILIA",
    amount=Decimal("123.45"),
    txid="RP12345678-2019",
    point_of_initiation_unique=True,
)


def static(**changes: object) -> BrCode:
    fields: dict[str, object] = {
        "key": "12345678909",
        "merchant_name": "Dresbach Hosting",
        "merchant_city": "Porto Alegre",
        "amount": Decimal("37.00"),
    }
    fields.update(changes)
    return BrCode(**fields)  # type: ignore[arg-type]


def tampered(payload: str, index: int) -> str:
    """The payload with the character at ``index`` swapped for another hex digit."""
    original = payload[index]
    replacement = "0" if original != "0" else "1"
    return payload[:index] + replacement + payload[index + 1 :]


# -- CRC -----------------------------------------------------------------------------------------


def test_crc_check_value() -> None:
    assert crc16_ccitt_false(b"123456789") == 0x29B1
    assert brcode_crc("123456789") == "29B1"


def test_crc_of_empty_input_is_the_initial_value() -> None:
    assert crc16_ccitt_false(b"") == 0xFFFF


@given(st.binary(max_size=600))
def test_crc_matches_the_stdlib_oracle(data: bytes) -> None:
    assert crc16_ccitt_false(data) == binascii.crc_hqx(data, 0xFFFF)


def test_crc_is_zero_padded_upper_case_hex() -> None:
    # Find a payload whose CRC is below 0x1000: the classic hex() bug would drop the leading zero.
    for n in range(1, 400):
        crc = brcode_crc(f"{n}6304")
        if crc.startswith("0"):
            break
    else:
        pytest.fail("no small CRC found")
    assert len(crc) == 4
    assert crc == crc.upper()


# -- the official vectors ------------------------------------------------------------------------


def test_builds_the_official_static_example() -> None:
    assert build_brcode(STATIC_CODE) == OFFICIAL_STATIC


def test_builds_the_official_dynamic_example() -> None:
    assert build_brcode(DYNAMIC_CODE) == OFFICIAL_DYNAMIC


def test_parses_the_official_static_example() -> None:
    parsed = parse_brcode(OFFICIAL_STATIC)
    assert parsed.key == "123e4567-e12b-12d1-a456-426655440000"
    assert parsed.merchant_name == "Fulano de Tal"
    assert parsed.merchant_city == "BRASILIA"
    assert parsed.amount is None
    assert parsed.txid == "***"
    assert parsed.url is None
    assert parsed.description is None
    assert not parsed.is_dynamic
    assert not parsed.point_of_initiation_unique
    assert parsed.crc == "1D3D"
    assert list(parsed.tags) == ["00", "26", "52", "53", "58", "59", "60", "62", "63"]


def test_parses_the_official_dynamic_example() -> None:
    parsed = parse_brcode(OFFICIAL_DYNAMIC)
    assert parsed.key is None
    assert parsed.url == "pix.example.com/v2/8b3da2f39a4140d1a91abd93113bd441"
    assert parsed.amount == Decimal("123.45")
    assert isinstance(parsed.amount, Decimal)
    assert parsed.txid == "RP12345678-2019"
    assert parsed.is_dynamic
    assert parsed.point_of_initiation_unique
    assert parsed.crc == "7309"


@pytest.mark.parametrize("expected_crc", sorted(OPENAPI_COMPOSITE))
def test_parses_the_openapi_composite_examples(expected_crc: str) -> None:
    parsed = parse_brcode(OPENAPI_COMPOSITE[expected_crc])
    assert parsed.crc == expected_crc
    assert parsed.merchant_name == "Fulano de Tal"
    assert parsed.recurrence_url is not None
    assert parsed.recurrence_url.startswith("pix.example.com/qr/v2/rec/")
    assert parsed.key is None


def test_picks_the_pix_template_among_other_schemes() -> None:
    parsed = parse_brcode(MULTI_SCHEME)
    assert parsed.key == "123e4567-e12b-12d1-a456-426655440000"
    assert parsed.postal_code == "70074900"
    assert parsed.amount == Decimal("123.45")
    assert parsed.tags["27"] == "0012BR.COM.OUTRO01100123456789"


@pytest.mark.parametrize("payload", ALL_VECTORS)
def test_one_changed_crc_character_is_rejected(payload: str) -> None:
    for index in range(len(payload) - 4, len(payload)):
        with pytest.raises(BrCodeError, match="CRC inválido"):
            parse_brcode(tampered(payload, index))


@pytest.mark.parametrize("payload", ALL_VECTORS)
def test_one_changed_content_character_is_rejected(payload: str) -> None:
    with pytest.raises(BrCodeError, match="CRC inválido"):
        parse_brcode(payload.replace("BRASILIA", "BRASILIO"))


def test_lower_case_crc_is_rejected() -> None:
    with pytest.raises(BrCodeError, match="CRC inválido"):
        parse_brcode(OFFICIAL_STATIC[:-4] + "1d3d")


def test_surrounding_whitespace_from_copy_paste_is_ignored() -> None:
    assert parse_brcode(f"  {OFFICIAL_STATIC}\n").crc == "1D3D"


# -- building: round trips and the rules -----------------------------------------------------------


def test_static_with_amount_txid_description_and_cep_round_trips() -> None:
    code = static(txid="DIAG123", description="Diagnóstico técnico", postal_code="90010-000")
    payload = build_brcode(code)
    assert "540537.00" in payload
    assert "62110507DIAG123" in payload
    assert "61089001000" in payload
    parsed = parse_brcode(payload)
    assert parsed.key == "12345678909"
    assert parsed.amount == Decimal("37.00")
    assert parsed.txid == "DIAG123"
    assert parsed.description == "Diagnostico tecnico"
    assert parsed.postal_code == "90010000"
    assert parsed.merchant_city == "Porto Alegre"


def test_single_use_flag_emits_010212() -> None:
    assert build_brcode(static(point_of_initiation_unique=True)).startswith("000201010212")
    assert build_brcode(static()).startswith("00020126")


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("1", "54041.00"),
        ("0.01", "54040.01"),
        ("1.5", "54041.50"),
        ("1.000", "54041.00"),
        ("1234567.89", "54101234567.89"),
        ("9999999999.99", "54139999999999.99"),
    ],
)
def test_amount_is_two_decimals_with_a_dot(amount: str, text: str) -> None:
    assert f"{text}5802BR" in build_brcode(static(amount=Decimal(amount)))


@pytest.mark.parametrize("amount", ["0", "0.00", "-1", "1.005", "10000000000", "NaN", "Infinity"])
def test_invalid_amounts_are_refused(amount: str) -> None:
    with pytest.raises(BrCodeError):
        build_brcode(static(amount=Decimal(amount)))


def test_float_amount_is_refused() -> None:
    with pytest.raises(BrCodeError, match="Decimal"):
        build_brcode(static(amount=37.0))


def test_open_amount_omits_field_54() -> None:
    assert "5303986" + "5802BR" in build_brcode(static(amount=None))


def test_name_and_city_lose_accents_and_extra_spaces() -> None:
    payload = build_brcode(static(merchant_name="  José  Conceição ", merchant_city="São Paulo"))
    assert "5914Jose Conceicao" in payload
    assert "6009Sao Paulo" in payload


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("merchant_name", "A" * 26, "máximo é 25"),
        ("merchant_city", "B" * 16, "máximo é 15"),
        ("merchant_name", "   ", "vazio"),
        ("merchant_city", "Łódź", "não permitidos"),
        ("merchant_name", "Loja 🙂", "não permitidos"),
        ("description", "x" * 73, "máximo é 72"),
    ],
)
def test_text_field_limits(field: str, value: str, message: str) -> None:
    with pytest.raises(BrCodeError, match=message):
        build_brcode(static(**{field: value}))


def test_name_of_exactly_25_and_city_of_15_are_fine() -> None:
    parsed = parse_brcode(build_brcode(static(merchant_name="N" * 25, merchant_city="C" * 15)))
    assert parsed.merchant_name == "N" * 25
    assert parsed.merchant_city == "C" * 15


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("", "vazia"),
        ("   ", "vazia"),
        ("a" * 78, "máximo é 77"),
        ("fulano @exemplo.com", "ASCII"),
        ("joão@exemplo.com", "ASCII"),
        ("529.982.247-25", "sem pontos"),
        ("11.222.333/0001-81", "sem pontos"),
    ],
)
def test_invalid_keys_are_refused(key: str, message: str) -> None:
    with pytest.raises(BrCodeError, match=message):
        build_brcode(static(key=key))


@pytest.mark.parametrize(
    "key",
    ["52998224725", "11222333000181", "+5561912345678", "fulano@exemplo.com", "a" * 50],
)
def test_key_kinds_round_trip(key: str) -> None:
    assert parse_brcode(build_brcode(static(key=key))).key == key


def test_key_and_description_share_the_99_character_budget() -> None:
    # 4+14 (GUI) + 4+36 (key) + 4+37 = 99: fits; one more character does not.
    uuid = "123e4567-e12b-12d1-a456-426655440000"
    assert build_brcode(static(key=uuid, description="d" * 37))
    with pytest.raises(BrCodeError, match="campo 26"):
        build_brcode(static(key=uuid, description="d" * 38))


@pytest.mark.parametrize("txid", ["***", "A", "abcDEF123", "Z" * 25])
def test_valid_static_txids(txid: str) -> None:
    assert parse_brcode(build_brcode(static(txid=txid))).txid == txid


@pytest.mark.parametrize("txid", ["", "Z" * 26, "DIAG-123", "pedido 1", "ação", "**"])
def test_invalid_static_txids(txid: str) -> None:
    with pytest.raises(BrCodeError, match="txid"):
        build_brcode(static(txid=txid))


def test_dynamic_code_rules() -> None:
    with pytest.raises(BrCodeError, match="não as duas"):
        build_brcode(static(url="pix.example.com/v2/abc"))
    with pytest.raises(BrCodeError, match="https"):
        build_brcode(static(key="", url="https://pix.example.com/v2/abc"))
    with pytest.raises(BrCodeError, match="descrição"):
        build_brcode(static(key="", url="pix.example.com/v2/abc", description="x"))
    with pytest.raises(BrCodeError, match="máximo é 77"):
        build_brcode(static(key="", url="p" * 78))


@pytest.mark.parametrize("cep", ["9001000", "90010-0000", "ABCDE-FGH"])
def test_invalid_postal_codes(cep: str) -> None:
    with pytest.raises(BrCodeError, match="CEP"):
        build_brcode(static(postal_code=cep))


_KEY_CHARS = st.characters(min_codepoint=0x21, max_codepoint=0x7E)
_TEXT_CHARS = st.characters(min_codepoint=0x21, max_codepoint=0x7E)


@given(
    key=st.text(_KEY_CHARS, min_size=1, max_size=40),
    name=st.text(_TEXT_CHARS, min_size=1, max_size=25),
    city=st.text(_TEXT_CHARS, min_size=1, max_size=15),
    cents=st.one_of(st.none(), st.integers(min_value=1, max_value=999_999_999_999)),
    txid=st.one_of(st.just("***"), st.text("abcXYZ0189", min_size=1, max_size=25)),
)
def test_anything_built_parses_back(
    key: str, name: str, city: str, cents: int | None, txid: str
) -> None:
    amount = None if cents is None else Decimal(cents).scaleb(-2)
    code = BrCode(key=key, merchant_name=name, merchant_city=city, amount=amount, txid=txid)
    try:
        payload = build_brcode(code)
    except BrCodeError:
        return  # e.g. a key that looks like a formatted CPF
    parsed = parse_brcode(payload)
    assert (parsed.key, parsed.merchant_name, parsed.merchant_city) == (key, name, city)
    assert (parsed.amount, parsed.txid) == (amount, txid)


# -- parsing: malformed payloads -----------------------------------------------------------------


def with_crc(body: str) -> str:
    """``body`` (ending in 6304) with its correct CRC, so only the layout is under test."""
    return body + brcode_crc(body)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("000201260000145204000053039866304", "tamanho inválido"),  # a length-00 field
        ("0002015204000053039866304", "falta"),  # no Pix account
        ("00020126180014br.gov.bcb.pix5204000053039865802BR5901A6001B6304", "txid"),
        ("00020126180014br.com.outro.x5204000053039865802BR5901A6001B62070503***6304", "não é Pix"),
        ("00020226180014br.gov.bcb.pix6304", "000201"),
        ("X0020126180014br.gov.bcb.pix6304", "cabeçalho"),
        ("000201000201", "CRC inválido"),
        ("000201530398653039866304", "repetido"),
    ],
)
def test_malformed_payloads_are_rejected(body: str, message: str) -> None:
    payload = body if not body.endswith("6304") else with_crc(body)
    with pytest.raises(BrCodeError, match=message):
        parse_brcode(payload)


def test_bad_amount_text_is_rejected() -> None:
    body = "00020126180014br.gov.bcb.pix52040000530398654041,005802BR5901A6001B62070503***6304"
    with pytest.raises(BrCodeError, match="campo 54"):
        parse_brcode(with_crc(body))


@given(st.text(max_size=200))
def test_random_text_never_raises_anything_but_brcodeerror(text: str) -> None:
    with contextlib.suppress(BrCodeError):
        parse_brcode(text)


@given(st.text(max_size=120))
def test_random_text_with_a_valid_crc_never_crashes(text: str) -> None:
    with contextlib.suppress(BrCodeError):
        parse_brcode(with_crc(text + "6304"))
