"""Files an operator sends from the console: an image (JPEG or PNG, up to 5 MB) or a PDF (up
to 100 MB), what WhatsApp carries as an image or a document (Meta's "Supported media types").
The type is read from the file's first bytes, never from its name or the browser's word. The
file is kept in `media_blobs` under `op-<hand-off>-<random>` until the sender uploads it
(`POST /{phone-number-id}/media`) and sends it by the id Meta gives; it goes with the outbox's
retention, and with the customer's data on erasure."""

from __future__ import annotations

import re
import uuid

from dresbach.features.handoff.model import SentFile
from dresbach.features.handoff.records import HandOffError
from dresbach.platform.inbound.media import LIMITS, MB

PREFIX = "op-"
NO_FILE = "Escolha um arquivo antes de enviar."
WRONG_TYPE = "Este arquivo não pode ser enviado: escolha uma imagem (JPG ou PNG) ou um PDF."
TOO_BIG = "O arquivo tem {size} MB; para {what} o WhatsApp aceita até {limit} MB."
WHAT = {"image": "uma imagem", "document": "um PDF"}
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image", "image/png", "png"),
    (b"\xff\xd8\xff", "image", "image/jpeg", "jpg"),
    (b"%PDF-", "document", "application/pdf", "pdf"),
)
LARGEST = max(LIMITS["image"].size, LIMITS["document"].size)
"""Read at most this much (plus one byte) of an upload."""
_UNSAFE = re.compile(r"[^\w.\- ]+")


def file_prefix(handoff_id: int) -> str:
    return f"{PREFIX}{handoff_id}-"


def _name(filename: str, extension: str) -> str:
    base = _UNSAFE.sub("", filename.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    stem = base.rsplit(".", 1)[0][:200] if base else "arquivo"
    return f"{stem or 'arquivo'}.{extension}"


def sent_file(handoff_id: int, data: bytes, filename: str) -> SentFile:
    """The file as it will go, or `HandOffError` (pt-BR) saying why it cannot."""
    if not data:
        raise HandOffError(NO_FILE)
    found = next((s for s in _SIGNATURES if data.startswith(s[0])), None)
    if found is None:
        raise HandOffError(WRONG_TYPE)
    _, kind, mime_type, extension = found
    limit = LIMITS[kind].size
    if len(data) > limit:
        size = f"{len(data) / MB:.1f}".replace(".", ",")
        raise HandOffError(TOO_BIG.format(size=size, what=WHAT[kind], limit=limit // MB))
    return SentFile(
        ref=f"{file_prefix(handoff_id)}{uuid.uuid4().hex[:16]}",
        kind=kind,
        filename=_name(filename, extension),
        mime_type=mime_type,
        data=data,
    )
