"""The certificate inspector: the certificate a site presents on port 443, read even when it
fails verification.

A first handshake verifies, as a browser would (the system's trust store, or ``trust`` in tests;
the site's name checked). When it fails on the certificate, OpenSSL's reason is kept and a second
handshake, with verification off, reads the certificate so that it can be judged (expired, not
yet valid, another name, self-signed): a verifying handshake never hands over a certificate it
refused. Nothing is sent over either connection; both are closed at once.

A refused connection, no answer in time, a failed handshake are outcomes, never exceptions.
``connect_to`` is curl's ``--connect-to``, as in ``http_probe``.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Mapping

from dresbach.features.sitecheck.adapters.connect_to import ConnectTo, connect_target
from dresbach.features.sitecheck.certificate import UnreadableCertificate, read_certificate
from dresbach.features.sitecheck.results import TlsResult

__all__ = ["TlsInspector"]


class TlsInspector:
    """The ``CertificateInspector`` port over the standard ``ssl`` module."""

    def __init__(
        self,
        *,
        timeout: float = 8.0,
        port: int = 443,
        trust: ssl.SSLContext | None = None,
        connect_to: ConnectTo | None = None,
    ) -> None:
        self._timeout = timeout
        self._port = port
        self._verifying = trust if trust is not None else ssl.create_default_context()
        self._reading = _reading_context()
        self._connect_to: Mapping[str, str] = dict(connect_to or {})

    async def certificate(self, domain: str) -> TlsResult:
        site = domain.strip().rstrip(".").lower()
        try:
            async with asyncio.timeout(self._timeout):
                return await self._inspect(site)
        except TimeoutError:
            return TlsResult(outcome="timeout")
        except ConnectionRefusedError:
            return TlsResult(outcome="refused", detail="connection refused")
        except ssl.SSLError as error:
            return TlsResult(outcome="handshake_failed", detail=_reason(error))
        except OSError as error:
            return TlsResult(outcome="unreachable", detail=error.strerror or type(error).__name__)

    async def _inspect(self, site: str) -> TlsResult:
        try:
            der = await self._handshake(site, self._verifying)
            trusted, verify_error = True, None
        except ssl.SSLCertVerificationError as refused:
            der = await self._handshake(site, self._reading)
            trusted, verify_error = False, refused.verify_message or _reason(refused)
        if der is None:
            return TlsResult(outcome="handshake_failed", detail="no certificate presented")
        try:
            certificate = read_certificate(der)
        except UnreadableCertificate as error:
            return TlsResult(outcome="handshake_failed", detail=f"unreadable certificate: {error}")
        return TlsResult(
            outcome="presented", certificate=certificate, trusted=trusted, verify_error=verify_error
        )

    async def _handshake(self, site: str, context: ssl.SSLContext) -> bytes | None:
        host, port = connect_target(self._connect_to, site, self._port) or (site, self._port)
        _, writer = await asyncio.open_connection(
            host, port, ssl=context, server_hostname=site, ssl_handshake_timeout=self._timeout
        )
        try:
            ssl_object = writer.get_extra_info("ssl_object")
            if not isinstance(ssl_object, ssl.SSLObject):
                return None
            return ssl_object.getpeercert(binary_form=True)
        finally:
            writer.close()
            with contextlib.suppress(OSError, ssl.SSLError):
                await writer.wait_closed()


def _reading_context() -> ssl.SSLContext:
    """A client context that accepts any certificate: only to read one already refused."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _reason(error: ssl.SSLError) -> str:
    return str(error.reason or error.strerror or type(error).__name__)
