"""The files a customer sends, in the console: linked from the conversation's history and
opened, from their seal, only for a logged-in operator (each opening audited)."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

import httpx
from sqlalchemy import select

from dresbach.features.operators import service as operators
from dresbach.platform.inbound import media
from dresbach.platform.store.schema import audit_log
from tests.features.operators.test_console import (
    PASSWORD,
    USER,
    Console,
    history_of,
    waiting_handoff,
)
from tests.support.console import media_message
from tests.support.stack_fixtures import Stack

PDF = b"%PDF-1.7 print do erro no site"


def test_the_history_links_the_file_and_only_an_operator_opens_it(stack: Stack) -> None:
    engine = stack.container.db.engine
    operators.add_operator(engine, "ana", "Ana Lima", PASSWORD, None, datetime.now(UTC), by="t")
    with httpx.Client(follow_redirects=False, timeout=10, trust_env=False) as http:
        console = Console(stack.origin, http)
        assert console.login("ana", PASSWORD).status_code == 303
        _customer, handoff_id = waiting_handoff(stack, console)
        media_id = stack.graph.add_media(PDF, "application/pdf", "erro.pdf")
        body = {
            "id": media_id,
            "mime_type": "application/pdf",
            "sha256": hashlib.sha256(PDF).hexdigest(),
            "filename": "erro.pdf",
        }
        stack.meta.post(media_message(USER, stack.meta.message_id(), "document", body))
        sealer = stack.container.sealer
        stack.waits_until(lambda: media.opened(engine, sealer, media_id), what="the file kept")

        shown = history_of(stack, console, handoff_id)
        link = f'href="/console/media/{media_id}"'
        assert link in shown
        assert re.search(r'data-testid="media-file"[^>]*>Abrir erro\.pdf', shown)

        opened = http.get(f"{stack.origin}/console/media/{media_id}")
        assert opened.status_code == 200
        assert opened.content == PDF
        assert opened.headers["content-type"] == "application/pdf"
        assert opened.headers["content-disposition"].startswith("inline;")
        assert opened.headers["x-content-type-options"] == "nosniff"
        assert "no-store" in opened.headers["cache-control"]
        assert http.get(f"{stack.origin}/console/media/999").status_code == 404

    anonymous = httpx.get(f"{stack.origin}/console/media/{media_id}", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.content != PDF
    with engine.connect() as connection:
        audited = connection.execute(
            select(audit_log.c.who, audit_log.c.detail).where(audit_log.c.action == "media_opened")
        ).all()
    assert [(who, detail) for who, detail in audited] == [("ana", f"media {media_id} (document)")]
