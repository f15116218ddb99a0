"""CPF and CNPJ: normalising, validating, formatting and masking; and an e-mail address masked
for display (`mask_email`), the other identifier a customer gives.

* CPF: 11 digits, two mod-11 check digits (weights 10..2, then 11..2).
* CNPJ: 12 characters ``[0-9A-Z]`` then 2 numeric check digits (weights 5432 98765432, then
  6 5432 98765432). Since July 2026 (IN RFB 2.229/2024) the first 12 may hold letters; each
  character is worth ``ord(c) - 48`` (``0``-``9`` keep their value, ``A`` = 17 ... ``Z`` = 42), so
  the numeric CNPJ validates exactly as before.
* A check digit is ``0`` when the remainder is below 2, else ``11 - remainder``.

Input is normalised first: NFKC, separators dropped, ASCII letters and digits only (nothing is
transliterated), upper case. Numbers made of one repeated character are refused.

Pure: no I/O. Errors are ``DocumentError`` (a ``ValueError``) with a pt-BR ``message`` for the
customer and a machine-readable ``reason``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

DocumentKind = Literal["cpf", "cnpj"]
ErrorReason = Literal["empty", "characters", "length", "letters", "repeated", "check_digits"]

_DIGITS = "0123456789"
_CNPJ_CHARS = frozenset(_DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_CPF_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_CNPJ_WEIGHTS = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
_SEPARATORS = frozenset("./\\-_,")


class DocumentError(ValueError):
    """A CPF or CNPJ that cannot be accepted; ``message`` says why, in pt-BR."""

    def __init__(self, message: str, *, reason: ErrorReason) -> None:
        super().__init__(message)
        self.message = message
        self.reason: ErrorReason = reason


@dataclass(frozen=True, slots=True, kw_only=True, repr=False)
class Document:
    """A valid CPF or CNPJ, in normalised form (``52998224725``, ``12ABC34501DE35``).

    Its ``repr`` shows only the masked number, so it is safe in logs.
    """

    kind: DocumentKind
    value: str

    def __post_init__(self) -> None:
        valid = is_valid_cpf(self.value) if self.kind == "cpf" else is_valid_cnpj(self.value)
        if not valid:
            raise DocumentError(_invalid(self.kind), reason="check_digits")

    @property
    def formatted(self) -> str:
        """``529.982.247-25`` or ``12.ABC.345/01DE-35``."""
        v = self.value
        if self.kind == "cpf":
            return f"{v[:3]}.{v[3:6]}.{v[6:9]}-{v[9:]}"
        return f"{v[:2]}.{v[2:5]}.{v[5:8]}/{v[8:12]}-{v[12:]}"

    @property
    def masked(self) -> str:
        """``***.982.247-**`` for a CPF, ``**.***.***/0001-**`` for a CNPJ (LGPD-safe echo)."""
        v = self.value
        if self.kind == "cpf":
            return f"***.{v[3:6]}.{v[6:9]}-**"
        return f"**.***.***/{v[8:12]}-**"

    def __repr__(self) -> str:
        return f"Document(kind={self.kind!r}, masked={self.masked!r})"


def is_masked(value: str) -> bool:
    """A CPF or CNPJ as we write it down (`***.982.247-**`, `**.***.***/01DE-**`)."""
    return "*" in value and all(ch in "*./-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" for ch in value)


def normalize_document(raw: str) -> str:
    """NFKC, drop separators (``. - / \\ _ ,``, any dash, whitespace, invisible format marks),
    require ASCII letters and digits, upper-case. Raises ``DocumentError`` for anything else."""
    kept: list[str] = []
    for ch in unicodedata.normalize("NFKC", raw):
        if ch in _SEPARATORS or ch.isspace() or unicodedata.category(ch) in ("Pd", "Cf"):
            continue
        if not (ch.isascii() and ch.isalnum()):
            raise DocumentError(
                "O CPF e o CNPJ têm só números (o CNPJ novo também pode ter letras); a pontuação "
                "é opcional. Confira o que foi digitado.",
                reason="characters",
            )
        kept.append(ch)
    return "".join(kept).upper()


def parse_document(raw: str) -> Document:
    """The CPF (11 digits) or CNPJ (14 characters) in ``raw``; ``DocumentError`` says why not."""
    value = normalize_document(raw)
    if not value:
        raise DocumentError(
            "Não encontrei um CPF ou CNPJ. O CPF tem 11 dígitos e o CNPJ, 14 caracteres.",
            reason="empty",
        )
    if len(value) == 11:
        if not _is_digits(value):
            raise DocumentError(
                "O CPF tem só números, 11 dígitos. Se for CNPJ, ele tem 14 caracteres.",
                reason="letters",
            )
        _refuse_repeated(value, "cpf")
        if cpf_check_digits(value[:9]) != value[9:]:
            raise DocumentError(_invalid("cpf"), reason="check_digits")
        return Document(kind="cpf", value=value)
    if len(value) == 14:
        if not _is_digits(value[12:]):
            raise DocumentError(
                "Os dois últimos caracteres do CNPJ são sempre números. Confira a digitação.",
                reason="letters",
            )
        _refuse_repeated(value, "cnpj")
        if cnpj_check_digits(value[:12]) != value[12:]:
            raise DocumentError(_invalid("cnpj"), reason="check_digits")
        return Document(kind="cnpj", value=value)
    raise DocumentError(
        "O CPF tem 11 dígitos e o CNPJ, 14 caracteres. Confira se faltou ou sobrou algum.",
        reason="length",
    )


def is_valid_cpf(value: str) -> bool:
    """True for a normalised CPF (11 ASCII digits, not all equal, right check digits)."""
    return (
        len(value) == 11
        and _is_digits(value)
        and len(set(value)) > 1
        and cpf_check_digits(value[:9]) == value[9:]
    )


def is_valid_cnpj(value: str) -> bool:
    """True for a normalised CNPJ, numeric or alphanumeric (``12ABC34501DE35``)."""
    return (
        len(value) == 14
        and all(ch in _CNPJ_CHARS for ch in value[:12])
        and _is_digits(value[12:])
        and len(set(value)) > 1
        and cnpj_check_digits(value[:12]) == value[12:]
    )


def cpf_check_digits(base: str) -> str:
    """The 2 check digits of a 9-digit CPF base: ``cpf_check_digits("529982247") == "25"``."""
    if len(base) != 9 or not _is_digits(base):
        raise ValueError("a CPF base is 9 ASCII digits")
    values = [int(ch) for ch in base]
    first = _check_digit(values, _CPF_WEIGHTS)
    second = _check_digit([*values, first], (11, *_CPF_WEIGHTS))
    return f"{first}{second}"


def cnpj_check_digits(base: str) -> str:
    """The 2 check digits of a 12-character CNPJ base: ``"12ABC34501DE"`` → ``"35"``."""
    if len(base) != 12 or not all(ch in _CNPJ_CHARS for ch in base):
        raise ValueError("a CNPJ base is 12 characters from [0-9A-Z]")
    values = [ord(ch) - 48 for ch in base]
    first = _check_digit(values, _CNPJ_WEIGHTS)
    second = _check_digit([*values, first], (6, *_CNPJ_WEIGHTS))
    return f"{first}{second}"


def _check_digit(values: list[int], weights: tuple[int, ...]) -> int:
    remainder = sum(v * w for v, w in zip(values, weights, strict=True)) % 11
    return 0 if remainder < 2 else 11 - remainder


def _is_digits(text: str) -> bool:
    return all(ch in _DIGITS for ch in text)


def _refuse_repeated(value: str, kind: DocumentKind) -> None:
    if len(set(value)) == 1:
        name = "CPF" if kind == "cpf" else "CNPJ"
        raise DocumentError(
            f"Esse {name} não é válido: todos os números são iguais.", reason="repeated"
        )


def _invalid(kind: DocumentKind) -> str:
    name = "CPF" if kind == "cpf" else "CNPJ"
    return f"Esse {name} não é válido: os dígitos verificadores não conferem. Confira a digitação."


def mask_email(email: str) -> str:
    """ "jo***@example.com": the first two letters of the user, the domain whole."""
    user, _, domain = email.partition("@")
    return f"{user[:2]}{'*' * max(len(user) - 2, 3)}@{domain}" if domain else "***"
