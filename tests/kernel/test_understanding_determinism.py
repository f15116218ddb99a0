"""The understanding tier answers alike in every process, whatever Python's hash seed.

String hashing is salted per process (PYTHONHASHSEED), so any set or dict order that leaked
into a sum or a tie-break would make two processes disagree on a message near a threshold.
"""

from __future__ import annotations

import os
import subprocess
import sys

PROGRAM = """
import hashlib
from dresbach.kernel.understanding import decide, shipped
model = shipped.trained_model()
digest = hashlib.sha256()
for example in (*shipped.examples(), *shipped.evaluation_set()):
    ranking = model.rank(example.text)
    digest.update(repr((ranking, decide(ranking))).encode())
print(model.vocabulary, digest.hexdigest())
"""


def run_with_hash_seed(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_two_processes_with_different_hash_seeds_rank_every_utterance_identically() -> None:
    first = run_with_hash_seed("1")
    assert first
    assert run_with_hash_seed("4242") == first
