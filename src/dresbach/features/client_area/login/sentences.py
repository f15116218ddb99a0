"""The document prompt of the login, and sentences typed where the login expects a CPF/CNPJ or
a password.

At the document prompt a message made of words, not of a number, is read as a sentence: a
forgotten password, someone who is not a client yet, a problem with a site or an e-mail, or
anything else. A document inside a sentence ("meu CPF é 529.982.247-25") is still found. At the
password prompt only a clear "esqueci minha senha" is taken for a sentence: anything else may be
the password. Nothing of what was typed is repeated back, in any case: it may be a password.
"""

from __future__ import annotations

from typing import Literal

from dresbach.features.client_area.flow import slots as s
from dresbach.features.client_area.flow.answers import (
    asks_to_pay,
    note,
    pay_elsewhere,
    reask,
    says,
    typed,
)
from dresbach.features.client_area.flow.labels import BUTTONS
from dresbach.features.client_area.flow.texts import SITE, TEXTS
from dresbach.features.client_area.states import ClientArea
from dresbach.kernel.documents import Document, DocumentError, normalize_document, parse_document
from dresbach.kernel.machine.machine import Outcome, Turn
from dresbach.kernel.messages import Button, Buttons, Text
from dresbach.kernel.text import matches_keyword, normalize

Sentence = Literal["forgot_password", "not_a_client", "problem", "other"]

PASSWORD_WORDS = ("senha", "password", "senhas")
FORGETTING = (
    "esqueci",
    "esqueceu",
    "esqueco",
    "esquecida",
    "lembro",
    "lembrar",
    "lembra",
    "perdi",
    "recuperar",
    "redefinir",
    "resetar",
    "trocar",
    "mudar",
    "alterar",
    "nova",
    "qual",
)
FORGETTING_PHRASES = ("nao sei", "nao tenho", "nao lembro", "nao recordo")
NOT_A_CLIENT = (
    "nao sou cliente",
    "ainda nao sou",
    "nao tenho conta",
    "nao tenho cadastro",
    "nao possuo conta",
    "nao possuo cadastro",
    "quero ser cliente",
    "quero contratar",
    "contratar",
    "quero assinar",
    "novo cliente",
    "sou novo",
    "primeira vez",
    "conhecer",
    "planos",
    "quanto custa",
    "orcamento",
)
PROBLEM = (
    "fora do ar",
    "caiu",
    "caido",
    "nao funciona",
    "nao esta funcionando",
    "parou",
    "erro",
    "problema",
    "nao abre",
    "nao carrega",
    "lento",
    "invadido",
    "hackeado",
    "virus",
    "nao recebo",
    "nao envia",
    "nao consigo",
    "urgente",
    "ajuda",
    "suporte",
    "site",
    "email",
    "e mail",
    "dominio",
    "hospedagem",
)
_STRIP = "()[]{}.,:;!?\"'“”‘’"

HUMAN = Button(id="go:human", title=BUTTONS["human"])
MENU = Button(id="go:menu", title=BUTTONS["menu"])
DOCUMENT_ERRORS = {
    "empty": "not_a_document",
    "characters": "document_characters",
    "length": "document_length",
    "letters": "document_letters",
    "repeated": "document_repeated",
    "check_digits": "document_invalid",
}
"""The catalog's answer to each reason a document is refused: none repeats what was typed."""


def document_typed(turn: Turn) -> Outcome:
    """What was typed at the document prompt: a document goes on to the password; anything
    else is answered, without repeating it."""
    text = typed(turn) or ""
    found = read_document(text)
    if isinstance(found, Document):
        return Outcome(
            goto=ClientArea.PASSWORD,
            slots={
                s.DOCUMENT: found.value,
                s.DOCUMENT_MASKED: found.masked,
                s.DOCUMENT_KIND: found.kind,
            },
        )
    if asks_to_pay(text):
        return pay_elsewhere(again=True)
    if isinstance(found, DocumentError):  # never quoted: it may be a password typed too soon
        return reask(TEXTS[DOCUMENT_ERRORS[found.reason]])
    if found == "forgot_password":
        return note(TEXTS["forgot_password"].format(site=SITE))
    if found == "not_a_client":
        return Outcome(
            say=(Buttons(body=TEXTS["not_a_client"], buttons=(MENU, HUMAN)),), prompt=False
        )
    if found == "problem":  # understood: sorry, and where to go
        return Outcome(say=(Text(body=TEXTS["problem"]),))
    return reask(TEXTS["not_a_document"])


def read_document(text: str) -> Document | DocumentError | Sentence:
    """The document typed at the document prompt, why it is not one, or the sentence it is."""
    try:
        return parse_document(text)
    except DocumentError as error:
        refused = error
    if not _wordy(text):
        return refused
    candidates = [token.strip(_STRIP) for token in text.split() if _has_digit(token)]
    if len(candidates) > 1:
        candidates.append(" ".join(candidates))
    tried: DocumentError | None = None
    for candidate in candidates:
        try:
            return parse_document(candidate)
        except DocumentError as error:
            if _looks_tried(candidate):
                tried = tried or error
    return tried or sentence(text)


def sentence(text: str) -> Sentence:
    if _forgot(normalize(text)):
        return "forgot_password"
    if says(text, *NOT_A_CLIENT):
        return "not_a_client"
    if says(text, *PROBLEM):
        return "problem"
    return "other"


def forgot_password(text: str) -> bool:
    """Whether a message typed at the password prompt says the password was forgotten: a short
    sentence without digits ("esqueci minha senha", "não lembro a senha"), never a password."""
    words = normalize(text)
    count = len(words.split())
    if _has_digit(text) or not 1 <= count <= 8:
        return False
    if count == 1:
        return words in ("esqueci", "esqueceu")
    return _forgot(words) or says(words, "esqueci", "nao lembro", "perdi")


def _forgot(words: str) -> bool:
    split = words.split()
    names_it = any(matches_keyword(word, name) for word in split for name in PASSWORD_WORDS)
    return names_it and (
        any(matches_keyword(word, verb) for word in split for verb in FORGETTING)
        or says(words, *FORGETTING_PHRASES)
    )


def _wordy(text: str) -> bool:
    """No digit at all, or a word of letters: a sentence, not a mistyped number."""
    if not _has_digit(text):
        return True
    return any(w.isalpha() and len(w) >= 2 for w in normalize(text).split())


def _looks_tried(candidate: str) -> bool:
    """A token long enough to be a document attempt (its error is then the helpful answer)."""
    try:
        return len(normalize_document(candidate)) >= 8
    except DocumentError:
        return False


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)
