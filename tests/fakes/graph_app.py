"""The fake Graph API's routes: what it answers, and how it decides.

* ``POST /{version}/{phone-number-id}/messages``: the body must pass our schema of Meta's rules
  (:mod:`tests.fakes.graph_schema`), else 400 with Meta's error; then the identity rules
  (``to`` is a phone number and wins over ``recipient``, a BSUID; an authentication template to
  a BSUID is 131062), the recipient sets (``undeliverable``, ``outside_window``) and the
  injected failures. A message answers ``contacts: [{input, wa_id}]`` when it went to a phone
  number and ``contacts: [{input, user_id}]`` when it went to a BSUID (Meta's page
  "Business-scoped user IDs"); a read receipt answers ``{"success": true}``.
* ``POST /{version}/{phone-number-id}/media``: a multipart upload (``messaging_product``,
  ``file``, optionally ``type``) of a type and size WhatsApp takes, else 131053; answers
  ``{"id"}``.
* ``GET``/``POST /{version}/{phone-number-id}/whatsapp_business_encryption``: the number's
  WhatsApp Flows public key (:mod:`tests.fakes.graph_encryption`).
* ``/{version}/{waba_id}/flows``, ``/{version}/{flow_id}/assets``, ``…/publish``, ``POST`` and
  ``GET /{version}/{flow_id}``: WhatsApp Flows (:mod:`tests.fakes.graph_flows`).
* ``POST /{version}/{phone-number-id}/conversational_automation``: the number's ice breakers
  and commands (:mod:`tests.fakes.graph_starters`).
* ``GET``/``POST /{version}/{waba_id}/message_templates``: the account's message templates
  (:mod:`tests.fakes.graph_templates`).
* ``GET /{version}/{id}``: a held media id answers Meta's media object (``url``, ``mime_type``,
  ``sha256``, ``file_size``, ``id``); the download URL needs the same bearer token (else 401)
  and lives ``state.media_url_ttl`` seconds (then 404, as Meta's expired URLs). An id asked
  for as media (``?phone_number_id=``) that the fake does not hold is 100. Any other id
  is the phone number: ``verified_name``, ``display_phone_number``, ``quality_rating``…, what
  ``dresbach doctor`` asks to prove the token works.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.fakes.graph_encryption import public_key_of, signed_key
from tests.fakes.graph_flows import flow_fields, flow_routes
from tests.fakes.graph_refusals import (
    JsonObject,
    Refusal,
    pair_rate,
    refused,
    server_error,
    throughput,
    unauthorized,
    unknown_object,
)
from tests.fakes.graph_schema import check_media_query, check_message, check_upload
from tests.fakes.graph_starters import check_starters
from tests.fakes.graph_state import FailureKind, GraphApiState
from tests.fakes.graph_templates import template_routes

__all__ = ["build_app"]

ATTACHMENTS = "/whatsapp_business/attachments/"


def build_app(state: GraphApiState) -> Starlette:
    """The Starlette app of the fake, answering from and recording into ``state``."""

    async def messages(request: Request) -> Response:
        at = time.monotonic()
        phone_number_id = str(request.path_params["phone_number_id"])
        body: JsonObject | None = None
        injected: FailureKind | None = None
        try:
            _check_auth(state, request.headers.get("authorization"))
            body = _parse_body(await request.body())
            _check_path(state, str(request.path_params["version"]), phone_number_id)
            injected = state._pick_failure()
            if injected is not None and injected is not FailureKind.TIMEOUT:
                raise _injected(injected)
            answer, wamid = _accept(state, body)
        except Refusal as refusal:
            state._record_failure(
                at=at, phone_number_id=phone_number_id, body=body, refusal=refusal
            )
            return _json(refusal.body(), refusal.status)
        delayed = injected is FailureKind.TIMEOUT
        state._record(
            at=at, phone_number_id=phone_number_id, body=body, wamid=wamid, delayed=delayed
        )
        if delayed:
            await asyncio.sleep(state.timeout_delay)
        return _json(answer, 200)

    async def node(request: Request) -> Response:
        node_id = str(request.path_params["node_id"])
        try:
            _check_auth(state, request.headers.get("authorization"))
            media = state.media(node_id)
            flow = state.flows.get(node_id)
            if flow is not None:
                _check_version(str(request.path_params["version"]))
                return _json(flow_fields(flow, request.query_params.get("fields")), 200)
            if media is not None:
                query = dict(request.query_params)
                check_media_query(query)
                _check_owner(state, query.get("phone_number_id"))
            elif "phone_number_id" in request.query_params:  # a media id Meta does not hold
                raise unknown_object(node_id)
            else:
                _check_path(state, str(request.path_params["version"]), node_id)
        except Refusal as refusal:
            return _json(refusal.body(), refusal.status)
        if media is not None:
            expires = time.time() + state.media_url_ttl
            url = (
                f"{str(request.base_url).rstrip('/')}{ATTACHMENTS}"
                f"?mid={media.media_id}&ext={expires:.3f}"
            )
            return _json(
                {
                    "messaging_product": "whatsapp",
                    "url": url,
                    "mime_type": media.mime_type,
                    "sha256": media.sha256,
                    "file_size": len(media.data),
                    "id": media.media_id,
                },
                200,
            )
        return _json(_phone_number(state, node_id), 200)

    async def download(request: Request) -> Response:
        try:
            _check_auth(state, request.headers.get("authorization"))
        except Refusal as refusal:
            return _json(refusal.body(), refusal.status)
        media = state.media(request.query_params.get("mid", ""))
        expires = float(request.query_params.get("ext") or 0)
        if media is None or time.time() >= expires:  # Meta: an expired URL is a 404
            return Response(status_code=404)
        return Response(media.data, status_code=200, media_type=media.mime_type)

    async def upload(request: Request) -> Response:
        phone_number_id = str(request.path_params["phone_number_id"])
        try:
            _check_auth(state, request.headers.get("authorization"))
            _check_path(state, str(request.path_params["version"]), phone_number_id)
            form = await request.form()
            file = form.get("file")
            data = await file.read() if isinstance(file, UploadFile) else b""
            mime_type = _mime(file.content_type) if isinstance(file, UploadFile) else ""
            described: JsonObject = {
                key: value for key, value in form.items() if isinstance(value, str)
            }
            if isinstance(file, UploadFile):
                described["file"] = {"content_type": mime_type, "size": len(data)}
            check_upload(described)
        except Refusal as refusal:
            return _json(refusal.body(), refusal.status)
        assert isinstance(file, UploadFile)  # check_upload requires the file part
        media_id = state._record_upload(mime_type, file.filename or "", data)
        return _json({"id": media_id}, 200)

    def check_number(request: Request) -> None:
        _check_auth(state, request.headers.get("authorization"))
        _check_path(
            state, str(request.path_params["version"]), str(request.path_params["phone_number_id"])
        )

    async def business_encryption(request: Request) -> Response:
        try:
            check_number(request)
            if request.method == "GET":
                key = state.business_public_key
                entries = [] if key is None else [signed_key(key, state.business_public_key_status)]
                return _json({"data": entries}, 200)
            state.business_public_key = public_key_of(
                request.headers.get("content-type", ""), await request.body()
            )
        except Refusal as refusal:
            return _json(refusal.body(), refusal.status)
        return _json({"success": True}, 200)

    async def starters(request: Request) -> Response:
        try:
            check_number(request)
            state.conversational_automation = check_starters(_parse_body(await request.body()))
        except Refusal as refusal:
            return _json(refusal.body(), refusal.status)
        return _json({"success": True}, 200)

    def check_flows(request: Request) -> None:
        _check_auth(state, request.headers.get("authorization"))
        _check_version(str(request.path_params["version"]))

    routes = [
        Route(ATTACHMENTS, download, methods=["GET"]),
        Route(
            "/{version}/{phone_number_id}/whatsapp_business_encryption",
            business_encryption,
            methods=["GET", "POST"],
        ),
        Route("/{version}/{phone_number_id}/conversational_automation", starters, methods=["POST"]),
        Route("/{version}/{phone_number_id}/media", upload, methods=["POST"]),
        Route("/{version}/{phone_number_id}/messages", messages, methods=["POST"]),
        *flow_routes(state.flows, check_flows, lambda: state.business_account_id),
        *template_routes(state.templates, check_flows, lambda: state.business_account_id),
        Route("/{version}/{node_id}", node, methods=["GET"]),
    ]
    return Starlette(routes=routes)


# ---- deciding ------------------------------------------------------------------------------


def _accept(state: GraphApiState, body: JsonObject) -> tuple[JsonObject, str | None]:
    """Check ``body``; return the 200 answer and the wamid (``None`` for a read receipt)."""
    if state.check_bodies:
        check_message(body)
    if body.get("status") == "read":
        return {"success": True}, None
    phone, bsuid = body.get("to"), body.get("recipient")
    if not (phone or bsuid):
        raise refused(131008, "The parameter to or recipient is required.")
    contact: JsonObject
    if phone:  # Meta: to wins when both are present
        recipient = str(phone)
        contact = {"input": recipient, "wa_id": "".join(c for c in recipient if c.isdigit())}
    else:
        recipient = str(bsuid)
        contact = {"input": recipient, "user_id": recipient}
        _check_bsuid_allowed(state, body)
    kind = body.get("type", "text")
    if recipient in state.undeliverable:
        raise refused(
            131026,
            "Message failed to send because the recipient is not a WhatsApp user, uses an old "
            "app or has not accepted the Terms of Service.",
            kind="undeliverable",
        )
    interactive: JsonObject = body.get("interactive") or {}
    if interactive.get("type") in ORDER_TYPES and not state.payments_enabled:
        raise refused(
            10,
            "This WhatsApp Business Account is not enabled for the Payments API: "
            f"{interactive['type']} messages cannot be sent.",
            kind="payments_not_enabled",
            status=403,
        )
    if kind != "template" and recipient in state.outside_window:
        raise refused(
            131047,
            "Message failed to send because more than 24 hours have passed since the customer "
            "last replied to this number.",
            kind="outside_window",
        )
    wamid = state._next_wamid(recipient)
    answer: JsonObject = {
        "messaging_product": "whatsapp",
        "contacts": [contact],
        "messages": [{"id": wamid, "message_status": "accepted"}],
    }
    return answer, wamid


ORDER_TYPES = ("order_details", "order_status")
"""Meta's Payments API messages. No error-codes page names the answer to an account not enabled
for it; the fake gives 10 "Permission Denied" (HTTP 403), which that page describes as a
permission not granted, to be checked against "the eligibility requirements for the API"."""


def _check_bsuid_allowed(state: GraphApiState, body: JsonObject) -> None:
    """131062: one-tap, zero-tap and copy-code authentication templates still need a phone
    number (Meta's page "Business-scoped user IDs", updated 2026-11-05)."""
    template: JsonObject = body.get("template") or {}
    if body.get("type") == "template" and template.get("name") in state.authentication_templates:
        raise refused(
            131062,
            f"Template {template['name']} is an authentication template: send it to the "
            "phone number (to), not to a business-scoped user ID.",
            kind="bsuid_unsupported",
        )


def _phone_number(state: GraphApiState, phone_number_id: str) -> JsonObject:
    return {
        "verified_name": state.verified_name,
        "code_verification_status": "VERIFIED",
        "display_phone_number": state.display_phone_number,
        "quality_rating": "GREEN",
        "platform_type": "CLOUD_API",
        "throughput": {"level": "STANDARD"},
        "id": phone_number_id,
    }


def _json(content: JsonObject, status: int) -> Response:
    return Response(orjson.dumps(content), status_code=status, media_type="application/json")


def _mime(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip()


def _check_auth(state: GraphApiState, header: str | None) -> None:
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(
        token.strip().encode(), state.access_token.encode()
    ):
        raise unauthorized()


def _check_version(version: str, rest: str = "") -> None:
    major, dot, minor = version.removeprefix("v").partition(".")
    if not (version.startswith("v") and dot and major.isdigit() and minor.isdigit()):
        raise Refusal(400, 2500, f"Unknown path components: /{version}/{rest}")


def _check_path(state: GraphApiState, version: str, phone_number_id: str) -> None:
    _check_version(version, phone_number_id)
    expected = state.phone_number_id
    if expected is not None and phone_number_id != expected:
        raise unknown_object(phone_number_id)


def _check_owner(state: GraphApiState, phone_number_id: str | None) -> None:
    """``?phone_number_id=``: Meta answers only for media of that number."""
    expected = state.phone_number_id
    if phone_number_id is not None and expected is not None and phone_number_id != expected:
        raise unknown_object(phone_number_id)


def _parse_body(raw: bytes) -> JsonObject:
    try:
        body: Any = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise refused(100, "Malformed JSON body.") from None
    if not isinstance(body, dict):
        raise refused(100, "The body must be a JSON object.")
    return body


def _injected(kind: FailureKind) -> Refusal:
    if kind is FailureKind.SERVER_ERROR:
        return server_error(kind.value)
    if kind is FailureKind.THROUGHPUT:
        return throughput(kind.value)
    return pair_rate(kind.value)
