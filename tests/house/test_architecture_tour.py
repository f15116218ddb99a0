"""The README's architecture section, a guided tour of the tree, stays true to the tree.

Every path it names exists (a path in a table row or a diagram may be relative to a folder named
in the same row or diagram); every folder under `features/`, `platform/` and `kernel/` has its row
in "Where to find what"; every contract quoted in "The rules that keep it so" is one of
pyproject.toml's, and every one of pyproject.toml's is quoted there; the diagrams keep to the
plain `flowchart` syntax (there is no Mermaid here to render them, so a strict reader of that
syntax stands in for it). Each check is also shown to fail on a planted mistake."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.import_contracts import contracts_of

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "dresbach"
README = (ROOT / "README.md").read_text("utf-8")
START, END = "## Architecture\n", "\n## "
RULES, WHERE = "### The rules that keep it so", "### Where to find what"


def section(text: str = README) -> str:
    start = text.index(START)
    return text[start : text.index(END, start + 1)]


def subsection(title: str, text: str | None = None) -> str:
    tour = section() if text is None else text
    start = tour.index(title)
    end = tour.find("\n### ", start + 1)
    return tour[start : None if end < 0 else end]


# ---- paths -------------------------------------------------------------------------------------

PATH = re.compile(
    r"(?<![\w/.<-])[A-Za-z_][\w.<>-]*(?:/[\w.<>-]+)*(?:/|\.(?:py|md|txt|toml))(?![\w/])"
)
"""A file or folder as the tour writes it: `src/dresbach/web/`, `flow/table.py`, `<name>/`."""


def mermaid_blocks(text: str) -> list[str]:
    return re.findall(r"```mermaid\n(.*?)```", text, re.DOTALL)


def places(text: str) -> list[list[str]]:
    """The groups of paths the tour names: one group per diagram, per table row, per paragraph.

    In a diagram the paths are read from the node labels; elsewhere from the `code` spans."""
    groups = []
    for block in mermaid_blocks(text):
        labels = re.findall(r'"([^"]*)"', block.replace("<br/>", " "))
        groups.append([p for label in labels for p in PATH.findall(label)])
    prose = re.sub(r"```mermaid\n.*?```", "", text, flags=re.DOTALL)
    prose = re.sub(r"<!--.*?-->", "", prose, flags=re.DOTALL)
    for part in re.split(r"\n\s*\n|\n(?=\|)", prose):
        spans = re.findall(r"`([^`\n]+)`", part)
        groups.append([p for span in spans for p in PATH.findall(span) if PATH.fullmatch(span)])
    return [group for group in groups if group]


def resolved(path: str, base: Path) -> list[Path]:
    """What the path names under base; `<name>` stands for any one name."""
    pattern = re.sub(r"<[^>]+>", "*", path.rstrip("/"))
    found = list(base.glob(pattern)) if "*" in pattern else [base / pattern]
    return [p for p in found if (p.is_dir() if path.endswith("/") else p.is_file())]


def missing_paths(text: str) -> list[str]:
    """The paths that name nothing, even relative to a folder named in the same group."""
    missing = []
    for group in places(text):
        bases = [ROOT, PACKAGE]
        grew = True
        while grew:
            grew = False
            for path in group:
                for base in list(bases):
                    for found in resolved(path, base):
                        if found.is_dir() and found not in bases:
                            bases.append(found)
                            grew = True
        missing += [path for path in group if not any(resolved(path, base) for base in bases)]
    return missing


def test_every_path_the_tour_names_exists() -> None:
    assert places(section()), "the tour names no path at all: is the section still there?"
    assert missing_paths(section()) == []


def test_a_path_gone_away_is_seen() -> None:
    planted = section().replace("(`pipeline.py`)", "(`pipe.py`)")
    assert missing_paths(planted) == ["pipe.py"]


def folders_named(text: str) -> set[str]:
    rows = re.findall(r"^\|[^|\n]*\| `([^`]+)` \|", subsection(WHERE, text), re.MULTILINE)
    return set(rows)


def folders() -> list[str]:
    return [
        f"{folder.relative_to(ROOT).as_posix()}/"
        for ring in ("features", "platform", "kernel")
        for folder in sorted((PACKAGE / ring).iterdir())
        if folder.is_dir() and (folder / "__init__.py").is_file()
    ]


def test_every_feature_and_platform_folder_has_its_row() -> None:
    assert len(folders()) >= 18
    assert [folder for folder in folders() if folder not in folders_named(section())] == []


def test_a_folder_without_a_row_is_seen() -> None:
    planted = section().replace("| `src/dresbach/features/privacy/` |", "| `privacy` |")
    named = folders_named(planted)
    assert [folder for folder in folders() if folder not in named] == [
        "src/dresbach/features/privacy/"
    ]


# ---- the import rules --------------------------------------------------------------------------


def contracts_quoted(text: str) -> list[str]:
    rules = " ".join(subsection(RULES, text).split())  # a name may be wrapped over two lines
    return re.findall(r'"([^"]+)"', rules)


def test_the_rules_quote_every_contract_of_pyproject_and_no_other() -> None:
    contracts = [contract["name"] for contract in contracts_of(ROOT / "pyproject.toml")]
    quoted = contracts_quoted(section())
    assert [name for name in quoted if name not in contracts] == []
    assert [name for name in contracts if name not in quoted] == []


def test_a_contract_renamed_is_seen() -> None:
    planted = section().replace('"Rings of the house"', '"Rings of the home"')
    contracts = [contract["name"] for contract in contracts_of(ROOT / "pyproject.toml")]
    assert [name for name in contracts_quoted(planted) if name not in contracts] == [
        "Rings of the home"
    ]


# ---- the diagrams ------------------------------------------------------------------------------

RESERVED = {"end", "subgraph", "graph", "flowchart", "direction", "style", "class", "classDef"}
RESERVED |= {"click", "linkStyle", "default", "call", "href"}
QUOTED = r'"[^"]*"'
BARE = r'[^()\[\]"|<>]*'
SHAPE = "|".join(
    (
        rf"\[\({QUOTED}\)\]",
        rf"\(\({QUOTED}\)\)",
        rf"\(\({BARE}\)\)",
        rf"\[{QUOTED}\]",
        rf"\[{BARE}\]",
    )
)
"""A node's shape and label: a cylinder, a circle (quoted or bare), a box (quoted or bare)."""
NODE = re.compile(rf"(?P<id>[A-Za-z][A-Za-z0-9_]*)(?P<shape>{SHAPE})?")
EDGE = re.compile(rf"\s+(?:<-->|-->|-\.->|==>|--\s(?:{QUOTED}|[^\"\-<>|]+?)\s-->)\s+")


