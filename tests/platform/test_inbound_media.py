"""What a customer sends is fetched from Meta by a job, checked and kept sealed; the
conversation never waits for it. Over real HTTP, against the fake Graph API."""

from __future__ import annotations

import base64
import hashlib

import pytest
from sqlalchemy import select

from dresbach.platform.inbound import media
from dresbach.platform.store.schema import inbound_media
from dresbach.platform.store.schema import jobs as jobs_table
from tests.support.console import media_message
from tests.support.stack_fixtures import Stack

MARIA = "5511987651111"
PNG = b"\x89PNG\r\n\x1a\n" + b"recibo" * 20
PDF = b"%PDF-1.7 boleto pago"


def row(stack: Stack, media_id: str) -> dict[str, object] | None:
    with stack.container.db.engine.connect() as connection:
        found = (
            connection.execute(select(inbound_media).where(inbound_media.c.media_id == media_id))
            .mappings()
            .first()
        )
    return None if found is None else dict(found)


def settled(stack: Stack, media_id: str) -> dict[str, object]:
    def done() -> dict[str, object] | None:
        found = row(stack, media_id)
        return found if found is not None and found["status"] != "pending" else None

    return stack.waits_until(done, what=f"media {media_id} fetched")


def send(stack: Stack, kind: str, data: bytes, mime_type: str, **extra: str) -> str:
    media_id = stack.graph.add_media(data, mime_type, extra.get("filename", ""))
    body = {"id": media_id, "mime_type": mime_type, "sha256": hashlib.sha256(data).hexdigest()}
    body.update(extra)
    posted = stack.meta.post(media_message(MARIA, stack.meta.message_id(), kind, body))
    assert posted.status_code == 200
    return media_id


def test_an_image_is_fetched_checked_and_kept_sealed(stack: Stack) -> None:
    media_id = send(stack, "image", PNG, "image/png")

    kept = settled(stack, media_id)

    assert (kept["status"], kept["size"], kept["mime_type"]) == ("kept", len(PNG), "image/png")
    assert isinstance(kept["data"], bytes)
    assert b"recibo" not in kept["data"]  # sealed at rest
    opened = media.opened(stack.container.db.engine, stack.container.sealer, media_id)
    assert opened is not None
    assert opened[1] == PNG
    assert stack.customer(MARIA).replies  # the conversation went on


def test_a_document_keeps_its_name(stack: Stack) -> None:
    media_id = send(stack, "document", PDF, "application/pdf", filename="comprovante.pdf")

    kept = settled(stack, media_id)

    assert (kept["status"], kept["filename"]) == ("kept", "comprovante.pdf")


def test_an_expired_url_is_asked_for_again(stack: Stack) -> None:
    stack.graph.media_url_ttl = 0.0  # every URL has expired by the time it is used
    media_id = send(stack, "audio", b"OggS audio", "audio/ogg; codecs=opus")
    jobs = stack.container.jobs

    def retried() -> bool:
        with stack.container.db.engine.connect() as connection:
            attempts = connection.execute(
                select(jobs_table.c.attempts).where(jobs_table.c.command_id == f"media:{media_id}")
            ).scalar()
        return bool(attempts)

    stack.waits_until(retried, what="a failed download retried")
    assert row(stack, media_id)["status"] == "pending"  # type: ignore[index]
    stack.graph.media_url_ttl = 300.0
    jobs.wake()

    assert settled(stack, media_id)["status"] == "kept"


def test_an_id_meta_does_not_hold_is_given_up(stack: Stack) -> None:
    body = {"id": "999000111", "mime_type": "image/jpeg", "sha256": "0" * 64}
    stack.meta.post(media_message(MARIA, stack.meta.message_id(), "image", body))

    failed = settled(stack, "999000111")

    assert failed["status"] == "failed"
    assert "100" in str(failed["problem"]) or "does not exist" in str(failed["problem"])


@pytest.mark.parametrize(
    ("kind", "data", "mime_type", "sha256", "problem"),
    [
        ("image", PNG, "image/png", "ab" * 32, "sha256"),
        ("image", b"GIF89a", "image/gif", None, "image/gif"),
        ("sticker", b"RIFF" + b"x" * 600 * 1024, "image/webp", None, "bytes"),
    ],
)
def test_what_whatsapp_would_not_carry_is_refused(
    stack: Stack, kind: str, data: bytes, mime_type: str, sha256: str | None, problem: str
) -> None:
    media_id = stack.graph.add_media(data, mime_type)
    body = {"id": media_id, "mime_type": mime_type, "sha256": sha256 or _sha(data)}
    stack.meta.post(media_message(MARIA, stack.meta.message_id(), kind, body))

    refused = settled(stack, media_id)

    assert refused["status"] == "refused"
    assert problem in str(refused["problem"])
    assert refused["data"] is None


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_the_checksum_may_come_as_base64() -> None:
    digest = base64.b64encode(hashlib.sha256(PNG).digest()).decode()

    assert media.problem_with("image", "image/png", digest, PNG) is None
    assert media.problem_with("video", "video/mp4", None, b"x" * (16 * media.MB + 1))
