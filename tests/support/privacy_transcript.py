"""`privacidade` transcripts: the user says, the bot says, and the privacy jobs report back.

`PrivacyTranscript` adds to `Transcript` the results the job worker delivers (a document ready,
a correction made, an erasure done, a request failed) and every command the core produced.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, TypeVar

from dresbach.features.privacy.model import (
    CorrectableDataCounted,
    CorrectableField,
    PersonalDataCorrected,
    PersonalDataErased,
    PersonalDataExported,
    PrivacyRequestFailed,
)
from dresbach.kernel.commands import Command
from dresbach.kernel.events import Event, InternalEvent
from dresbach.kernel.messages import Message
from tests.support.transcript import Transcript

C = TypeVar("C", bound=Command)


@dataclass
class PrivacyTranscript(Transcript):
    commands: list[Command] = field(default_factory=list)
    _event_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def _send(self, event: Event) -> list[Message]:  # type: ignore[override]
        replies = super()._send(event)  # type: ignore[arg-type]
        assert self.last is not None
        self.commands.extend(self.last.commands)
        return replies

    def of(self, kind: type[C]) -> list[C]:
        return [c for c in self.commands if isinstance(c, kind)]

    # ---- the job worker ---------------------------------------------------------------------
    def receives(self, event: InternalEvent) -> list[Message]:
        self.said.append(("system", event.kind))
        return self._send(event)

    def _internal(self) -> dict[str, Any]:
        assert self.conversation is not None
        return {
            "event_id": f"evt-{next(self._event_ids)}",
            "conversation_key": self.conversation.key,
            "timestamp": self.now,
        }

    def data_exported(self, ref: str = "export-abc") -> list[Message]:
        """The copy is ready: the JSON at `ref`, the readable text at `ref` + ``-txt``."""
        event = PersonalDataExported(**self._internal(), blob_ref=ref, text_ref=f"{ref}-txt")
        return self.receives(event)

    def data_counted(self, *, names: int, emails: int) -> list[Message]:
        """The count asked for before a correction: how many records hold each field."""
        return self.receives(CorrectableDataCounted(**self._internal(), names=names, emails=emails))

    def data_corrected(self, what: CorrectableField, records: int) -> list[Message]:
        return self.receives(PersonalDataCorrected(**self._internal(), field=what, records=records))

    def data_erased(self, kept_payments: int = 0) -> list[Message]:
        return self.receives(PersonalDataErased(**self._internal(), kept_payments=kept_payments))

    def request_failed(self, request: str = "export_personal_data") -> list[Message]:
        return self.receives(PrivacyRequestFailed(**self._internal(), request=request))
