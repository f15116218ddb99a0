"""The Done-when of the media pipeline, end to end over HTTP against `dresbach serve` and the fake
Graph API, in real chromium: a receipt image the customer sends in the chat for a static Pix is
fetched and checked (its sha256), shown to an operator behind the login, approved by her; the
customer's LGPD copy lists it; and when the customer asks for erasure through the "privacidade"
chat flow, the file's row and its bytes are gone and the console no longer opens it."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

import orjson
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, select

from dresbach.features.payments.adapters.static import qr_png
from dresbach.platform.store.schema import inbound_media
from tests.features.operators.test_browser_console import USER, Live, log_in
from tests.features.operators.test_browser_console import live as live_service
from tests.features.techops.test_techops_over_whatsapp import walk_to_the_pix
from tests.support.console import receipt_image
from tests.support.meta import text_of

live = live_service  # the fixture: `dresbach serve` over a fake Graph API


def rows(tmp_path: Path) -> list[dict[str, Any]]:
    """`inbound_media` as the service's own SQLite file holds it."""
    engine = create_engine(f"sqlite:///{tmp_path}/console.sqlite3")
    try:
        with engine.connect() as connection:
            return [dict(r) for r in connection.execute(select(inbound_media)).mappings()]
    finally:
        engine.dispose()


def waits(check: Any, what: str, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_receipt_is_fetched_checked_shown_approved_listed_and_erased(
    page: Page, live: Live, tmp_path: Path
) -> None:
    # The customer pays by static Pix and sends the photo of the receipt.
    customer = live.customer()
    walk_to_the_pix(customer)
    photo = qr_png("comprovante Pix R$ 2.000,00")
    media_id = live.graph.add_media(photo, "image/png", "")
    sha256 = hashlib.sha256(photo).hexdigest()
    sent = receipt_image(
        USER, live.meta.message_id(), media_id=media_id, sha256=sha256, mime_type="image/png"
    )
    assert live.meta.post(sent).status_code == 200
    live.sent_to_customer(lambda b: "Recebi o seu comprovante" in text_of(b))

    # Fetched by the job, its checksum the webhook's: kept sealed (not the bytes in clear).
    (kept,) = waits(
        lambda: [r for r in rows(tmp_path) if r["status"] == "kept"], "the receipt fetched"
    )
    assert (kept["media_id"], kept["sha256"], kept["size"]) == (media_id, sha256, len(photo))
    assert photo not in bytes(kept["data"])

    # The operator sees the image in payment review, in the browser, and approves it.
    log_in(page, live)
    page.get_by_role("link", name="Pagamentos").click()
    receipt = page.get_by_test_id("receipt")
    image = receipt.get_by_test_id("media-image")
    expect(image).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    receipt.get_by_role("button", name="Aprovar pagamento").click()
    expect(page.get_by_test_id("notice")).to_have_text(
        "Pagamento confirmado. O cliente recebe o recibo."
    )
    live.sent_to_customer(lambda b: "Pagamento confirmado" in text_of(b))

    # The customer asks for a copy of their data: it lists the receipt.
    customer.says("privacidade")
    customer.taps("Baixar meus dados")
    copy = waits(  # the JSON goes as a text document (WhatsApp carries no application/json)
        lambda: [u for u in live.graph.uploads if u.filename.endswith(".json")],
        "the copy of the data",
    )[0]
    listed = orjson.loads(copy.data)["arquivos_enviados"]
    assert [(f["tipo"], f["formato"], f["tamanho_em_bytes"]) for f in listed] == [
        ("image", "image/png", len(photo))
    ]

    # Then asks for erasure, and confirms: the receipt's row and bytes are gone.
    customer.says("privacidade")
    customer.taps("Excluir meus dados")
    customer.taps("Sim, excluir")
    live.sent_to_customer(lambda b: "Excluí seus dados pessoais" in text_of(b))
    assert rows(tmp_path) == []
    opened = page.request.get(f"{live.origin}/console/media/{media_id}")
    assert opened.status == 404
    assert photo not in opened.body()
