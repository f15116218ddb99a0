"""`/console/leads` and `/console/bookings`: lists with a status filter; on the bookings page an
operator sets a meeting's link (the customer gets it in the chat and by e-mail)."""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dresbach.bootstrap import Container
from dresbach.features.operators.service import Session
from dresbach.features.scheduling.records import STATUS_PT as BOOKING_STATUS_PT
from dresbach.features.scheduling.service import BookingRow, list_bookings
from dresbach.features.techops.flow.labels import AREA_NAMES, FIELDS, SIZES, URGENCIES
from dresbach.features.techops.leads import Lead, list_leads, reveal_cnpj
from dresbach.kernel.documents import DocumentError, is_masked, parse_document
from dresbach.platform.clock import utcnow
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
LINK_SET = "Link salvo. O cliente recebe pelo WhatsApp e por e-mail, com o convite atualizado."
VALUES_PT: dict[str, dict[str, str]] = {"area": AREA_NAMES, "size": SIZES, "urgency": URGENCIES}
NO_CNPJ = "Este lead não informou CNPJ (ou ele já foi apagado)."
REFERRAL_PT = {
    "headline": "Título do anúncio",
    "source_type": "Tipo",
    "source_id": "ID do anúncio",
    "source_url": "Link do anúncio",
    "ctwa_clid": "ID do clique (ctwa_clid)",
}
"""The Click-to-WhatsApp ad a lead came from, in the order shown."""
SOURCE_TYPES_PT = {"ad": "anúncio", "post": "publicação"}


def shown_referral(referral: dict[str, str] | None) -> list[tuple[str, str]]:
    """(label, value) in pt-BR of the ad the lead came from; empty when it came from none."""
    if not referral:
        return []
    return [
        (label, SOURCE_TYPES_PT.get(referral[field], referral[field]))
        if field == "source_type"
        else (label, referral[field])
        for field, label in REFERRAL_PT.items()
        if referral.get(field)
    ]


def shown_answers(answers: dict[str, str]) -> list[tuple[str, str]]:
    """(label, value) in pt-BR, in the funnel's order; a CNPJ or CPF only masked (as leads keep
    it: `**.***.***/01DE-**`)."""
    shown = []
    for field in sorted(answers, key=lambda f: list(FIELDS).index(f) if f in FIELDS else 99):
        value = answers[field]
        if field in ("cnpj", "cpf", "document") and not is_masked(value):
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

    async def leads_page(
        request: Request,
        session: Session,
        *,
        revealed: tuple[str, str] | None = None,
        status_code: int = 200,
        error: str = "",
    ) -> Response:
        status = _filter(request, LEAD_STATUS_PT)
        found: list[Lead] = await db.run(list_leads, db.engine, status or None)
        rows = [
            {
                "lead_id": lead.lead_id,
                "customer": lead.customer,
                "status": lead.status,
                "lost_reason": lead.lost_reason,
                "shown": shown_answers(lead.answers),
                "referral": shown_referral(lead.referral),
                "has_cnpj": lead.has_cnpj,
                "cnpj": revealed[1] if revealed and revealed[0] == lead.lead_id else None,
                "created_at": lead.created_at,
                "updated_at": lead.updated_at,
            }
            for lead in found
        ]
        return render(
            "console_leads.html",
            status_code=status_code,
            session=session,
            section="leads",
            leads=rows,
            status=status,
            statuses=LEAD_STATUS_PT,
            lost_reasons=LOST_REASONS_PT,
            error=error,
        )

    async def reveal(request: Request, session: Session, form: FormData) -> Response:
        """ "Mostrar CNPJ": the clear CNPJ in this one answer (never cached), audited."""
        lead_id = form.get("lead_id")
        who = session.operator.username
        cnpj = None
        if isinstance(lead_id, str) and lead_id:
            cnpj = await db.run(reveal_cnpj, db.engine, container.sealer, lead_id, who, utcnow())
        if cnpj is None or not isinstance(lead_id, str):
            return await leads_page(request, session, status_code=404, error=NO_CNPJ)
        return await leads_page(request, session, revealed=(lead_id, cnpj))

    async def bookings_page(
        request: Request, session: Session, *, error: str = "", status_code: int = 200
    ) -> Response:
        status = _filter(request, BOOKING_STATUS_PT)
        found: list[BookingRow] = await db.run(list_bookings, db.engine, status or None)
        return render(
            "console_bookings.html",
            status_code=status_code,
            session=session,
            section="bookings",
            bookings=found,
            status=status,
            statuses=BOOKING_STATUS_PT,
            now=utcnow(),
            fixed_link=container.scheduling.rules.meeting_url,
            error=error,
            notice=LINK_SET if request.query_params.get("feito") == "link" else "",
        )

    async def set_link(request: Request, session: Session, form: FormData) -> Response:
        booking_id, link = form.get("booking_id"), form.get("link")
        refused = await container.scheduling.set_link(
            booking_id if isinstance(booking_id, str) else "",
            link[:600] if isinstance(link, str) else "",
            session.operator.username,
        )
        if refused:
            return await bookings_page(request, session, error=refused, status_code=400)
        return RedirectResponse("/console/bookings?feito=link", status_code=303)

    return [
        Route("/console/leads", auth.page(container, leads_page), methods=["GET"]),
        Route("/console/leads/cnpj", auth.action(container, reveal), methods=["POST"]),
        Route("/console/bookings", auth.page(container, bookings_page), methods=["GET"]),
        Route("/console/bookings/link", auth.action(container, set_link), methods=["POST"]),
    ]
