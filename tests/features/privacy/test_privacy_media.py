"""The files a customer sent are in the LGPD copy of their data, and go with the erasure."""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select

from dresbach.features.privacy.document import readable
from dresbach.features.privacy.personal_data import document, erase
from dresbach.platform.clock import utcnow
from dresbach.platform.inbound import media
from dresbach.platform.store.schema import inbound_media
from tests.support.console import media_message
from tests.support.stack_fixtures import Stack

MARIA = "5511987651111"
PDF = b"%PDF-1.7 comprovante"


def test_the_files_sent_are_listed_in_the_copy_and_erased_with_the_data(stack: Stack) -> None:
    media_id = stack.graph.add_media(PDF, "application/pdf", "comprovante.pdf")
    body = {
        "id": media_id,
        "mime_type": "application/pdf",
        "sha256": hashlib.sha256(PDF).hexdigest(),
        "filename": "comprovante.pdf",
    }
    assert stack.meta.post(media_message(MARIA, stack.meta.message_id(), "document", body))
    engine, sealer = stack.container.db.engine, stack.container.sealer
    stack.waits_until(lambda: media.opened(engine, sealer, media_id), what="the file kept")
    with engine.connect() as connection:
        key = connection.execute(select(inbound_media.c.conversation_key)).scalar_one()
    settings = stack.container.settings

    with engine.begin() as connection:
        copy = document(connection, key, "***", utcnow(), settings.policy, settings.retention)
    (listed,) = copy["arquivos_enviados"]
    assert listed["arquivo"] == "comprovante.pdf"
    assert (listed["tipo"], listed["formato"], listed["situacao"]) == (
        "document",
        "application/pdf",
        "kept",
    )
    assert listed["tamanho_em_bytes"] == len(PDF)
    assert "Arquivos que você nos enviou e guardamos:" in readable(copy)
    assert "- Documento comprovante.pdf, recebido em" in readable(copy)

    with engine.begin() as connection:
        changed = erase(connection, key, utcnow())
    assert changed["media"] == 1
    with engine.connect() as connection:
        left = connection.execute(select(func.count()).select_from(inbound_media)).scalar()
    assert left == 0
    assert media.opened(engine, sealer, media_id) is None
