"""What the understanding tier costs, how well it does, and where its knobs come from.

    make bench-understanding                 # = python -m bench.understanding [--rounds N]:
                                             # latency per message (p50/p99) and memory
    python -m bench.understanding --eval     # accuracy on the held-out evaluation file
    python -m bench.understanding --tune     # cross-validation on the example file: the
                                             # softmax sharpness and the decision thresholds
    python -m bench.understanding --grid     # cross-validation over feature shapes (~2 min)

Latency is the whole path a message takes (normalise, features, scores, softmax, decision),
timed one message at a time over every utterance of both files and a set of long rambling
messages, after one warm-up pass. Two clocks: the thread's CPU time (what the tier costs; the
budget is checked on it) and the wall clock (which also counts the time the process waited
for a core: on a busy shared machine its tail says more about the machine than the code).
Memory is measured with tracemalloc: what the trained model keeps (after training's
temporaries are freed) and the peak while training (the budget is checked on both); and the
process's resident set before and after the first training (Linux), which also counts the
interpreter's own arenas, for what `ps` would show.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import statistics
import sys
import time
import tracemalloc

from dresbach.kernel.understanding import (
    AMBIGUITY_MARGIN,
    LOST_FLOOR,
    Recipe,
    decide,
    evaluate,
    report,
    shipped,
    train,
)
from dresbach.kernel.understanding.decision import Thresholds
from dresbach.kernel.understanding.features import FeatureShape
from dresbach.kernel.understanding.tuning import (
    SHARPNESSES,
    calibration_error,
    choose_sharpness,
    choose_thresholds,
    cross_validate,
    log_loss,
    mean_cost,
)

BUDGET_MS = 1.0
BUDGET_MB = 10.0

RAMBLES = (
    "Bom dia, tudo bem com vocês? Olha, eu não sei bem com quem falar, mas desde ontem à noite "
    "o site da minha loja não abre de jeito nenhum, já testei no celular, no computador do "
    "escritório, pedi pra minha irmã testar na casa dela e nada, aparece uma página branca e "
    "às vezes um erro 500, e eu tenho clientes esperando pedidos, vocês conseguem ver isso "
    "pra mim o quanto antes? Obrigada desde já, aguardo retorno.",
    "oi boa tarde eu sou o contador da empresa e to precisando das faturas dos ultimos seis "
    "meses com as notas fiscais porque o auditor pediu e eu nao acho nada no email do dono que "
    "ja saiu da empresa entao se vcs puderem mandar por aqui ou por email eu agradeço muito e "
    "tambem queria saber se da pra trocar o email de cobrança pro meu",
    "Prezados, venho por meio desta mensagem solicitar informações sobre a adequação da nossa "
    "empresa à Lei Geral de Proteção de Dados, pois temos cerca de cento e vinte funcionários, "
    "um sistema próprio de gestão hospedado em nuvem e precisamos de uma avaliação de "
    "segurança e de arquitetura antes da auditoria do nosso maior cliente no próximo trimestre.",
)


def timings(rounds: int) -> tuple[list[float], list[float]]:
    """Milliseconds per message: (CPU time of this thread, wall clock)."""
    model = shipped.trained_model()
    texts = [e.text for e in (*shipped.examples(), *shipped.evaluation_set())] + list(RAMBLES)
    for text in texts:  # warm-up
        decide(model.rank(text))
    cpu: list[float] = []
    wall: list[float] = []
    for _ in range(rounds):
        for text in texts:
            started_cpu, started_wall = time.thread_time_ns(), time.perf_counter_ns()
            decide(model.rank(text))
            wall.append((time.perf_counter_ns() - started_wall) / 1e6)
            cpu.append((time.thread_time_ns() - started_cpu) / 1e6)
    return cpu, wall


def percentiles(times: list[float]) -> tuple[float, float, float]:
    """(p50, p99, max) of `times`."""
    ordered = sorted(times)
    return statistics.median(ordered), ordered[int(0.99 * (len(ordered) - 1))], ordered[-1]


def memory() -> tuple[float, float]:
    """(MB the trained model keeps, MB at the peak of training)."""
    examples = shipped.examples()
    gc.collect()
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    model = train(examples)
    gc.collect()
    after, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert model.vocabulary > 0
    return (after - before) / 2**20, (peak - before) / 2**20


def resident_mb() -> float | None:
    """This process's resident set size now (Linux), in MB; None where /proc is absent."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
    except OSError:
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def cost(rounds: int) -> int:
    gc.collect()
    rss_before = resident_mb()
    started = time.perf_counter()
    model = shipped.trained_model()
    trained = time.perf_counter() - started
    gc.collect()
    rss_after = resident_mb()
    cpu, wall = timings(rounds)
    kept, peak = memory()
    cpu_p50, cpu_p99, cpu_max = percentiles(cpu)
    wall_p50, wall_p99, wall_max = percentiles(wall)
    rss = None if rss_before is None or rss_after is None else rss_after - rss_before
    rows: list[tuple[str, str, str]] = [
        ("training (ms)", f"{trained * 1000:.0f}", ""),
        ("latency, CPU time p50 (ms)", f"{cpu_p50:.3f}", ""),
        ("latency, CPU time p99 (ms)", f"{cpu_p99:.3f}", f"<= {BUDGET_MS}"),
        ("latency, CPU time max (ms)", f"{cpu_max:.3f}", ""),
        ("latency, wall clock p50 (ms)", f"{wall_p50:.3f}", ""),
        ("latency, wall clock p99 (ms)", f"{wall_p99:.3f}", ""),
        ("latency, wall clock max (ms)", f"{wall_max:.3f}", ""),
        ("memory the model keeps (MB, tracemalloc)", f"{kept:.2f}", f"<= {BUDGET_MB}"),
        ("memory at the peak of training (MB, tracemalloc)", f"{peak:.2f}", f"<= {BUDGET_MB}"),
        ("process RSS added by training (MB)", "-" if rss is None else f"{rss:.2f}", ""),
    ]
    print(
        f"understanding tier: {model.vocabulary} features; {len(cpu)} messages timed "
        f"({rounds} rounds over the held-out file, the example file and {len(RAMBLES)} long ones)"
    )
    width = max(len(name) for name, _, _ in rows)
    print(f"{'measure':<{width}}  {'value':>8}  budget")
    for name, value, budget in rows:
        print(f"{name:<{width}}  {value:>8}  {budget}".rstrip())
    within = cpu_p99 <= BUDGET_MS and max(kept, peak) <= BUDGET_MB
    print("within budget" if within else "OVER BUDGET")
    return 0 if within else 1


