"""Amounts in reais: Decimal with two decimals, never float, written the Brazilian way."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def money(value: str | Decimal) -> Decimal:
    """A BRL amount with exactly two decimals; raises ValueError for anything else."""
    amount = Decimal(str(value))
    if amount != amount.quantize(Decimal("0.01")) or amount <= 0:
        raise ValueError(f"not a positive amount with two decimals: {value!r}")
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def format_brl(amount: Decimal) -> str:
    """R$ 1.234,56"""
    whole, cents = f"{amount.quantize(Decimal('0.01')):.2f}".split(".")
    groups = f"{int(whole):,}".replace(",", ".")
    return f"R$ {groups},{cents}"
