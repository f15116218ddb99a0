"""`/console/reports`: what a manager looks at. Hand-offs by day and by team or label, the
times to the first answer and to the close (median and p90), satisfaction by operator and by
team, the bot's containment and the Tech Ops funnel, drawn as server-rendered SVG by
`features.reports`, with the numbers under each chart and as CSV (`/console/reports.csv`)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dresbach.bootstrap import Container
from dresbach.features.insights.records import Rows, load
from dresbach.features.operators.service import Session
from dresbach.features.reports import export, formatting, overview
from dresbach.features.reports.stats import (
    Period,
    by_label,
    by_operator,
    by_team,
    containment,
    funnel,
    response_times,
    response_times_by_day,
    satisfaction,
    volume_by_day,
)
from dresbach.features.reports.svg import STYLESHEET
from dresbach.kernel.hours import SAO_PAULO
from dresbach.platform.clock import utcnow
from dresbach.web.console import auth
from dresbach.web.console.admin import requires
from dresbach.web.console.views import render, secured

DEFAULT_DAYS = 30
LONGEST = 366
BAD_PERIOD = (
    "Período inválido: use datas de/até (AAAA-MM-DD), até um ano. Mostrando os últimos 30 dias."
)
EXPORTS = {
    "atendimentos": "atendimentos",
    "dias": "atendimentos-por-dia",
    "satisfacao": "satisfacao-por-atendente",
}
"""The CSV files, by `tipo`: the name they are saved under."""


def csv_of(kind: str, rows: Rows, period: Period) -> str:
    if kind == "dias":
        return export.daily_csv(rows.handoffs, period)
    if kind == "satisfacao":
        return export.satisfaction_csv(satisfaction(rows.handoffs, period, by=by_operator))
    return export.handoffs_csv(rows.handoffs, period)


def period_of(request: Request, today: date) -> tuple[Period, str]:
    """The period asked for (`de`, `ate`), or the last 30 days with a pt-BR error."""
    default = Period(today - timedelta(days=DEFAULT_DAYS - 1), today, SAO_PAULO)
    first, last = request.query_params.get("de", ""), request.query_params.get("ate", "")
    if not first and not last:
        return default, ""
    try:
        period = Period(date.fromisoformat(first), date.fromisoformat(last), SAO_PAULO)
    except ValueError:
        return default, BAD_PERIOD
    if len(period.days) > LONGEST:
        return default, BAD_PERIOD
    return period, ""


def _charts(rows: Rows, period: Period) -> list[Markup]:
    days = response_times_by_day(rows.handoffs, period)
    charts = [
        overview.volume_chart(volume_by_day(rows.handoffs, period, by=by_team), period),
        overview.volume_chart(
            volume_by_day(rows.handoffs, period, by=by_label), period, group="label"
        ),
        overview.times_chart(days, period),
        overview.times_chart(days, period, resolution=True),
        overview.satisfaction_chart(
            satisfaction(rows.handoffs, period, by=by_operator), period, group="operator"
        ),
        overview.satisfaction_chart(satisfaction(rows.handoffs, period, by=by_team), period),
        overview.funnel_chart(funnel(rows.funnel, period), period),
    ]
    return [Markup(chart.html()) for chart in charts]  # noqa: S704 - escaped by the engine


def _figures(rows: Rows, period: Period) -> dict[str, Any]:
    times = response_times(rows.handoffs, period)
    contained = containment(rows.conversations, period)
    rated = [r.rating for r in rows.handoffs if r.rating is not None]

    def spent(seconds: float | None) -> str:
        return "-" if seconds is None else formatting.duration(seconds)

    return {
        "handoffs": len(rows.handoffs),
        "first_median": spent(times.first_response.median),
        "first_p90": spent(times.first_response.p90),
        "resolution_median": spent(times.resolution.median),
        "resolution_p90": spent(times.resolution.p90),
        "conversations": contained.conversations,
        "contained": contained.contained,
        "containment": "-" if contained.rate is None else formatting.percent(contained.rate),
        "ratings": len(rated),
        "rating_average": formatting.trimmed(sum(rated) / len(rated)) if rated else "-",
    }


def routes(container: Container) -> list[Route]:
    db = container.db

    async def rows_of(period: Period) -> Rows:
        return await db.run(load, db.engine, period, utcnow())

    async def page(request: Request, session: Session) -> Response:
        today = utcnow().astimezone(SAO_PAULO).date()
        period, error = period_of(request, today)
        rows = await rows_of(period)
        return render(
            "console_reports.html",
            section="reports",
            session=session,
            error=error,
            period=period,
            when=formatting.period(period.first, period.last),
            charts=_charts(rows, period),
            figures=_figures(rows, period),
            exports=EXPORTS,
        )

    async def csv(request: Request, _session: Session) -> Response:
        today = utcnow().astimezone(SAO_PAULO).date()
        period, _error = period_of(request, today)
        kind = request.query_params.get("tipo", "atendimentos")
        if kind not in EXPORTS:
            return render("console_not_found.html", status_code=404, session=_session)
        name = EXPORTS[kind]
        body = csv_of(kind, await rows_of(period), period)
        filename = f"{name}-{period.first:%Y%m%d}-{period.last:%Y%m%d}.csv"
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    async def stylesheet(_request: Request) -> Response:
        return secured(Response(STYLESHEET, media_type="text/css"))

    managers = requires("team_lead")  # team leads and admins
    return [
        Route("/console/reports", auth.page(container, managers(page)), methods=["GET"]),
        Route("/console/reports.csv", auth.page(container, managers(csv)), methods=["GET"]),
        Route("/console/reports.css", stylesheet, methods=["GET"]),
    ]
