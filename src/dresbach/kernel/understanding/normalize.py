"""Folding what people type on WhatsApp into one spelling before it is understood.

`normalize` lowers the case, strips accents, folds punctuation to single spaces, squeezes
letters repeated for emphasis ("oiiii", "urgenteee"), drops laughter ("kkkk", "rsrs") and
expands the abbreviations Brazilians use in chats ("vc", "qro", "pq", "2a via"), so that the
examples and the messages meet on the same words.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
# A letter repeated for emphasis. "rr" and "ss" are Portuguese spellings ("erro", "senha" is
# safe, "acesso" is not), so they keep two letters; every other run folds to one.
_REPEATED = re.compile(r"([a-z])\1+")
_LAUGHTER = re.compile(r"k+|(?:ha)+h?|(?:he)+|(?:hue)+|(?:rs)+")

# Words that are always written apart in the examples and sometimes together (or the reverse).
_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\be mails?\b"), "email"),
    (re.compile(r"\b(?:2a?|2o|seg)\s*via\b"), "segunda via"),
    (re.compile(r"\bwhats app\b"), "whatsapp"),
)

# Chat abbreviations and their full words, as typed (after the squeeze above).
ABBREVIATIONS: dict[str, str] = {
    "vc": "voce",
    "vcs": "voces",
    "q": "que",
    "oq": "o que",
    "pq": "porque",
    "pqe": "porque",
    "porq": "porque",
    "qro": "quero",
    "qru": "quero",
    "kero": "quero",
    "qria": "queria",
    "keria": "queria",
    "tb": "tambem",
    "tbm": "tambem",
    "tmb": "tambem",
    "td": "tudo",
    "tds": "todos",
    "n": "nao",
    "naum": "nao",
    "hj": "hoje",
    "dps": "depois",
    "agr": "agora",
    "aq": "aqui",
    "aki": "aqui",
    "msg": "mensagem",
    "msgs": "mensagens",
    "cmg": "comigo",
    "pf": "por favor",
    "pfv": "por favor",
    "pfvr": "por favor",
    "pls": "por favor",
    "plz": "por favor",
    "obg": "obrigado",
    "obgd": "obrigado",
    "obgda": "obrigada",
    "vlw": "valeu",
    "blz": "beleza",
    "mt": "muito",
    "mto": "muito",
    "mta": "muita",
    "p": "para",
    "pra": "para",
    "pro": "para o",
    "pros": "para os",
    "pras": "para as",
    "qdo": "quando",
    "qnd": "quando",
    "qto": "quanto",
    "qnto": "quanto",
    "qnt": "quanto",
    "ta": "esta",
    "tah": "esta",
    "to": "estou",
    "tou": "estou",
    "tava": "estava",
    "eh": "e",
    "vdd": "verdade",
    "nd": "nada",
    "ngm": "ninguem",
    "dnv": "de novo",
    "vo": "vou",
    "cel": "celular",
    "zap": "whatsapp",
    "wpp": "whatsapp",
    "whats": "whatsapp",
    "nf": "nota fiscal",
    "nfe": "nota fiscal",
    "info": "informacao",
    "infos": "informacoes",
    "config": "configurar",
    "hosp": "hospedagem",
    "bdia": "bom dia",
    "ctz": "certeza",
    "msm": "mesmo",
    "tel": "telefone",
    "vlr": "valor",
}


def _squeeze_run(match: re.Match[str]) -> str:
    letter = match.group(1)
    return letter * 2 if letter in "rs" else letter


def squeeze(word: str) -> str:
    """Letters repeated for emphasis folded: "oiii" is "oi", "socorrrro" is "socorro"."""
    return _REPEATED.sub(_squeeze_run, word)


# The table as the normaliser meets it: both sides squeezed ("whatsapp" reads "whatsap").
_EXPANSIONS: dict[str, str] = {
    squeeze(short): " ".join(squeeze(w) for w in full.split())
    for short, full in ABBREVIATIONS.items()
}


def fold(text: str) -> str:
    """Lower case, no accents, punctuation folded to single spaces ("2ª" becomes "2a")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", ascii_only).strip()


def normalize(text: str) -> str:
    """`text` as the understanding tier reads it; idempotent, and "" when nothing is left."""
    folded = fold(text)
    for pattern, replacement in _PHRASES:
        folded = pattern.sub(replacement, folded)
    words: list[str] = []
    for raw in folded.split():
        word = squeeze(raw)
        if _LAUGHTER.fullmatch(word):
            continue
        words.append(_EXPANSIONS.get(word, word))
    return " ".join(words)
