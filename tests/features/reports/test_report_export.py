"""The reports as CSV for a pt-BR spreadsheet, and numbers, durations and days in pt-BR."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from dresbach.features.reports import formatting
from dresbach.features.reports.export import csv_text, daily_csv, handoffs_csv, satisfaction_csv
from dresbach.features.reports.stats import HandOffRow, Period, satisfaction

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
DECEMBER = Period(date(2025, 12, 1), date(2025, 12, 3), SAO_PAULO)
ROWS = [
    HandOffRow(
        opened_at=datetime(2025, 12, 2, 1, 30, tzinfo=UTC),  # 1 Dec, 22:30 in São Paulo
        team="Financeiro",
        operator="Ana Souza",
        label="segunda via de boleto",
        first_response_at=datetime(2025, 12, 2, 1, 42, 30, tzinfo=UTC),
        closed_at=datetime(2025, 12, 2, 2, 30, tzinfo=UTC),
        rating=5,
    ),
    HandOffRow(
        opened_at=datetime(2025, 12, 1, 12, 0, tzinfo=UTC),
        team="Suporte técnico",
        operator='=HYPERLINK("http://x";"ok")',
        label="-dns",
    ),
]


def read(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_hand_offs_export_in_sao_paulo_time_with_decimal_commas_and_pt_br_headers() -> None:
    lines = read(handoffs_csv(ROWS, DECEMBER))

    assert lines[0] == [
        "Aberto em",
        "Equipe",
        "Atendente",
        "Etiqueta",
        "Primeira resposta em",
        "Encerrado em",
        "Minutos até a primeira resposta",
        "Minutos até a resolução",
        "Nota",
    ]
    assert lines[1][:2] == ["01/12/2025 09:00", "Suporte técnico"]
    assert lines[2] == [
        "01/12/2025 22:30",
        "Financeiro",
        "Ana Souza",
        "segunda via de boleto",
        "01/12/2025 22:42",
        "01/12/2025 23:30",
        "12,5",
        "60",
        "5",
    ]


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised() -> None:
    lines = read(handoffs_csv(ROWS, DECEMBER))
    assert lines[1][2] == '\'=HYPERLINK("http://x";"ok")'
    assert lines[1][3] == "'-dns"
    assert read(csv_text(["a"], [[-1.5], ["@x"], ["+1"], ["\tx"]]))[1:] == [
        ["-1,5"],
        ["'@x"],
        ["'+1"],
        ["'\tx"],
    ]


def test_the_file_is_utf8_with_a_bom_semicolons_and_crlf_lines() -> None:
    text = csv_text(["Equipe", "Nota média"], [["Suporte; técnico", 4.5]])
    assert text == '\ufeffEquipe;Nota média\r\n"Suporte; técnico";4,5\r\n'
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")


def test_the_daily_export_has_every_day_and_the_times_in_minutes() -> None:
    lines = read(daily_csv(ROWS, DECEMBER))
    assert lines[0][:3] == ["Dia", "Atendimentos", "Respondidos"]
    assert [line[0] for line in lines[1:]] == ["01/12/2025", "02/12/2025", "03/12/2025"]
    assert lines[1] == ["01/12/2025", "2", "1", "12,5", "12,5", "1", "60", "60"]
    assert lines[2] == ["02/12/2025", "0", "0", "", "", "0", "", ""]


def test_the_satisfaction_export_rounds_the_average_to_two_places() -> None:
    rated = [
        HandOffRow(opened_at=datetime(2025, 12, 1, 12, m, tzinfo=UTC), team="Financeiro", rating=r)
        for m, r in enumerate([5, 4, 4])
    ]
    lines = read(satisfaction_csv(satisfaction(rated, DECEMBER)))
    assert lines == [["Nome", "Nota média", "Avaliações"], ["Financeiro", "4,33", "3"]]


def test_an_empty_period_exports_the_header_alone() -> None:
    assert read(handoffs_csv([], DECEMBER)) == [read(handoffs_csv(ROWS, DECEMBER))[0]]


# -- pt-BR formatting ----------------------------------------------------------------------


def test_numbers_use_a_dot_for_thousands_and_a_comma_for_decimals() -> None:
    assert formatting.number(1234) == "1.234"
    assert formatting.number(1234567.891, 2) == "1.234.567,89"
    assert formatting.number(12.5, 1) == "12,5"
    assert formatting.number(-0.04, 1) == "0,0"
    assert formatting.trimmed(12.0) == "12"
    assert formatting.percent(0.125) == "12,5%"
    assert formatting.percent(0.4) == "40%"
    assert formatting.compact(12500) == "12,5 mil"
    assert formatting.compact(2_000_000) == "2 mi"
    with pytest.raises(ValueError, match="finite"):
        formatting.number(float("nan"))


def test_durations_read_like_the_console() -> None:
    assert formatting.duration(45) == "45 s"
    assert formatting.duration(12 * 60) == "12 min"
    assert formatting.duration(2 * 3600 + 5 * 60) == "2 h 05 min"
    assert formatting.duration(3 * 86400 + 4 * 3600) == "3 d 4 h"


def test_days_are_written_with_pt_br_weekdays_and_months() -> None:
    assert formatting.day_label(date(2025, 12, 7)) == "dom 07/12"
    assert formatting.day_label(date(2025, 12, 8)) == "seg 08/12"
    assert formatting.day_label(date(2025, 12, 13)) == "sáb 13/12"
    assert formatting.period(date(2025, 12, 1), date(2025, 12, 14)) == "de 1 dez a 14 dez 2025"
    assert formatting.period(date(2025, 12, 28), date(2026, 1, 3)) == (
        "de 28 dez 2025 a 3 jan 2026"
    )
    assert formatting.period(date(2026, 2, 9), date(2026, 2, 9)) == "em 9 fev 2026"
