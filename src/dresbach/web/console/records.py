"""`/console/leads` and `/console/bookings`: lists with a status filter."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dresbach.bootstrap import Container
from dresbach.domain.documents import DocumentError, parse_document
from dresbach.flows.techops.labels import AREA_NAMES, FIELDS, SIZES, URGENCIES
from dresbach.runtime.leads import Lead, list_leads
from dresbach.runtime.operators import Session
from dresbach.runtime.scheduling import BookingRow, list_bookings
from dresbach.web.console import auth
from dresbach.web.console.views import render

LEAD_STATUS_PT = {
    "qualified": "qualificado",
    "offered": "proposta enviada",
    "paid": "pago",
    "scheduled": "agendado",
    "handed_off": "com atendente",
    "lost": "perdido",
}
LOST_REASONS_PT = {
    "declined": "recusou a proposta",
    "expired": "Pix expirou",
    "stopped_answering": "parou de responder",
}
BOOKING_STATUS_PT = {"booked": "agendada", "cancelled": "cancelada", "replaced": "remarcada"}
VALUES_PT: dict[str, dict[str, str]] = {"area": AREA_NAMES, "size": SIZES, "urgency": URGENCIES}


def shown_answers(answers: dict[str, str]) -> list[tuple[str, str]]:
    """(label, value) in pt-BR, in the funnel's order; a CNPJ or CPF only masked."""
    shown = []
    for field in sorted(answers, key=lambda f: list(FIELDS).index(f) if f in FIELDS else 99):
        value = answers[field]
        if field in ("cnpj", "cpf", "document"):
            try:
                value = parse_document(value).masked
            except DocumentError:
                value = "***"
        shown.append((FIELDS.get(field, field), VALUES_PT.get(field, {}).get(value, value)))
    return shown


def _filter(request: Request, allowed: dict[str, str]) -> str:
    status = request.query_params.get("status", "")
    return status if status in allowed else ""


def routes(container: Container) -> list[Route]:
    db = container.db

    async def leads_page(request: Request, session: Session) -> Response:
        status = _filter(request, LEAD_STATUS_PT)
        found: list[Lead] = await db.run(list_leads, db.engine, status or None)
        rows = [
            {
                "customer": lead.customer,
                "status": lead.status,
                "lost_reason": lead.lost_reason,
                "shown": shown_answers(lead.answers),
                "created_at": lead.created_at,
                "updated_at": lead.updated_at,
            }
            for lead in found
        ]
        return render(
            "console_leads.html",
            session=session,
            section="leads",
            leads=rows,
            status=status,
            statuses=LEAD_STATUS_PT,
            lost_reasons=LOST_REASONS_PT,
        )

    async def bookings_page(request: Request, session: Session) -> Response:
        status = _filter(request, BOOKING_STATUS_PT)
        found: list[BookingRow] = await db.run(list_bookings, db.engine, status or None)
        return render(
            "console_bookings.html",
            session=session,
            section="bookings",
            bookings=found,
            status=status,
            statuses=BOOKING_STATUS_PT,
        )

    return [
        Route("/console/leads", auth.page(container, leads_page), methods=["GET"]),
        Route("/console/bookings", auth.page(container, bookings_page), methods=["GET"]),
    ]
