"""Meta's status webhooks, from the fake Graph API to our servers.

For every message it accepts, Meta posts a signed `statuses` webhook (`sent`, then `delivered`,
`read`) to the app's callback URL, echoing the `biz_opaque_callback_data` of the send. It does
so whether or not the sender ever read the answer to its request, which is what lets a send
in doubt (its worker died after the Graph API accepted it) be recorded instead of repeated.

:class:`StatusWebhooks` listens to a :class:`GraphApiState` and posts a `sent` status for each
accepted message (not read receipts) from its own thread, a moment later, to the first of its
targets that answers 2xx, trying the others and again, like Meta's redelivery.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Sequence
from typing import Any

import httpx
import orjson

from dresbach.platform.whatsapp.signature import sign
from tests.fakes.graph_state import GraphApiState, RecordedRequest

__all__ = ["StatusWebhooks", "sent_status"]


def sent_status(record: RecordedRequest, at: float) -> dict[str, Any]:
    """The webhook Meta posts once a message it accepted was sent: its shape is Meta's
    (tests/fixtures/webhooks/status_sent.json)."""
    status: dict[str, Any] = {
        "id": record.wamid,
        "status": "sent",
        "timestamp": str(int(at)),
        "recipient_id": record.recipient,
        "pricing": {
            "billable": False,
            "pricing_model": "PMP",
            "category": "service",
            "type": "free_customer_service",
        },
    }
    callback = record.body.get("biz_opaque_callback_data")
    if callback is not None:
        status["biz_opaque_callback_data"] = callback
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "100000000000000",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "5511400000000",
                                "phone_number_id": record.phone_number_id,
                            },
                            "statuses": [status],
                        },
                    }
                ],
            }
        ],
    }


class StatusWebhooks:
    """Post a signed `sent` status to `targets` (origins; the path is `/webhook`) for each
    message `state` accepts, `delay` seconds after it was accepted. Use as a context manager."""

    def __init__(
        self,
        state: GraphApiState,
        targets: Sequence[str],
        app_secret: str,
        *,
        delay: float = 0.05,
        give_up_after: float = 60.0,
    ) -> None:
        self.state, self.targets, self.secret = state, list(targets), app_secret
        self.delay, self.give_up_after = delay, give_up_after
        self.posted = 0
        """Status webhooks some target answered 2xx."""
        self.abandoned = 0
        """Status webhooks no target took within `give_up_after` seconds."""
        self._queue: queue.Queue[RecordedRequest | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="status-webhooks", daemon=True)

    def __enter__(self) -> StatusWebhooks:
        self.state.add_listener(self._accepted)
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        if not self._thread.is_alive():
            return
        self.state.remove_listener(self._accepted)
        self._queue.put(None)
        self._thread.join(timeout=10)

    def _accepted(self, record: RecordedRequest) -> None:
        if not record.is_read_receipt:
            self._queue.put(record)

    def _run(self) -> None:
        turn = 0
        with httpx.Client(timeout=5) as client:
            while (record := self._queue.get()) is not None:
                time.sleep(max(0.0, record.at + self.delay - time.monotonic()))
                body = orjson.dumps(sent_status(record, time.time()))
                headers = {
                    "Content-Type": "application/json",
                    "X-Hub-Signature-256": sign(self.secret, body),
                }
                deadline = time.monotonic() + self.give_up_after
                while True:
                    target = self.targets[turn % len(self.targets)]
                    turn += 1
                    try:
                        answer = client.post(f"{target}/webhook", content=body, headers=headers)
                        if answer.is_success:
                            self.posted += 1
                            break
                    except httpx.HTTPError:
                        pass
                    if time.monotonic() > deadline:
                        self.abandoned += 1
                        break
                    time.sleep(0.05)
