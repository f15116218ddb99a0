"""The charts of the reports page, from rows to pictures: the numbers of `stats` drawn with
their pt-BR titles, each chart with its own id in the page."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dresbach.features.reports import overview
from dresbach.features.reports.stats import (
    FunnelEvent,
    HandOffRow,
    Period,
    Stage,
    by_label,
    by_operator,
    funnel,
    response_times_by_day,
    satisfaction,
    volume_by_day,
)

SVG = "{http://www.w3.org/2000/svg}"
PERIOD = Period(date(2025, 12, 1), date(2025, 12, 7), ZoneInfo("America/Sao_Paulo"))
START = datetime(2025, 12, 1, 12, 0, tzinfo=UTC)
TEAMS = ["Financeiro", "Suporte técnico", "Consultoria", "Comercial", "Privacidade", "Outra"]
ROWS = [
    HandOffRow(
        opened_at=START + timedelta(hours=7 * i),
        team=TEAMS[i % len(TEAMS)],
        operator=["Ana", "Bruno", None][i % 3],
        label=["dns", None][i % 2],
        first_response_at=START + timedelta(hours=7 * i, minutes=3 + i),
        closed_at=START + timedelta(hours=7 * i + 1) if i % 4 else None,
        rating=(i % 5) + 1 if i % 3 != 2 else None,
    )
    for i in range(20)
]


def test_the_page_charts_come_from_the_rows_with_unique_ids_and_pt_br_titles() -> None:
    days = response_times_by_day(ROWS, PERIOD)
    events = [
        FunnelEvent(lead_id=str(i), stage=stage, at=START + timedelta(days=i % 6))
        for i in range(12)
        for stage in list(Stage)[: 1 + i % 4]
    ]
    page = [
        overview.volume_chart(volume_by_day(ROWS, PERIOD), PERIOD),
        overview.volume_chart(volume_by_day(ROWS, PERIOD, by=by_label), PERIOD, group="label"),
        overview.times_chart(days, PERIOD),
        overview.times_chart(days, PERIOD, resolution=True),
        overview.satisfaction_chart(satisfaction(ROWS, PERIOD), PERIOD),
        overview.satisfaction_chart(
            satisfaction(ROWS, PERIOD, by=by_operator), PERIOD, group="operator"
        ),
        overview.funnel_chart(funnel(events, PERIOD), PERIOD),
    ]
    roots = [ET.fromstring(chart.svg) for chart in page]  # noqa: S314 - our own output
    titles = [root.findtext(f"{SVG}title") for root in roots]

    assert len({root.get("id") for root in roots}) == len(page)
    assert titles == [
        "Atendimentos por dia e por equipe",
        "Atendimentos por dia e por etiqueta",
        "Tempo até a primeira resposta",
        "Tempo até a resolução",
        "Satisfação por equipe",
        "Satisfação por atendente",
        "Funil da Consultoria Tech Ops",
    ]
    assert "de 1 dez a 7 dez 2025" in (roots[0].findtext(f"{SVG}desc") or "")
    # six teams: the five largest and the sixth added up as "Outros"
    assert page[0].table.header[-2:] == ("Outros", "Total")
    assert len(page[0].table.header) == 1 + 5 + 1 + 1
    assert page[5].table.header == ("Atendente", "Nota média", "Avaliações")
    assert [row[1] for row in page[6].table.rows] == ["12", "9", "6", "3"]
