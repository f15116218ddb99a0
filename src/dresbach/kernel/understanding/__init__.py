"""The understanding tier: what a customer's free text means, offline and deterministic.

A pure package: no I/O, no clock, no randomness. The caller passes the example file's text
(`shipped` is the one module that reads the files shipped with the package).

    model = train(parse_examples(text))
    decide(model.rank("qro a 2a via do boleto"))   # Sure(intent='billing', ...)
"""

from dresbach.kernel.understanding.decision import (
    AMBIGUITY_MARGIN,
    LOST_FLOOR,
    OUT_OF_SCOPE,
    Decision,
    Lost,
    Sure,
    Thresholds,
    Unsure,
    decide,
)
from dresbach.kernel.understanding.evaluation import (
    INTENT_FLOOR,
    OVERALL_FLOOR,
    Evaluation,
    evaluate,
    report,
    short_of_floors,
)
from dresbach.kernel.understanding.examples import (
    Example,
    ExampleFileError,
    intents_of,
    parse_examples,
)
from dresbach.kernel.understanding.model import Guess, Model, Ranking, Recipe, train
from dresbach.kernel.understanding.normalize import normalize

__all__ = [
    "AMBIGUITY_MARGIN",
    "INTENT_FLOOR",
    "LOST_FLOOR",
    "OUT_OF_SCOPE",
    "OVERALL_FLOOR",
    "Decision",
    "Evaluation",
    "Example",
    "ExampleFileError",
    "Guess",
    "Lost",
    "Model",
    "Ranking",
    "Recipe",
    "Sure",
    "Thresholds",
    "Unsure",
    "decide",
    "evaluate",
    "intents_of",
    "normalize",
    "parse_examples",
    "report",
    "short_of_floors",
    "train",
]
