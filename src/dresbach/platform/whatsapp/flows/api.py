"""The Graph API's Flows endpoints, as Meta's "Flows API" page gives them: what `dresbach flows
publish` and `dresbach doctor` call, blocking (the command line).

* `POST {base}/{waba_id}/flows` with `name`, `categories` (and our `endpoint_uri`): a new Flow,
  in `DRAFT`; answers its `id`.
* `POST {base}/{flow_id}` with `endpoint_uri`: a draft's metadata.
* `POST {base}/{flow_id}/assets`, multipart: the file `flow.json`, `name=flow.json`,
  `asset_type=FLOW_JSON`; answers `success` and the `validation_errors` Meta found in it.
* `POST {base}/{flow_id}/publish`: `DRAFT` to `PUBLISHED`, refused while the JSON has errors
  and for a Flow already published (a published Flow is never changed: a new one is made).
* `GET {base}/{flow_id}?fields=id,name,status,validation_errors`.

Failures raise `TransientError` or `PermanentError` (`graph_http`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from dresbach.kernel.errors import PermanentError
from dresbach.platform.whatsapp.graph_http import GraphApi

ENDPOINT_PATH: Final = "/whatsapp/flows"
"""Where our data-exchange endpoint listens, after `DRESBACH_PUBLIC_URL` (the Flows'
`endpoint_uri`)."""
DRAFT: Final = "DRAFT"
PUBLISHED: Final = "PUBLISHED"


@dataclass(frozen=True, slots=True)
class FlowStatus:
    """A Flow at Meta: `status` is DRAFT, PUBLISHED, DEPRECATED, BLOCKED or THROTTLED."""

    flow_id: str
    name: str
    status: str
    validation_errors: tuple[str, ...]


def validation_error_text(error: Any) -> str:
    """One of Meta's `validation_errors` as a line: its message, and where when it says."""
    if not isinstance(error, dict):
        return str(error)
    message = str(error.get("message") or error.get("error") or error)
    line = error.get("line_start")
    return f"{message} (linha {line})" if isinstance(line, int) else message


class FlowsApi(GraphApi):
    """The Flows endpoints for one token (`base_url` like `https://graph.facebook.com/v26.0`)."""

    def create(
        self, waba_id: str, *, name: str, categories: Iterable[str], endpoint_uri: str = ""
    ) -> str:
        """A new Flow in `waba_id`, in DRAFT; its id."""
        body: dict[str, Any] = {"name": name, "categories": sorted(categories)}
        if endpoint_uri:
            body["endpoint_uri"] = endpoint_uri
        answer = self._call("POST", f"{waba_id}/flows", json=body)
        flow_id = answer.get("id")
        if not isinstance(flow_id, str) or not flow_id:
            raise PermanentError("Graph API created no Flow (no id in the answer)")
        return flow_id

    def set_endpoint(self, flow_id: str, endpoint_uri: str) -> None:
        """Point a draft Flow at our data-exchange endpoint."""
        self._call("POST", flow_id, json={"endpoint_uri": endpoint_uri})

    def upload(self, flow_id: str, flow_json: bytes) -> tuple[str, ...]:
        """Upload the Flow JSON; Meta's validation errors (empty: none)."""
        answer = self._call(
            "POST",
            f"{flow_id}/assets",
            data={"name": "flow.json", "asset_type": "FLOW_JSON"},
            files={"file": ("flow.json", flow_json, "application/json")},
        )
        errors = answer.get("validation_errors")
        return tuple(validation_error_text(e) for e in errors) if isinstance(errors, list) else ()

    def publish(self, flow_id: str) -> None:
        answer = self._call("POST", f"{flow_id}/publish")
        if answer.get("success") is not True:
            raise PermanentError("Graph API did not confirm the publication (no success: true)")

    def status(self, flow_id: str) -> FlowStatus:
        answer = self._call("GET", flow_id, params={"fields": "id,name,status,validation_errors"})
        errors = answer.get("validation_errors")
        return FlowStatus(
            flow_id=str(answer.get("id") or flow_id),
            name=str(answer.get("name") or ""),
            status=str(answer.get("status") or ""),
            validation_errors=tuple(validation_error_text(e) for e in errors)
            if isinstance(errors, list)
            else (),
        )
