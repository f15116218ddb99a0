"""Many WHM servers: their credentials in the ``whm_servers`` table (``dresbach servers
add/list/remove``), and the ``HostingPanel`` port routed to the server of each service.

* A server is keyed by its id in WHMCS (``GetClientsProducts`` ``serverid``), with its hostname
  (``serverhostname``), the WHM URL (``https://<host>:2087``), the WHM user and API token. The
  token is sealed at rest and shown only masked (``****`` and its last four characters).
* Routing (:meth:`ServerPanels.panel_for`): with the table empty, every account goes to the
  single server of ``WHM_URL`` (the settings of one server, as before). With servers in the
  table, a service goes to the one of its ``serverid``, else to the one of its hostname; a
  service that names a server we hold no credentials for is refused (``PermanentError``), never
  sent to another server, where the same cPanel username may be someone else's account. A
  service that names no server goes to ``WHM_URL``, or to the only server of the table.
* Each server has its own :class:`WhmPanel` (its own connection pool), made on first use and
  made again when its credentials change.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Final
from urllib.parse import urlsplit

import httpx
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from dresbach.features.client_area.adapters.whm import WhmPanel
from dresbach.features.client_area.hosting import AccessKind, AccessLink, AccountSummary, DnsRecord
from dresbach.kernel.errors import PermanentError
from dresbach.platform.store.schema import whm_servers
from dresbach.platform.store.sealing import Sealer

__all__ = ["ServerPanels", "ServerStore", "WhmServer", "mask_token"]

DEFAULT_ID: Final = "default"
"""The id under which the server of ``WHM_URL`` is kept among the panels."""


@dataclass(frozen=True, slots=True, kw_only=True)
class WhmServer:
    """One WHM server and how to reach it; ``token`` is in clear, in memory only."""

    server_id: str
    hostname: str
    url: str
    username: str
    token: str

    def __repr__(self) -> str:  # never a token in a log line or a traceback
        return f"WhmServer(server_id={self.server_id!r}, hostname={self.hostname!r})"

    @property
    def masked_token(self) -> str:
        return mask_token(self.token)


def mask_token(token: str) -> str:
    """``****`` and the last four characters of a long token; only ``****`` of a short one."""
    return f"****{token[-4:]}" if len(token) >= 16 else "****"


def hostname_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class ServerStore:
    """The ``whm_servers`` table, read and written synchronously (the CLI, the doctor, the
    panels through ``Database.run``)."""

    def __init__(self, engine: Engine, sealer: Sealer) -> None:
        self.engine, self.sealer = engine, sealer

    def add(self, server: WhmServer, *, now: datetime) -> bool:
        """Keep ``server``, replacing the one with its id: True when one was replaced."""
        if not server.server_id.strip() or not server.token.strip():
            raise ValueError("a server needs its WHMCS id and a WHM API token")
        if urlsplit(server.url).scheme not in ("https", "http") or not hostname_of(server.url):
            raise ValueError("the WHM URL must be like https://servidor:2087")
        row = {
            "server_id": server.server_id.strip(),
            "hostname": (server.hostname or hostname_of(server.url)).strip().lower(),
            "url": server.url.strip().rstrip("/"),
            "username": server.username.strip() or "root",
            "token_sealed": self.sealer.seal(server.token.strip()),
            "added_at": now,
        }
        with self.engine.begin() as connection:
            gone = connection.execute(
                delete(whm_servers).where(whm_servers.c.server_id == row["server_id"])
            ).rowcount
            connection.execute(whm_servers.insert().values(**row))
        return bool(gone)

    def remove(self, server_id: str) -> bool:
        with self.engine.begin() as connection:
            gone = connection.execute(
                delete(whm_servers).where(whm_servers.c.server_id == server_id.strip())
            ).rowcount
        return bool(gone)

    def servers(self) -> list[WhmServer]:
        """Every server, its token opened (in memory only)."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(whm_servers).order_by(whm_servers.c.server_id))
            return [
                WhmServer(
                    server_id=row.server_id,
                    hostname=row.hostname,
                    url=row.url,
                    username=row.username,
                    token=self.sealer.open(row.token_sealed),
                )
                for row in rows
            ]


ServersLookup = Callable[[], Awaitable[list[WhmServer]]]


class ServerPanels:
    """The ``HostingPanel`` port over many WHM servers (see the module's docstring). Call
    ``aclose()`` at shutdown."""

    def __init__(
        self,
        *,
        servers: ServersLookup,
        default: WhmServer | None,
        clock: Callable[[], datetime],
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._servers, self._default, self._clock = servers, default, clock
        self._transport = transport
        self._panels: dict[str, tuple[WhmServer, WhmPanel]] = {}

    async def aclose(self) -> None:
        for _, panel in self._panels.values():
            await panel.aclose()
        self._panels.clear()

    async def server_for(self, server: str | None, hostname: str | None = None) -> WhmServer:
        """The server that hosts an account WHMCS places on ``server`` (its id) / ``hostname``."""
        known = await self._servers()
        if not known:
            if self._default is None:
                raise PermanentError("WHM: no server configured (WHM_URL or dresbach servers)")
            return self._default
        host = (hostname or "").strip().lower()
        for candidate in known:
            if server is not None and candidate.server_id == server:
                return candidate
        for candidate in known:
            if host and candidate.hostname == host:
                return candidate
        if self._default is not None and (
            (server is None and not host) or (host and hostname_of(self._default.url) == host)
        ):
            return self._default
        if server is None and not host and len(known) == 1:
            return known[0]
        raise PermanentError(f"WHM: no credentials for the server {server or host or '?'}")

    async def panel_for(self, server: str | None, hostname: str | None = None) -> WhmPanel:
        """The WHM API of that server: ``account_summary`` for the site checks, and the rest."""
        chosen = await self.server_for(server, hostname)
        key = chosen.server_id if chosen is not self._default else DEFAULT_ID
        held = self._panels.get(key)
        if held is not None and held[0] == chosen:
            return held[1]
        panel = WhmPanel(
            url=chosen.url,
            user=chosen.username,
            token=chosen.token,
            clock=self._clock,
            transport=self._transport,
        )
        self._panels[key] = (chosen, panel)
        if held is not None:
            await held[1].aclose()
        return panel

    # ---- the port ------------------------------------------------------------------------------

    async def access_link(
        self,
        username: str,
        kind: AccessKind,
        *,
        mailbox: str | None = None,
        server: str | None = None,
        hostname: str | None = None,
    ) -> AccessLink:
        panel = await self.panel_for(server, hostname)
        return await panel.access_link(username, kind, mailbox=mailbox)

    async def dns_records(
        self, domain: str, *, server: str | None = None, hostname: str | None = None
    ) -> list[DnsRecord]:
        panel = await self.panel_for(server, hostname)
        return await panel.dns_records(domain)

    async def edit_record(
        self,
        domain: str,
        before: DnsRecord | None,
        after: DnsRecord | None,
        *,
        server: str | None = None,
        hostname: str | None = None,
    ) -> None:
        panel = await self.panel_for(server, hostname)
        await panel.edit_record(domain, before, after)

    async def account_summary(
        self, username: str, *, server: str | None = None, hostname: str | None = None
    ) -> AccountSummary:
        panel = await self.panel_for(server, hostname)
        return await panel.account_summary(username)
