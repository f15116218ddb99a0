"""The ``DomainRegistrar`` port over WHMCS's registrar functions.

* ``lock_status``: ``DomainGetLockingStatus`` (``lockstatus`` ``locked`` / ``unlocked``; any
  other answer, such as ``Unknown``, is ``None``).
* ``update_nameservers``: ``DomainUpdateNameservers`` with ``ns1``…``ns5`` (two to five).
* ``set_lock``: ``DomainUpdateLockingStatus`` with ``lockstatus`` ``1`` or ``0``.
* ``request_epp``: ``DomainRequestEPP``; its ``eppcode`` when the registrar answers it, else
  ``None`` (the registrar e-mails the registrant). The code is never logged.

Each calls the registrar live, so each may be slow or fail: WHMCS's ``result: error`` is
``WhmcsError`` (a ``PermanentError`` with the registrar's message, e.g. "Registrar Function Not
Supported"); timeouts and 5xx are ``TransientError`` (see ``whmcs_api``).
"""

from __future__ import annotations

import re
from typing import Final

import httpx

from dresbach.features.client_area.adapters.whmcs_api import WhmcsApi, as_text
from dresbach.kernel.errors import PermanentError

__all__ = ["WhmcsRegistrar"]

_ID: Final = re.compile(r"[1-9][0-9]{0,9}")


class WhmcsRegistrar:
    """Call ``aclose()`` at shutdown."""

    def __init__(
        self,
        *,
        url: str,
        identifier: str,
        secret: str,
        access_key: str | None = None,
        timeout: float = 20.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._api = WhmcsApi(
            url=url,
            identifier=identifier,
            secret=secret,
            access_key=access_key,
            timeout=timeout,
            transport=transport,
        )

    async def aclose(self) -> None:
        await self._api.aclose()

    async def lock_status(self, domain_id: str) -> bool | None:
        answer = await self._api.call("DomainGetLockingStatus", domainid=_domain_id(domain_id))
        status = as_text(answer.get("lockstatus")).lower()
        return True if status == "locked" else False if status == "unlocked" else None

    async def update_nameservers(self, domain_id: str, nameservers: tuple[str, ...]) -> None:
        if not 2 <= len(nameservers) <= 5:
            raise PermanentError("WHMCS DomainUpdateNameservers: two to five nameservers")
        given = {f"ns{n}": ns for n, ns in enumerate(nameservers, start=1)}
        await self._api.call("DomainUpdateNameservers", domainid=_domain_id(domain_id), **given)

    async def set_lock(self, domain_id: str, locked: bool) -> None:
        await self._api.call(
            "DomainUpdateLockingStatus", domainid=_domain_id(domain_id), lockstatus=int(locked)
        )

    async def request_epp(self, domain_id: str) -> str | None:
        answer = await self._api.call("DomainRequestEPP", domainid=_domain_id(domain_id))
        return as_text(answer.get("eppcode")) or None


def _domain_id(domain_id: str) -> str:
    if not _ID.fullmatch(domain_id):
        raise PermanentError(f"WHMCS: invalid domain id {domain_id!r}")
    return domain_id
