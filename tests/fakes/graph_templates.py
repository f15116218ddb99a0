"""The fake Graph API's message templates, with Meta's refusals (Meta's pages "Message
templates", "Template categorization" and the template error codes).

* ``POST /{version}/{waba_id}/message_templates`` (JSON: ``name``, ``language``, ``category``,
  ``components`` with a ``BODY`` ``text`` and, when it has parameters,
  ``example.body_text: [[...]]``): a template in ``PENDING`` (or ``APPROVED`` with
  ``auto_approve``), answering ``{"id", "status", "category"}``. Refused, code 100, as Meta
  does: another WABA than the state's (subcode 33); a name that is not lowercase letters,
  digits and underscores; a category not among ``AUTHENTICATION``, ``MARKETING``,
  ``UTILITY``; no ``BODY``; a body over 1024 characters; parameters not numbered 1..n
  (subcode 2388042), first or last in the body (subcode 2388299); parameters without an
  example each (subcode 2388043); the same name and language twice in the WABA (subcode
  2388024, "Content in this language already exists").
* ``GET /{version}/{waba_id}/message_templates?fields=…&limit=…``: ``data`` (each template's
  ``id``, ``name``, ``language``, ``status``, ``category``, ``components``) and, while there is
  more, ``paging.next`` (an absolute URL with ``after``).

A test moves a template through Meta's review with :meth:`FakeTemplates.set_status`.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.fakes.graph_refusals import JsonObject, Refusal, unknown_object

__all__ = ["FakeTemplate", "FakeTemplates", "template_routes"]

CATEGORIES: Final = frozenset({"AUTHENTICATION", "MARKETING", "UTILITY"})
BODY_MAX: Final = 1024
NAME: Final = re.compile(r"[a-z0-9_]{1,512}")
PARAMETER: Final = re.compile(r"\{\{(\d+)\}\}")


@dataclass(slots=True)
class FakeTemplate:
    template_id: str
    waba_id: str
    name: str
    language: str
    category: str
    components: list[JsonObject]
    status: str = "PENDING"
    history: list[str] = field(default_factory=list)

    def fields(self) -> JsonObject:
        return {
            "id": self.template_id,
            "name": self.name,
            "language": self.language,
            "status": self.status,
            "category": self.category,
            "components": self.components,
        }


def _invalid(details: str, subcode: int | None = None) -> Refusal:
    return Refusal(400, 100, "(#100) Invalid parameter", details=details, error_subcode=subcode)


def _check(body: JsonObject) -> tuple[str, str, str, list[JsonObject]]:
    """The name, language, category and components of a creation body, or Meta's refusal."""
    name, language = body.get("name"), body.get("language")
    category, components = body.get("category"), body.get("components")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise _invalid("Param name must be lowercase letters, digits and underscores (≤ 512).")
    if not isinstance(language, str) or not language:
        raise Refusal(400, 100, "(#100) The parameter language is required.")
    if category not in CATEGORIES:
        raise Refusal(
            400,
            100,
            "(#100) Param category must be one of {AUTHENTICATION, MARKETING, UTILITY}",
        )
    if not isinstance(components, list):
        raise Refusal(400, 100, "(#100) The parameter components is required.")
    bodies = [
        c for c in components if isinstance(c, dict) and str(c.get("type", "")).upper() == "BODY"
    ]
    if len(bodies) != 1 or not isinstance(bodies[0].get("text"), str) or not bodies[0]["text"]:
        raise _invalid("A template needs exactly one BODY component with its text.")
    text: str = bodies[0]["text"]
    if len(text) > BODY_MAX:
        raise _invalid(f"Param components[0]['text'] must be at most {BODY_MAX} characters long.")
    numbers = sorted({int(n) for n in PARAMETER.findall(text)})
    if numbers != list(range(1, len(numbers) + 1)):
        raise _invalid("The template's variables must be sequential: {{1}}, {{2}}…", 2388042)
    stripped = text.strip()
    if numbers and (PARAMETER.match(stripped) or re.search(r"\{\{\d+\}\}$", stripped)):
        raise _invalid("Variables can't be at the start or end of the template.", 2388299)
    if numbers:
        example: Any = bodies[0].get("example")
        samples = example.get("body_text") if isinstance(example, dict) else None
        first = samples[0] if isinstance(samples, list) and samples else None
        if not (
            isinstance(first, list)
            and len(first) == len(numbers)
            and all(isinstance(s, str) and s.strip() for s in first)
        ):
            raise _invalid(
                "Message template variables are missing sample values: give one "
                "example.body_text per variable.",
                2388043,
            )
    return name, language, str(category), components


