"""Personal data and secrets masked out of free text: the safety net under every log line.

The code never means to log a CPF, a phone number or a token; this catches the one that slips
through (an exception message, an adapter's error text, a payload in a debug line):

* CPF and CNPJ, numeric or alphanumeric: any formatted one (`529.982.247-25`,
  `12.ABC.345/01DE-35`), and a bare one whose check digits hold, become the house's masked form
  (`***.982.247-**`, `**.***.***/01DE-**`);
* other runs of 10 to 20 digits (phone numbers, wa_ids, BSUID digits) and formatted Brazilian
  phones (`+55 (11) 98765-4321`) keep their first and last four digits, like
  `audit.mask_key` (`5511*****0001`);
* e-mail addresses keep the first character of the mailbox and of the domain
  (`m***@e***.com.br`);
* CPF, CNPJ and card numbers typed with spaces or other separators (`529 982 247 25`,
  `4111 1111 1111 1111`), whose check digits (or Luhn digit) hold, are masked too
  (`mask_documents`, which is also what every inbound text goes through before it is kept);
* wamids (they encode the sender's phone number) become `wamid.***`;
* credentials: the password in a URL (`postgresql://user:…@host`), `Bearer …`, `Basic …`,
  `whm user:…`, Meta tokens (`EAA…`), and the value after
  `token=`, `secret:`, `password=`, `api_access_token: …` and the like;
* and, exactly, every secret value the settings hold (`known`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Final

from dresbach.kernel.documents import is_valid_cnpj, is_valid_cpf, normalize_document

MASK: Final = "***"
REDACTED: Final = "[conteúdo protegido não armazenado]"
"""What the inbox keeps of a text typed in a sensitive state or window (a password, a code)."""

_CREDENTIAL_SCHEME: Final = re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=:-]{4,}", re.I)
_WHM_AUTHORIZATION: Final = re.compile(r"\b(whm)\s+[A-Za-z0-9_.-]+:[A-Za-z0-9]+")
_CREDENTIAL_VALUE: Final = re.compile(
    r"(\b(?:access_token|api_access_token|client_secret|app_secret|secret|password2?|passwd|"
    r"token|api_?key|authorization|verify_token)\b[\"']?\s*[:=]\s*[\"']?)([^\s\"'&,;}]+)",
    re.I,
)
_URL_PASSWORD: Final = re.compile(r"(://[^:/\s@]+:)[^@\s/]+@")
_META_TOKEN: Final = re.compile(r"\bEAA[A-Za-z0-9]{16,}")
_WAMID: Final = re.compile(r"\bwamid\.[A-Za-z0-9_=+/-]{6,}")
_EMAIL: Final = re.compile(r"([A-Za-z0-9._%+-]+)@([A-Za-z0-9-]+)((?:\.[A-Za-z0-9-]+)+)")
_CNPJ_FORMATTED: Final = re.compile(
    r"(?<![A-Za-z0-9])[0-9A-Za-z]{2}\.?[0-9A-Za-z]{3}\.?[0-9A-Za-z]{3}/[0-9A-Za-z]{4}-?\d{2}"
    r"(?![A-Za-z0-9])"
)
_CPF_FORMATTED: Final = re.compile(r"(?<![\w.])\d{3}\.?\d{3}\.?\d{3}-\d{2}(?![\w])")
_PHONE_FORMATTED: Final = re.compile(
    r"(?<![\w+])(?:\+?55[\s.-]?)?\(?\d{2}\)?[\s.-]?9?\d{4}[\s.-]\d{4}(?![\w])"
)
_ALNUM_14: Final = re.compile(r"(?<![A-Za-z0-9])[0-9A-Z]{12}\d{2}(?![A-Za-z0-9])")
_DIGIT_RUN: Final = re.compile(r"(?<![\w])\+?\d{10,20}(?![\w])")
_SEPARATORS: Final = re.compile(r"[^0-9A-Za-z]")
_TRIGGER: Final = re.compile(
    r"\d|@|bearer|basic|whm|eaa|wamid|token|secret|passw|api_?key|authoriz", re.I
)
_DIGIT: Final = re.compile(r"\d")
_CNPJ_SHAPED: Final = re.compile(
    r"(?<![0-9A-Za-z])[0-9A-Za-z]{2}[. ]?[0-9A-Za-z]{3}[. ]?[0-9A-Za-z]{3}[/ ]?[0-9A-Za-z]{4}"
    r"[- ]?\d{2}(?![0-9A-Za-z])"
)
_NUMBER_RUN: Final = re.compile(r"(?<![0-9])\d+(?:[ .\-/]\d+)*(?![0-9])")
_GROUP: Final = re.compile(r"\d+")
_CPF_SHAPE: Final = re.compile(r"\d{3}\.\d{3}\.\d{3}-\d{2}")
_CNPJ_SHAPE: Final = re.compile(r"\d{2}\.\d{3}\.\d{3}/\d{4}-\d{2}")
_CARD_SEPARATORS: Final = frozenset(" -")


def mask_digits(value: str) -> str:
    """The first and last four digits kept (`audit.mask_key`'s style), separators dropped."""
    digits = re.sub(r"\D", "", value)
    if len(digits) <= 8:
        return "*" * len(digits)
    return f"{digits[:4]}{'*' * (len(digits) - 8)}{digits[-4:]}"


def mask_cpf(value: str) -> str:
    v = re.sub(r"\D", "", value)
    return f"***.{v[3:6]}.{v[6:9]}-**"


def mask_cnpj(value: str) -> str:
    v = _SEPARATORS.sub("", value).upper()
    return f"**.***.***/{v[8:12]}-**"


def mask_email(match: re.Match[str]) -> str:
    mailbox, domain, rest = match.group(1), match.group(2), match.group(3)
    return f"{mailbox[:1]}{MASK}@{domain[:1]}{MASK}{rest}"


def _digit_run(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = text.lstrip("+")
    if len(digits) == 11 and is_valid_cpf(digits):
        return mask_cpf(digits)
    if len(digits) == 14 and is_valid_cnpj(digits):
        return mask_cnpj(digits)
    return mask_digits(text)


def _alnum_cnpj(match: re.Match[str]) -> str:
    text = match.group(0)
    return mask_cnpj(text) if not text.isdigit() and is_valid_cnpj(text) else text


def mask_card(digits: str) -> str:
    """A card number with its last four digits only (`************1111`)."""
    return "*" * (len(digits) - 4) + digits[-4:]


def is_luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _is_card(digits: str, separators: set[str]) -> bool:
    """13 to 19 digits of a card network (2 to 6 first), the Luhn digit right, grouped with
    spaces or dashes if at all."""
    return (
        13 <= len(digits) <= 19
        and digits[0] in "23456"
        and separators <= _CARD_SEPARATORS
        and is_luhn_valid(digits)
    )


def _masked_number(window: str, digits: str, *, cards: bool) -> str | None:
    """The masked form of a stretch of digit groups that is a CPF, a CNPJ or a card, else None.
    The formatted shapes (`000.000.000-00`, `00.000.000/0000-00`) are masked whatever their check
    digits say (they can only be a document, maybe mistyped); other digits only when their check
    digits hold."""
    if (len(digits) == 11 and is_valid_cpf(digits)) or _CPF_SHAPE.fullmatch(window):
        return mask_cpf(digits)
    if (len(digits) == 14 and is_valid_cnpj(digits)) or _CNPJ_SHAPE.fullmatch(window):
        return mask_cnpj(digits)
    separators = {c for c in window if not c.isdigit()}
    if cards and _is_card(digits, separators):
        return mask_card(digits)
    return None


def _mask_run(run: str, *, cards: bool) -> str:
    """Within digit groups joined by single separators (`529 982 247 25`), each shortest
    stretch of whole groups that is a document or a card is masked, from the left."""
    groups = list(_GROUP.finditer(run))
    out, done, i = [], 0, 0
    while i < len(groups):
        found = None
        for j in range(i, len(groups)):
            digits = "".join(g.group(0) for g in groups[i : j + 1])
            if len(digits) > 19:
                break
            window = run[groups[i].start() : groups[j].end()]
            masked = _masked_number(window, digits, cards=cards)
            if masked is not None:
                found = (j, masked)
                break
        if found is None:
            i += 1
            continue
        j, masked = found
        out += [run[done : groups[i].start()], masked]
        done = groups[j].end()
        i = j + 1
    out.append(run[done:])
    return "".join(out)


def _cnpj_shaped(match: re.Match[str]) -> str:
    """A 14-character CNPJ shape, alphanumeric: masked when written with its slash (a CNPJ, maybe
    mistyped), or when its check digits hold."""
    text = match.group(0)
    if "/" in text and _DIGIT.search(text[:-2]):
        return mask_cnpj(text)
    value = normalize_document(text)
    return mask_cnpj(value) if is_valid_cnpj(value) else text


def mask_documents(text: str, *, bare_cards: bool = True) -> str:
    """`text` with every CPF and CNPJ (numeric or alphanumeric, with or without punctuation or
    spaces) and every card number masked. Bare numbers are masked only when their check digits
    (Luhn for cards) hold, so ordinary numbers (amounts, dates, protocols) stay as they are.
    `bare_cards=False` leaves a card written as one run of digits to the caller (the log
    redaction keeps its first and last four digits)."""
    if _DIGIT.search(text) is None:
        return text
    text = _CNPJ_SHAPED.sub(_cnpj_shaped, text)
    return _NUMBER_RUN.sub(
        lambda m: _mask_run(m.group(0), cards=bare_cards or not m.group(0).isdigit()), text
    )


def mask_documents_in(value: Any, keep: frozenset[str] = frozenset()) -> Any:
    """`mask_documents` over every string of a JSON-like value, except under the keys in `keep`
    (ids and fields that are never typed by a person)."""
    if isinstance(value, str):
        return mask_documents(value)
    if isinstance(value, dict):
        return {k: v if k in keep else mask_documents_in(v, keep) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_documents_in(v, keep) for v in value]
    return value


def mask_secrets(text: str, known: Iterable[str] = ()) -> str:
    """`text` with the `known` secret values and anything shaped like a credential masked
    (personal data is left as it is)."""
    for secret in known:
        if secret in text:
            text = text.replace(secret, MASK)
    if _TRIGGER.search(text) is None:
        return text
    text = _CREDENTIAL_SCHEME.sub(lambda m: f"{m.group(1)} {MASK}", text)
    text = _WHM_AUTHORIZATION.sub(lambda m: f"{m.group(1)} {MASK}", text)
    text = _CREDENTIAL_VALUE.sub(lambda m: f"{m.group(1)}{MASK}", text)
    text = _URL_PASSWORD.sub(lambda m: f"{m.group(1)}{MASK}@", text)
    return _META_TOKEN.sub(f"EAA{MASK}", text)


def redact(text: str, known: Iterable[str] = ()) -> str:
    """`text` with personal data and secrets masked (see the module's docstring)."""
    text = mask_secrets(text, known)
    if _TRIGGER.search(text) is None:
        return text
    text = _WAMID.sub(f"wamid.{MASK}", text)
    if "@" in text:
        text = _EMAIL.sub(mask_email, text)
    if _DIGIT.search(text) is None:
        return text
    text = mask_documents(text, bare_cards=False)
    text = _CNPJ_FORMATTED.sub(lambda m: mask_cnpj(m.group(0)), text)
    text = _CPF_FORMATTED.sub(lambda m: mask_cpf(m.group(0)), text)
    text = _PHONE_FORMATTED.sub(lambda m: mask_digits(m.group(0)), text)
    text = _ALNUM_14.sub(_alnum_cnpj, text)
    return _DIGIT_RUN.sub(_digit_run, text)
