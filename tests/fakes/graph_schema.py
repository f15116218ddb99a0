"""The fake Graph API's rules for what it receives, and how a broken rule is answered.

The rules are our own JSON Schemas (draft 2020-12) in ``schemas/``: ``messages.json`` for
``POST /{phone-number-id}/messages`` (every message type, and the read receipt with its typing
indicator), ``media.json`` for uploads and ``GET /{media-id}``. They were written from Meta's
OpenAPI description (``facebook/openapi``, ``business-messaging-api_v23.0.yaml``, MIT) and
Meta's reference pages; each place where the spec lags the pages says so in a ``$comment``.

A few of Meta's rules are beyond JSON Schema (unique button titles, at most 10 list rows across
all sections, an order's total); :func:`refusal_for` checks them in code after the schema.

A broken rule becomes the answer Meta gives (:class:`~tests.fakes.graph_refusals.Refusal`):
the schema's ``x-error-codes`` annotation names the code where Meta's differs from the default
(131008 for a missing parameter; 100 for an unexpected key, a wrong type or a value outside a
list; 131009 for any other invalid value), ``x-details`` the words.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Final

import orjson
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from tests.fakes.graph_refusals import JsonObject, Refusal, invalid, refused

__all__ = [
    "SCHEMAS",
    "check_media_query",
    "check_message",
    "check_upload",
    "media_answer_problems",
    "refusal_for",
    "schema",
]

SCHEMAS: Final = Path(__file__).with_name("schemas")

_DEFAULT_CODES: Final = {
    "required": 131008,
    "additionalProperties": 100,
    "type": 100,
    "enum": 100,
    "const": 100,
}
LIST_ROWS_MAX: Final = 10


@functools.cache
def schema(name: str) -> JsonObject:
    """The parsed schema file ``schemas/{name}.json``."""
    loaded: JsonObject = orjson.loads((SCHEMAS / f"{name}.json").read_bytes())
    return loaded


@functools.cache
def _validator(name: str, definition: str | None = None) -> Draft202012Validator:
    document = schema(name)
    if definition is not None:  # one of the file's $defs, with the others for its $refs
        document = {
            "$schema": document["$schema"],
            "$id": document["$id"],
            "$defs": document["$defs"],
            "$ref": f"#/$defs/{definition}",
        }
    return Draft202012Validator(document)


# ---- what the fake checks -----------------------------------------------------------------


def refusal_for(body: JsonObject) -> Refusal | None:
    """How Meta would refuse this ``/messages`` body, or ``None`` when it is acceptable."""
    error = best_match(_validator("messages").iter_errors(body))
    if error is not None:
        return _refusal(error)
    return _beyond_schema(body)


def check_message(body: JsonObject) -> None:
    """Raise the :class:`Refusal` Meta would give ``body``, if any."""
    refusal = refusal_for(body)
    if refusal is not None:
        raise refusal


def check_upload(form: JsonObject) -> None:
    """Check an upload, given as ``{messaging_product, type, file: {content_type, size}}``."""
    error = best_match(_validator("media", "upload").iter_errors(form))
    if error is not None:
        raise _refusal(error)


def check_media_query(query: JsonObject) -> None:
    """Check the query string of ``GET /{media-id}``."""
    error = best_match(_validator("media", "retrieval_query").iter_errors(query))
    if error is not None:
        raise _refusal(error)


def media_answer_problems(answer: JsonObject) -> list[str]:
    """What is wrong with an answer to ``GET /{media-id}`` (empty when it is Meta's shape)."""
    errors = _validator("media", "retrieval_answer").iter_errors(answer)
    return [_details(error) for error in errors]


# ---- from a schema error to Meta's answer ---------------------------------------------------


def _refusal(error: ValidationError) -> Refusal:
    annotations = error.schema if isinstance(error.schema, dict) else {}
    validator = str(error.validator)
    code = annotations.get("x-error-codes", {}).get(validator, _DEFAULT_CODES.get(validator))
    return refused(code or 131009, _details(error))


def _param(path: Sequence[str | int]) -> str:
    """``interactive['action']['buttons'][0]`` for the path, as Meta names a parameter."""
    if not path:
        return "the body"
    head, *rest = path
    return str(head) + "".join(f"[{p}]" if isinstance(p, int) else f"['{p}']" for p in rest)


def _value(error: ValidationError) -> Any:
    """The keyword's value in the schema (``20`` for ``maxLength: 20``)."""
    annotations = error.schema if isinstance(error.schema, dict) else {}
    return annotations.get(str(error.validator))


def _details(error: ValidationError) -> str:
    annotations = error.schema if isinstance(error.schema, dict) else {}
    validator, value = str(error.validator), _value(error)
    custom = annotations.get("x-details", {}).get(validator)
    if custom:
        return str(custom)
    param = _param(list(error.absolute_path))
    instance: Any = error.instance
    if validator == "required":
        absent = [name for name in value if name not in instance]
        name = absent[0] if absent else "?"
        inner = name if param == "the body" else f"{param}['{name}']"
        return f"The parameter {inner} is required."
    if validator == "additionalProperties":
        known = set(annotations.get("properties", {}))
        extra = sorted(key for key in instance if key not in known)
        return f'Unexpected key "{extra[0] if extra else "?"}" on param "{param}".'
    wording = _wording(validator, value)
    return f"Param {param} {wording}."


def _wording(validator: str, value: Any) -> str:
    """What a broken keyword says about its parameter, in Meta's manner."""
    match validator:
        case "maxLength":
            return f"must be at most {value} characters long"
        case "minLength":
            return "must not be empty" if value == 1 else f"must be at least {value} long"
        case "maxItems":
            return f"must have at most {value} items"
        case "minItems":
            return f"must have at least {value} item{'s' if value != 1 else ''}"
        case "maximum":
            return f"must be at most {value}"
        case "minimum":
            return f"must be at least {value}"
        case "pattern":
            return "has an invalid format"
        case "type":
            return f"must be of type {value if isinstance(value, str) else ' or '.join(value)}"
        case "enum":
            return "must be one of {" + ", ".join(map(str, value)) + "}"
        case "const":
            return f"must be {value!r}"
        case "minProperties":
            return "must not be empty"
    return "is not valid"


# ---- Meta's rules that JSON Schema cannot say ---------------------------------------------------


def _beyond_schema(body: JsonObject) -> Refusal | None:
    if body.get("type") != "interactive":
        return None
    interactive: JsonObject = body["interactive"]
    action: JsonObject = interactive["action"]
    kind = interactive["type"]
    if kind == "button":
        replies = [button["reply"] for button in action["buttons"]]
        if _repeated(reply["title"] for reply in replies):
            return invalid("Buttons titles must be unique.")
        if _repeated(reply["id"] for reply in replies):
            return invalid("Buttons ids must be unique.")
    elif kind == "list":
        rows = [row for section in action["sections"] for row in section["rows"]]
        if len(rows) > LIST_ROWS_MAX:
            return invalid(f"Total row count exceed max allowed count: {LIST_ROWS_MAX}")
        if _repeated(row["id"] for row in rows):
            return invalid("Row ids must be unique.")
    elif kind == "order_details":
        return _order_total(action["parameters"])
    return None


def _repeated(values: Iterator[str] | Sequence[str]) -> bool:
    seen = list(values)
    return len(set(seen)) != len(seen)


def _order_total(parameters: JsonObject) -> Refusal | None:
    """total_amount = subtotal + tax + shipping - discount, when the order is itemised."""
    order = parameters.get("order")
    if order is None:
        return None
    expected = order["subtotal"]["value"]
    for part, sign in (("tax", 1), ("shipping", 1), ("discount", -1)):
        if part in order:
            expected += sign * order[part]["value"]
    if parameters["total_amount"]["value"] != expected:
        return invalid(
            f"total_amount ({parameters['total_amount']['value']}) must equal subtotal + tax "
            f"+ shipping - discount ({expected})."
        )
    return None
