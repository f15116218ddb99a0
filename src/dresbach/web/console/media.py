"""`/console/media/{media_id}`: a file a customer sent (a receipt, a screenshot, a PDF), opened
from its seal for a logged-in operator only, never from a public URL. Each opening is in the
operators' audit trail (`media_opened`).

An image or a PDF is shown inline; anything else is a download. The file is served as the type
it was checked to be (`platform/inbound/media.py`), never sniffed, in a sandbox of its own."""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dresbach.bootstrap import Container
from dresbach.features.operators import service as operators
from dresbach.platform.clock import utcnow
from dresbach.platform.inbound import media
from dresbach.web.console import auth
from dresbach.web.console.views import render

INLINE = frozenset({"image/jpeg", "image/png", "image/webp", "application/pdf"})
MAX_ID = 200
FILE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


def routes(container: Container) -> list[Route]:
    db = container.db

    async def show(request: Request) -> Response:
        session = await auth.current_session(container, request)
        if session is None:
            return auth.to_login(request)
        media_id = str(request.path_params["media_id"])
        opened = (
            await db.run(media.opened, db.engine, container.sealer, media_id)
            if len(media_id) <= MAX_ID
            else None
        )
        if opened is None:
            return render("console_not_found.html", status_code=404, session=session)
        kept, data = opened
        await db.run(
            operators.record_action,
            db.engine,
            session.operator.username,
            "media_opened",
            utcnow(),
            f"media {media_id} ({kept.kind})",
        )
        name = kept.filename or f"{kept.kind}-{media_id}"
        disposition = "inline" if kept.mime_type in INLINE else "attachment"
        headers = {  # its own headers, not the pages' (`views.secured`): a file is no page
            "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(name)}",
            "Cache-Control": "no-store, private",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
            # a PDF needs the browser's own viewer, which a sandboxed document does not get
            "Content-Security-Policy": FILE_POLICY
            + ("" if kept.mime_type == "application/pdf" else "; sandbox"),
        }
        return Response(data, media_type=kept.mime_type, headers=headers)

    return [Route("/console/media/{media_id}", show, methods=["GET"])]