class FakeTemplates:
    """The templates the fake holds, by id (thread-safe: the app's thread and the test's)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._templates: dict[str, FakeTemplate] = {}
        self._ids = itertools.count(9_000_000_000_001)
        self.auto_approve = False
        """New templates are APPROVED at once (Meta reviews UTILITY templates in minutes)."""

    @property
    def all(self) -> list[FakeTemplate]:
        with self._lock:
            return list(self._templates.values())

    def named(self, name: str, language: str = "pt_BR") -> FakeTemplate | None:
        with self._lock:
            for template in self._templates.values():
                if (template.name, template.language) == (name, language):
                    return template
            return None

    def create(self, waba_id: str, body: JsonObject) -> FakeTemplate:
        name, language, category, components = _check(body)
        with self._lock:
            if any(
                (t.waba_id, t.name, t.language) == (waba_id, name, language)
                for t in self._templates.values()
            ):
                raise _invalid(
                    f"Content in this language already exists: {name} ({language}) is a "
                    "template of this WhatsApp Business Account.",
                    2388024,
                )
            template = FakeTemplate(
                template_id=str(next(self._ids)),
                waba_id=waba_id,
                name=name,
                language=language,
                category=category,
                components=components,
                status="APPROVED" if self.auto_approve else "PENDING",
            )
            self._templates[template.template_id] = template
            return template

    def set_status(self, name: str, status: str, language: str = "pt_BR") -> FakeTemplate:
        """For a test: Meta's review (APPROVED, REJECTED) or later (PAUSED, DISABLED…)."""
        template = self.named(name, language)
        assert template is not None, f"no template {name} ({language})"
        with self._lock:
            template.history.append(template.status)
            template.status = status
        return template

    def of(self, waba_id: str) -> list[FakeTemplate]:
        with self._lock:
            return [t for t in self._templates.values() if t.waba_id == waba_id]


def _json(content: JsonObject, status: int = 200) -> Response:
    return Response(orjson.dumps(content), status_code=status, media_type="application/json")


def template_routes(
    templates: FakeTemplates, check: Callable[[Request], None], waba_of: Callable[[], str | None]
) -> list[Route]:
    """The routes; ``check`` refuses a request (the token, the version), ``waba_of`` gives the
    only WABA the fake knows (None: any)."""

    async def route(request: Request) -> Response:
        try:
            check(request)
            waba_id = str(request.path_params["waba_id"])
            expected = waba_of()
            if expected is not None and waba_id != expected:
                raise unknown_object(waba_id)
            if request.method == "POST":
                try:
                    body: Any = orjson.loads(await request.body())
                except orjson.JSONDecodeError:
                    raise Refusal(400, 100, "(#100) Malformed JSON body.") from None
                created = templates.create(waba_id, body if isinstance(body, dict) else {})
                return _json(
                    {
                        "id": created.template_id,
                        "status": created.status,
                        "category": created.category,
                    }
                )
            return _json(_page(request, templates.of(waba_id)))
        except Refusal as refusal:
            return _json(refusal.body(), refusal.status)

    return [Route("/{version}/{waba_id}/message_templates", route, methods=["GET", "POST"])]


def _page(request: Request, held: list[FakeTemplate]) -> JsonObject:
    query = request.query_params
    limit = max(1, min(int(query.get("limit") or 25), 1000))
    start = int(query.get("after") or 0)
    wanted = [f.strip() for f in (query.get("fields") or "name,status,id").split(",")]
    data = [
        {"id": t.template_id} | {f: t.fields()[f] for f in wanted if f in t.fields()}
        for t in held[start : start + limit]
    ]
    page: JsonObject = {"data": data}
    if start + limit < len(held):
        following = request.url.include_query_params(after=str(start + limit))
        page["paging"] = {"cursors": {"after": str(start + limit)}, "next": str(following)}
    return page
