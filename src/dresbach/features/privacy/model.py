"""The data subject's rights (LGPD art. 18) as commands and events, and how long each kind of
record is kept.

What a WhatsApp user asks for in the `privacidade` flow becomes a job: a copy of what we hold
(portability, art. 18 II and V), a correction (III), or the anonymization of what the law does
not oblige us to keep (IV and VI; art. 16 for what stays). Each result comes back to the
conversation as an event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from dresbach.kernel.commands import Command
from dresbach.kernel.events import InternalEvent
from dresbach.kernel.hours import DAY as DAY
from dresbach.kernel.text import ERASED as ERASED

EXPORT_FILENAME = "meus-dados-dresbach.json"
EXPORT_MIME = "text/plain"
"""WhatsApp takes no `application/json` upload; a JSON file goes as text, named `.json`."""
READABLE_FILENAME = "meus-dados-dresbach.txt"
READABLE_MIME = "text/plain"
"""The same data as a person reads it, in pt-BR, sent before the JSON."""

CorrectableField = Literal["name", "email"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ExportPersonalData(Command):
    """Gather what we hold about this WhatsApp user into one document, sent twice: as pt-BR
    text to read, and as JSON to take elsewhere."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CountCorrectableData(Command):
    """Count this user's records that hold a name or an e-mail, before asking for a new one."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CorrectPersonalData(Command):
    """Replace the name or the e-mail in this user's records (the Tech Ops leads)."""

    field: CorrectableField
    value: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ErasePersonalData(Command):
    """Anonymize this user's conversation, messages, leads and hand-off context; payment
    records stay (a legal obligation), tied to the lead id only."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonalDataExported(InternalEvent):
    """The documents are stored as media blobs, sent by their upload references: the readable
    text (`text_ref`) and the JSON (`blob_ref`)."""

    blob_ref: str
    text_ref: str

    @property
    def kind(self) -> str:
        return "personal_data_exported"


@dataclass(frozen=True, slots=True, kw_only=True)
class CorrectableDataCounted(InternalEvent):
    """How many of this user's records hold a name and an e-mail (0: nothing to correct)."""

    names: int
    emails: int

    @property
    def kind(self) -> str:
        return "correctable_data_counted"


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonalDataCorrected(InternalEvent):
    field: CorrectableField
    records: int
    """How many records held the field (0: we had nothing to correct)."""

    @property
    def kind(self) -> str:
        return "personal_data_corrected"


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonalDataErased(InternalEvent):
    kept_payments: int
    """Payment records kept by law."""

    @property
    def kind(self) -> str:
        return "personal_data_erased"


@dataclass(frozen=True, slots=True, kw_only=True)
class PrivacyRequestFailed(InternalEvent):
    """A privacy job failed for good; the customer is told and given the DPO's contact."""

    request: str

    @property
    def kind(self) -> str:
        return "privacy_request_failed"


MIN_MESSAGES = timedelta(days=8)
"""Meta redelivers a webhook for up to 7 days: an inbox row is its deduplication key."""
MIN_ACCESS_LOG = timedelta(days=183)
"""Marco Civil da Internet (Lei 12.965/2014) art. 15: application access logs, six months."""
MIN_PAYMENTS = timedelta(days=1826)
"""CTN arts. 173/174: five years in which the tax authority may assess and collect."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Retention:
    """How long each kind of record is kept before the scheduled purge removes it."""

    inbox: timedelta = timedelta(days=180)
    """Messages received: a transcript is useful for support follow-ups for about six months."""
    outbox: timedelta = timedelta(days=180)
    """Messages sent: the other half of the same transcript."""
    conversations: timedelta = timedelta(days=180)
    """A conversation (profile name, answers in progress) silent this long starts afresh."""
    leads: timedelta = timedelta(days=365)
    """Tech Ops leads without news: a sales cycle, then deleted (anonymized when paid)."""
    handoffs: timedelta = timedelta(days=180)
    """Closed hand-offs and their context, like the transcript they belong to."""
    jobs: timedelta = timedelta(days=30)
    """Finished jobs (their payload can hold a payer's name): enough to investigate a failure."""
    audit: timedelta = timedelta(days=1826)
    """Security events and privacy requests (masked): proof of compliance for five years."""
    access_log: timedelta = MIN_ACCESS_LOG
    """Login attempts: the Marco Civil's six months, and not longer."""
    payments: timedelta = timedelta(days=2192)
    """Payments, receipts and the meetings they paid for: CTN art. 173 counts five years from
    the first day of the following year, so a record may be needed for up to six years."""
