"""The report's numbers as CSV, for a spreadsheet in Brazil.

Made for Excel in pt-BR first, since that is what managers open a `.csv` with by a double click,
and the other spreadsheets read the same file:

- **`;` between fields.** Excel splits a CSV on the list separator of the system's region; in
  pt-BR that is `;`, because the comma is the decimal mark. With `,` every row lands in one
  column.
- **`,` before decimals, no thousands mark** ("12,5"; "1234"): a pt-BR Excel reads "12.5" as
  text, or as a date.
- **UTF-8 with a byte-order mark.** Without the BOM Excel reads the file as Windows-1252 and
  shows "AtendimentÃ³s"; with it, accents survive. (A `sep=;` first line would also pin the
  separator, but Excel then ignores the BOM, so it is not used.)
- **Dates as dd/mm/aaaa hh:mm in the period's time zone**, the form a pt-BR Excel turns into
  a date by itself.
- **Text that would start a formula** (`=`, `+`, `-`, `@`, a tab or a carriage return; an
  operator's name or a label could) is prefixed with `'`, so the spreadsheet shows it instead
  of running it (CSV injection).

Every function returns a `str` that starts with the BOM; encode it as UTF-8 to serve it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime, tzinfo

from dresbach.features.reports import formatting, texts
from dresbach.features.reports.stats import HandOffRow, Period, Satisfaction, response_times_by_day

BOM = "\ufeff"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | date | datetime | None


def _cell(value: Cell, tz: tzinfo | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sim" if value else "não"
    if isinstance(value, datetime):
        shown = value.astimezone(tz) if tz is not None else value
        return f"{shown:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return formatting.full_day(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return "'" + value if value.startswith(_FORMULA) else value


def csv_text(
    header: Sequence[str], rows: Iterable[Sequence[Cell]], tz: tzinfo | None = None
) -> str:
    """A CSV as a pt-BR spreadsheet reads it (see the module); datetimes shown in `tz`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_cell(name, None) for name in header])
    for row in rows:
        writer.writerow([_cell(value, tz) for value in row])
    return BOM + buffer.getvalue()


def handoffs_csv(handoffs: Iterable[HandOffRow], period: Period) -> str:
    """One line per hand-off opened in the period, oldest first."""
    rows = sorted(
        (row for row in handoffs if row.opened_at in period),
        key=lambda row: row.opened_at.timestamp(),
    )
    return csv_text(
        texts.CSV_HANDOFFS,
        (
            (
                row.opened_at,
                row.team,
                row.operator,
                row.label,
                row.first_response_at,
                row.closed_at,
                formatting.minutes(row.first_response),
                formatting.minutes(row.resolution),
                row.rating,
            )
            for row in rows
        ),
        tz=period.tz,
    )


def daily_csv(handoffs: Iterable[HandOffRow], period: Period) -> str:
    """One line per day: hand-offs opened, and their first-response and resolution times in
    minutes (median and p90, as `stats` computes them)."""
    lines = []
    for day, times in response_times_by_day(handoffs, period):
        first, resolution = times.first_response, times.resolution
        lines.append(
            (
                day,
                first.count + first.missing,
                first.count,
                formatting.minutes(first.median),
                formatting.minutes(first.p90),
                resolution.count,
                formatting.minutes(resolution.median),
                formatting.minutes(resolution.p90),
            )
        )
    return csv_text(texts.CSV_DAILY, lines)


def satisfaction_csv(rows: Iterable[Satisfaction]) -> str:
    """One line per team or operator: the mean rating and how many ratings."""
    return csv_text(
        texts.CSV_SATISFACTION, ((row.name, round(row.average, 2), row.count) for row in rows)
    )
