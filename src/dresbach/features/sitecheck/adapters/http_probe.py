"""The HTTP probe adapter, with httpx: the home page over HTTPS or HTTP, its status code, the
time it took and where it redirects.

* One probe has ``timeout`` seconds in all (redirects included); when they run out the answer is
  ``timeout``, a fact about the site.
* Redirects are followed by hand, up to ``max_redirects``, and only within the site (the domain
  and its ``www``, either scheme); a redirect to another site is recorded as ``left_to`` and not
  followed; more than ``max_redirects`` is a loop (``too_many_redirects``).
* The certificate is not judged here (``tls_inspector`` does it): the probe does not verify it,
  so that a site with a bad certificate still shows its status code. Nothing is sent but a GET
  of ``/``, and the body is read only up to ``max_body`` bytes.
* A refused connection, a failed TLS handshake and any other transport failure are outcomes
  (``refused``, ``tls_failed``, ``unreachable``), never exceptions.
* ``connect_to`` (curl's ``--connect-to``) sends a host:port to another address, keeping the
  site's name in the ``Host`` header and in TLS SNI: tests serve a site's name from 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Mapping

import httpx

from dresbach.features.sitecheck.adapters.connect_to import ConnectTo, connect_target
from dresbach.features.sitecheck.ports import Scheme
from dresbach.features.sitecheck.results import HttpAnswer, HttpOutcome

__all__ = ["HttpxProbe"]

USER_AGENT = "DresbachSiteCheck/1.0 (+https://dresbach.com.br)"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class _Stop(Exception):
    def __init__(self, outcome: HttpOutcome, detail: str) -> None:
        super().__init__(detail)
        self.outcome = outcome
        self.detail = detail


class HttpxProbe:
    """The ``HttpProbe`` port over httpx. Call ``aclose()`` at shutdown."""

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        max_redirects: int = 5,
        max_body: int = 256 * 1024,
        connect_to: ConnectTo | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._timeout = timeout
        self._max_redirects = max_redirects
        self._max_body = max_body
        self._connect_to: Mapping[str, str] = dict(connect_to or {})
        self._client = httpx.AsyncClient(
            verify=False,  # noqa: S501 - only a status code is read; tls_inspector judges trust
            follow_redirects=False,
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*"},
            transport=transport,
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    async def home_page(self, domain: str, scheme: Scheme) -> HttpAnswer:
        site = domain.strip().rstrip(".").lower()
        url = f"{scheme}://{site}/"
        started = time.perf_counter()
        redirects: list[str] = []
        try:
            async with asyncio.timeout(self._timeout):
                return await self._follow(url, site, started, redirects)
        except TimeoutError:
            return HttpAnswer(
                url=url, outcome="timeout", seconds=self._timeout, redirects=tuple(redirects)
            )

    async def _follow(
        self, url: str, site: str, started: float, redirects: list[str]
    ) -> HttpAnswer:
        current = httpx.URL(url)
        status = 0
        for _ in range(self._max_redirects + 1):
            try:
                status, location = await self._get(current)
            except _Stop as stop:
                return HttpAnswer(
                    url=url,
                    outcome=stop.outcome,
                    seconds=time.perf_counter() - started,
                    redirects=tuple(redirects),
                    detail=stop.detail,
                )
            if status not in _REDIRECTS or not location:
                break
            try:
                target = current.join(location)
            except httpx.InvalidURL:
                break
            redirects.append(str(target))
            if not _within(target, site):
                return _answer(url, status, started, redirects, left_to=str(target))
            current = target
        else:
            return HttpAnswer(
                url=url,
                outcome="too_many_redirects",
                status=status,
                seconds=time.perf_counter() - started,
                redirects=tuple(redirects),
            )
        return _answer(url, status, started, redirects)

    async def _get(self, url: httpx.URL) -> tuple[int, str | None]:
        port = url.port or (443 if url.scheme == "https" else 80)
        target = connect_target(self._connect_to, url.host, port)
        headers: dict[str, str] = {}
        extensions: dict[str, str] = {}
        if target is not None:
            headers["Host"] = url.host if url.port is None else f"{url.host}:{url.port}"
            if url.scheme == "https":
                extensions["sni_hostname"] = url.host
            url = url.copy_with(host=target[0], port=target[1])
        try:
            request = self._client.build_request("GET", url, headers=headers)
            request.extensions.update(extensions)
            response = await self._client.send(request, stream=True)
            try:
                read = 0
                async for chunk in response.aiter_raw():
                    read += len(chunk)
                    if read >= self._max_body:
                        break
            finally:
                await response.aclose()
        except httpx.TimeoutException as error:
            raise _Stop("timeout", type(error).__name__) from error
        except httpx.TransportError as error:
            raise _classify(error) from error
        return response.status_code, response.headers.get("location")


def _answer(
    url: str, status: int, started: float, redirects: list[str], *, left_to: str | None = None
) -> HttpAnswer:
    return HttpAnswer(
        url=url,
        outcome="answered",
        status=status,
        seconds=time.perf_counter() - started,
        redirects=tuple(redirects),
        left_to=left_to,
    )


def _within(target: httpx.URL, site: str) -> bool:
    host = target.host.lower().rstrip(".")
    bare = site.removeprefix("www.")
    return target.scheme in ("http", "https") and host in (bare, f"www.{bare}")


def _classify(error: httpx.TransportError) -> _Stop:
    """What a transport failure means for the site."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ConnectionRefusedError):
            return _Stop("refused", "connection refused")
        if isinstance(seen, ssl.SSLError):
            return _Stop("tls_failed", seen.reason or type(seen).__name__)
        seen = seen.__cause__ or seen.__context__
    text = str(error)
    if "refused" in text.lower() or "Errno 111" in text:
        return _Stop("refused", "connection refused")
    if "SSL" in text or "TLS" in text:
        return _Stop("tls_failed", text[:200])
    return _Stop("unreachable", text[:200] or type(error).__name__)
