"""`dresbach faq lint` and `dresbach faq match "texto"`: the FAQ's answers, checked and tried."""

from __future__ import annotations

import argparse
import sys

from dresbach.features.faq import knowledge, matcher
from dresbach.features.faq.rules import lint_files
from dresbach.kernel.understanding import Lost, Sure, Unsure


def lint_command(_args: argparse.Namespace) -> int:
    files = knowledge.answer_files()
    problems = lint_files(files, frozenset(matcher.NOT_ANSWERED))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problema(s) nas respostas.", file=sys.stderr)
        return 1
    print(
        f"Respostas ok ({len(files)}): cabem no WhatsApp, não fazem pergunta, sem preços, "
        "com perguntas de exemplo e próximo passo."
    )
    return 0


def _percent(confidence: float) -> str:
    return f"{confidence:.0%}"


def match_command(args: argparse.Namespace) -> int:
    found = matcher.shipped()
    decision = found.decision(args.text)
    answer = found.match(args.text)
    if answer is not None:
        assert isinstance(decision, Sure)
        print(f"Resposta: {answer.id} ({answer.title}), confiança {_percent(decision.confidence)}")
        print(f"Se não resolver: {answer.next_step}")
        print()
        print(answer.text)
    elif isinstance(decision, Sure):
        print(f"Nenhuma resposta: é outro assunto ({decision.intent}).")
    elif isinstance(decision, Unsure):
        first, second = decision.first, decision.second
        print(
            f"Nenhuma resposta: dúvida entre {first.intent} ({_percent(first.confidence)}) "
            f"e {second.intent} ({_percent(second.confidence)})."
        )
    else:
        assert isinstance(decision, Lost)
        best = decision.best
        guess = f" (melhor palpite: {best.intent}, {_percent(best.confidence)})" if best else ""
        print(f"Nenhuma resposta: não entendi{guess}.")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    faq = sub.add_parser("faq", help="the FAQ: answers before logins")
    inner = faq.add_subparsers(dest="faq_command", required=True)
    inner.add_parser("lint", help="check the answers' house rules").set_defaults(func=lint_command)
    m = inner.add_parser("match", help="show which answer a message finds")
    m.add_argument("text", help="the message, as a customer would type it")
    m.set_defaults(func=match_command)
