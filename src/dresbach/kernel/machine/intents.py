"""Courtesy in free text (a greeting, thanks), in pt-BR, typos tolerated. What else a message
means is the understanding tier's (`kernel.understanding`, routed by `routes`)."""

from __future__ import annotations

from typing import Literal

from dresbach.kernel.text import matches_any_phrase, matches_word, normalize

Courtesy = Literal["greeting", "thanks"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_GREETINGS = ("oi", "oii", "oie", "ola", "opa", "bom dia", "boa tarde", "boa noite")
_THANKS: tuple[str, ...] = ("obrigado", "obrigada", "obg", "obgd", "brigado", "brigada")
_THANKS += ("valeu", "vlw", "agradeco", "agradecido", "agradecida", "grato", "grata")
_WITH_A_GREETING = _words(
    "oi oii oie ola opa bom boa dia tarde noite tudo td bem como vai voce vc pessoal gente "
    "assistente dresbach de novo novamente"
)
_WITH_THANKS = _WITH_A_GREETING | _words(
    "muito mto muitissimo pela pelo ajuda atencao retorno ah mesmo demais"
)
_AGREEING = _words("ok ta certo beleza blz perfeito otimo show entendi sim combinado")
"""Words that may also answer a question ("sim, obrigado"): such thanks are courtesy only
where nothing else was understood."""


def courtesy(text: str, *, agreeing: bool = True) -> Courtesy | None:
    """Whether a whole message is only a greeting ("bom dia", "oi, tudo bem?") or only thanks
    ("obrigada!", "valeu, boa noite"): thanks wins over a greeting said with it. Anything more
    ("bom dia, quero a segunda via") is not courtesy; with `agreeing` False, neither is thanks
    that also agrees ("ok, obrigado")."""
    words = normalize(text).split()
    if not words or len(words) > 8:
        return None
    allowed = _WITH_THANKS | _AGREEING if agreeing else _WITH_THANKS
    if any(matches_word(w, t) for w in words for t in _THANKS) and all(
        w in allowed or any(matches_word(w, t) for t in _THANKS) for w in words
    ):
        return "thanks"
    typed = " ".join(words)
    if matches_any_phrase(typed, _GREETINGS) and all(w in _WITH_A_GREETING for w in words):
        return "greeting"
    return None