def label_problems(label: str) -> list[str]:
    """A label may break a line up (`<br/>`), but holds no markup, entity or statement end."""
    text = label.replace("<br/>", "")
    quoted = re.fullmatch(r'[\[(]*"[^"]*"[\])]*', text) is not None
    bad = [c for c in "#`<>&" + ("" if quoted else ";") if c in text]
    return [f"label {label!r} holds {bad}"] if bad else []


def mermaid_problems(block: str) -> list[str]:
    """What a strict reader of plain `flowchart` syntax finds wrong with a diagram."""
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    if not lines or not re.fullmatch(r"flowchart (LR|RL|TB|TD|BT)", lines[0]):
        return [f"not a flowchart: {lines[:1]}"]
    problems: list[str] = []
    open_groups: list[str] = []
    groups: set[str] = set()
    defined: dict[str, str] = {}
    used: set[str] = set()
    for line in lines[1:]:
        if line.startswith("%%"):
            continue
        if line == "end":
            if not open_groups:
                problems.append("an `end` with no subgraph open")
            else:
                open_groups.pop()
            continue
        if match := re.fullmatch(rf"subgraph (\w+)(\[{QUOTED}\])?", line):
            open_groups.append(match[1])
            groups.add(match[1])
            problems += label_problems(match[2] or "")
            continue
        position, nodes = 0, []
        while True:
            node = NODE.match(line, position)
            if node is None:
                problems.append(f"no node at {line[position:]!r}")
                break
            nodes.append(node)
            position = node.end()
            if position == len(line):
                break
            edge = EDGE.match(line, position)
            if edge is None:
                problems.append(f"no edge at {line[position:]!r}")
                break
            problems += label_problems(re.sub(r"^\s*--\s|\s-->\s*$|^\s*\S+\s*$", "", edge[0]))
            position = edge.end()
        for node in nodes:
            name, shape = node["id"], node["shape"]
            if name in RESERVED or name[0] in "ox":
                problems.append(f"node id {name!r} would be read as a keyword or an edge end")
            if shape:
                if name in defined and defined[name] != shape:
                    problems.append(f"node {name!r} defined twice")
                defined[name] = shape
                problems += label_problems(shape)
            if len(nodes) > 1:
                used.add(name)
    if open_groups:
        problems.append(f"subgraphs never closed: {open_groups}")
    problems += [f"an edge ends at a subgraph: {name}" for name in sorted(used & groups)]
    problems += [f"a node without a label: {name}" for name in sorted(used - set(defined))]
    return problems


def test_the_tour_draws_the_rings_and_a_feature_from_the_inside() -> None:
    blocks = mermaid_blocks(section())
    assert len(blocks) >= 3
    assert [problem for block in blocks for problem in mermaid_problems(block)] == []
    rings = next(block for block in blocks if "kernel/" in block and "features/" in block)
    order = ["web/", "bootstrap.py", "config.py", "features/", "platform/", "kernel/"]
    assert [rings.index(ring) for ring in order] == sorted(rings.index(ring) for ring in order)


@pytest.mark.parametrize(
    ("planted", "problem"),
    [
        ("flowchart TB\n    A --> B\n", "a node without a label: A"),
        ('flowchart TB\n    subgraph s["x"]\n    A["a"]\n', "subgraphs never closed: ['s']"),
        ('flowchart TB\n    end["a"] --> B["b"]\n', "would be read as a keyword"),
        ('flowchart TB\n    A["a &amp; b"] --> B["b"]\n', "holds ['&']"),
        ("flowchart TB\n    A[a; b] --> B[b]\n", "holds [';']"),
        ('flowchart TB\n    A["a"] -> B["b"]\n', "no edge at"),
        ('flowchart TB\n    subgraph s["x"]\n    end\n    A["a"] --> s\n', "ends at a subgraph"),
    ],
)
def test_a_broken_diagram_is_seen(planted: str, problem: str) -> None:
    assert any(problem in found for found in mermaid_problems(planted)), mermaid_problems(planted)
