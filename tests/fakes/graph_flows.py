"""The fake Graph API's Flows, with Meta's refusals (Meta's pages "Flows API" and "Flow
Management API Error Codes").

* ``POST /{version}/{waba_id}/flows`` (JSON or form; ``name`` and ``categories`` required,
  categories from Meta's list, ``endpoint_uri`` optional): a DRAFT Flow, ``{"id"}``. Another
  WABA than the state's is an unknown object (100, subcode 33); a name already used in the WABA
  is 100 "Flow name is not unique".
* ``POST /{version}/{flow_id}`` (``endpoint_uri``, ``name``): a draft's metadata; a published
  Flow refuses (139001).
* ``POST /{version}/{flow_id}/assets`` (multipart ``file``, ``name``, ``asset_type=FLOW_JSON``):
  keeps the JSON and answers ``{"success": true, "validation_errors": [...]}``: what is not
  JSON, a version Meta does not take, no screens, a screen named ``SUCCESS``, no terminal
  screen, an endpoint Flow (``data_api_version``) without ``routing_model``. A PUBLISHED Flow
  refuses (139001 "Flow can't be updated").
* ``POST /{version}/{flow_id}/publish``: DRAFT to PUBLISHED; refused (139002 "Publishing Flow in
  invalid state") when it is already published, has no JSON, has validation errors, or is an
  endpoint Flow without ``endpoint_uri``.
* ``GET /{version}/{flow_id}?fields=…``: ``id``, ``name``, ``status``, ``categories``,
  ``validation_errors``, ``endpoint_uri``.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import parse_qs

import orjson
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.fakes.graph_refusals import JsonObject, Refusal, unknown_object

__all__ = ["FakeFlow", "FakeFlows", "flow_routes"]

CATEGORIES: Final = frozenset(
    {
        "SIGN_UP",
        "SIGN_IN",
        "APPOINTMENT_BOOKING",
        "LEAD_GENERATION",
        "CONTACT_US",
        "CUSTOMER_SUPPORT",
        "SURVEY",
        "OTHER",
    }
)
VERSIONS: Final = frozenset({"6.0", "6.1", "6.2", "6.3", "7.0", "7.1", "7.2", "7.3"})
"""The Flow JSON versions the fake takes (older ones have expired at Meta)."""


@dataclass(slots=True)
class FakeFlow:
    flow_id: str
    waba_id: str
    name: str
    categories: list[str]
    endpoint_uri: str = ""
    status: str = "DRAFT"
    flow_json: bytes | None = None
    validation_errors: list[JsonObject] = field(default_factory=list)

    def fields(self) -> JsonObject:
        return {
            "id": self.flow_id,
            "name": self.name,
            "status": self.status,
            "categories": self.categories,
            "validation_errors": self.validation_errors,
            "endpoint_uri": self.endpoint_uri,
        }


def _error(message: str) -> JsonObject:
    return {
        "error": "INVALID_PROPERTY_VALUE",
        "error_type": "FLOW_JSON_ERROR",
        "message": message,
        "line_start": 1,
        "line_end": 1,
        "column_start": 1,
        "column_end": 1,
    }


def validation_errors(raw: bytes) -> list[JsonObject]:
    """What Meta's validation says of a Flow JSON (the rules the fake knows)."""
    try:
        flow = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return [_error("The Flow JSON is not valid JSON.")]
    if not isinstance(flow, dict):
        return [_error("The Flow JSON must be an object.")]
    found: list[JsonObject] = []
    if flow.get("version") not in VERSIONS:
        found.append(_error(f"Invalid Flow JSON version: {flow.get('version')!r}."))
    screens = flow.get("screens")
    if not isinstance(screens, list) or not screens:
        return [*found, _error("The property 'screens' is required and cannot be empty.")]
    ids = [s.get("id") for s in screens if isinstance(s, dict)]
    if "SUCCESS" in ids:
        found.append(_error("SUCCESS is a reserved keyword and cannot be used as a screen id."))
    if not any(isinstance(s, dict) and s.get("terminal") is True for s in screens):
        found.append(_error("At least one terminal screen is required."))
    if "data_api_version" in flow and not isinstance(flow.get("routing_model"), dict):
        found.append(_error("The property 'routing_model' is required with data_api_version."))
    return found


def _cannot_update(flow: FakeFlow) -> Refusal:
    return Refusal(
        400,
        139001,
        "(#139001) Flow can't be updated",
        details=f"The Flow {flow.flow_id} is {flow.status}: only a DRAFT Flow can be updated.",
    )


def _cannot_publish(details: str) -> Refusal:
    return Refusal(400, 139002, "(#139002) Publishing Flow in invalid state", details=details)


