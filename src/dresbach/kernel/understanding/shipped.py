"""The example and evaluation files shipped inside the package, read with importlib.resources.

The only module of the understanding tier that reads anything; the rest is pure and takes
the text from its caller.
"""

from __future__ import annotations

from importlib.resources import files

from dresbach.kernel.understanding.examples import Example, parse_examples
from dresbach.kernel.understanding.model import Model, train

EXAMPLES_FILE = "examples.pt-BR.txt"
EVALUATION_FILE = "evaluation.pt-BR.txt"


def read_text(name: str) -> str:
    return files(__package__).joinpath(name).read_text(encoding="utf-8")


def examples() -> tuple[Example, ...]:
    """The training examples."""
    return parse_examples(read_text(EXAMPLES_FILE))


def evaluation_set() -> tuple[Example, ...]:
    """The held-out utterances; never for training."""
    return parse_examples(read_text(EVALUATION_FILE))


def trained_model() -> Model:
    """A model trained on the shipped examples (the caller keeps it: one per process)."""
    return train(examples())
