"""From a ranking to what the conversation should do: go, ask which of two, or ask again.

- `Sure(intent)`: the top intent is confident and clearly ahead: go there.
- `Unsure(first, second)`: the top two are too close to call: "Você quis dizer…?" with both.
- `Lost()`: nothing recognised, too little confidence, or the message is about something we do
  not handle (the `out_of_scope` examples): ask to rephrase once, then offer a person.

The two thresholds are the confidence floor and the ambiguity margin of Rasa's fallback. They
were chosen by cross-validation on the example file (`tuning.choose_thresholds`, run by
`python -m bench.understanding --tune`), never on the evaluation file.
"""

from __future__ import annotations

from dataclasses import dataclass

from dresbach.kernel.understanding.model import Guess, Ranking

# The intent of the examples we do not handle (weather, football, jokes…): always `Lost`.
OUT_OF_SCOPE = "out_of_scope"

# Below this confidence in the top intent the message is not understood.
LOST_FLOOR = 0.40
# When the runner-up is within this much of the top intent, ask which of the two.
AMBIGUITY_MARGIN = 0.25


@dataclass(frozen=True, slots=True, kw_only=True)
class Thresholds:
    floor: float = LOST_FLOOR
    margin: float = AMBIGUITY_MARGIN


@dataclass(frozen=True, slots=True)
class Sure:
    intent: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Unsure:
    """Two intents to offer, most likely first; never `out_of_scope`."""

    first: Guess
    second: Guess

    @property
    def intents(self) -> tuple[str, str]:
        return (self.first.intent, self.second.intent)


@dataclass(frozen=True, slots=True)
class Lost:
    """Not understood; `best` is the top guess when there was one (for logs and tuning)."""

    best: Guess | None = None


Decision = Sure | Unsure | Lost


def decide(ranking: Ranking, thresholds: Thresholds | None = None) -> Decision:
    """What to do with a message ranked by the model."""
    limits = thresholds or Thresholds()
    if len(ranking.guesses) < 2:
        return Lost(ranking.top)
    top, runner_up = ranking.guesses[0], ranking.guesses[1]
    if top.intent == OUT_OF_SCOPE or top.confidence < limits.floor:
        return Lost(top)
    if top.confidence - runner_up.confidence < limits.margin:
        second = next(
            (guess for guess in ranking.guesses[1:] if guess.intent != OUT_OF_SCOPE), None
        )
        if second is not None:
            return Unsure(top, second)
    return Sure(top.intent, top.confidence)
