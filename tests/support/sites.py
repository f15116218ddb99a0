"""Real local web sites for the site checks' tests: one small app that answers by ``Host``,
served over HTTP and over HTTPS with several certificates (valid, expired, not yet valid, of
another name, self-signed), each HTTPS server on its own port of 127.0.0.1.

``Sites.connect_to()`` maps every test name's port 80 and 443 to the right local server, as
curl's ``--connect-to`` would, so the adapters see ``https://expirado.test/`` and reach 127.0.0.1.

Names (all under ``.test``): ``ok`` and ``www.ok`` (200); ``lento`` (200 after ``SLOW`` s);
``parado`` (answers after 8 s: never within a test's timeouts); ``erro`` (500); ``limite``
(508); ``proibido`` (403); ``redir`` (HTTP → HTTPS → ``www.redir`` → 200); ``loop``
(redirects to itself); ``fora`` (redirects to another site); ``expirado``, ``futuro``,
``errado`` and ``auto`` (200, with a bad certificate each).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from tests.fakes.serving import BackgroundServer

SLOW = 1.2
VALID_NAMES = ("ok", "www.ok", "lento", "parado", "erro", "limite", "proibido")
VALID_NAMES += ("redir", "www.redir", "loop", "fora")
BAD = ("expirado", "futuro", "errado", "auto")


async def _home(request: Request) -> Response:
    host = request.headers.get("host", "").split(":")[0].removesuffix(".test")
    scheme = request.url.scheme
    if host == "lento":
        await asyncio.sleep(SLOW)
    elif host == "parado":  # until the client gives up (or 8 s)
        for _ in range(160):
            if await request.is_disconnected():
                return PlainTextResponse("tarde demais")
            await asyncio.sleep(0.05)
    elif host == "erro":
        return PlainTextResponse("Internal Server Error", status_code=500)
    elif host == "limite":
        return PlainTextResponse("Resource Limit Is Reached", status_code=508)
    elif host == "proibido":
        return PlainTextResponse("Forbidden", status_code=403)
    elif host == "redir":
        target = "https://www.redir.test/" if scheme == "https" else "https://redir.test/"
        return RedirectResponse(target, status_code=301)
    elif host == "loop":
        return RedirectResponse(f"{scheme}://loop.test/", status_code=302)
    elif host == "fora":
        return RedirectResponse("https://outro-lugar.example/promo", status_code=301)
    return PlainTextResponse(f"site {host} no ar")


def site_app() -> Starlette:
    return Starlette(routes=[Route("/", _home)])


class SiteServer(BackgroundServer):
    label = "a local site"

    def __init__(self, files: tuple[Path, Path] | None = None) -> None:
        super().__init__()
        self._files = files

    def app(self) -> ASGIApp:
        return site_app()

    def server_options(self) -> dict[str, Any]:
        if self._files is None:
            return {}
        key, cert = self._files
        return {"ssl_keyfile": str(key), "ssl_certfile": str(cert)}


@dataclass
class Sites:
    ca: trustme.CA
    http: SiteServer
    https: dict[str, SiteServer]
    """By certificate: ``valid``, and each name of ``BAD``."""
    closed_port: int

    def connect_to(self) -> dict[str, str]:
        routes = {}
        for name in (*VALID_NAMES, *BAD):
            routes[f"{name}.test:80"] = f"127.0.0.1:{self.http.port}"
            server = self.https[name if name in BAD else "valid"]
            routes[f"{name}.test:443"] = f"127.0.0.1:{server.port}"
        routes["recusado.test:80"] = f"127.0.0.1:{self.closed_port}"
        routes["recusado.test:443"] = f"127.0.0.1:{self.closed_port}"
        routes["semtls.test:443"] = f"127.0.0.1:{self.http.port}"  # plain HTTP on 443
        routes["semtls.test:80"] = f"127.0.0.1:{self.http.port}"
        return routes


def _write(folder: Path, name: str, key: bytes, cert: bytes) -> tuple[Path, Path]:
    key_file, cert_file = folder / f"{name}.key", folder / f"{name}.pem"
    key_file.write_bytes(key)
    cert_file.write_bytes(cert)
    return key_file, cert_file


def _leaf(ca: trustme.CA, folder: Path, name: str, *names: str, **dates: Any) -> tuple[Path, Path]:
    leaf = ca.issue_cert(*names, **dates)
    chain = b"".join(blob.bytes() for blob in leaf.cert_chain_pems)
    return _write(folder, name, leaf.private_key_pem.bytes(), chain)


def _self_signed(folder: Path, host: str) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=90))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return _write(folder, "auto", key_pem, cert.public_bytes(serialization.Encoding.PEM))


@contextlib.contextmanager
def local_sites(folder: Path, closed_port: int) -> Iterator[Sites]:
    ca = trustme.CA()
    now = datetime.now(UTC)
    files = {
        "valid": _leaf(ca, folder, "valid", *(f"{n}.test" for n in VALID_NAMES)),
        "expirado": _leaf(
            ca,
            folder,
            "expirado",
            "expirado.test",
            not_before=now - timedelta(days=90),
            not_after=now - timedelta(days=2),
        ),
        "futuro": _leaf(ca, folder, "futuro", "futuro.test", not_before=now + timedelta(days=3)),
        "errado": _leaf(ca, folder, "errado", "outro-site.test"),
        "auto": _self_signed(folder, "auto.test"),
    }
    servers = {name: SiteServer(pair) for name, pair in files.items()}
    plain = SiteServer()
    with contextlib.ExitStack() as stack:
        stack.enter_context(plain)
        for server in servers.values():
            stack.enter_context(server)
        yield Sites(ca=ca, http=plain, https=servers, closed_port=closed_port)
