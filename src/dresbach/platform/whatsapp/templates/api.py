"""The WhatsApp Business Account's message templates, as Meta's "Message templates" page gives
them: what `dresbach templates list|sync` and `dresbach doctor` call, blocking (the command
line).

* `GET {base}/{waba_id}/message_templates?fields=…&limit=…`: `data` (each template's `id`,
  `name`, `language`, `status`, `category`, `components`) and `paging.next` while there is
  more.
* `POST {base}/{waba_id}/message_templates` with a declaration's `creation_body()`: answers
  `id`, `status` (usually `PENDING`) and `category`.

Failures raise `TransientError` or `PermanentError` (`graph_http`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from dresbach.kernel.errors import PermanentError
from dresbach.platform.whatsapp.graph_http import GraphApi
from dresbach.platform.whatsapp.templates.declarations import TemplateDeclaration, parameters_of

APPROVED: Final = "APPROVED"
FIELDS: Final = "id,name,language,status,category,components"
PAGES_MAX: Final = 50


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountTemplate:
    """A template as the account holds it. `status`: APPROVED, PENDING, REJECTED, PAUSED,
    DISABLED, IN_APPEAL, PENDING_DELETION…"""

    template_id: str
    name: str
    language: str
    status: str
    category: str
    body: str

    @property
    def parameter_count(self) -> int:
        return len(set(parameters_of(self.body)))


def account_template(raw: Any) -> AccountTemplate | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        return None
    body = ""
    for component in raw.get("components") or ():
        if isinstance(component, dict) and str(component.get("type", "")).upper() == "BODY":
            body = str(component.get("text") or "")
    return AccountTemplate(
        template_id=str(raw.get("id") or ""),
        name=raw["name"],
        language=str(raw.get("language") or ""),
        status=str(raw.get("status") or ""),
        category=str(raw.get("category") or ""),
        body=body,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class TemplateCheck:
    """A declared template beside what the account holds of it (None: missing)."""

    declaration: TemplateDeclaration
    found: AccountTemplate | None

    @property
    def missing(self) -> bool:
        return self.found is None

    @property
    def approved(self) -> bool:
        return self.found is not None and self.found.status == APPROVED

    @property
    def parameters_match(self) -> bool:
        return (
            self.found is not None
            and self.found.parameter_count == self.declaration.parameter_count
        )

    @property
    def ready(self) -> bool:
        return self.approved and self.parameters_match


def compare(
    declarations: Iterable[TemplateDeclaration], account: Iterable[AccountTemplate]
) -> list[TemplateCheck]:
    """Each declaration beside the account's template of the same name and language."""
    held = {(t.name, t.language): t for t in account}
    return [
        TemplateCheck(declaration=d, found=held.get((d.name, d.language))) for d in declarations
    ]


class TemplatesApi(GraphApi):
    """The message-template endpoints for one token (`base_url` like
    `https://graph.facebook.com/v26.0`)."""

    def list(self, waba_id: str) -> list[AccountTemplate]:
        """Every template of the account (every page)."""
        found: list[AccountTemplate] = []
        url: str | None = f"{waba_id}/message_templates"
        params: dict[str, Any] | None = {"fields": FIELDS, "limit": 100}
        for _ in range(PAGES_MAX):
            if url is None:
                break
            answer = self._call("GET", url, **({"params": params} if params else {}))
            data = answer.get("data")
            found += [t for raw in data or () if (t := account_template(raw)) is not None]
            paging = answer.get("paging")
            following = paging.get("next") if isinstance(paging, dict) else None
            url, params = (following, None) if isinstance(following, str) else (None, None)
        return found

    def create(self, waba_id: str, declaration: TemplateDeclaration) -> tuple[str, str]:
        """Submit `declaration` for review; its id and status at Meta."""
        answer = self._call(
            "POST", f"{waba_id}/message_templates", json=declaration.creation_body()
        )
        template_id = answer.get("id")
        if not isinstance(template_id, str) or not template_id:
            raise PermanentError("Graph API created no template (no id in the answer)")
        return template_id, str(answer.get("status") or "")


def checked(
    api: TemplatesApi, waba_id: str, declarations: Sequence[TemplateDeclaration]
) -> list[TemplateCheck]:
    """The declarations beside the account's templates."""
    return compare(declarations, api.list(waba_id))
