"""WhatsApp's side of the Flows data-exchange endpoint, for tests over real HTTP.

It does what the WhatsApp client does, written apart from `flows_crypto` (other primitives of
`cryptography`), so a mistake shared by both halves cannot pass: a fresh 128-bit AES key and a
16-byte IV per request; the key encrypted with our public key (RSA-OAEP, SHA-256 for the hash and
MGF1); the request JSON encrypted with AES-GCM, the tag appended; the three fields base64 in a
JSON body signed with `X-Hub-Signature-256`. An answer with an encrypted body (200, 427) is
opened with the same key under the IV with every bit flipped.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from typing import Any

import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from tests.support.meta import APP_SECRET

SIGNED = "signed"
"""`signature=SIGNED` (the default): sign the body with the client's app secret."""


@dataclass(frozen=True)
class Sealed:
    body: bytes
    aes_key: bytes = field(repr=False)
    iv: bytes


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    text: str
    payload: dict[str, Any] | None
    """The decrypted JSON of a 200 or 427; None for the plain answers (400, 421, 432…)."""


def seal(payload: dict[str, Any], public_key: rsa.RSAPublicKey) -> Sealed:
    """A request body as WhatsApp builds it."""
    aes_key, iv = os.urandom(16), os.urandom(16)
    wrapped = public_key.encrypt(
        aes_key,
        padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None),
    )
    encryptor = Cipher(algorithms.AES(aes_key), modes.GCM(iv)).encryptor()
    data = encryptor.update(json.dumps(payload).encode()) + encryptor.finalize() + encryptor.tag
    body = json.dumps(
        {
            "encrypted_flow_data": base64.b64encode(data).decode(),
            "encrypted_aes_key": base64.b64encode(wrapped).decode(),
            "initial_vector": base64.b64encode(iv).decode(),
        }
    ).encode()
    return Sealed(body=body, aes_key=aes_key, iv=iv)


def open_answer(text: str, aes_key: bytes, iv: bytes) -> dict[str, Any]:
    """An encrypted answer, opened as WhatsApp does: AES-GCM under the flipped IV."""
    raw = base64.b64decode(text)
    flipped = bytes((~byte) & 0xFF for byte in iv)
    decryptor = Cipher(algorithms.AES(aes_key), modes.GCM(flipped, raw[-16:])).decryptor()
    opened: dict[str, Any] = json.loads(decryptor.update(raw[:-16]) + decryptor.finalize())
    return opened


def signature_of(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WhatsAppFlowsClient:
    """Posts to `{origin}/whatsapp/flows` encrypted for `public_key` (PEM or key)."""

    def __init__(
        self,
        origin: str,
        public_key: rsa.RSAPublicKey | bytes,
        *,
        app_secret: str = APP_SECRET,
        path: str = "/whatsapp/flows",
    ) -> None:
        if isinstance(public_key, bytes):
            loaded = serialization.load_pem_public_key(public_key)
            assert isinstance(loaded, rsa.RSAPublicKey)
            public_key = loaded
        self.public_key, self.app_secret, self.url = public_key, app_secret, origin + path

    def send(self, sealed: Sealed, *, signature: str | None = SIGNED) -> Answer:
        headers = {"Content-Type": "application/json"}
        if signature == SIGNED:
            headers["X-Hub-Signature-256"] = signature_of(sealed.body, self.app_secret)
        elif signature is not None:
            headers["X-Hub-Signature-256"] = signature
        response = httpx.post(self.url, content=sealed.body, headers=headers, timeout=10)
        payload = None
        if response.status_code in (200, 427):
            payload = open_answer(response.text, sealed.aes_key, sealed.iv)
        return Answer(
            status=response.status_code,
            content_type=response.headers.get("content-type", ""),
            text=response.text,
            payload=payload,
        )

    def post(
        self,
        payload: dict[str, Any],
        *,
        signature: str | None = SIGNED,
        public_key: rsa.RSAPublicKey | None = None,
    ) -> Answer:
        """Send `payload`, encrypted for our key (or for `public_key`, another one)."""
        return self.send(seal(payload, public_key or self.public_key), signature=signature)

    def ping(self) -> Answer:
        return self.post({"version": "3.0", "action": "ping"})

    def open_flow(self, flow_token: str) -> Answer:
        """The Flow opens (`INIT`)."""
        return self.post({"version": "3.0", "action": "INIT", "flow_token": flow_token})

    def submit(self, flow_token: str, screen: str, data: dict[str, Any]) -> Answer:
        """A screen is submitted (`data_exchange`)."""
        return self.post(
            {
                "version": "3.0",
                "action": "data_exchange",
                "screen": screen,
                "data": data,
                "flow_token": flow_token,
            }
        )

    def report_error(self, flow_token: str, screen: str, error: str, message: str) -> Answer:
        """An error notification: the client could not use our last answer."""
        return self.post(
            {
                "version": "3.0",
                "action": "data_exchange",
                "screen": screen,
                "flow_token": flow_token,
                "data": {"error": error, "error_message": message},
            }
        )
