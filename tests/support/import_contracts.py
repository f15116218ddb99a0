"""The import contracts of pyproject.toml, checked with import-linter's own contract classes.

Run as a script inside a copy of the package (`PYTHONPATH=<copy>/src`), it plants each violation
it reads on stdin (JSON: `{name: {relative path: line appended}}`) into the copy, builds the
import graph, checks every contract, takes the planted lines out again and prints, as JSON, which
contracts each planted violation broke. One process for every plant: the graph of ~300 modules
builds in a fraction of a second, without a cache (a file changes between two builds).

`python -m tests.support.import_contracts --graph` prints the graph of the features (who imports
whom, directly), the one the contract "The features form a DAG" is read from."""

from __future__ import annotations

import copy
import json
import sys
import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Any

import grimp
from importlinter.configuration import configure
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.independence import IndependenceContract
from importlinter.contracts.layers import LayersContract
from importlinter.contracts.protected import ProtectedContract
from importlinter.domain.contract import Contract

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "dresbach"
CONTRACT_TYPES: dict[str, type[Contract]] = {
    "forbidden": ForbiddenContract,
    "independence": IndependenceContract,
    "layers": LayersContract,
    "protected": ProtectedContract,
}


def contracts_of(pyproject: Path) -> list[dict[str, Any]]:
    """The contracts as pyproject.toml writes them, in order."""
    config = tomllib.loads(pyproject.read_text("utf-8"))["tool"]["importlinter"]
    return list(config["contracts"])


def build_graph() -> grimp.ImportGraph:
    """The graph of the package found on sys.path, as `lint-imports` builds it."""
    return grimp.build_graph(PACKAGE, include_external_packages=True, cache_dir=None)


def check(graph: grimp.ImportGraph, contracts: list[dict[str, Any]]) -> dict[str, bool]:
    """Each contract's name, and whether the graph keeps it."""
    configure()
    session = {"root_packages": [PACKAGE], "include_external_packages": "True"}
    kept: dict[str, bool] = {}
    for options in contracts:
        options = {key: _as_option(value) for key, value in options.items()}
        contract = CONTRACT_TYPES[options["type"]](
            name=options["name"], session_options=session, contract_options=options
        )
        kept[options["name"]] = contract.check(copy.deepcopy(graph), verbose=False).kept
    return kept


def _as_option(value: object) -> Any:
    """TOML's booleans as import-linter's readers hand them over (text)."""
    return str(value) if isinstance(value, bool) else value


def plant_each(
    source: Path, plants: dict[str, dict[str, str]], contracts: list[dict[str, Any]]
) -> dict[str, dict[str, bool]]:
    """For each plant: its lines appended to the copy under `source`, then every contract
    checked, then the copy as it was. A plant creates a module only with a docstring line (a
    part a feature has not grown yet); otherwise a module that moved away is an error."""
    results: dict[str, dict[str, bool]] = {}
    for name, lines in plants.items():
        before: dict[Path, str | None] = {}
        for relative, line in lines.items():
            path = source / relative
            if not path.exists() and not line.startswith('"""'):
                raise FileNotFoundError(f"{relative}: a plant adds to a module that exists")
            before[path] = path.read_text("utf-8") if path.exists() else None
            path.write_text((before[path] or "") + f"\n{line}  # planted\n", "utf-8")
        try:
            results[name] = check(build_graph(), contracts)
        finally:
            for path, text in before.items():
                if text is None:
                    path.unlink()
                else:
                    path.write_text(text, "utf-8")
    return results


def feature_graph(graph: grimp.ImportGraph) -> dict[str, set[str]]:
    """Which feature imports which other feature, directly (the kernel and platform left out)."""
    prefix = f"{PACKAGE}.features."
    uses: dict[str, set[str]] = defaultdict(set)
    for importer in (m for m in graph.modules if m.startswith(prefix)):
        feature = importer.removeprefix(prefix).split(".")[0]
        for imported in graph.find_modules_directly_imported_by(importer):
            if imported.startswith(prefix):
                other = imported.removeprefix(prefix).split(".")[0]
                if other != feature:
                    uses[feature].add(other)
    return dict(uses)


def main(argv: list[str]) -> int:
    if argv == ["--graph"]:
        for feature, others in sorted(feature_graph(build_graph()).items()):
            print(f"{feature} -> {', '.join(sorted(others))}")
        return 0
    pyproject, source = Path(argv[0]), Path(argv[1])
    plants = json.loads(sys.stdin.read())
    print(json.dumps(plant_each(source, plants, contracts_of(pyproject))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
