"""Pix BR Code ("Pix Copia e Cola"): build and parse the EMV QRCPS-MPM payload.

Rules from the BCB *Manual do BR Code* and *Manual de Padrões para Iniciação do Pix* (summarised in
the team's reference notes, section 1). Every data object is ``ID(2) + LEN(2, 01-99) + VALUE``;
``00`` comes first and the CRC ``63`` last, computed with CRC-16/CCITT-FALSE over everything up to
and including ``6304``. The builder only emits ASCII, so characters and bytes agree.

Pure: no I/O. Errors are ``BrCodeError`` (a ``ValueError``) with a pt-BR message.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

PIX_GUI = "br.gov.bcb.pix"
NO_TXID = "***"

_MAX_KEY = 77
_MAX_DESCRIPTION = 72
_MAX_URL = 77
_MAX_NAME = 25
_MAX_CITY = 15
_MAX_TXID = 25
_AMOUNT_LIMIT = Decimal("10000000000")  # 13 characters: 9999999999.99
_CENT = Decimal("0.01")

_STATIC_TXID = re.compile(r"[A-Za-z0-9]{1,25}")
_VISIBLE_ASCII = re.compile(r"[!-~]+")
_AMOUNT_TEXT = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_CEP = re.compile(r"[0-9]{5}-?[0-9]{3}")
_FORMATTED_DOCUMENT = re.compile(
    r"[0-9]{3}\.[0-9]{3}\.[0-9]{3}-[0-9]{2}|[0-9A-Z]{2}\.[0-9A-Z]{3}\.[0-9A-Z]{3}/[0-9A-Z]{4}-[0-9]{2}"
)
_MANDATORY = {"52": "categoria", "53": "moeda", "58": "país", "59": "nome", "60": "cidade"}


class BrCodeError(ValueError):
    """Invalid input for a BR Code, or a payload that is malformed or fails its CRC."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True, kw_only=True)
class BrCode:
    """What goes into a BR Code.

    A static code has a ``key`` (and no ``url``); a dynamic one has the ``url`` of its payload
    location, without ``https://``, and ``key=""``. ``description`` is for static codes only.
    """

    key: str
    merchant_name: str
    merchant_city: str
    amount: Decimal | None
    txid: str = NO_TXID
    description: str | None = None
    url: str | None = None
    point_of_initiation_unique: bool = False
    postal_code: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedBrCode:
    """A payload read back. ``tags`` holds the raw top-level data objects, in payload order."""

    key: str | None
    merchant_name: str
    merchant_city: str
    amount: Decimal | None
    txid: str
    description: str | None
    url: str | None
    postal_code: str | None
    point_of_initiation_unique: bool
    recurrence_url: str | None
    crc: str
    tags: Mapping[str, str]

    @property
    def is_dynamic(self) -> bool:
        return self.url is not None


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final xor."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def brcode_crc(payload_through_6304: str) -> str:
    """The value of field 63: 4 upper-case hex digits over the payload up to and with ``6304``."""
    return f"{crc16_ccitt_false(payload_through_6304.encode('utf-8')):04X}"


# -- building ------------------------------------------------------------------------------------


def build_brcode(code: BrCode) -> str:
    """The copia-e-cola text for ``code``; raises ``BrCodeError`` for invalid input."""
    parts = [_tlv("00", "01")]
    if code.point_of_initiation_unique:
        parts.append(_tlv("01", "12"))
    parts.append(_merchant_account(code))
    parts += [_tlv("52", "0000"), _tlv("53", "986")]
    if code.amount is not None:
        parts.append(_tlv("54", _format_amount(code.amount)))
    parts.append(_tlv("58", "BR"))
    parts.append(_tlv("59", _plain_text(code.merchant_name, "nome do recebedor", _MAX_NAME)))
    parts.append(_tlv("60", _plain_text(code.merchant_city, "cidade", _MAX_CITY)))
    if code.postal_code is not None:
        parts.append(_tlv("61", _postal_code(code.postal_code)))
    parts.append(_tlv("62", _tlv("05", _txid(code.txid, dynamic=code.url is not None))))
    body = "".join(parts) + "6304"
    return body + brcode_crc(body)


