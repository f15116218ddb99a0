"""`dresbach …` run in-process, for the tests where a process of its own adds nothing.

The same entry point as the installed script (`dresbach.cli.main.main`), the same environment as
a process would get (os.environ plus the given variables, put back afterwards), stdin fed from a
string, stdout and stderr captured, the exit code returned (argparse's `SystemExit` included).
What is about the process itself (serve, signals, file modes, a port) stays a subprocess.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Mapping, Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from unittest import mock

from dresbach.cli.main import main


@dataclass(frozen=True)
class Ran:
    """What `subprocess.run(..., capture_output=True, text=True)` would have given."""

    returncode: int
    stdout: str
    stderr: str


def run_dresbach(
    args: Sequence[str],
    env: Mapping[str, str],
    *,
    stdin: str = "",
    unset: Sequence[str] = (),
) -> Ran:
    """`dresbach ARGS` with `env` over the current environment, minus the `unset` variables."""
    out, err = io.StringIO(), io.StringIO()
    with mock.patch.dict(os.environ, env), mock.patch.object(sys, "stdin", io.StringIO(stdin)):
        for name in unset:
            os.environ.pop(name, None)
        os.environ.update(env)
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exit_:
                code = (
                    exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
                )
    return Ran(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())
