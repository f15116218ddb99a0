"""The import rules of pyproject.toml hold today, and each of them can fail: for every contract,
one violation planted in a copy of the package breaks that contract and no other.

A plant is a line appended to a module (or a new module, for a part a feature has not grown
yet); the copy is checked by import-linter's own contract classes in one process
(tests/support/import_contracts.py), and the real tree by the `lint-imports` command itself."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.import_contracts import contracts_of

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = ROOT / "pyproject.toml"
CONTRACTS = [contract["name"] for contract in contracts_of(PYPROJECT)]

PLANTS: dict[str, dict[str, str]] = {
    "Rings of the house": {
        "dresbach/kernel/text.py": "import dresbach.platform.whatsapp.errors",
    },
    "Tech Ops and Área do Cliente are independent": {
        "dresbach/features/techops/leads.py": "import dresbach.features.client_area.credentials",
    },
    "Privacidade needs neither Tech Ops nor the Área do Cliente": {
        "dresbach/features/privacy/flow/erasure.py": "import dresbach.features.techops.flow.labels",
    },
    "Adapters know nothing of flows, services, the web or the command line": {
        "dresbach/platform/whatsapp/client.py": "import dresbach.kernel.machine.router",
    },
    "The kernel and every feature's flow and model do no I/O": {
        "dresbach/features/payments/model.py": "import os",
    },
    "Reports are computed from plain rows, apart from the rest": {
        "dresbach/features/reports/stats.py": "import dresbach.kernel.text",
    },
    "The site checks reason without I/O": {
        "dresbach/features/sitecheck/diagnosis.py": "import asyncio",
    },
    "Inside the Área do Cliente: registration > service > records/adapters > flow > model": {
        "dresbach/features/client_area/model.py": "import dresbach.features.client_area.service",
    },
    "Inside the FAQ: registration > matcher/lint > answer files/flow > model": {
        "dresbach/features/faq/model.py": "import dresbach.features.faq.knowledge",
    },
    "Inside the hand-off: registration > service > records/adapters > flow > model": {
        "dresbach/features/handoff/model.py": "import dresbach.features.handoff.service",
    },
    "Inside the incidents: registration > service > records > ahead > texts > model": {
        "dresbach/features/incidents/model.py": "import dresbach.features.incidents.texts",
    },
    "Inside the menu: registration > flow": {
        "dresbach/features/menu/feature.py": '"""The menu\'s registration."""',
        "dresbach/features/menu/flow/table.py": "import dresbach.features.menu.feature",
    },
    "Inside the operators: registration > service": {
        "dresbach/features/operators/feature.py": '"""The operators\' registration."""',
        "dresbach/features/operators/service.py": "import dresbach.features.operators.feature",
    },
    "Inside payments: registration > service > records/adapters > Pix code > model": {
        "dresbach/features/payments/model.py": "import dresbach.features.payments.pix",
    },
    "Inside Privacidade: registration > service > records > flow > model": {
        "dresbach/features/privacy/model.py": "import dresbach.features.privacy.flow.answers",
    },
    "Inside the reports: overview > charts > axes > svg > texts": {
        "dresbach/features/reports/texts.py": "import dresbach.features.reports.overview",
    },
    "Inside scheduling: registration > service > records/adapters > invitation > model": {
        "dresbach/features/scheduling/model.py": "import dresbach.features.scheduling.invitation",
    },
    "Inside the site checks: registration > checks/diagnosis > probes/ticket > wording > model": {
        "dresbach/features/sitecheck/results.py": "import dresbach.features.sitecheck.replies",
    },
    "Inside Tech Ops: registration > service > records > flow > model": {
        "dresbach/features/techops/model.py": "import dresbach.features.techops.flow.labels",
    },
    "The features form a DAG: funnels over the capabilities they use": {
        "dresbach/features/payments/model.py": "import dresbach.features.scheduling.model",
    },
    "The unit of work is opened only by the door and the pipeline": {
        "dresbach/platform/outbound/sender.py": "import dresbach.platform.store.unit_of_work",
    },
}


def _all_but_python(folder: str, names: list[str]) -> list[str]:
    """What the copy leaves out: every file but the modules (templates, data, caches)."""
    return [
        name
        for name in names
        if name == "__pycache__" or not (name.endswith(".py") or (Path(folder) / name).is_dir())
    ]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bool]]:
    """Each plant, and whether each contract held with it (one process for all of them)."""
    copy = tmp_path_factory.mktemp("planted") / "src"
    shutil.copytree(
        ROOT / "src" / "dresbach",
        copy / "dresbach",
        ignore=_all_but_python,
    )
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.import_contracts", str(PYPROJECT), str(copy)],
        input=json.dumps(PLANTS),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(copy), str(ROOT)])},
        check=True,
    )
    results: dict[str, dict[str, bool]] = json.loads(done.stdout)
    return results


def test_every_contract_has_a_planted_violation() -> None:
    assert sorted(PLANTS) == sorted(CONTRACTS)


def test_the_real_tree_keeps_every_contract() -> None:
    done = subprocess.run(
        [Path(sys.executable).parent / "lint-imports", "--no-cache", "--config", PYPROJECT],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in done.stdout


@pytest.mark.parametrize("contract", CONTRACTS)
def test_a_planted_violation_breaks_its_contract_and_no_other(
    contract: str, planted: dict[str, dict[str, bool]]
) -> None:
    kept = planted[contract]
    assert kept[contract] is False, f"{PLANTS[contract]} did not break {contract!r}"
    assert [name for name, held in kept.items() if not held] == [contract]