def _tlv(tag: str, value: str) -> str:
    if not value:
        raise BrCodeError(f"O campo {tag} do BR Code não pode ficar vazio.")
    if len(value) > 99:
        raise BrCodeError(f"O campo {tag} do BR Code ficou com {len(value)} caracteres; máximo 99.")
    return f"{tag}{len(value):02d}{value}"


def _merchant_account(code: BrCode) -> str:
    inner = [_tlv("00", PIX_GUI)]
    if code.url is None:
        inner.append(_tlv("01", _key(code.key)))
        if code.description is not None:
            text = _plain_text(code.description, "descrição", _MAX_DESCRIPTION)
            inner.append(_tlv("02", text))
    else:
        if code.key.strip():
            raise BrCodeError("Use a chave Pix (QR estático) ou a URL (QR dinâmico), não as duas.")
        if code.description is not None:
            raise BrCodeError(
                "A descrição só vale em QR estático; no dinâmico, ela vai na cobrança."
            )
        inner.append(_tlv("25", _url(code.url)))
    value = "".join(inner)
    if len(value) > 99:
        raise BrCodeError(
            f"Chave e descrição juntas passam do limite do campo 26 ({len(value)} de 99 "
            "caracteres). Encurte a descrição."
        )
    return _tlv("26", value)


def _key(raw: str) -> str:
    key = _token(raw, "A chave Pix", _MAX_KEY)
    if _FORMATTED_DOCUMENT.fullmatch(key):
        raise BrCodeError("Chave CPF ou CNPJ vai sem pontos, barra ou hífen (ex.: 12345678909).")
    return key


def _url(raw: str) -> str:
    url = _token(raw, "A URL do QR dinâmico", _MAX_URL)
    if url.lower().startswith(("http://", "https://")):
        raise BrCodeError("A URL do QR dinâmico vai sem 'https://' (ex.: pix.exemplo.com/v2/...).")
    return url


def _token(raw: str, label: str, limit: int) -> str:
    """Printable ASCII without spaces, 1 to ``limit`` characters (surrounding blanks dropped)."""
    token = raw.strip()
    if not token:
        raise BrCodeError(f"{label} não pode ficar vazia.")
    if len(token) > limit:
        raise BrCodeError(f"{label} tem {len(token)} caracteres; o máximo é {limit}.")
    if not _VISIBLE_ASCII.fullmatch(token):
        raise BrCodeError(f"{label} só pode ter caracteres ASCII, sem espaços nem acentos.")
    return token


def _plain_text(raw: str, label: str, limit: int) -> str:
    """Accents stripped, spaces collapsed, printable ASCII only; case is kept."""
    decomposed = unicodedata.normalize("NFKD", raw)
    text = " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())
    if not text:
        raise BrCodeError(f"O campo {label} não pode ficar vazio.")
    bad = "".join(sorted({ch for ch in text if not " " <= ch <= "~"}))
    if bad:
        raise BrCodeError(f"O campo {label} tem caracteres não permitidos: {bad}")
    if len(text) > limit:
        raise BrCodeError(f"O campo {label} tem {len(text)} caracteres; o máximo é {limit}.")
    return text


def _format_amount(amount: Decimal) -> str:
    if not isinstance(amount, Decimal):
        raise BrCodeError("O valor precisa ser um Decimal (nunca float).")
    if not amount.is_finite():
        raise BrCodeError("O valor não é um número.")
    if amount <= 0:
        raise BrCodeError("O valor deve ser maior que zero; para valor livre, não informe o valor.")
    if amount >= _AMOUNT_LIMIT:
        raise BrCodeError("O valor passa do máximo do BR Code (R$ 9.999.999.999,99).")
    cents = amount.quantize(_CENT)
    if cents != amount:
        raise BrCodeError("O valor tem mais de 2 casas decimais.")
    return f"{cents:f}"


def _postal_code(raw: str) -> str:
    cep = raw.strip()
    if not _CEP.fullmatch(cep):
        raise BrCodeError("O CEP deve ter 8 dígitos (ex.: 70074900 ou 70074-900).")
    return cep.replace("-", "")


