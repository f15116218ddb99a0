"""An operator sends an image or a PDF from the console's conversation page: checked (type from
its bytes, WhatsApp's size limit, the 24 h window), uploaded to the Graph API with
`POST /{phone-number-id}/media` and sent by the id Meta gives, audited. Over real HTTP, against
the fake Graph API (which refuses what Meta refuses)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select, update

from dresbach.features.handoff.files import file_prefix
from dresbach.platform.store.schema import audit_log, conversations, media_blobs
from tests.features.operators.test_console import PASSWORD, USER, Console, waiting_handoff
from tests.features.operators.test_console import console as operator_console
from tests.support.stack_fixtures import Stack

PNG = b"\x89PNG\r\n\x1a\n" + b"passo a passo" * 50
PDF = b"%PDF-1.7 contrato de hospedagem"
MB = 1024 * 1024
console = operator_console  # the fixture: an operator's cookie jar over real HTTP


def upload(
    desk: Console, handoff_id: int, name: str, data: bytes, mime: str, caption: str = ""
) -> httpx.Response:
    path = f"/console/conversations/{handoff_id}"
    return desk.http.post(
        f"{desk.origin}{path}/file",
        data={"csrf_token": desk.csrf(path), "caption": caption},
        files={"file": (name, data, mime)},
    )


def sent(stack: Stack, kind: str) -> dict[str, Any]:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        found = [b for b in stack.graph.messages_to(USER) if b.get("type") == kind]
        if found:
            return found[-1]
        time.sleep(0.1)
    raise AssertionError(f"no {kind} reached the customer")


def test_an_operator_sends_an_image_and_a_pdf_and_bad_files_are_refused(
    stack: Stack, console: Console
) -> None:
    assert console.login("ana", PASSWORD).status_code == 303
    _customer, handoff_id = waiting_handoff(stack, console)
    assert console.post(f"/console/conversations/{handoff_id}/take").status_code == 303
    page = console.http.get(f"{stack.origin}/console/conversations/{handoff_id}").text
    assert 'enctype="multipart/form-data"' in page
    assert 'accept="image/jpeg,image/png,application/pdf"' in page

    # The image goes: uploaded first, then sent by the id Meta gave, signed with her name.
    answered = upload(console, handoff_id, "passo.png", PNG, "image/png", "Siga estes passos")
    assert answered.status_code == 303
    assert answered.headers["location"].endswith("?feito=arquivo")
    image = sent(stack, "image")
    (uploaded,) = [u for u in stack.graph.uploads if u.media_id == image["image"]["id"]]
    assert (uploaded.mime_type, uploaded.data) == ("image/png", PNG)
    assert image["image"]["caption"] == "*Ana Lima:* Siga estes passos"

    # A PDF goes as a document with its name; the browser's word for the type is not trusted.
    assert upload(console, handoff_id, "../contrato.pdf", PDF, "image/png").status_code == 303
    document = sent(stack, "document")["document"]
    assert (document["filename"], document["caption"]) == ("contrato.pdf", "*Ana Lima:*")
    (uploaded,) = [u for u in stack.graph.uploads if u.media_id == document["id"]]
    assert (uploaded.mime_type, uploaded.data) == ("application/pdf", PDF)

    # What WhatsApp would not carry is refused in pt-BR, and nothing is kept or sent.
    refused = {
        "gif": upload(console, handoff_id, "anim.gif", b"GIF89a" + b"x" * 50, "image/gif"),
        "empty": upload(console, handoff_id, "nada.png", b"", "image/png"),
        "big": upload(console, handoff_id, "foto.png", PNG + b"x" * (5 * MB), "image/png"),
    }
    assert {k: r.status_code for k, r in refused.items()} == {"gif": 422, "empty": 422, "big": 422}
    assert "escolha uma imagem (JPG ou PNG) ou um PDF" in refused["gif"].text
    assert "Escolha um arquivo antes de enviar." in refused["empty"].text
    assert (
        "O arquivo tem 5,0 MB; para uma imagem o WhatsApp aceita até 5 MB." in refused["big"].text
    )
    assert len(stack.graph.uploads) == 2

    # Outside the 24 h window a file cannot go (only templates can): refused before it is kept.
    with stack.container.db.engine.begin() as connection:
        connection.execute(
            update(conversations).values(last_inbound_at=datetime.now(UTC) - timedelta(hours=25))
        )
    late = upload(console, handoff_id, "passo.png", PNG, "image/png")
    assert late.status_code == 422
    assert "mais de 24 horas" in late.text

    with stack.container.db.engine.connect() as connection:
        audited = connection.execute(
            select(audit_log.c.who).where(audit_log.c.action == "handoff_file")
        ).all()
        kept = connection.execute(
            select(media_blobs.c.ref).where(media_blobs.c.ref.like(f"{file_prefix(handoff_id)}%"))
        ).all()
    assert [who for (who,) in audited] == ["ana", "ana"]
    assert len(kept) == 2


def test_only_the_operator_who_took_it_sends_a_file(stack: Stack, console: Console) -> None:
    assert console.login("ana", PASSWORD).status_code == 303
    _customer, handoff_id = waiting_handoff(stack, console)
    answered = upload(console, handoff_id, "passo.png", PNG, "image/png")
    assert answered.status_code == 422
    assert "Assuma o atendimento antes de responder." in answered.text
    forged = console.http.post(
        f"{stack.origin}/console/conversations/{handoff_id}/file",
        files={"file": ("passo.png", PNG, "image/png")},
    )
    assert forged.status_code == 403  # no CSRF token
    assert stack.graph.uploads == []
