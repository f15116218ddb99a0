"""WhatsApp's side of the Flows data-exchange endpoint, for tests over real HTTP: the product's
own client (`dresbach.platform.whatsapp.flows.client`, written apart from `flows_crypto`), with
the tests' knobs: a missing or wrong signature, a body encrypted for another key, an error
notification.
"""

from __future__ import annotations

from typing import Any

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from dresbach.platform.whatsapp.flows.client import (
    Answer,
    Sealed,
    answer_of,
    init_request,
    open_answer,
    seal,
    submit_request,
)
from dresbach.platform.whatsapp.flows.client import signature_of as _signature_of
from tests.support.meta import APP_SECRET

__all__ = ["SIGNED", "Answer", "Sealed", "WhatsAppFlowsClient", "open_answer", "seal"]

SIGNED = "signed"
"""`signature=SIGNED` (the default): sign the body with the client's app secret."""


def signature_of(body: bytes, secret: str = APP_SECRET) -> str:
    return _signature_of(body, secret)


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
        return answer_of(response, sealed)

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
        return self.post(init_request(flow_token))

    def submit(self, flow_token: str, screen: str, data: dict[str, Any]) -> Answer:
        """A screen is submitted (`data_exchange`)."""
        return self.post(submit_request(flow_token, screen, data))

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