class FakeFlows:
    """The Flows the fake holds, by id (thread-safe: the app's thread and the test's)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._flows: dict[str, FakeFlow] = {}
        self._ids = itertools.count(7_000_000_000_001)

    def get(self, flow_id: str) -> FakeFlow | None:
        with self._lock:
            return self._flows.get(flow_id)

    @property
    def all(self) -> list[FakeFlow]:
        with self._lock:
            return list(self._flows.values())

    def create(self, waba_id: str, body: JsonObject) -> FakeFlow:
        name, categories = body.get("name"), body.get("categories")
        if isinstance(categories, str):  # form-encoded: a JSON array in a field
            try:
                categories = orjson.loads(categories)
            except orjson.JSONDecodeError:
                categories = None
        if not isinstance(name, str) or not name.strip():
            raise Refusal(400, 100, "(#100) The parameter name is required.")
        if not isinstance(categories, list) or not categories or not set(categories) <= CATEGORIES:
            raise Refusal(
                400,
                100,
                "(#100) Invalid parameter",
                details=f"categories must be a non-empty list of {sorted(CATEGORIES)}",
            )
        with self._lock:
            if any(f.waba_id == waba_id and f.name == name for f in self._flows.values()):
                raise Refusal(
                    400, 100, "(#100) Invalid parameter", details="Flow name is not unique"
                )
            flow = FakeFlow(
                flow_id=str(next(self._ids)),
                waba_id=waba_id,
                name=name,
                categories=[str(c) for c in categories],
                endpoint_uri=str(body.get("endpoint_uri") or ""),
            )
            self._flows[flow.flow_id] = flow
            return flow

    def _held(self, flow_id: str) -> FakeFlow:
        flow = self._flows.get(flow_id)
        if flow is None:
            raise unknown_object(flow_id)
        return flow

    def update(self, flow_id: str, body: JsonObject) -> None:
        with self._lock:
            flow = self._held(flow_id)
            if flow.status != "DRAFT":
                raise _cannot_update(flow)
            if "endpoint_uri" in body:
                flow.endpoint_uri = str(body["endpoint_uri"] or "")
            if isinstance(body.get("name"), str):
                flow.name = body["name"]

    def upload(self, flow_id: str, form: JsonObject, data: bytes | None) -> list[JsonObject]:
        with self._lock:
            flow = self._held(flow_id)
            if flow.status != "DRAFT":
                raise _cannot_update(flow)
            if form.get("asset_type") != "FLOW_JSON" or data is None:
                raise Refusal(
                    400,
                    100,
                    "(#100) Invalid parameter",
                    details="asset_type must be FLOW_JSON, with the file flow.json",
                )
            flow.flow_json = data
            flow.validation_errors = validation_errors(data)
            return list(flow.validation_errors)

    def publish(self, flow_id: str) -> None:
        with self._lock:
            flow = self._held(flow_id)
            if flow.status != "DRAFT":
                raise _cannot_publish(f"The Flow is {flow.status}: only a DRAFT is published.")
            if flow.flow_json is None:
                raise _cannot_publish("The Flow has no Flow JSON.")
            if flow.validation_errors:
                raise _cannot_publish("The Flow JSON has validation errors.")
            if b'"data_api_version"' in flow.flow_json and not flow.endpoint_uri:
                raise _cannot_publish("The Flow uses an endpoint and has no endpoint_uri.")
            flow.status = "PUBLISHED"

    def set_status(self, flow_id: str, status: str) -> None:
        """For a test: DEPRECATED, BLOCKED, THROTTLED…"""
        with self._lock:
            self._held(flow_id).status = status


async def _body(request: Request) -> JsonObject:
    raw = await request.body()
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            parsed: Any = orjson.loads(raw) if raw else {}
        except orjson.JSONDecodeError:
            raise Refusal(400, 100, "(#100) Malformed JSON body.") from None
        return parsed if isinstance(parsed, dict) else {}
    return {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}


def _json(content: JsonObject, status: int = 200) -> Response:
    return Response(orjson.dumps(content), status_code=status, media_type="application/json")


def flow_routes(
    flows: FakeFlows, check: Callable[[Request], None], waba_of: Callable[[], str | None]
) -> list[Route]:
    """The routes; ``check`` refuses a request (the token, the version), ``waba_of`` gives the
    only WABA the fake knows (None: any)."""

    def answering(
        handler: Callable[[Request], Any],
    ) -> Callable[[Request], Any]:
        async def route(request: Request) -> Response:
            try:
                check(request)
                return _json(await handler(request))
            except Refusal as refusal:
                return _json(refusal.body(), refusal.status)

        return route

    async def create(request: Request) -> JsonObject:
        waba_id = str(request.path_params["waba_id"])
        expected = waba_of()
        if expected is not None and waba_id != expected:
            raise unknown_object(waba_id)
        return {"id": flows.create(waba_id, await _body(request)).flow_id}

    async def update(request: Request) -> JsonObject:
        flows.update(str(request.path_params["flow_id"]), await _body(request))
        return {"success": True}

    async def assets(request: Request) -> JsonObject:
        form = await request.form()
        file = form.get("file")
        data = await file.read() if isinstance(file, UploadFile) else None
        fields: JsonObject = {k: v for k, v in form.items() if isinstance(v, str)}
        errors = flows.upload(str(request.path_params["flow_id"]), fields, data)
        return {"success": True, "validation_errors": errors}

    async def publish(request: Request) -> JsonObject:
        flows.publish(str(request.path_params["flow_id"]))
        return {"success": True}

    return [
        Route("/{version}/{waba_id}/flows", answering(create), methods=["POST"]),
        Route("/{version}/{flow_id}/assets", answering(assets), methods=["POST"]),
        Route("/{version}/{flow_id}/publish", answering(publish), methods=["POST"]),
        Route("/{version}/{flow_id}", answering(update), methods=["POST"]),
    ]


def flow_fields(flow: FakeFlow, fields: str | None) -> JsonObject:
    """``GET /{flow_id}``: the fields asked (``id`` always), or id, name, status."""
    every = flow.fields()
    wanted = [f.strip() for f in (fields or "name,status").split(",") if f.strip()]
    return {"id": flow.flow_id} | {f: every[f] for f in wanted if f in every}
