"""Meta's rules for a Flow JSON, checked before it is uploaded: what WhatsApp would refuse (or
show broken) found here, with the screen and component that break it.

Pure: a parsed document in, a list of problems out (empty when it passes). The rules come from
Meta's pages "Flow JSON" (developers.facebook.com/docs/whatsapp/flows/reference/flowjson) and
"Components" (…/flowjson/components), as far as a test can hold them:

* `version` is a Flow JSON version ("7.3"); `screens` is a non-empty list.
* A screen `id` is unique, upper case letters and underscores here (our house rule; Meta takes
  letters and underscores), and never `SUCCESS`: Meta reserves it for the endpoint's answer that
  closes the Flow.
* At least one screen is `terminal`, and a terminal screen has a `Footer`.
* A Flow that talks to an endpoint (a `data_exchange` action) declares `data_api_version`
  ("3.0") and a `routing_model`; the routing model names every screen and only screens, gives a
  screen at most 10 next screens, holds forward routes only (no cycle: WhatsApp provides
  "back"), has an entry screen and reaches every screen from it.
* Every `${data.x}` is declared in the screen's `data`, each declaration with its
  `__example__`; every `${form.x}` is the `name` of an input of the same screen; input names are
  unique in a screen; a `navigate` action goes to a screen of the Flow.
* At most 50 components a screen; text limits: `TextHeading` and `TextSubheading` 80
  characters, `TextBody` 4096, `TextCaption` 409; an input's `label` 20 and its `helper-text`
  80; a `Footer`'s `label` 35; a static `Dropdown` has 1 to 200 options whose `title` has at
  most 30 characters; `TextInput`'s `input-type` is one Meta knows and `min-chars` ≤
  `max-chars`. Dynamic values (`${…}`) are checked by the endpoint's answers, not here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, Final

RESERVED_SCREEN: Final = "SUCCESS"
DATA_API_VERSIONS: Final = frozenset({"3.0"})
OLDEST_VERSION: Final = (3, 0)
MAX_COMPONENTS: Final = 50
MAX_ROUTES: Final = 10
MAX_OPTIONS: Final = 200

SCREEN_ID: Final = re.compile(r"^[A-Z][A-Z_]*$")
VERSION: Final = re.compile(r"^(\d+)\.(\d+)$")
REFERENCE: Final = re.compile(r"\$\{(form|data)\.([A-Za-z0-9_]+)\}")

TEXT_LIMITS: Final[Mapping[str, int]] = {
    "TextHeading": 80,
    "TextSubheading": 80,
    "TextBody": 4096,
    "TextCaption": 409,
}
INPUTS: Final = frozenset(
    {
        "TextInput",
        "TextArea",
        "Dropdown",
        "RadioButtonsGroup",
        "CheckboxGroup",
        "DatePicker",
        "CalendarPicker",
        "OptIn",
        "ChipsSelector",
        "PhotoPicker",
        "DocumentPicker",
    }
)
LABELLED: Final = frozenset({"TextInput", "TextArea", "Dropdown"})
"""Inputs whose `label` Meta limits to 20 characters."""
COMPONENTS: Final = INPUTS | frozenset(
    {
        *TEXT_LIMITS,
        "RichText",
        "Footer",
        "EmbeddedLink",
        "Image",
        "ImageCarousel",
        "NavigationList",
        "If",
        "Switch",
        "Form",
    }
)
INPUT_TYPES: Final = frozenset({"text", "number", "email", "password", "passcode", "phone"})
ACTIONS: Final = frozenset({"navigate", "data_exchange", "complete", "update_data", "open_url"})
LABEL_MAX: Final = 20
HELPER_MAX: Final = 80
FOOTER_MAX: Final = 35
OPTION_TITLE_MAX: Final = 30


class FlowJsonError(ValueError):
    """A Flow JSON breaks Meta's rules; `problems` says where and how."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def check(flow: Mapping[str, Any]) -> None:
    """Raise `FlowJsonError` when `flow` breaks a rule."""
    found = problems(flow)
    if found:
        raise FlowJsonError(found)


