"""The benchmarks start as the README says (`python bench/<name>.py`), from the repository, with the
fakes they measure against living in tests/fakes, outside the product."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("script", ["run.py", "scale_out.py", "understanding.py"])
def test_each_bench_script_starts_and_explains_itself(script: str) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout
