"""The flood window, counted from a conversation row (platform/inbound/flood.py): no I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from dresbach.config import SettingsError, load_settings
from dresbach.features.menu.flow.texts import TEXTS
from dresbach.kernel.events import IdentityChanged, InternalEvent, Sender, TextReceived
from dresbach.kernel.machine.lint import lint_texts
from dresbach.platform.inbound.flood import WINDOW, Window, count

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
MARIA = Sender(user_id=None, wa_id="5511911112222")


def said(at: datetime = NOW) -> TextReceived:
    return TextReceived(message_id="wamid.x", sender=MARIA, timestamp=at, body="oi")


def after(messages: int, limit: int, times: list[datetime] | None = None) -> list[Window]:
    """Count `messages` texts in a fresh row, carrying the row forward like the store does."""
    row: dict[str, Any] = {"flood_window_at": None, "flood_count": 0}
    windows = []
    for n in range(messages):
        at = times[n] if times else NOW
        window = count(row, said(at), at, limit)
        row = {**row, **window.values}
        windows.append(window)
    return windows


def test_up_to_the_limit_nothing_is_throttled_then_one_notice_then_silence() -> None:
    windows = after(35, limit=30)
    assert [w.throttled for w in windows] == [False] * 30 + [True] * 5
    assert [w.notify for w in windows] == [False] * 30 + [True] + [False] * 4
    assert windows[-1].count == 35


def test_a_window_lasts_one_minute_from_its_first_message() -> None:
    times = [NOW + timedelta(seconds=s) for s in (0, 10, 59, 60, 61)]
    windows = after(5, limit=2, times=times)
    assert [w.opened_at for w in windows] == [NOW, NOW, NOW, times[3], times[3]]
    assert [w.count for w in windows] == [1, 2, 3, 1, 2]
    assert [w.throttled for w in windows] == [False, False, True, False, False]


def test_a_message_stamped_just_before_the_window_still_counts_in_it() -> None:
    row = {"flood_window_at": NOW, "flood_count": 30}
    late_clock = count(row, said(), NOW - timedelta(seconds=2), 30)
    assert (late_clock.opened_at, late_clock.count, late_clock.notify) == (NOW, 31, True)
    far_off = count(row, said(), NOW - WINDOW - timedelta(seconds=1), 30)
    assert (far_off.count, far_off.throttled) == (1, False)


def test_sqlite_naive_times_are_read_as_utc() -> None:
    row = {"flood_window_at": NOW.replace(tzinfo=None), "flood_count": 3}
    assert count(row, said(), NOW + timedelta(seconds=5), 30).count == 4


def test_zero_means_no_limit() -> None:
    assert not any(w.throttled or w.notify for w in after(500, limit=0))


def test_results_of_side_effects_and_identity_changes_do_not_count() -> None:
    row = {"flood_window_at": NOW, "flood_count": 30}
    internal = InternalEvent(event_id="job.1", conversation_key="5511911112222", timestamp=NOW)
    change = IdentityChanged(
        message_id="wamid.sys",
        sender=MARIA,
        timestamp=NOW,
        system_type="user_changed_number",
        new_user_id=None,
        new_wa_id="5511933334444",
    )
    for event in (internal, change):
        window = count(row, event, NOW, 30)
        assert (window.count, window.throttled, window.notify) == (30, False, False)


def test_the_notice_obeys_the_house_rules() -> None:
    assert lint_texts({"menu": {"flood": TEXTS["flood"]}}) == []
    assert TEXTS["flood"].count("?") == 0


def test_the_setting_reaches_the_policy_and_is_checked() -> None:
    sandbox = {"DRESBACH_SANDBOX": "1"}
    assert load_settings(sandbox, env_file=None).policy.flood_per_minute == 30
    zero = load_settings({**sandbox, "DRESBACH_FLOOD_PER_MINUTE": "0"}, env_file=None)
    assert zero.flood_per_minute == 0
    for wrong in ("-1", "muitas"):
        with pytest.raises(SettingsError, match="DRESBACH_FLOOD_PER_MINUTE"):
            load_settings({"DRESBACH_FLOOD_PER_MINUTE": wrong}, env_file=None)
