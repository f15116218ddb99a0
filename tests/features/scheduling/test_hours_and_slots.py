"""Working hours and free slots: São Paulo wall-clock times, national holidays and days off
closed, meetings kept a buffer apart, minimum notice, pt-BR labels."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType

import pytest

from dresbach.features.scheduling.model import (
    SchedulingRules,
    Slot,
    can_change,
    free_slots,
    slot_label,
)
from dresbach.kernel.hours import HoursError, WorkingHours, parse_days_off, parse_hours

WEEKDAYS = parse_hours("seg-sex 09:00-18:00")


def rules(**changes: object) -> SchedulingRules:
    base: dict[str, object] = {
        "hours": WorkingHours(windows=MappingProxyType(WEEKDAYS)),
        "meeting": timedelta(minutes=60),
        "buffer": timedelta(minutes=15),
        "notice": timedelta(hours=4),
    }
    base.update(changes)
    return SchedulingRules(**base)  # type: ignore[arg-type]


def test_hours_are_read_in_pt_br_or_english_and_bad_ones_say_why() -> None:
    assert parse_hours("seg-sex 09:00-18:00; sab 09:00-13:00")[5] == (time(9), time(13))
    assert parse_hours("mon,wed 10:00-12:00").keys() == {0, 2}
    with pytest.raises(HoursError, match="closing time"):
        parse_hours("seg 18:00-09:00")
    with pytest.raises(HoursError, match="day name"):
        parse_hours("xyz 09:00-10:00")
    assert parse_days_off("2026-12-24, 2026-12-31") == {date(2026, 12, 24), date(2026, 12, 31)}
    with pytest.raises(HoursError):
        parse_days_off("24/12")


def test_national_holidays_and_days_off_are_closed() -> None:
    hours = WorkingHours(
        windows=MappingProxyType(WEEKDAYS), days_off=frozenset({date(2026, 12, 24)})
    )
    christmas = datetime(2026, 12, 25, 15, tzinfo=UTC)  # a Friday, 12:00 in São Paulo
    assert not hours.is_open(christmas)
    assert not hours.is_open(datetime(2026, 12, 24, 15, tzinfo=UTC))
    assert not hours.is_open(datetime(2026, 11, 20, 15, tzinfo=UTC))  # Consciência Negra
    assert hours.is_open(datetime(2026, 11, 23, 15, tzinfo=UTC))
    # Thursday 24/12 night → closed until Monday 28/12 09:00 (24 off, 25 holiday, weekend)
    opens = hours.next_open(datetime(2026, 12, 23, 23, tzinfo=UTC))
    assert opens is not None
    assert slot_label(opens) == "segunda, 28/12, às 9h"


def test_free_slots_start_after_the_notice_and_keep_the_buffer_around_busy_time() -> None:
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)  # 09:00 in São Paulo
    busy = [(datetime(2026, 11, 25, 17, 30, tzinfo=UTC), datetime(2026, 11, 25, 18, tzinfo=UTC))]
    found = free_slots(rules(), now=now, busy=busy, count=4)
    # 13:00 is the notice; 14:00 (17:00 UTC) would touch the busy half hour within the buffer
    assert [s.label() for s in found] == [
        "quarta, 25/11, às 15h15",
        "quarta, 25/11, às 16h30",
        "quinta, 26/11, às 9h",
        "quinta, 26/11, às 10h15",
    ]
    assert all(s.start.tzinfo == UTC for s in found)
    assert all(s.end - s.start == timedelta(minutes=60) for s in found)


def test_free_slots_skip_weekends_holidays_and_stop_at_the_horizon() -> None:
    friday_evening = datetime(2026, 11, 27, 21, tzinfo=UTC)
    found = free_slots(rules(), now=friday_evening, busy=[], count=1)
    assert found[0].label() == "segunda, 30/11, às 9h"
    before_christmas = datetime(2026, 12, 24, 21, tzinfo=UTC)
    assert free_slots(rules(), now=before_christmas, busy=[], count=1)[0].label() == (
        "segunda, 28/12, às 9h"
    )
    assert free_slots(rules(horizon=timedelta(days=1)), now=friday_evening, busy=[]) == []


def test_more_slots_continue_after_the_last_one_shown() -> None:
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    first = free_slots(rules(), now=now, busy=[], count=3)
    more = free_slots(rules(), now=now, busy=[], after=first[-1].start + timedelta(minutes=1))
    assert more[0].start > first[-1].start
    assert {s.id for s in first}.isdisjoint(s.id for s in more)


def test_slot_ids_round_trip_and_changes_need_the_notice() -> None:
    slot = Slot(
        start=datetime(2026, 12, 2, 17, tzinfo=UTC), end=datetime(2026, 12, 2, 18, tzinfo=UTC)
    )
    assert slot.id == "20261202T1700Z"
    assert Slot.from_id(slot.id, timedelta(minutes=60)) == slot
    assert slot.label() == "quarta, 02/12, às 14h"
    assert can_change(rules(), slot.start, slot.start - timedelta(hours=24))
    assert not can_change(rules(), slot.start, slot.start - timedelta(hours=23))


def test_describe_groups_consecutive_days() -> None:
    hours = WorkingHours(
        windows=MappingProxyType(parse_hours("seg-sex 08:00-20:00; sab 09:00-13:00"))
    )
    assert hours.describe() == ("de segunda a sexta, das 8h às 20h, e aos sábados, das 9h às 13h")