def problems(flow: Mapping[str, Any]) -> list[str]:
    """Every rule `flow` breaks, one sentence each (empty: it passes)."""
    found: list[str] = []
    version = flow.get("version")
    matched = VERSION.match(version) if isinstance(version, str) else None
    if matched is None or (int(matched[1]), int(matched[2])) < OLDEST_VERSION:
        found.append(f"version: {version!r} is not a Flow JSON version such as '7.3'")
    screens = flow.get("screens")
    if not isinstance(screens, list) or not screens:
        return [*found, "screens: a non-empty list is required"]
    ids: list[str] = []
    for index, screen in enumerate(screens):
        if not isinstance(screen, Mapping):
            found.append(f"screens[{index}]: not an object")
            continue
        ids.append(str(screen.get("id")))
        found.extend(_screen(screen, index))
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        found.append(f"screens: ids {', '.join(duplicated)} are used twice")
    valid = [s for s in screens if isinstance(s, Mapping)]
    if not any(s.get("terminal") is True for s in valid):
        found.append("screens: no screen is terminal (terminal: true)")
    found.extend(_navigation(valid, set(ids)))
    found.extend(_endpoint(flow, valid, ids))
    return found


def _components(children: Any) -> Iterator[Mapping[str, Any]]:
    """Every component under `children`, depth first (inside `Form`, `If` and `Switch` too)."""
    if not isinstance(children, list):
        return
    for child in children:
        if not isinstance(child, Mapping):
            continue
        yield child
        yield from _components(child.get("children"))
        for branch in ("then", "else"):
            yield from _components(child.get(branch))
        cases = child.get("cases")
        if isinstance(cases, Mapping):
            for case in cases.values():
                yield from _components(case)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _static(value: Any) -> str | None:
    """`value` when it is a static string, None when dynamic (`${…}`) or not a string."""
    return value if isinstance(value, str) and "${" not in value else None


def _screen(screen: Mapping[str, Any], index: int) -> list[str]:
    screen_id = screen.get("id")
    where = f"screen {screen_id}" if isinstance(screen_id, str) else f"screens[{index}]"
    found: list[str] = []
    if not isinstance(screen_id, str) or not SCREEN_ID.match(screen_id):
        found.append(f"{where}: the id must be upper case letters and underscores")
    elif screen_id == RESERVED_SCREEN:
        found.append(f"{where}: SUCCESS is reserved by Meta for the answer that closes the Flow")
    declared = screen.get("data", {})
    if not isinstance(declared, Mapping):
        found.append(f"{where}: data must be an object")
        declared = {}
    for name, spec in declared.items():
        if not isinstance(spec, Mapping) or "__example__" not in spec or "type" not in spec:
            found.append(f"{where}: data.{name} needs a type and an __example__")
    layout = screen.get("layout")
    children = layout.get("children") if isinstance(layout, Mapping) else None
    if not isinstance(children, list):
        return [*found, f"{where}: layout.children is required"]
    components = list(_components(children))
    if len(components) > MAX_COMPONENTS:
        found.append(f"{where}: {len(components)} components, Meta allows {MAX_COMPONENTS}")
    names: list[str] = []
    for component in components:
        kind = component.get("type")
        if kind not in COMPONENTS:
            found.append(f"{where}: unknown component {kind!r}")
            continue
        found.extend(f"{where}, {kind}: {p}" for p in _limits(component))
        if kind in INPUTS:
            names.append(str(component.get("name")))
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        found.append(f"{where}: inputs named {', '.join(repeated)} more than once")
    if screen.get("terminal") is True and not any(c.get("type") == "Footer" for c in components):
        found.append(f"{where}: a terminal screen needs a Footer")
    for kind, name in sorted(
        {m.groups() for s in _strings(children) for m in REFERENCE.finditer(s)}
    ):
        if kind == "data" and name not in declared:
            found.append(f"{where}: ${{data.{name}}} is not declared in the screen's data")
        if kind == "form" and name not in names:
            found.append(f"{where}: ${{form.{name}}} names no input of the screen")
    return found


def _too_long(field: str, value: Any, limit: int) -> list[str]:
    text = _static(value)
    if text is not None and len(text) > limit:
        return [f"{field} has {len(text)} characters, Meta allows {limit} ({text!r})"]
    return []


def _limits(component: Mapping[str, Any]) -> list[str]:
    kind = str(component.get("type"))
    found: list[str] = []
    if kind in TEXT_LIMITS:
        text = component.get("text")
        if isinstance(text, str) and not text.strip():
            found.append("text is empty")
        found.extend(_too_long("text", text, TEXT_LIMITS[kind]))
    if kind in LABELLED:
        found.extend(_too_long("label", component.get("label"), LABEL_MAX))
    if kind in INPUTS:
        if not isinstance(component.get("name"), str) or not component.get("name"):
            found.append("an input needs a name")
        found.extend(_too_long("helper-text", component.get("helper-text"), HELPER_MAX))
    if kind == "TextInput":
        input_type = component.get("input-type", "text")
        if input_type not in INPUT_TYPES:
            found.append(f"input-type {input_type!r} is not one of {sorted(INPUT_TYPES)}")
        low, high = component.get("min-chars"), component.get("max-chars")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            found.append(f"min-chars {low} is above max-chars {high}")
    if kind == "Footer":
        found.extend(_too_long("label", component.get("label"), FOOTER_MAX))
    if kind == "Dropdown":
        found.extend(_options(component.get("data-source")))
    return found


