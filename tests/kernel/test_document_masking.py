"""What an inbound text keeps of a CPF, a CNPJ or a card number (#18.16): masked however it is
written, while ordinary numbers (amounts, dates, phones, protocols) stay as they are."""

from __future__ import annotations

import pytest

from dresbach.platform.observe.redaction import is_luhn_valid, mask_documents, redact


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("meu cpf é 529.982.247-25", "meu cpf é ***.982.247-**"),
        ("52998224725", "***.982.247-**"),
        ("529 982 247 25", "***.982.247-**"),
        ("529-982-247-25, obrigado", "***.982.247-**, obrigado"),
        ("cpf:52998224725.", "cpf:***.982.247-**."),
        ("123.456.789-00", "***.456.789-**"),  # written as a CPF, mistyped: still masked
        ("cnpj 11.222.333/0001-81", "cnpj **.***.***/0001-**"),
        ("11222333000181", "**.***.***/0001-**"),
        ("11 222 333 0001 81", "**.***.***/0001-**"),
        ("11.222.333/0001-00", "**.***.***/0001-**"),  # written as a CNPJ, mistyped
        ("12.ABC.345/01DE-35", "**.***.***/01DE-**"),
        ("o cnpj novo é 12abc34501de35", "o cnpj novo é **.***.***/01DE-**"),
        ("12 ABC 345 01DE 35", "**.***.***/01DE-**"),
        ("cartão 4111 1111 1111 1111", "cartão ************1111"),
        ("5555-5555-5555-4444 val 12/29", "************4444 val 12/29"),
        ("4111111111111111", "************1111"),
        ("amex 3782 822463 10005", "amex ***********0005"),
        (
            "CPF 529.982.247-25 e CNPJ 11.222.333/0001-81",
            "CPF ***.982.247-** e CNPJ **.***.***/0001-**",
        ),
    ],
)
def test_what_is_masked(typed: str, kept: str) -> None:
    assert mask_documents(typed) == kept
    assert mask_documents(kept) == kept  # masking twice changes nothing


@pytest.mark.parametrize(
    "ordinary",
    [
        "Oi, bom dia! Meu site está fora do ar desde ontem à noite.",
        "R$ 1.500,00 em 25/11/2026 às 10:00",
        "meu telefone é (11) 98765-4321",
        "5511987650001",
        "CEP 01310-200, Av. Paulista, 1578",
        "protocolo 2026112500012345",  # 16 digits, but not a card (its Luhn digit is wrong)
        "12345678901",  # 11 digits whose check digits are not a CPF's
        "ABCDEFGHIJKL12",  # letters and two digits, not a CNPJ
        "www.loja.com.br/page-12",
        "txid DRB4077822b11119d89cecfdb1976e32",
        "4111 1111 1111 1112",  # a card's shape, the Luhn digit wrong
    ],
)
def test_what_is_left_alone(ordinary: str) -> None:
    assert mask_documents(ordinary) == ordinary


def test_the_log_redaction_masks_documents_and_cards_written_with_spaces() -> None:
    assert redact("disse 529 982 247 25") == "disse ***.982.247-**"
    assert redact("cartão 4111 1111 1111 1111") == "cartão ************1111"
    assert redact("wa_id 5511987650001") == "wa_id 5511*****0001"  # as before


def test_luhn() -> None:
    assert is_luhn_valid("4111111111111111")
    assert is_luhn_valid("79927398713")
    assert not is_luhn_valid("79927398710")
