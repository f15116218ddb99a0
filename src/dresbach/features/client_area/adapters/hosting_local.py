"""The embedded hosting panel: demo access links and DNS records from our own data.

It needs no WHM. ``access_link`` never logs anyone in: it answers ``{base_url}/demo/{kind}/
{username}`` (with ``?mailbox=`` for one mailbox's Webmail), valid for 15 minutes from
``clock()``, and always ``demo=True``, so no flow can mistake it for a real login. The username
and mailbox are URL-quoted. ``dns_records`` asks the injected ``records`` lookup (for example a
query on our database); without one there are no records.

Errors: an unknown kind, an empty username or a mailbox outside Webmail → ``PermanentError``;
so is ``edit_record``: the demo's records are read-only.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Final
from urllib.parse import quote

from dresbach.features.client_area.hosting import AccessKind, AccessLink, DnsRecord
from dresbach.kernel.errors import PermanentError

__all__ = ["LocalPanel"]

DEMO_LINK_TTL: Final = timedelta(minutes=15)
_KINDS: Final = frozenset({"cpanel", "webmail", "whm"})

RecordsLookup = Callable[[str], Awaitable[list[DnsRecord]]]


class LocalPanel:
    """The ``HostingPanel`` port without WHM: demo links, clearly marked, and local records."""

    def __init__(
        self,
        *,
        base_url: str,
        clock: Callable[[], datetime],
        records: RecordsLookup | None = None,
    ) -> None:
        self._base = base_url.rstrip("/")
        self._clock = clock
        self._records = records

    async def access_link(
        self,
        username: str,
        kind: AccessKind,
        *,
        mailbox: str | None = None,
        server: str | None = None,
        hostname: str | None = None,
    ) -> AccessLink:
        """``server`` and ``hostname`` are ignored: this panel is one server."""
        if kind not in _KINDS:
            raise PermanentError(f"local panel: unknown access kind {kind!r}")
        if not username.strip():
            raise PermanentError("local panel: the username is empty")
        url = f"{self._base}/demo/{kind}/{quote(username.strip(), safe='')}"
        if mailbox is not None:
            if kind != "webmail":
                raise PermanentError("local panel: a mailbox only opens Webmail")
            url += f"?mailbox={quote(mailbox.strip().lower(), safe='@')}"
        return AccessLink(url=url, expires_at=self._clock() + DEMO_LINK_TTL, demo=True)

    async def dns_records(
        self, domain: str, *, server: str | None = None, hostname: str | None = None
    ) -> list[DnsRecord]:
        if self._records is None:
            return []
        return list(await self._records(domain.strip().rstrip(".").lower()))

    async def edit_record(
        self,
        domain: str,
        before: DnsRecord | None,
        after: DnsRecord | None,
        *,
        server: str | None = None,
        hostname: str | None = None,
    ) -> None:
        """The demo's records are read-only: editing DNS needs WHM."""
        raise PermanentError("local panel: DNS records are edited only through WHM")
