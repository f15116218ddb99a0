"""Reading what the customer typed in the funnel: areas, sizes, deadlines, yes and no, e-mail
addresses, names and price questions. Accents, case and small typos are tolerated."""

from __future__ import annotations

import re

from dresbach.kernel.text import edit_distance, matches_any_phrase, matches_phrase, normalize

AREA_WORDS: dict[str, tuple[str, ...]] = {
    "security": ("seguranca", "invasao", "ataque", "vulnerabilidade", "hacker", "pentest"),
    "architecture": ("arquitetura", "escalabilidade", "nuvem", "cloud", "microsservicos"),
    "lgpd": ("lgpd", "governanca", "privacidade", "protecao de dados", "dados pessoais"),
    "technical": ("tecnico", "infraestrutura", "servidor", "desempenho", "lentidao"),
}
AREA_NUMBERS = {"1": "technical", "2": "security", "3": "architecture", "4": "lgpd"}


def area_of(typed: str) -> str | None:
    """The area a typed answer names (its number in the list, or its words), if exactly one."""
    text = normalize(typed)
    if text in AREA_NUMBERS:
        return AREA_NUMBERS[text]
    found = {area for area, phrases in AREA_WORDS.items() if matches_any_phrase(text, phrases)}
    if not found and matches_phrase(text, "diagnostico"):
        return "technical"
    return found.pop() if len(found) == 1 else None


_NUMBER = re.compile(r"\d+")
_SOLO = ("so eu", "sozinho", "sozinha", "autonomo", "autonoma", "mei", "apenas eu")


def size_of(typed: str) -> str | None:
    """The size bucket of a typed answer: "Só eu", or a head count such as "uns 30"."""
    text = normalize(typed)
    if matches_any_phrase(text, _SOLO):
        return "solo"
    number = _NUMBER.search(typed.replace(".", ""))  # "1.500" is fifteen hundred
    if number is None:
        return None
    count = int(number.group())
    if count <= 0:
        return None
    if count == 1:
        return "solo"
    if count < 10:
        return "2-9"
    if count < 50:
        return "10-49"
    if count < 250:
        return "50-249"
    return "250+"


_URGENCY_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("flexible", ("sem pressa", "sem urgencia", "nao e urgente", "tranquilo", "sem prazo")),
    ("urgent", ("urgente", "urgencia", "imediato", "hoje", "agora", "ja", "amanha")),
    ("weeks", ("semanas", "semana", "este mes", "esse mes", "proximo mes", "mes que vem")),
)
URGENCY_NUMBERS = {"1": "urgent", "2": "weeks", "3": "flexible"}


def urgency_of(typed: str) -> str | None:
    text = normalize(typed)
    if text in URGENCY_NUMBERS:
        return URGENCY_NUMBERS[text]
    for urgency, phrases in _URGENCY_WORDS:
        if matches_any_phrase(text, phrases):
            return urgency
    return None


_YES = {"sim", "s", "ok", "okay", "pode", "pode ser", "certo", "isso", "claro", "correto"}
_YES |= {"esta certo", "tudo certo", "ta certo", "confirmo", "beleza", "perfeito", "isso mesmo"}
_YES |= {"sim pode ser", "pode sim", "quero", "sim quero", "bora", "vamos"}
_NO = {"nao", "n", "agora nao", "nao obrigado", "nao obrigada", "depois", "talvez depois"}
_NO |= {"nao quero", "deixa pra la", "deixa para la", "mais tarde"}


_THANKS = {"obrigado", "obrigada", "obg", "valeu", "vlw", "grato", "grata"}
"""Said with a yes or a no ("sim, obrigada"): the answer is the yes or the no."""


def _answer(typed: str) -> str:
    return " ".join(w for w in normalize(typed).split() if w not in _THANKS)


def is_yes(typed: str) -> bool:
    return _answer(typed) in _YES


def is_no(typed: str) -> bool:
    return normalize(typed) in _NO or _answer(typed) in _NO


def says(typed: str, *phrases: str) -> bool:
    """Whether the typed text contains one of the phrases (typos tolerated)."""
    text = normalize(typed)
    return any(matches_phrase(text, normalize(p)) for p in phrases)


# -- e-mail -------------------------------------------------------------------------------------

COMMON_DOMAINS = (
    "gmail.com",
    "hotmail.com",
    "hotmail.com.br",
    "outlook.com",
    "outlook.com.br",
    "live.com",
    "yahoo.com",
    "yahoo.com.br",
    "icloud.com",
    "uol.com.br",
    "bol.com.br",
    "terra.com.br",
)
_ENDING_TYPOS = {
    ".con": ".com",
    ".cmo": ".com",
    ".comm": ".com",
    ".vom": ".com",
    ".xom": ".com",
    ".con.br": ".com.br",
    ".cm.br": ".com.br",
    ".com.bt": ".com.br",
    ".com.vr": ".com.br",
    ".combr": ".com.br",
}


def likely_domain(domain: str) -> str | None:
    """The domain the customer probably meant, when `domain` looks like a typo of a common one."""
    if domain in COMMON_DOMAINS:
        return None
    for wrong, right in _ENDING_TYPOS.items():
        if domain.endswith(wrong):
            fixed = domain.removesuffix(wrong) + right
            return likely_domain(fixed) or fixed
    near = [(edit_distance(domain, known, 2), known) for known in COMMON_DOMAINS]
    distance, best = min(near)
    return best if distance <= 2 else None


# -- names and companies ------------------------------------------------------------------------


def company_of(typed: str) -> str | None:
    """A company name: 2 to 100 characters with at least one letter or digit."""
    company = " ".join(typed.split())
    if not 2 <= len(company) <= 100 or sum(ch.isalnum() for ch in company) < 2:
        return None
    return company


# -- price questions ----------------------------------------------------------------------------

PRICE_PHRASES = (
    "quanto custa",
    "quanto custaria",
    "custa quanto",
    "qto custa",
    "qnto custa",
    "quanto fica",
    "qto fica",
    "quanto sai",
    "quanto cobram",
    "quanto cobra",
    "quanto voces cobram",
    "quanto vou pagar",
    "quanto pago",
    "qual o valor",
    "qual e o valor",
    "qual valor",
    "valor",
    "valores",
    "preco",
    "precos",
    "orcamento",
    "orcamentos",
    "custo",
    "custos",
    "cobram",
    "investimento",
    "tabela de precos",
)
_ASKING = {"quanto", "qual", "quais", "qto", "qnto", "vcs", "voces", "tem", "como", "e"}


def is_price_question(typed: str) -> bool:
    """Whether a message asks what something costs. A long message that merely mentions a
    budget ("queremos um orçamento para migrar…") is an answer, not a question."""
    text = normalize(typed)
    words = text.split()
    if not words or not matches_any_phrase(text, PRICE_PHRASES):
        return False
    if len(words) <= 4:
        return True
    asking = "?" in typed or words[0] in _ASKING
    return asking and len(words) <= 20
