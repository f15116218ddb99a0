"""The report math on hand-made rows: days counted in São Paulo, medians and p90 as a
spreadsheet computes them, satisfaction, the bot's containment and the Tech Ops funnel."""

from __future__ import annotations

import statistics
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dresbach.features.reports.stats import (
    ConversationRow,
    FunnelEvent,
    HandOffRow,
    Period,
    Stage,
    containment,
    funnel,
    median,
    percentile,
    response_times,
    response_times_by_day,
    satisfaction,
    volume_by_day,
)

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
DECEMBER = Period(date(2025, 12, 1), date(2025, 12, 7), SAO_PAULO)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in December 2025, in UTC (São Paulo is UTC-3)."""
    return datetime(2025, 12, day, hour, minute, tzinfo=UTC)


def handoff(opened: datetime, team: str = "Financeiro", **rest: object) -> HandOffRow:
    return HandOffRow(opened_at=opened, team=team, **rest)  # type: ignore[arg-type]


# -- percentiles ---------------------------------------------------------------------------


def test_the_median_of_an_odd_count_is_the_middle_value() -> None:
    assert median([300.0, 60.0, 120.0]) == 120.0


def test_the_median_of_an_even_count_is_the_mean_of_the_two_middle_values() -> None:
    assert median([60.0, 600.0, 120.0, 180.0]) == 150.0


def test_p90_interpolates_between_the_closest_ranks() -> None:
    # rank (5 - 1) x 0.9 = 3.6: 60% of the way from the 4th value (40) to the 5th (100)
    assert percentile([10.0, 20.0, 30.0, 40.0, 100.0], 0.9) == pytest.approx(76.0)
    # rank (4 - 1) x 0.9 = 2.7: between 30 and 40
    assert percentile([40.0, 10.0, 30.0, 20.0], 0.9) == pytest.approx(37.0)


def test_one_value_is_its_own_median_and_p90_and_none_has_neither() -> None:
    assert median([42.0]) == percentile([42.0], 0.9) == 42.0
    assert median([]) is None
    assert percentile([], 0.9) is None
    with pytest.raises(ValueError, match="0 to 1"):
        percentile([1.0], 90)


@given(st.lists(st.floats(min_value=0, max_value=1e7), min_size=2, max_size=60))
def test_percentiles_agree_with_a_spreadsheet(values: list[float]) -> None:
    """PERCENTIL.INC and MEDIANA are method 7, which `statistics` calls "inclusive"."""
    deciles = statistics.quantiles(values, n=10, method="inclusive")
    assert percentile(values, 0.9) == pytest.approx(deciles[8], rel=1e-9, abs=1e-6)
    assert median(values) == pytest.approx(statistics.median(values), rel=1e-9, abs=1e-6)


# -- days in São Paulo -----------------------------------------------------------------------


def test_a_hand_off_just_after_midnight_utc_belongs_to_the_day_before_in_sao_paulo() -> None:
    late = handoff(at(3, 1, 30))  # 2 Dec, 22:30 in São Paulo
    in_sao_paulo = volume_by_day([late], DECEMBER)
    in_utc = volume_by_day([late], Period(DECEMBER.first, DECEMBER.last, UTC))

    assert dict(zip(in_sao_paulo.days, in_sao_paulo.totals, strict=True))[date(2025, 12, 2)] == 1
    assert dict(zip(in_utc.days, in_utc.totals, strict=True))[date(2025, 12, 3)] == 1


def test_the_period_starts_and_ends_at_midnight_in_sao_paulo() -> None:
    assert at(1, 3, 0) in DECEMBER  # 00:00 on 1 Dec in São Paulo
    assert at(1, 2, 59) not in DECEMBER  # still 30 Nov there
    assert at(8, 2, 59) in DECEMBER  # 23:59 on 7 Dec
    assert at(8, 3, 0) not in DECEMBER


def test_times_without_a_zone_and_backwards_periods_are_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        handoff(datetime(2025, 12, 1, 9, 0))
    with pytest.raises(ValueError, match="before it starts"):
        Period(date(2025, 12, 2), date(2025, 12, 1), SAO_PAULO)


def test_an_answer_before_the_request_or_a_rating_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="before opened_at"):
        handoff(at(2, 12), first_response_at=at(2, 11))
    with pytest.raises(ValueError, match="1 to 5"):
        handoff(at(2, 12), rating=6)


def test_durations_are_elapsed_time_across_a_change_of_offset() -> None:
    """São Paulo moved its clocks from 00:00 to 01:00 on 4 Nov 2018: 23:30 to 01:30 that
    night was one hour, though the wall clock says two."""
    opened = datetime(2018, 11, 3, 23, 30, tzinfo=SAO_PAULO)
    answered = datetime(2018, 11, 4, 1, 30, tzinfo=SAO_PAULO)
    assert handoff(opened, first_response_at=answered).first_response == 3600.0


# -- volume --------------------------------------------------------------------------------


def test_volume_has_every_day_of_the_period_and_the_largest_group_first() -> None:
    rows = [
        handoff(at(2, 12), "Suporte técnico"),
        handoff(at(2, 13), "Financeiro"),
        handoff(at(4, 15), "Suporte técnico"),
        handoff(at(20, 15), "Suporte técnico"),  # outside the period
    ]
    volume = volume_by_day(rows, DECEMBER)

    assert volume.days == DECEMBER.days
    assert len(volume.days) == 7
    assert volume.groups == (
        ("Suporte técnico", (0, 1, 0, 1, 0, 0, 0)),
        ("Financeiro", (0, 1, 0, 0, 0, 0, 0)),
    )
    assert volume.totals == (0, 2, 0, 1, 0, 0, 0)


def test_volume_by_label_names_the_unlabelled_and_folds_small_groups_into_outros() -> None:
    labels = ["dns", "dns", "dns", "boleto", "boleto", None, "email"]
    rows = [handoff(at(2, 12 + i), label=label) for i, label in enumerate(labels)]
    volume = volume_by_day(rows, DECEMBER, by=lambda row: row.label or "Sem etiqueta")
    folded = volume.top(2)

    assert [name for name, _ in volume.groups] == ["dns", "boleto", "email", "Sem etiqueta"]
    assert [(name, counts[1]) for name, counts in folded.groups] == [
        ("dns", 3),
        ("boleto", 2),
        ("Outros", 2),
    ]
    assert folded.totals == volume.totals
    # a label that is itself called "Outros" is not shown twice
    renamed = volume_by_day(rows, DECEMBER, by=lambda row: "Outros" if row.label else "x")
    assert [name for name, _ in renamed.top(1).groups] == ["Outros"]
    assert renamed.top(1).totals == volume.totals


def test_volume_of_nothing_is_a_row_of_zero_days() -> None:
    volume = volume_by_day([], DECEMBER)
    assert volume.groups == ()
    assert volume.totals == (0,) * 7


# -- response and resolution times ---------------------------------------------------------


def test_times_count_by_the_day_the_hand_off_was_opened_and_say_what_is_missing() -> None:
    rows = [
        handoff(at(2, 12), first_response_at=at(2, 12, 2), closed_at=at(2, 13)),
        handoff(at(2, 14), first_response_at=at(2, 14, 10), closed_at=at(3, 14)),
        handoff(at(2, 16), first_response_at=at(2, 16, 4)),  # still open
        handoff(at(2, 18)),  # nobody answered yet
        handoff(at(5, 12), first_response_at=at(5, 13)),
    ]
    by_day = dict(response_times_by_day(rows, DECEMBER))
    second = by_day[date(2025, 12, 2)]

    assert second.first_response.count == 3
    assert second.first_response.missing == 1
    assert second.first_response.median == 240.0  # 2, 4, 10 minutes
    assert second.first_response.p90 == pytest.approx(528.0)  # 4 + 0.8 x (10 - 4) minutes
    assert second.resolution.count == 2
    assert second.resolution.missing == 2
    assert second.resolution.median == (3600.0 + 86400.0) / 2
    assert by_day[date(2025, 12, 3)].first_response.median is None
    assert by_day[date(2025, 12, 5)].first_response.median == 3600.0

    overall = response_times(rows, DECEMBER)
    assert overall.first_response.count == 4
    assert overall.first_response.median == 420.0  # 2, 4, 10, 60 minutes: (4 + 10) / 2


def test_times_of_an_empty_period_are_none() -> None:
    overall = response_times([], DECEMBER)
    assert (overall.first_response.count, overall.first_response.median) == (0, None)
    assert all(times.resolution.p90 is None for _, times in response_times_by_day([], DECEMBER))


# -- satisfaction --------------------------------------------------------------------------


def test_satisfaction_by_team_and_operator_averages_the_rated_hand_offs_best_first() -> None:
    rows = [
        handoff(at(2, 12), "Financeiro", operator="Ana", rating=5),
        handoff(at(2, 13), "Financeiro", operator="Ana", rating=4),
        handoff(at(2, 14), "Financeiro", operator="Bruno", rating=3),
        handoff(at(3, 12), "Suporte técnico", operator="Bruno", rating=5),
        handoff(at(3, 13), "Suporte técnico", operator="Carla"),  # not rated
        handoff(at(3, 14), "Suporte técnico", rating=2),  # nobody took it
        handoff(at(30, 14), "Consultoria", operator="Dani", rating=1),  # outside
    ]
    teams = satisfaction(rows, DECEMBER)
    operators = satisfaction(rows, DECEMBER, by=lambda row: row.operator or "Sem atendente")

    assert [(s.name, round(s.average, 2), s.count) for s in teams] == [
        ("Financeiro", 4.0, 3),
        ("Suporte técnico", 3.5, 2),
    ]
    assert [(s.name, s.average, s.count) for s in operators] == [
        ("Ana", 4.5, 2),
        ("Bruno", 4.0, 2),
        ("Sem atendente", 2.0, 1),
    ]
    assert satisfaction([], DECEMBER) == ()


# -- containment ---------------------------------------------------------------------------


def test_containment_is_the_share_of_conversations_that_never_asked_for_a_person() -> None:
    rows = [
        ConversationRow(started_at=at(2, 12), person_involved=False),
        ConversationRow(started_at=at(2, 13), person_involved=False),
        ConversationRow(started_at=at(3, 12), person_involved=False),
        ConversationRow(started_at=at(3, 13), person_involved=True),
        ConversationRow(started_at=at(1, 2), person_involved=True),  # 30 Nov in São Paulo
    ]
    result = containment(rows, DECEMBER)
    assert (result.conversations, result.contained, result.rate) == (4, 3, 0.75)


def test_containment_of_no_conversation_is_unknown_not_zero() -> None:
    assert containment([], DECEMBER).rate is None


# -- funnel --------------------------------------------------------------------------------


def test_the_funnel_follows_the_leads_offered_in_the_period_to_their_furthest_stage() -> None:
    def event(lead: str, stage: Stage, when: datetime) -> FunnelEvent:
        return FunnelEvent(lead_id=lead, stage=stage, at=when)

    events = [
        event("a", Stage.OFFERED, at(2, 12)),
        event("a", Stage.PAID, at(2, 13)),
        event("a", Stage.BOOKED, at(2, 14)),
        event("a", Stage.HELD, at(12, 14)),  # held after the period: still counted
        event("b", Stage.OFFERED, at(3, 12)),
        event("b", Stage.PAID, at(3, 13)),
        event("c", Stage.OFFERED, at(4, 12)),
        event("d", Stage.OFFERED, at(4, 12)),
        event("d", Stage.OFFERED, at(5, 12)),  # offered again: one lead
        event("e", Stage.OFFERED, at(1, 2)),  # 30 Nov in São Paulo: before the period
        event("e", Stage.PAID, at(3, 12)),
        event("f", Stage.PAID, at(3, 12)),  # never offered a diagnosis
    ]
    steps = funnel(events, DECEMBER)

    assert [(step.stage, step.leads) for step in steps] == [
        (Stage.OFFERED, 4),
        (Stage.PAID, 2),
        (Stage.BOOKED, 1),
        (Stage.HELD, 1),
    ]
    assert [step.stage.label for step in steps] == [
        "Diagnóstico oferecido",
        "Diagnóstico pago",
        "Reunião marcada",
        "Reunião realizada",
    ]


def test_a_funnel_with_nothing_offered_has_four_empty_steps() -> None:
    assert [step.leads for step in funnel([], DECEMBER)] == [0, 0, 0, 0]


@given(
    st.lists(
        st.tuples(st.sampled_from("abcdef"), st.sampled_from(Stage), st.integers(0, 14 * 24)),
        max_size=40,
    )
)
def test_the_funnel_never_grows_from_one_stage_to_the_next(
    raw: list[tuple[str, Stage, int]],
) -> None:
    start = datetime(2025, 11, 28, tzinfo=UTC)
    events = [
        FunnelEvent(lead_id=lead, stage=stage, at=start + timedelta(hours=hours))
        for lead, stage, hours in raw
    ]
    counts = [step.leads for step in funnel(events, DECEMBER)]
    assert counts == sorted(counts, reverse=True)
    assert counts[0] <= len({lead for lead, stage, _ in raw if stage is Stage.OFFERED})