def evaluation() -> int:
    print(report(evaluate(shipped.trained_model(), shipped.evaluation_set())))
    return 0


def tune() -> int:
    examples = shipped.examples()
    recipe = Recipe()
    by_sharpness = cross_validate(examples, recipe, sharpnesses=SHARPNESSES)
    for sharpness, predictions in sorted(by_sharpness.items()):
        print(f"sharpness {sharpness:<5} log loss {log_loss(predictions):.4f}")
    sharpness = choose_sharpness(by_sharpness)
    predictions = by_sharpness[sharpness]
    chosen = choose_thresholds(predictions)
    shipped_thresholds = Thresholds(floor=LOST_FLOOR, margin=AMBIGUITY_MARGIN)
    right = sum(
        p.ranking.top is not None and p.ranking.top.intent == p.example.intent for p in predictions
    )
    print(f"cross-validated top-1 accuracy {right / len(predictions):.1%}")
    print(f"calibration error {calibration_error(predictions):.3f}")
    print(f"chosen: sharpness {sharpness} (shipped {recipe.sharpness})")
    print(
        f"chosen: floor {chosen.floor}, margin {chosen.margin}, mean cost "
        f"{mean_cost(predictions, chosen):.4f}; shipped: floor {LOST_FLOOR}, margin "
        f"{AMBIGUITY_MARGIN}, mean cost {mean_cost(predictions, shipped_thresholds):.4f}"
    )
    return 0


def grid() -> int:
    examples = shipped.examples()
    rows = []
    shapes = ((2, 4), (2, 5), (1, 4), (3, 5))
    for (shortest, longest), pairs, smoothing, word_weight in itertools.product(
        shapes, (True, False), (0.3, 1.0, 2.0), (1.0, 2.0, 3.0, 5.0)
    ):
        recipe = Recipe(
            shape=FeatureShape(shortest=shortest, longest=longest, word_pairs=pairs),
            smoothing=smoothing,
            word_weight=word_weight,
        )
        predictions = cross_validate(examples, recipe)[recipe.sharpness]
        right = sum(
            p.ranking.top is not None and p.ranking.top.intent == p.example.intent
            for p in predictions
        )
        rows.append((right / len(predictions), shortest, longest, pairs, smoothing, word_weight))
        print(
            f"{rows[-1][0]:.4f} n-grams {shortest}-{longest} pairs {pairs} "
            f"smoothing {smoothing} word weight {word_weight}",
            flush=True,
        )
    print("best:", *sorted(rows, reverse=True)[:5], sep="\n  ")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--eval", action="store_true", help="accuracy on the evaluation file")
    mode.add_argument("--tune", action="store_true", help="cross-validate sharpness, thresholds")
    mode.add_argument("--grid", action="store_true", help="cross-validate feature shapes")
    parser.add_argument(
        "--rounds", type=int, default=5, help="timed passes over the messages (default 5)"
    )
    args = parser.parse_args(argv)
    if args.eval:
        return evaluation()
    if args.tune:
        return tune()
    if args.grid:
        return grid()
    return cost(args.rounds)


if __name__ == "__main__":
    sys.exit(main())
