"""`dresbach flows diagram` and `dresbach flows lint`; the Flows keys are in `flows_keys`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dresbach.cli import flows_keys
from dresbach.features.registry import MACHINE
from dresbach.kernel.machine.diagram import markdown, replace_in
from dresbach.kernel.machine.lint import lint


def diagram(args: argparse.Namespace) -> int:
    generated = markdown(MACHINE.flows)
    if args.write:
        path = Path(args.write)
        path.write_text(replace_in(path.read_text("utf-8"), generated), "utf-8")
        print(f"{path}: diagramas atualizados.")
    else:
        print(generated)
    return 0


def lint_command(_args: argparse.Namespace) -> int:
    problems = lint(MACHINE)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problema(s) nos fluxos.", file=sys.stderr)
        return 1
    print("Fluxos ok: uma pergunta por mensagem, limites do WhatsApp, todos os estados com saída.")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    flows = sub.add_parser("flows", help="the conversation flows")
    inner = flows.add_subparsers(dest="flows_command", required=True)
    d = inner.add_parser("diagram", help="Mermaid diagrams generated from the flow tables")
    d.add_argument("--write", metavar="README", help="replace the generated block in this file")
    d.set_defaults(func=diagram)
    inner.add_parser("lint", help="check the house rules").set_defaults(func=lint_command)
    flows_keys.register(inner)
