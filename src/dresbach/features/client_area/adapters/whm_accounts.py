"""WHM ``accountsummary``'s account read into :class:`AccountSummary` (see ``whm``).

Sizes come as strings with a unit (``"512M"``, ``"1.5G"``, ``"900K"``, a bare number being
megabytes) or ``"unlimited"``; inode counts as numbers or numeric strings, ``"unlimited"`` or
``0`` for no limit; ``suspended`` as 0/1 with ``suspendreason`` "not suspended" when it is not.
"""

from __future__ import annotations

import re
from typing import Any, Final

from dresbach.features.client_area.hosting import AccountSummary
from dresbach.kernel.errors import PermanentError

_SIZE: Final = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)B?\s*", re.I)
_UNITS: Final = {"K": 1 / 1024, "M": 1.0, "": 1.0, "G": 1024.0, "T": 1024.0 * 1024}


def account_summary(data: dict[str, Any], username: str) -> AccountSummary:
    """The account in ``data.acct[0]`` of an ``accountsummary`` answer."""
    accounts = data.get("acct")
    account = accounts[0] if isinstance(accounts, list) and accounts else None
    if not isinstance(account, dict):
        raise PermanentError(f"WHM accountsummary: no account {username!r} in the answer")
    used = _megabytes(account.get("diskused"))
    if used is None:
        raise PermanentError("WHM accountsummary: the answer has no disk usage")
    suspended = str(account.get("suspended", "0")).strip() not in ("0", "", "False", "false")
    reason = str(account.get("suspendreason") or "").strip()
    ipv6 = account.get("ipv6")
    return AccountSummary(
        username=str(account.get("user") or username),
        domain=str(account.get("domain") or ""),
        disk_used_mb=used,
        disk_limit_mb=_megabytes(account.get("disklimit")),
        inodes_used=_count(account.get("inodesused")),
        inodes_limit=_count(account.get("inodeslimit")) or None,
        suspended=suspended,
        suspend_reason=reason if suspended and reason.lower() != "not suspended" else None,
        ip=str(account["ip"]) if account.get("ip") else None,
        ipv6=tuple(str(a) for a in ipv6) if isinstance(ipv6, list) else (),
    )


def _megabytes(value: object) -> float | None:
    """``"512M"`` → 512.0; ``"unlimited"``, absent or unreadable → ``None`` (no limit)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, str):
        return None
    match = _SIZE.fullmatch(value)
    if match is None:
        return None
    return float(match.group(1)) * _UNITS[match.group(2).upper()]


def _count(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None
