"""Message templates, declared once: the only messages that may leave outside the 24 h
customer-service window, and only once Meta approved them in the WhatsApp Business Account.

A feature declares each template it can send next to its texts (name, language, category, the
body with its positional parameters `{{1}}`, `{{2}}`… and an example per parameter) and
registers it through its `feature.py`; its senders build the message with
`TemplateDeclaration.message(...)`, which refuses a wrong parameter count. `dresbach templates
list|sync` and `dresbach doctor` hold the declarations against the account
(`platform/whatsapp/templates/api.py`).

Meta's rules for a template's creation (page "Message templates", "Template categorization"):
a name of lowercase letters, digits and underscores (≤ 512); a category among `UTILITY`,
`MARKETING`, `AUTHENTICATION`; a body of at most 1024 characters whose parameters are numbered
from 1 without a gap, neither first nor last in the body, each with an example."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from dresbach.kernel.messages import Template

CATEGORIES: Final = frozenset({"UTILITY", "MARKETING", "AUTHENTICATION"})
BODY_MAX: Final = 1024
NAME_MAX: Final = 512
NAME: Final = re.compile(r"[a-z0-9_]+")
PARAMETER: Final = re.compile(r"\{\{(\d+)\}\}")


def parameters_of(body: str) -> list[int]:
    """The parameter numbers a body names, in order (`{{1}}` -> 1)."""
    return [int(n) for n in PARAMETER.findall(body)]


def body_problems(body: str, examples: tuple[str, ...]) -> list[str]:
    """What Meta refuses in a template body and its examples (empty: none)."""
    problems: list[str] = []
    if not body.strip():
        problems.append("the body is empty")
    if len(body) > BODY_MAX:
        problems.append(f"the body has {len(body)} characters (at most {BODY_MAX})")
    numbers = sorted(set(parameters_of(body)))
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append(f"the parameters are not numbered 1..n: {numbers}")
    stripped = body.strip()
    if numbers and (PARAMETER.match(stripped) or re.search(r"\{\{\d+\}\}$", stripped)):
        problems.append("a parameter is the first or last thing in the body")
    if len(examples) != len(numbers):
        problems.append(f"{len(numbers)} parameter(s) but {len(examples)} example(s)")
    if any(not e.strip() for e in examples):
        problems.append("an empty example")
    return problems


@dataclass(frozen=True, slots=True, kw_only=True)
class TemplateDeclaration:
    """One template the code can send, as it must exist in the WhatsApp Business Account."""

    name: str
    category: str
    body: str
    """The body as Meta holds it, with `{{1}}`, `{{2}}`… where the parameters go."""
    examples: tuple[str, ...] = ()
    """One example per parameter, in order (Meta's `example.body_text`)."""
    language: str = "pt_BR"

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise ValueError(f"template {self.name!r}: {'; '.join(problems)}")

    def problems(self) -> list[str]:
        found: list[str] = []
        if not NAME.fullmatch(self.name) or len(self.name) > NAME_MAX:
            found.append("the name takes lowercase letters, digits and underscores (≤ 512)")
        if self.category not in CATEGORIES:
            found.append(f"category {self.category!r} is not one of {sorted(CATEGORIES)}")
        return found + body_problems(self.body, self.examples)

    @property
    def parameter_count(self) -> int:
        return len(set(parameters_of(self.body)))

    def message(self, *params: str) -> Template:
        """The message that sends this template with `params` (one per `{{n}}`, in order)."""
        if len(params) != self.parameter_count:
            raise ValueError(
                f"template {self.name} takes {self.parameter_count} parameter(s), not {len(params)}"
            )
        return Template(name=self.name, language=self.language, body_params=tuple(params))

    def creation_body(self) -> dict[str, Any]:
        """`POST /{waba_id}/message_templates`: Meta's body for this template."""
        component: dict[str, Any] = {"type": "BODY", "text": self.body}
        if self.examples:
            component["example"] = {"body_text": [list(self.examples)]}
        return {
            "name": self.name,
            "language": self.language,
            "category": self.category,
            "components": [component],
        }


def declared_once(declarations: tuple[TemplateDeclaration, ...]) -> None:
    """A name and language declared twice is a programming error."""
    seen: set[tuple[str, str]] = set()
    for declaration in declarations:
        key = (declaration.name, declaration.language)
        if key in seen:
            raise ValueError(f"template {declaration.name} ({declaration.language}) declared twice")
        seen.add(key)
