"""What a typed reply to the offer (or to an expired Pix) means. Only a clear yes creates a charge:
a negation ("não quero pagar agora"), a question ("posso pagar no cartão?"), an objection ("achei
caro") or a doubt ("e se eu não gostar?") is answered, and the offer stays open. A word such as
"pagar" inside a longer sentence is never taken for a yes on its own.

The order matters: what the sentence asks about (a refund, another way to pay, the fee) is read
before whether it says no, and whether it says no before whether it says yes.
"""

from __future__ import annotations

import re
from typing import Literal

from dresbach.features.techops.flow.answers import is_no, is_yes, says
from dresbach.kernel.text import normalize

Reply = Literal[
    "refund",
    "method",
    "pricey",
    "consultant",
    "no",
    "not_now",
    "how_to_pay",
    "question",
    "yes",
    "unclear",
]

REFUND = (
    "reembolso",
    "reembolsar",
    "reembolsavel",
    "reembolsa",
    "devolucao",
    "devolver",
    "devolvem",
    "devolve",
    "estorno",
    "estornar",
    "dinheiro de volta",
    "garantia",
    "nao gostar",
    "nao gostei",
    "arrependimento",
    "me arrepender",
    "desistir",
    "desisto",
)
METHODS = (
    "cartao",
    "credito",
    "debito",
    "boleto",
    "parcelar",
    "parcelado",
    "parcelada",
    "parcelas",
    "parcela",
    "parcelamento",
    "vezes",
    "transferencia",
    "ted",
    "doc",
    "paypal",
    "picpay",
    "dinheiro",
    "especie",
    "cheque",
    "deposito",
)
PRICEY = (
    "caro",
    "achei cara",
    "muito cara",
    "ta cara",
    "esta cara",
    "carissimo",
    "salgado",
    "puxado",
    "desconto",
    "descontos",
    "barato",
    "barata",
    "negociar",
    "negociavel",
    "abaixar",
    "baixar o valor",
    "promocao",
    "cupom",
    "valor alto",
    "muito alto",
)
CONSULTANT = ("consultor", "consultora", "especialista", "falar com alguem", "uma pessoa")
NOT_NOW = (
    "nao",
    "nem",
    "nunca",
    "depois",
    "mais tarde",
    "amanha",
    "outro dia",
    "semana que vem",
    "mes que vem",
    "pensar",
    "ainda",
    "talvez",
    "sem dinheiro",
)
DOUBT = ("mas", "duvida", "antes", "se eu")
PAYING = ("pagar", "pago", "pagamento", "pix", "pagar e agendar")
YES = (
    "quero pagar",
    "vou pagar",
    "pode gerar",
    "gera o pix",
    "gerar o pix",
    "gere o pix",
    "gera pix",
    "manda o pix",
    "mande o pix",
    "manda pix",
    "envia o pix",
    "pode mandar",
    "quero o pix",
    "pagar e agendar",
    "pagar",
    "pix",
    "quero agendar",
    "vamos agendar",
    "agendar",
    "fechado",
    "fechou",
    "vamos la",
    "bora",
    "pode seguir",
    "vamos seguir",
    "aceito",
    "quero contratar",
    "contratar",
)
QUESTION_WORDS = frozenset(
    {"como", "qual", "quais", "quando", "onde", "posso", "aceita", "aceitam", "tem", "da", "sera"}
)
CLEAR_YES_WORDS = 10
"""A clear yes is short: a longer message says more than yes, and is answered instead."""
_INSTALMENTS = re.compile(r"\b\d{1,2} ?x\b")


def is_question(typed: str) -> bool:
    words = normalize(typed).split()
    return "?" in typed or bool(words and words[0] in QUESTION_WORDS)


def reply_to_offer(typed: str) -> Reply:
    """What a typed reply to "Como você prefere seguir?" (pay, talk, not now) means."""
    text = normalize(typed)
    if says(text, *REFUND):
        return "refund"
    if says(text, *METHODS) or _INSTALMENTS.search(text):
        return "method"
    if says(text, *PRICEY):
        return "pricey"
    if says(text, *CONSULTANT):
        return "consultant"
    if is_no(text):
        return "no"
    if says(text, *NOT_NOW):
        return "not_now"
    if is_question(typed):
        return "how_to_pay" if says(text, *PAYING) else "question"
    if says(text, *DOUBT) or len(text.split()) > CLEAR_YES_WORDS:
        return "unclear"
    if is_yes(text) or says(text, *YES):
        return "yes"
    return "unclear"
