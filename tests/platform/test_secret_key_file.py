"""The embedded key file: processes that start together (`serve`, `worker`) agree on one key."""

from __future__ import annotations

import stat
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from dresbach.platform.store.sealing import Sealer

PROCESSES = 8
ROUNDS = 25


def _open_key(path: str) -> str:
    """In a fresh process: the key's fingerprint, or the error that stopped it starting."""
    try:
        return Sealer.from_file(Path(path)).lookup_key("12345678909")
    except Exception as error:
        return f"failed: {type(error).__name__}: {error}"


def test_processes_starting_together_create_one_key_and_all_use_it(tmp_path: Path) -> None:
    with ProcessPoolExecutor(PROCESSES) as pool:
        for n in range(ROUNDS):
            key_file = tmp_path / f"round{n}" / "var" / "secret.key"
            fingerprints = set(pool.map(_open_key, [str(key_file)] * PROCESSES))
            assert len(fingerprints) == 1, f"round {n}: {sorted(fingerprints)}"
            assert not next(iter(fingerprints)).startswith("failed")
            assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
            assert [p.name for p in key_file.parent.iterdir()] == ["secret.key"]


def test_a_key_file_that_exists_is_used_as_it_is(tmp_path: Path) -> None:
    key_file = tmp_path / "secret.key"
    key_file.write_text("ab" * 32 + "\n")
    assert Sealer.from_file(key_file).lookup_key("x") == Sealer.from_text("ab" * 32).lookup_key("x")
    assert key_file.read_text() == "ab" * 32 + "\n"
