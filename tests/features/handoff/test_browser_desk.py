"""The operators' desk in real chromium, against `dresbach serve` as a process that talks to a
fake Graph API over HTTP: teams and routing, a transfer with a note, files shown inline, an
admin who manages the teams, and every page of it at phone width (a 390 px viewport scrolls
only up and down).

Read like what happens at the desk: the customer writes on WhatsApp, the hand-off reaches the
team of what they asked about, an operator works it and passes it on."""

from __future__ import annotations

import hashlib
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.fakes.graph_api import FakeGraphServer, GraphApiState
from tests.features.operators.test_browser_console import (
    PASSWORD,
    USER,
    Live,
    _environment,
    _wait_healthy,
)
from tests.support.console import media_message
from tests.support.meta import ACCESS_TOKEN, PHONE_NUMBER_ID, Meta, text_of
from tests.support.servers import DRESBACH, free_port

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390
SCREENSHOTS = Path("/tmp")
PDF = b"%PDF-1.7 fatura contestada"
AUDIO = b"OggS\x00\x02" + b"\x00" * 200


def _add(env: dict[str, str], cwd: Path, username: str, name: str, role: str) -> None:
    added = subprocess.run(
        [
            DRESBACH,
            "operators",
            "add",
            username,
            "--name",
            name,
            "--password-stdin",
            "--role",
            role,
        ],
        input=f"{PASSWORD}\n",
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert added.returncode == 0, added.stderr


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    """The service with an admin (Carla Chefe), and two operators (Ana Lima, Bruno Reis)."""
    state = GraphApiState(access_token=ACCESS_TOKEN, phone_number_id=PHONE_NUMBER_ID, seed=16)
    with FakeGraphServer(state) as graph:
        port = free_port()
        env = _environment(tmp_path, graph, port)
        _add(env, tmp_path, "carla", "Carla Chefe", "admin")
        _add(env, tmp_path, "ana", "Ana Lima", "operator")
        _add(env, tmp_path, "bruno", "Bruno Reis", "operator")
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


def log_in(page: Page, live: Live, username: str) -> None:
    page.goto(f"{live.origin}/console/login")
    page.get_by_label("Usuário").fill(username)
    page.get_by_label("Senha").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("heading", name="Fila de atendimento")).to_be_visible()


def fits_a_phone(page: Page, what: str) -> None:
    """At 390 px the page scrolls only up and down."""
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    page.wait_for_timeout(100)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{what} is {width}px wide at {PHONE_WIDTH}px"
    page.screenshot(path=str(SCREENSHOTS / f"desk-{what}-phone.png"), full_page=True)
    page.set_viewport_size({"width": 900, "height": 900})
    page.wait_for_timeout(200)  # the layout settles before the next click lands


def test_a_billing_question_reaches_financeiro_and_is_assigned_at_once(
    page: Page, live: Live
) -> None:
    # the admin puts Ana in Financeiro, which hands each new case to its member on duty
    log_in(page, live, "carla")
    page.get_by_role("link", name="Equipes").click()
    financeiro = page.get_by_test_id("team").filter(has_text="Financeiro").first
    financeiro.get_by_label("Ana Lima").check()
    financeiro.get_by_label(re.compile("Entregar cada novo atendimento")).check()
    # its own hours, all week: whenever this runs, Financeiro is open (the company's are not)
    financeiro.get_by_label(re.compile("Horário")).fill("seg-dom 00:00-23:59")
    financeiro.get_by_role("button", name="Salvar Financeiro").click()
    expect(page.get_by_test_id("notice")).to_have_text("Equipe salva.")
    fits_a_phone(page, "teams")

    # the customer asks about an invoice, then for a person
    customer = live.customer()
    customer.says("oi")
    customer.says("quero falar sobre minha fatura")
    customer.says("atendente")
    live.sent_to_customer(
        lambda b: "Ana Lima, da equipe Dresbach, entrou na conversa" in text_of(b)
    )

    # the queue shows it with Ana, at Financeiro, without anyone taking it
    page.goto(f"{live.origin}/console")
    active = page.get_by_test_id("active-item")
    expect(active).to_have_count(1, timeout=15_000)
    expect(active.get_by_test_id("team")).to_have_text("Financeiro")
    expect(active).to_contain_text("com ana")
    expect(active).to_contain_text("Assunto: faturas e pagamentos")
    expect(page.get_by_test_id("queue-empty")).to_be_visible()
    fits_a_phone(page, "queue")


