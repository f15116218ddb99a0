"""A WHMCS client's phone as a WhatsApp number: E.164 digits without the `+`. Pure.

WHMCS keeps the country code apart (`phonecc`, `55`) from the number (`phonenumber`, written
as the client typed it: `(11) 98765-4321`, `011987654321`), and its formatted field
(`phonenumberformatted`) as `+55.11987654321`. A number that cannot be a phone is None."""

from __future__ import annotations

from typing import Final

E164_MIN: Final = 8
E164_MAX: Final = 15
NATIONAL: Final = (10, 11)
"""A Brazilian number without the country code: area code and 8 or 9 digits."""


def whatsapp_number(number: str, country_code: str = "55") -> str | None:
    """`5511987654321` for `(11) 98765-4321` with code 55; None when it is no phone."""
    raw = number.strip()
    digits = "".join(c for c in raw if c.isdigit())
    code = "".join(c for c in country_code if c.isdigit()) or "55"
    if not digits:
        return None
    if raw.startswith("+") or raw.startswith("00"):
        full = digits.removeprefix("00") if raw.startswith("00") else digits
    else:
        national = digits.lstrip("0")  # the trunk prefix (`011…`)
        if code == "55" and len(national) not in NATIONAL and national.startswith("55"):
            full = national  # the country code written in the number
        else:
            full = code + national
    if code == "55" and full.startswith("55") and len(full) - 2 not in NATIONAL:
        return None
    if not E164_MIN <= len(full) <= E164_MAX:
        return None
    return full
