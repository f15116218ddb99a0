"""The start of the `privacidade` flow, and the copy of the data (access and portability)."""

from __future__ import annotations

from dresbach.features.privacy.flow import correction
from dresbach.features.privacy.flow.answers import option_of
from dresbach.features.privacy.flow.prompts import say
from dresbach.features.privacy.flow.texts import TEXTS
from dresbach.features.privacy.model import (
    EXPORT_FILENAME,
    READABLE_FILENAME,
    ExportPersonalData,
    PersonalDataExported,
)
from dresbach.features.privacy.states import Elsewhere, Privacy
from dresbach.kernel.flow_kit import event_key
from dresbach.kernel.machine.machine import Outcome, Turn
from dresbach.kernel.messages import Document

CHOICES = (Privacy.EXPORTING, Privacy.CORRECT_CHECKING, Privacy.ERASE_CONFIRM)


def choose(turn: Turn) -> Outcome:
    """A tap on the options or the same in words."""
    option = option_of(turn.event)
    if option == "export":
        command = ExportPersonalData(command_id=f"{event_key(turn.event)}:privacy:export")
        return Outcome(goto=Privacy.EXPORTING, commands=(command,))
    if option == "correct":
        return correction.check(turn)
    if option == "erase":
        return Outcome(goto=Privacy.ERASE_CONFIRM)
    if option == "client_area":
        return Outcome(say=(say("client_area", turn.policy),))
    return Outcome(say=(say("not_understood", turn.policy),), missed="unclear")


def _documents(turn: Turn) -> tuple[Document, ...]:
    """The readable text first (what a person opens), then the JSON (to take elsewhere)."""
    event = turn.event
    if not isinstance(event, PersonalDataExported):
        return ()
    return (
        Document(
            upload_ref=event.text_ref, filename=READABLE_FILENAME, caption=TEXTS["export_caption"]
        ),
        Document(
            upload_ref=event.blob_ref,
            filename=EXPORT_FILENAME,
            caption=TEXTS["export_caption_json"],
        ),
    )


def exported(turn: Turn) -> Outcome:
    """The documents are ready: send them, then the main menu."""
    documents = _documents(turn)
    if not documents:
        return Outcome(prompt=False)
    return Outcome(goto=Elsewhere.MENU_MAIN, say=documents, reset_trail=True)


def exported_elsewhere(turn: Turn) -> Outcome:
    """The documents are ready but the customer went on meanwhile: send them where they are."""
    return Outcome(say=_documents(turn), prompt=False)


def failed(turn: Turn) -> Outcome:
    """A privacy job failed for good: say so, with the DPO's contact, and offer the options."""
    return Outcome(goto=Privacy.START, say=(say("failed", turn.policy),))


def failed_elsewhere(turn: Turn) -> Outcome:
    return Outcome(say=(say("failed", turn.policy),), prompt=False)