def test_an_operator_passes_the_conversation_to_a_team_with_a_note(page: Page, live: Live) -> None:
    customer = live.customer()
    customer.says("oi")
    customer.says("atendente")

    log_in(page, live, "ana")
    waiting = page.get_by_test_id("queue-item")
    expect(waiting).to_have_count(1, timeout=15_000)
    expect(waiting.get_by_test_id("team")).to_have_text("Suporte técnico")
    waiting.get_by_role("button", name="Assumir").click()
    expect(page.get_by_test_id("handoff-status")).to_have_text("com você")

    # the customer sends a voice message and a PDF: both shown on the page, the audio playable
    audio_id = live.graph.add_media(AUDIO, "audio/ogg", "")
    audio = {"id": audio_id, "mime_type": "audio/ogg", "sha256": hashlib.sha256(AUDIO).hexdigest()}
    live.meta.post(media_message(USER, live.meta.message_id(), "audio", audio))
    pdf_id = live.graph.add_media(PDF, "application/pdf", "fatura.pdf")
    pdf = {
        "id": pdf_id,
        "mime_type": "application/pdf",
        "sha256": hashlib.sha256(PDF).hexdigest(),
        "filename": "fatura.pdf",
    }
    live.meta.post(media_message(USER, live.meta.message_id(), "document", pdf))
    for _ in range(50):  # a job fetches them from Meta apart from the conversation
        if page.get_by_test_id("file").count() == 2:
            break
        time.sleep(0.2)
        page.reload()
    player = page.get_by_test_id("file-audio")
    expect(player).to_have_attribute("src", f"/console/media/{audio_id}")
    assert page.evaluate("document.querySelector('audio').controls") is True
    expect(page.get_by_test_id("file-pdf")).to_have_attribute("src", f"/console/media/{pdf_id}")
    fetched = page.request.get(f"{live.origin}/console/media/{pdf_id}")
    assert fetched.status == 200
    assert fetched.headers["content-type"] == "application/pdf"
    fits_a_phone(page, "conversation")

    note = "Cliente contesta a fatura de novembro; o PDF está acima."
    page.get_by_label("Transferir para").select_option(label="Financeiro")
    page.get_by_label(re.compile("Nota para quem recebe")).fill(note)
    page.get_by_role("button", name="Transferir").click()
    expect(page.get_by_test_id("notice")).to_have_text("Atendimento transferido.")

    # back in Financeiro's queue, first in line there; the note waits for whoever takes it
    waiting = page.get_by_test_id("queue-item")
    expect(waiting).to_have_count(1)
    expect(waiting.get_by_test_id("team")).to_have_text("Financeiro")
    expect(waiting).to_contain_text("posição 1 na fila")
    page.get_by_role("link", name="Financeiro", exact=True).click()
    expect(page.get_by_test_id("queue-item")).to_have_count(1)
    page.get_by_test_id("queue-item").get_by_role("link").first.click()
    expect(page.get_by_test_id("handoff-team")).to_have_text("Financeiro")
    expect(page.get_by_test_id("transfer")).to_contain_text("Ana Lima → Financeiro")
    expect(page.get_by_test_id("transfer-note")).to_have_text(note)

    # Bruno takes it: the customer hears a new person joined
    page.get_by_role("button", name="Sair").click()
    log_in(page, live, "bruno")
    page.get_by_test_id("queue-item").get_by_role("button", name="Assumir").click()
    expect(page.get_by_test_id("handoff-status")).to_have_text("com você")
    live.sent_to_customer(
        lambda b: "Bruno Reis, da equipe Dresbach, entrou na conversa" in text_of(b)
    )


def test_an_admin_creates_a_team_and_an_operator_may_not(page: Page, live: Live) -> None:
    log_in(page, live, "ana")
    expect(page.get_by_role("link", name="Equipes")).to_have_count(0)
    answer = page.goto(f"{live.origin}/console/admin/teams")
    assert answer is not None
    assert answer.status == 403
    expect(page.get_by_test_id("forbidden")).to_contain_text("só para administradores")
    page.get_by_role("button", name="Sair").click()

    log_in(page, live, "carla")
    page.get_by_role("link", name="Equipes").click()
    new = page.get_by_test_id("new-team")
    new.get_by_label(re.compile("Identificador")).fill("privacidade")
    new.get_by_label("Nome").fill("Privacidade e LGPD")
    new.get_by_label("privacidade (LGPD)").check()
    new.get_by_label("Ana Lima").check()
    new.get_by_label(re.compile("Horário")).fill("seg-sex 09:00-17:00")
    new.get_by_role("button", name="Criar equipe").click()
    expect(page.get_by_test_id("notice")).to_have_text("Equipe criada.")
    created = page.locator('[data-team="privacidade"]')
    expect(created.get_by_role("heading")).to_contain_text("Privacidade e LGPD")
    expect(created.get_by_label("Ana Lima")).to_be_checked()
    expect(created.get_by_label(re.compile("Horário"))).to_have_value("seg-sex 09:00-17:00")

    # a wrong hour is refused and said
    new = page.get_by_test_id("new-team")
    new.get_by_label(re.compile("Identificador")).fill("noite")
    new.get_by_label("Nome").fill("Plantão noturno")
    new.get_by_label(re.compile("Horário")).fill("toda hora")
    new.get_by_role("button", name="Criar equipe").click()
    expect(page.get_by_test_id("error")).to_contain_text("Horário inválido")

    page.get_by_role("link", name="Atendentes").click()
    bruno = page.locator('[data-operator="bruno"]')
    bruno.get_by_label("Papel").select_option(label="líder de equipe")
    bruno.get_by_role("button", name="Salvar Bruno Reis").click()
    expect(page.get_by_test_id("notice")).to_have_text("Atendente salvo.")
    expect(page.locator('[data-operator="bruno"]').get_by_label("Papel")).to_have_value("team_lead")
    fits_a_phone(page, "operators")
