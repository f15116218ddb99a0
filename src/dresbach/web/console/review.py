"""`/console/payments`: receipts of `static` Pix to approve or reject, and the open `static`
charges without a receipt (confirmed once the operator sees the credit in the statement).

Approving is the operator's confirmation of `dresbach payments confirm` (the same
`PaymentService.confirm_manually`, so the same `PaymentConfirmed` reaches the conversation);
rejecting is `dresbach payments reject` with the reason the customer reads.
"""

from __future__ import annotations

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from dresbach.bootstrap import Container
from dresbach.features.operators import service as operators
from dresbach.features.operators.service import Session
from dresbach.features.payments.model import STATUS_PT, is_money_pattern
from dresbach.features.payments.receipts import open_charges, pending_receipts
from dresbach.features.payments.service import NO_AMOUNTS, PaymentError
from dresbach.platform.clock import utcnow
from dresbach.platform.inbound import media
from dresbach.web.console import auth
from dresbach.web.console.views import render

NOTICES = {
    "aprovado": "Pagamento confirmado. O cliente recebe o recibo.",
    "recusado": "Comprovante recusado. O cliente foi avisado do motivo.",
    "ja-pago": "Este pagamento já estava confirmado; nada mudou.",
}
MAX_REASON = 300
NOTHING_TO_REVIEW = (
    "A cobrança {txid} não está esperando conferência: ela já foi paga, venceu ou foi cancelada "
    "(veja em dresbach payments show)."
)


def routes(container: Container) -> list[Route]:
    db = container.db

    async def listing(
        request: Request, session: Session, *, status: int = 200, error: str = ""
    ) -> Response:
        receipts = await db.run(pending_receipts, db.engine)
        charges = await db.run(open_charges, db.engine)
        searched = " ".join(request.query_params.get("txid", "").split())[:60]
        if searched:  # the txid the bank shows, or the whole one
            try:
                txid = await db.run(container.payments.resolve, searched)
            except PaymentError as problem:
                txid, error, status = "", error or str(problem), 404
            receipts = [r for r in receipts if r.txid == txid]
            charges = [c for c in charges if c.txid == txid]
            if txid and not receipts and not charges:
                error = error or NOTHING_TO_REVIEW.format(txid=searched)
        files = await db.run(media.described_all, db.engine, [r.media_id for r in receipts])
        return render(
            "console_payments.html",
            files=files,
            status_code=status,
            session=session,
            section="payments",
            receipts=receipts,
            charges=charges,
            statuses=STATUS_PT,
            notice=NOTICES.get(request.query_params.get("feito", ""), ""),
            error=error,
            searched=searched,
        )

    async def show(request: Request, session: Session) -> Response:
        return await listing(request, session)

    async def approve(request: Request, session: Session, _form: FormData) -> Response:
        who = session.operator.username
        try:  # the whole txid, or the one the payer's bank shows
            txid = await db.run(container.payments.resolve, request.path_params["txid"])
            result = await db.run(container.payments.confirm_manually, txid, who)
        except PaymentError as error:
            return await listing(request, session, status=409, error=str(error))
        container.pipeline.on_enqueued()  # the receipt (and what follows) leaves now
        container.pipeline.on_jobs()
        await db.run(
            operators.record_action,
            db.engine,
            who,
            "payment_approved",
            utcnow(),
            f"txid {txid}: {result}",
        )
        done = "ja-pago" if result == "already paid" else "aprovado"
        return RedirectResponse(f"/console/payments?feito={done}", status_code=303)

    async def reject(request: Request, session: Session, form: FormData) -> Response:
        raw = form.get("reason")
        reason = " ".join(raw.split())[:MAX_REASON] if isinstance(raw, str) else ""
        if not reason:
            return await listing(
                request, session, status=400, error="Escreva o motivo da recusa para o cliente."
            )
        if is_money_pattern(reason):  # the Tech Ops guard would hold the message back
            return await listing(request, session, status=400, error=NO_AMOUNTS)
        who = session.operator.username
        try:
            txid = await db.run(container.payments.resolve, request.path_params["txid"])
            await db.run(container.payments.reject, txid, reason, who)
        except PaymentError as error:
            return await listing(request, session, status=409, error=str(error))
        container.pipeline.on_enqueued()
        container.pipeline.on_jobs()
        await db.run(
            operators.record_action,
            db.engine,
            who,
            "payment_rejected",
            utcnow(),
            f"txid {txid}: {reason}",
        )
        return RedirectResponse("/console/payments?feito=recusado", status_code=303)

    return [
        Route("/console/payments", auth.page(container, show), methods=["GET"]),
        Route(
            "/console/payments/{txid}/approve", auth.action(container, approve), methods=["POST"]
        ),
        Route("/console/payments/{txid}/reject", auth.action(container, reject), methods=["POST"]),
    ]
