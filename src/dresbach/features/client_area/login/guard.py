"""No payment ever leaves the Área do Cliente: the last check before one of its messages is sent.

Refused, anywhere in what the customer would read or open (texts, captions, titles, media links):
- a Pix "copia e cola" (a token starting with ``000201``, or the ``br.gov.bcb.pix`` GUI);
- a boleto line: 44 digits or more in one run (the bar code has 44, the digitable line 47 or
  48), spaced, dotted or not;
- a payment link: a URL (with a scheme, ``www.``, or a host with a path) whose host or path
  contains ``pay``, ``pagar``, ``pagamento``, ``boleto``, ``checkout``, ``invoice.php`` or
  ``viewinvoice``, or whose query holds one of them as a whole word (a one-time panel link
  carries a random token, which may spell "pay" by chance).

What the billing and hosting systems send (ticket replies, DNS records, invoice items) goes
through `scrub` before it is shown, so a stray link there is removed instead of blocking the
whole message. The runtime calls the guard with the conversation before and after each step.
"""

from __future__ import annotations

import re

from dresbach.kernel.conversation import Conversation
from dresbach.kernel.messages import Document, Image, Message, UrlButton, visible_texts

_PIX = re.compile(r"(?<![0-9A-Za-z])000201\S{20,}|br\.gov\.bcb\.pix\S*", re.IGNORECASE)
_BOLETO = re.compile(r"(?<!\d)\d(?:[ .\-\u00a0\u2009\u202f]{0,3}\d){43,}")
_URL = re.compile(  # possessive, and never started mid-host: linear on any text
    r"(?:https?://|www\.)[^\s<>\"']+"
    r"|(?<![a-z0-9.-])(?:[a-z0-9-]++\.)++[a-z]{2,}+/[^\s<>\"']*",
    re.IGNORECASE,
)
PAYMENT_WORDS = ("pay", "pagar", "pagamento", "boleto", "checkout", "invoice.php", "viewinvoice")

REMOVED = "[removido]"
_QUERY_WORDS = frozenset({"pay", "payment", "pagar", "pagamento", "boleto", "checkout"})


def _payment_link(url: str) -> bool:
    lowered = url.lower()
    cut = min((i for i in (lowered.find("?"), lowered.find("#")) if i >= 0), default=len(lowered))
    address, query = lowered[:cut], lowered[cut:]
    if any(word in address for word in PAYMENT_WORDS):
        return True
    words = set(re.split(r"[^a-z]+", query))
    return bool(words & _QUERY_WORDS) or "viewinvoice" in query or "invoice.php" in query


def payment_content(text: str) -> str | None:
    """What kind of payment `text` carries ("pix", "boleto", "link"), or None."""
    if _PIX.search(text):
        return "pix"
    if _BOLETO.search(text):
        return "boleto"
    if any(_payment_link(m.group()) for m in _URL.finditer(text)):
        return "link"
    return None


def scrub(text: str) -> str:
    """`text` without any Pix code, boleto line or payment link (each replaced by a marker)."""
    text = _PIX.sub(REMOVED, text)
    text = _BOLETO.sub(REMOVED, text)
    return _URL.sub(lambda m: REMOVED if _payment_link(m.group()) else m.group(), text)


def _readable(message: Message) -> tuple[str, ...]:
    links: tuple[str, ...] = ()
    if isinstance(message, Document | Image) and message.link:
        links = (message.link,)
    elif isinstance(message, UrlButton):
        links = (message.url,)
    filename = (message.filename,) if isinstance(message, Document) and message.filename else ()
    return (*visible_texts(message), *links, *filename)


def guard(conversation: Conversation, message: Message) -> str | None:
    """Why `message` must not be sent from `conversation`, or None."""
    if conversation.place.flow != "client_area":
        return None
    for text in _readable(message):
        found = payment_content(text)
        if found is not None:
            return f"Área do Cliente: a payment ({found}) in a message"
    return None
