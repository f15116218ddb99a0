"""A faithful fake of the WhatsApp Cloud API, for end-to-end tests and the benchmark.

It answers the way Meta does (see ``shared/reference/whatsapp-cloud-api.md`` §4 and §9):

* ``Authorization: Bearer <token>`` is required; a wrong or missing token gives 401 with the
  Graph error body, code 190.
* ``POST /{version}/{phone_number_id}/messages`` checks every body against our JSON Schema of
  Meta's rules (``schemas/messages.json``, written from Meta's OpenAPI description and reference
  pages) and refuses one Meta would refuse, with Meta's HTTP status and error (100, 131008,
  131009, 132018…), so no test can pass with a body Meta would not take. Identity as Meta has
  it since 2026: ``to`` takes a phone number (a BSUID there is refused), ``recipient`` a BSUID,
  ``to`` wins when both are present; the answer's ``contacts`` carry ``input`` and ``wa_id`` or
  ``user_id``; an authentication template to a BSUID is 131062.
* A mark-read body (``{"status": "read", "message_id": ...}``, optionally with
  ``typing_indicator``) answers ``{"success": true}``; a message answers ``{"messaging_product",
  "contacts": [...], "messages": [{"id": "wamid...", "message_status": "accepted"}]}``.
* ``POST /{version}/{phone_number_id}/media`` takes a multipart upload of a type and size
  WhatsApp supports (others get 131053) and answers ``{"id": "<media id>"}``; ``GET
  /{version}/{media_id}`` answers the media's URL, type, ``sha256`` and size, and the URL gives
  the bytes to the same bearer token. ``GET /{version}/{phone_number_id}`` answers the number's
  fields, what ``dresbach doctor`` asks to prove the token works.
* ``GET``/``POST /{version}/{waba_id}/message_templates`` list and create the account's message
  templates with Meta's refusals (a duplicate name and language, a bad category or name, a body
  over 1024 characters, parameters out of order, first or last, or without examples); a test
  moves one through review with ``state.templates.set_status`` (:mod:`tests.fakes.graph_templates`).

Every accepted request is recorded with its arrival time (``time.monotonic()``), its parsed
body and the wamid it was given; refused ones are recorded apart, in ``failures``, with the code
and Meta's ``details``. Failures can be injected at runtime: a random share of requests
(``failure_rate``, seeded) fails with one of :class:`FailureKind`; recipients in
``outside_window`` get 131047 for anything but a template, and recipients in ``undeliverable``
get 131026.

The fake is split by job: :mod:`~tests.fakes.graph_state` (settings and records),
:mod:`~tests.fakes.graph_app` (routes and decisions), :mod:`~tests.fakes.graph_schema`
(the rules) with :mod:`~tests.fakes.graph_refusals` (Meta's error answers), and
:mod:`~tests.fakes.graph_server` (:class:`FakeGraphServer`, uvicorn on 127.0.0.1 at a free
port, in a thread or in the running event loop). This module gathers what tests import.
"""

from __future__ import annotations

from tests.fakes.graph_app import build_app
from tests.fakes.graph_refusals import Refusal
from tests.fakes.graph_schema import refusal_for
from tests.fakes.graph_server import FakeGraphServer
from tests.fakes.graph_state import (
    DEFAULT_ACCESS_TOKEN,
    DEFAULT_API_VERSION,
    FailureKind,
    GraphApiState,
    JsonObject,
    RecordedFailure,
    RecordedRequest,
    UploadedMedia,
    recipient_of,
)

__all__ = [
    "DEFAULT_ACCESS_TOKEN",
    "DEFAULT_API_VERSION",
    "FailureKind",
    "FakeGraphServer",
    "GraphApiState",
    "JsonObject",
    "RecordedFailure",
    "RecordedRequest",
    "Refusal",
    "UploadedMedia",
    "build_app",
    "recipient_of",
    "refusal_for",
]
