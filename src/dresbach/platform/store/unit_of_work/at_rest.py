"""What is kept of a message: an inbound one masked (or not at all, when it may be a secret), an
outbound one masked, with the clear message sealed beside it for the sender."""

from __future__ import annotations

import logging
from typing import Any

import orjson

from dresbach.platform.observe.redaction import REDACTED, mask_documents_in
from dresbach.platform.store.sealing import Sealer

log = logging.getLogger(__name__)

FLOW_REPLY_STORED = "[formulário do WhatsApp concluído]"
"""What the inbox keeps of a Flow's completion (`nfm_reply`): never its response, which holds
the flow token."""


def redacted(payload: dict[str, Any]) -> dict[str, Any]:
    clean = dict(payload)
    if "text" in clean:
        clean["text"] = {"body": REDACTED}
    return clean


_META_FIELDS = frozenset(
    {"id", "from", "from_user_id", "timestamp", "type", "wa_id", "user_id", "sha256", "mime_type"}
)
"""Fields of an inbound message that Meta fills in (ids, numbers, kinds), never typed."""


def flow_reply_stored(payload: dict[str, Any]) -> dict[str, Any]:
    """A Flow's completion as the inbox keeps it: Meta's fields, a placeholder for the rest."""
    kept = {k: v for k, v in payload.items() if k in _META_FIELDS}
    return {**kept, "interactive": {"type": "nfm_reply", "nfm_reply": FLOW_REPLY_STORED}}


def meta_only(payload: dict[str, Any]) -> dict[str, Any]:
    """Meta's fields of an inbound message (ids, numbers, kind), nothing typed: what the inbox
    shows of a message between its arrival and its step."""
    return {k: v for k, v in payload.items() if k in _META_FIELDS}


def masked(payload: dict[str, Any]) -> Any:
    """An inbound message as it is kept: every text in it (body, caption, file name, shared
    contact…) with its CPF/CNPJ and card numbers masked; Meta's own fields as they are."""
    return mask_documents_in(payload, _META_FIELDS)


_NEVER_TYPED = frozenset({"t", "link", "media_id", "upload_ref", "name", "language"})
"""Fields of an outbound message that are ours (kinds, media references, template names)."""


def outbound_at_rest(encoded: dict[str, Any], sealer: Sealer | None) -> dict[str, Any]:
    """What the outbox keeps of a message: the message itself, unless it shows a CPF/CNPJ or a
    card (the customer's own, echoed for them to check), or is a Flow message (its token). Then
    it is kept masked, for the
    console's history and the copy of the data, with the clear message sealed beside it for the
    sender, who drops the seal once it is sent. Without a sealer, only the masked message is
    kept (and sent)."""
    masked = mask_documents_in(encoded, _NEVER_TYPED)
    if encoded.get("t") == "flow" and encoded.get("token"):  # a Flow's token: kept sealed
        masked = {**masked, "token": ""}
    if masked == encoded:
        return encoded
    if sealer is None:
        log.warning("an outbound message shows a document and there is no sealer: sent masked")
        return dict(masked)
    return {**masked, "sealed": sealer.seal(orjson.dumps(encoded).decode())}