def _options(source: Any) -> list[str]:
    if isinstance(source, str):
        return [] if source.startswith("${data.") else ["data-source must be a list or ${data.x}"]
    if not isinstance(source, list) or not 1 <= len(source) <= MAX_OPTIONS:
        return [f"data-source needs 1 to {MAX_OPTIONS} options"]
    found: list[str] = []
    for option in source:
        if not isinstance(option, Mapping) or not option.get("id"):
            found.append("an option needs an id and a title")
            continue
        found.extend(_too_long("option title", option.get("title"), OPTION_TITLE_MAX))
    return found


def _actions(screens: list[Mapping[str, Any]]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for screen in screens:
        layout = screen.get("layout")
        children = layout.get("children") if isinstance(layout, Mapping) else None
        for component in _components(children):
            for key, value in component.items():
                if key.startswith("on-") and key.endswith("-action") and isinstance(value, Mapping):
                    yield str(screen.get("id")), value


def _navigation(screens: list[Mapping[str, Any]], ids: set[str]) -> list[str]:
    found: list[str] = []
    for screen_id, action in _actions(screens):
        name = action.get("name")
        if name not in ACTIONS:
            found.append(f"screen {screen_id}: unknown action {name!r}")
        if name == "navigate":
            target = action.get("next", {})
            goes = target.get("name") if isinstance(target, Mapping) else None
            if goes not in ids:
                found.append(f"screen {screen_id}: navigate goes to {goes!r}, not a screen")
    return found


def _endpoint(
    flow: Mapping[str, Any], screens: list[Mapping[str, Any]], ids: list[str]
) -> list[str]:
    uses_endpoint = any(a.get("name") == "data_exchange" for _, a in _actions(screens))
    if not uses_endpoint and "data_api_version" not in flow:
        return []
    found: list[str] = []
    if flow.get("data_api_version") not in DATA_API_VERSIONS:
        found.append(
            f"data_api_version: {flow.get('data_api_version')!r}; a Flow with an endpoint "
            f"declares one of {sorted(DATA_API_VERSIONS)}"
        )
    routes = flow.get("routing_model")
    if not isinstance(routes, Mapping):
        return [*found, "routing_model: required for a Flow with an endpoint"]
    return found + _routes(routes, ids)


def _routes(routes: Mapping[str, Any], ids: list[str]) -> list[str]:
    found: list[str] = []
    graph: dict[str, list[str]] = {}
    for source, targets in routes.items():
        if source not in ids:
            found.append(f"routing_model: {source} is not a screen")
        if not isinstance(targets, list) or not all(t in ids for t in targets):
            found.append(f"routing_model: {source} must route to a list of screens")
            continue
        if len(targets) > MAX_ROUTES:
            found.append(f"routing_model: {source} has {len(targets)} routes, Meta allows 10")
        graph[source] = [str(t) for t in targets]
    missing = [i for i in ids if i not in routes]
    if missing:
        found.append(f"routing_model: {', '.join(missing)} missing")
    if found:
        return found
    entries = [i for i in ids if not any(i in targets for targets in graph.values())]
    if not entries:
        return ["routing_model: no entry screen (every screen is routed to)"]
    reached: set[str] = set()
    stack = list(entries)
    while stack:
        current = stack.pop()
        if current not in reached:
            reached.add(current)
            stack.extend(graph.get(current, []))
    unreached = [i for i in ids if i not in reached]
    if unreached:
        found.append(f"routing_model: {', '.join(unreached)} cannot be reached")
    if _cycle(graph):
        found.append("routing_model: holds a cycle; Meta takes forward routes only")
    return found


def _cycle(graph: Mapping[str, list[str]]) -> bool:
    done: set[str] = set()

    def visit(node: str, path: frozenset[str]) -> bool:
        if node in path:
            return True
        if node in done:
            return False
        done.add(node)
        return any(visit(nxt, path | {node}) for nxt in graph.get(node, []))

    return any(visit(node, frozenset()) for node in graph)
