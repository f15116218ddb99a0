"""The operator console in real chromium, against `dresbach serve` as a process that talks to
a fake Graph API over HTTP. The operator account is created with `dresbach operators add`.

Read like what happens at the desk: the customer writes on WhatsApp, the operator sees it appear
in the queue, takes it, answers, and the answer reaches WhatsApp (the fake Graph API).
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from dresbach.features.payments.adapters.static import qr_png
from tests.fakes.graph_api import FakeGraphServer, GraphApiState
from tests.features.techops.test_techops_over_whatsapp import walk_to_the_pix
from tests.support.console import receipt_image
from tests.support.environments import SMTP_NOWHERE
from tests.support.meta import (
    ACCESS_TOKEN,
    APP_SECRET,
    PHONE_NUMBER_ID,
    VERIFY_TOKEN,
    Customer,
    Meta,
    text_of,
)
from tests.support.servers import DRESBACH, free_port

pytestmark = pytest.mark.browser

USER = "5511966665555"
PASSWORD = "cafe-com-leite-42"
SCREENSHOTS = Path("/tmp")


@dataclass
class Live:
    origin: str
    graph: GraphApiState
    meta: Meta

    def customer(self) -> Customer:
        return Customer(self.meta, self.graph, USER)

    def sent_to_customer(self, predicate: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """The first message the fake Graph API accepted for the customer that matches."""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            for body in self.graph.messages_to(USER):
                if predicate(body):
                    return body
            time.sleep(0.1)
        shown = [text_of(b) for b in self.graph.messages_to(USER)]
        raise AssertionError(f"nothing like that reached the customer; they got {shown}")


def _environment(tmp_path: Path, graph: FakeGraphServer, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WHATSAPP_", "DRESBACH_"))}
    env.update(
        DRESBACH_DATABASE_URL=f"sqlite:///{tmp_path}/console.sqlite3",
        DRESBACH_PUBLIC_URL=f"http://127.0.0.1:{port}",
        DRESBACH_LOG_LEVEL="warning",
        DRESBACH_SEND_RATE="1000",
        DRESBACH_RECIPIENT_BURST="1000",
        DRESBACH_RECIPIENT_RATE="1000",
        DRESBACH_RETRY_BASE_SECONDS="0.05",
        WHATSAPP_APP_SECRET=APP_SECRET,
        WHATSAPP_VERIFY_TOKEN=VERIFY_TOKEN,
        WHATSAPP_ACCESS_TOKEN=ACCESS_TOKEN,
        WHATSAPP_PHONE_NUMBER_ID=PHONE_NUMBER_ID,
        WHATSAPP_API_BASE_URL=graph.base_url,
        SMTP_HOST=SMTP_NOWHERE,
        DRESBACH_INSECURE_COOKIES="1",  # plain http on 127.0.0.1
    )
    return env


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    state = GraphApiState(access_token=ACCESS_TOKEN, phone_number_id=PHONE_NUMBER_ID, seed=11)
    with FakeGraphServer(state) as graph:
        port = free_port()
        env = _environment(tmp_path, graph, port)
        added = subprocess.run(
            # an admin: she manages canned replies and reads the reports
            [
                DRESBACH,
                "operators",
                "add",
                "ana",
                "--name",
                "Ana Lima",
                "--password-stdin",
                "--role",
                "admin",
            ],
            input=f"{PASSWORD}\n",
            env=env,
            cwd=tmp_path,  # away from the repo, so a developer's .env cannot interfere
            capture_output=True,
            text=True,
            check=False,
        )
        assert added.returncode == 0, added.stderr
        assert "Atendente ana (Ana Lima) cadastrado" in added.stdout
        log_path = tmp_path / "serve.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [DRESBACH, "serve", "--host", "127.0.0.1", "--port", str(port)],
                cwd=tmp_path,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        origin = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(process, origin, log_path)
            yield Live(origin=origin, graph=state, meta=Meta(origin))
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait_healthy(process: subprocess.Popen[bytes], origin: str, log_path: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"dresbach serve exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            if httpx.get(f"{origin}/healthz", timeout=1.0, trust_env=False).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"dresbach serve did not answer /healthz:\n{log_path.read_text()}")


def log_in(page: Page, live: Live, password: str = PASSWORD) -> None:
    page.goto(f"{live.origin}/console")
    expect(page).to_have_url(re.compile(r"/console/login\?next=/console$"))
    page.get_by_label("Usuário").fill("ana")
    page.get_by_label("Senha").fill(password)
    page.get_by_role("button", name="Entrar").click()


# ---- the tests -------------------------------------------------------------------------------


def test_a_wrong_password_is_refused_and_the_right_one_opens_the_queue(
    page: Page, live: Live
) -> None:
    log_in(page, live, password="nao-e-esta-senha")
    expect(page.get_by_test_id("error")).to_have_text("Usuário ou senha incorretos.")
    expect(page).to_have_url(re.compile(r"/console/login$"))
    expect(page.get_by_label("Senha")).to_have_value("")
    assert not [c for c in page.context.cookies() if c["name"] == "dresbach_console"]

    page.get_by_label("Senha").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page).to_have_url(f"{live.origin}/console")
    expect(page.get_by_role("heading", name="Fila de atendimento")).to_be_visible()
    expect(page.get_by_test_id("operator-name")).to_have_text("Ana Lima")
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "dresbach_console"]
    assert cookie["httpOnly"]
    assert cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/console"
    assert page.evaluate("document.cookie") == ""  # not readable from scripts


def test_an_operator_takes_a_waiting_conversation_and_the_reply_reaches_whatsapp(
    page: Page, live: Live
) -> None:
    log_in(page, live)
    expect(page.get_by_test_id("queue-empty")).to_have_text("Ninguém aguardando atendimento.")

    # the customer asks for a person on WhatsApp; the queue shows them without a reload
    customer = live.customer()
    customer.says("oi")
    customer.says("atendente")
    waiting = page.get_by_test_id("queue-item")
    expect(waiting).to_have_count(1, timeout=15_000)
    expect(waiting).to_contain_text("Cliente Teste")
    expect(waiting).to_contain_text("posição 1 na fila")
    expect(waiting).to_contain_text("pediu para falar com um atendente")
    page.screenshot(path=str(SCREENSHOTS / "console-queue.png"), full_page=True)

    waiting.get_by_role("button", name="Assumir").click()
    expect(page.get_by_test_id("notice")).to_have_text(
        "Você assumiu o atendimento. O cliente foi avisado."
    )
    expect(page.get_by_test_id("handoff-status")).to_have_text("com você")
    live.sent_to_customer(lambda b: "Ana Lima" in text_of(b) and "entrou na conversa" in text_of(b))

    # the operator answers; the answer reaches WhatsApp, signed with her name
    page.get_by_label("Sua resposta").fill("Olá! Sou a Ana, da Dresbach. Como posso ajudar?")
    page.get_by_role("button", name="Enviar").click()
    sent = live.sent_to_customer(lambda b: b.get("type") == "text" and "Sou a Ana" in text_of(b))
    assert text_of(sent) == "*Ana Lima:* Olá! Sou a Ana, da Dresbach. Como posso ajudar?"
    mine = page.get_by_test_id("entry-out").filter(has_text="Sou a Ana, da Dresbach")
    expect(mine).to_have_count(1)
    expect(mine.get_by_test_id("delivery")).to_have_text("enviada ✓", timeout=10_000)

    # the customer answers back: it shows in the history without a reload
    live.meta.says(USER, "Meu site está fora do ar desde ontem.")
    expect(
        page.get_by_test_id("entry-in").filter(has_text="Meu site está fora do ar desde ontem.")
    ).to_have_count(1, timeout=15_000)
    page.screenshot(path=str(SCREENSHOTS / "console-conversation.png"), full_page=True)

    # back to the bot
    page.get_by_role("button", name="Devolver ao assistente").click()
    expect(page.get_by_test_id("notice")).to_have_text("Conversa devolvida ao assistente.")
    live.sent_to_customer(lambda b: "concluiu o atendimento" in text_of(b))


def test_an_operator_approves_a_receipt_and_the_customer_gets_the_confirmation_and_slots(
    page: Page, live: Live
) -> None:
    customer = live.customer()
    walk_to_the_pix(customer)
    photo = qr_png("comprovante Pix R$ 2.000,00")  # a real PNG: the browser must draw it
    media_id = live.graph.add_media(photo, "image/png", "")
    sha256 = hashlib.sha256(photo).hexdigest()
    sent = receipt_image(
        USER, live.meta.message_id(), media_id=media_id, sha256=sha256, mime_type="image/png"
    )
    assert live.meta.post(sent).status_code == 200
    live.sent_to_customer(lambda b: "Recebi o seu comprovante" in text_of(b))

    # the file is behind the login: no session, no file
    anonymous = httpx.get(f"{live.origin}/console/media/{media_id}", follow_redirects=False)
    assert anonymous.status_code == 303
    assert photo not in anonymous.content

    log_in(page, live)
    page.get_by_role("link", name="Pagamentos").click()
    receipt = page.get_by_test_id("receipt")
    expect(receipt).to_have_count(1)
    expect(receipt).to_contain_text("Maria Souza")
    expect(receipt.get_by_test_id("receipt-amount")).to_have_text("R$ 2.000,00")
    for _ in range(50):  # the job fetches it from Meta apart from the conversation
        if receipt.get_by_test_id("media-image").count():
            break
        time.sleep(0.2)
        page.reload()
    image = receipt.get_by_test_id("media-image")
    expect(image).to_be_visible()
    drawn = "img => img.complete && img.naturalWidth > 0"
    page.wait_for_function(drawn, arg=image.element_handle())
    opened = page.request.get(f"{live.origin}/console/media/{media_id}")
    assert opened.status == 200
    assert opened.body() == photo
    assert opened.headers["content-type"] == "image/png"
    assert "sandbox" in opened.headers["content-security-policy"]
    page.screenshot(path=str(SCREENSHOTS / "console-payments.png"), full_page=True)

    receipt.get_by_role("button", name="Aprovar pagamento").click()
    expect(page.get_by_test_id("notice")).to_have_text(
        "Pagamento confirmado. O cliente recebe o recibo."
    )
    expect(page.get_by_test_id("no-receipts")).to_be_visible()

    confirmation = live.sent_to_customer(lambda b: "Pagamento confirmado" in text_of(b))
    assert "R$ 2.000,00" in text_of(confirmation)

    def rows_of(body: dict[str, Any]) -> list[str]:
        if body.get("type") != "interactive" or body["interactive"]["type"] != "list":
            return []
        sections = body["interactive"]["action"]["sections"]
        return [row["title"] for section in sections for row in section["rows"]]

    slots = live.sent_to_customer(lambda b: "Outros horários" in rows_of(b))
    rows = rows_of(slots)
    assert rows[-1] == "Outros horários"
    assert len(rows) >= 2
    assert all(re.fullmatch(r"\w+, \d{2}/\d{2}, às \d{1,2}h(\d{2})?", r) for r in rows[:-1]), rows


def test_a_form_posted_without_the_csrf_token_is_refused(page: Page, live: Live) -> None:
    log_in(page, live)
    expect(page.get_by_role("heading", name="Fila de atendimento")).to_be_visible()
    page.evaluate(
        "document.querySelector('form[action=\"/console/logout\"] input[name=csrf_token]').remove()"
    )
    with page.expect_response(lambda r: r.url.endswith("/console/logout")) as answer:
        page.get_by_role("button", name="Sair").click()
    assert answer.value.status == 403
    expect(page.get_by_role("heading", name="Ação recusada")).to_be_visible()
    expect(page.get_by_test_id("forbidden")).to_contain_text("Nada foi alterado.")

    # still logged in: the refused logout changed nothing
    page.goto(f"{live.origin}/console")
    expect(page.get_by_role("heading", name="Fila de atendimento")).to_be_visible()
    page.get_by_role("button", name="Sair").click()
    expect(page.get_by_test_id("notice")).to_have_text("Você saiu do console.")
    page.goto(f"{live.origin}/console/payments")
    expect(page).to_have_url(re.compile(r"/console/login\?next=/console/payments$"))


def test_a_project_price_before_the_diagnosis_waits_for_the_operators_confirmation(
    page: Page, live: Live
) -> None:
    """#10.10: in a Tech Ops conversation before the diagnosis, an amount in the reply box is
    not sent at once: the console says why, keeps the text, and sends it on confirmation."""
    customer = live.customer()
    walk_to_the_pix(customer)
    customer.says("atendente")

    log_in(page, live)
    waiting = page.get_by_test_id("queue-item")
    expect(waiting).to_have_count(1, timeout=15_000)
    waiting.get_by_role("button", name="Assumir").click()
    expect(page.get_by_test_id("handoff-status")).to_have_text("com você")

    price = "O projeto completo fica entre R$ 15.000 e R$ 30.000."
    page.get_by_label("Sua resposta").fill(price)
    page.get_by_role("button", name="Enviar", exact=True).click()
    warning = page.get_by_test_id("price-warning")
    expect(warning).to_contain_text("este cliente ainda não fez o diagnóstico")
    expect(warning).to_contain_text(price)
    expect(page.get_by_label("Sua resposta")).to_have_value(price)
    page.screenshot(path=str(SCREENSHOTS / "console-price-warning.png"), full_page=True)
    time.sleep(0.5)
    assert not [b for b in live.graph.messages_to(USER) if "R$ 15.000" in text_of(b)]

    warning.get_by_role("button", name="Enviar mesmo assim").click()
    sent = live.sent_to_customer(lambda b: "R$ 15.000" in text_of(b))
    assert text_of(sent) == f"*Ana Lima:* {price}"
    expect(page.get_by_test_id("price-warning")).to_have_count(0)


def test_an_operator_sends_a_pdf_from_the_conversation_page_and_a_gif_is_refused(
    page: Page, live: Live, tmp_path: Path
) -> None:
    log_in(page, live)
    customer = live.customer()
    customer.says("oi")
    customer.says("atendente")
    waiting = page.get_by_test_id("queue-item")
    expect(waiting).to_have_count(1, timeout=15_000)
    waiting.get_by_role("button", name="Assumir").click()
    expect(page.get_by_test_id("handoff-status")).to_have_text("com você")

    # a GIF is not something WhatsApp sends as an image: refused in pt-BR, nothing uploaded
    gif = tmp_path / "animacao.gif"
    gif.write_bytes(b"GIF89a" + b"\x00" * 64)
    page.get_by_label("Arquivo para o cliente").set_input_files(str(gif))
    page.get_by_role("button", name="Mandar arquivo").click()
    expect(page.get_by_test_id("error")).to_contain_text(
        "escolha uma imagem (JPG ou PNG) ou um PDF"
    )
    assert live.graph.uploads == []

    # the PDF goes: uploaded to the Graph API, then sent as a document by the id it got
    pdf = tmp_path / "contrato.pdf"
    pdf.write_bytes(b"%PDF-1.7 contrato de hospedagem")
    page.get_by_label("Arquivo para o cliente").set_input_files(str(pdf))
    page.get_by_label("Legenda (opcional)").fill("Segue o contrato")
    page.get_by_role("button", name="Mandar arquivo").click()
    expect(page.get_by_test_id("notice")).to_have_text("Arquivo na fila de envio ao cliente.")
    sent = live.sent_to_customer(lambda b: b.get("type") == "document")
    document = sent["document"]
    assert (document["filename"], document["caption"]) == (
        "contrato.pdf",
        "*Ana Lima:* Segue o contrato",
    )
    (uploaded,) = live.graph.uploads
    assert (uploaded.media_id, uploaded.mime_type) == (document["id"], "application/pdf")
    assert uploaded.data == pdf.read_bytes()
    mine = page.get_by_test_id("entry-out").filter(has_text="[documento contrato.pdf]")
    expect(mine).to_contain_text("Segue o contrato")
    page.screenshot(path=str(SCREENSHOTS / "console-file-sent.png"), full_page=True)
