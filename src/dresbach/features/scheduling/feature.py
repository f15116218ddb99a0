"""The scheduling's registration: what the meeting commands become (jobs), the jobs' handlers
and the sweep of reminders."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from dresbach.features.scheduling import invitation
from dresbach.features.scheduling.context import BOOKING
from dresbach.features.scheduling.model import BookSlot, CancelBooking, FindSlots
from dresbach.features.scheduling.personal_data import PERSONAL_DATA
from dresbach.platform.feature import Feature, Jobs, Sweep
from dresbach.platform.work.effects import job

if TYPE_CHECKING:
    from dresbach.features.scheduling.service import SchedulingService


class Built(Protocol):
    @property
    def scheduling(self) -> SchedulingService: ...


def _jobs(built: Built) -> Jobs:
    service = built.scheduling
    return Jobs(
        handlers={
            "find_slots": service.find_slots,
            "book_slot": service.book_slot,
            "cancel_booking": service.cancel_booking,
            "save_calendar_event": service.save_event,
        },
        give_up={"find_slots": service.slots_failed, "book_slot": service.booking_failed},
    )


def _sweeps(built: Built) -> Sequence[Sweep]:
    return (built.scheduling.sweep,)


FEATURE = Feature(
    name="scheduling",
    catalogs={"scheduling": invitation.TEXTS},
    effects={
        FindSlots: job("find_slots"),
        BookSlot: job("book_slot"),
        CancelBooking: job("cancel_booking"),
    },
    jobs=_jobs,
    sweeps=_sweeps,
    context=(BOOKING,),
    personal_data=PERSONAL_DATA,
)
