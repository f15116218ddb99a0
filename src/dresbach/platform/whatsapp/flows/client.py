"""WhatsApp's side of the Flows data-exchange endpoint: what the WhatsApp client does when a
Flow talks to our `POST /whatsapp/flows`. The sandbox (`dresbach chat`, the simulator) uses it
to complete a Flow against the real endpoint, and the tests drive the endpoint with it.

It is written apart from `flows_crypto` (other primitives of `cryptography`), so a mistake
shared by both halves cannot pass: a fresh 128-bit AES key and a 16-byte IV per request; the key
encrypted with our public key (RSA-OAEP, SHA-256 for the hash and MGF1); the request JSON
encrypted with AES-GCM, the tag appended; the three fields base64 in a JSON body signed with
`X-Hub-Signature-256`. An answer with an encrypted body (200, 427) is opened with the same key
under the IV with every bit flipped.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from typing import Any, Final

import httpx
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

DATA_API_VERSION: Final = "3.0"
ENCRYPTED_ANSWERS: Final = frozenset({200, 427})


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


def signature_of(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def init_request(flow_token: str) -> dict[str, Any]:
    """The Flow opens (`INIT`)."""
    return {"version": DATA_API_VERSION, "action": "INIT", "flow_token": flow_token}


def submit_request(flow_token: str, screen: str, data: dict[str, Any]) -> dict[str, Any]:
    """A screen is submitted (`data_exchange`)."""
    return {
        "version": DATA_API_VERSION,
        "action": "data_exchange",
        "screen": screen,
        "data": data,
        "flow_token": flow_token,
    }


def answer_of(response: httpx.Response, sealed: Sealed) -> Answer:
    payload = None
    if response.status_code in ENCRYPTED_ANSWERS:
        payload = open_answer(response.text, sealed.aes_key, sealed.iv)
    return Answer(
        status=response.status_code,
        content_type=response.headers.get("content-type", ""),
        text=response.text,
        payload=payload,
    )


class FlowsClient:
    """Posts to `url` (our `/whatsapp/flows`) as WhatsApp does, through `http` (an
    `httpx.AsyncClient`: over the network, or in-process with an ASGI transport)."""

    def __init__(
        self, http: httpx.AsyncClient, url: str, public_key: rsa.RSAPublicKey, app_secret: str
    ) -> None:
        self.http, self.url, self.public_key, self.app_secret = http, url, public_key, app_secret

    async def post(self, payload: dict[str, Any]) -> Answer:
        sealed = seal(payload, self.public_key)
        headers = {
            "Content-Type": "application/json",
            "X-Hub-Signature-256": signature_of(sealed.body, self.app_secret),
        }
        response = await self.http.post(self.url, content=sealed.body, headers=headers)
        return answer_of(response, sealed)

    async def open_flow(self, flow_token: str) -> Answer:
        return await self.post(init_request(flow_token))

    async def submit(self, flow_token: str, screen: str, data: dict[str, Any]) -> Answer:
        return await self.post(submit_request(flow_token, screen, data))