def _txid(raw: str, *, dynamic: bool) -> str:
    txid = raw.strip()
    if txid == NO_TXID:
        return txid
    if dynamic:
        # The payer's app ignores 62-05 in a dynamic code (the official example holds a "-").
        if _VISIBLE_ASCII.fullmatch(txid) and len(txid) <= _MAX_TXID:
            return txid
        raise BrCodeError("O txid do QR dinâmico deve ser '***' ou ter até 25 caracteres ASCII.")
    if not _STATIC_TXID.fullmatch(txid):
        raise BrCodeError(
            "O txid de um QR estático tem de 1 a 25 letras ou números (sem acentos, espaços ou "
            "símbolos), ou é '***'."
        )
    return txid


# -- parsing -------------------------------------------------------------------------------------


def parse_brcode(payload: str) -> ParsedBrCode:
    """Check the CRC, then read the data objects; raises ``BrCodeError`` if anything is wrong."""
    text = payload.strip()
    if len(text) < 8 or text[-8:-4] != "6304":
        raise BrCodeError("CRC inválido: o BR Code deve terminar no campo 63 (6304 + 4 dígitos).")
    given, expected = text[-4:], brcode_crc(text[:-4])
    if given != expected:
        raise BrCodeError(
            f"CRC inválido: o código traz {given}, mas o conteúdo dá {expected}. "
            "O texto foi copiado incompleto ou alterado."
        )
    tags = _read_tlv(text, "BR Code")
    order = list(tags)
    if order[0] != "00" or tags["00"] != "01":
        raise BrCodeError("BR Code malformado: o primeiro campo deve ser 000201.")
    if order[-1] != "63":
        raise BrCodeError("BR Code malformado: o campo 63 (CRC) deve ser o último.")
    for tag, name in _MANDATORY.items():
        if tag not in tags:
            raise BrCodeError(f"BR Code incompleto: falta o campo {tag} ({name}).")
    account = _pix_template(tags, range(26, 52))
    if account is None:
        raise BrCodeError("Este BR Code não é Pix: falta a conta com o GUI br.gov.bcb.pix.")
    additional = _read_tlv(tags["62"], "campo 62") if "62" in tags else {}
    if "05" not in additional:
        raise BrCodeError("BR Code incompleto: falta o txid (campo 62, subcampo 05).")
    recurrence = _pix_template(tags, range(80, 100))
    return ParsedBrCode(
        key=account.get("01"),
        merchant_name=tags["59"],
        merchant_city=tags["60"],
        amount=_parse_amount(tags["54"]) if "54" in tags else None,
        txid=additional["05"],
        description=account.get("02"),
        url=account.get("25"),
        postal_code=tags.get("61"),
        point_of_initiation_unique=tags.get("01") == "12",
        recurrence_url=recurrence.get("25") if recurrence else None,
        crc=given,
        tags=tags,
    )


def _read_tlv(data: str, where: str) -> dict[str, str]:
    objects: dict[str, str] = {}
    pos = 0
    while pos < len(data):
        head = data[pos : pos + 4]
        if len(head) < 4 or not (head.isascii() and head.isdigit()):
            raise BrCodeError(f"BR Code malformado: cabeçalho inválido em {where}, posição {pos}.")
        tag, length = head[:2], int(head[2:])
        value = data[pos + 4 : pos + 4 + length]
        if length == 0 or len(value) < length:
            raise BrCodeError(f"BR Code malformado: tamanho inválido no campo {tag} ({where}).")
        if tag in objects:
            raise BrCodeError(f"BR Code malformado: campo {tag} repetido ({where}).")
        objects[tag] = value
        pos += 4 + length
    if not objects:
        raise BrCodeError(f"BR Code malformado: {where} está vazio.")
    return objects


def _pix_template(tags: Mapping[str, str], ids: range) -> dict[str, str] | None:
    for tag in (f"{n:02d}" for n in ids):
        if tag in tags:
            inner = _read_tlv(tags[tag], f"campo {tag}")
            if inner.get("00", "").lower() == PIX_GUI:
                return inner
    return None


def _parse_amount(text: str) -> Decimal:
    if not _AMOUNT_TEXT.fullmatch(text):
        raise BrCodeError(f"BR Code malformado: valor inválido no campo 54 ({text!r}).")
    return Decimal(text)
