"""Fixtures for tests that drive the real service in Debian's chromium.

`service` runs `dresbach serve` in sandbox mode (no WhatsApp credentials) on a free port with
its own SQLite file; `page` is a fresh chromium page. Chromium comes from `DRESBACH_CHROMIUM`
(default /usr/bin/chromium); without it the tests skip, or fail when `CI=true`.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
DRESBACH = Path(sys.executable).with_name("dresbach")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT = 30.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _service_env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WHATSAPP_", "DRESBACH_"))}
    env["DRESBACH_DATABASE_URL"] = database_url
    env["DRESBACH_SANDBOX"] = "1"
    env["DRESBACH_LOG_LEVEL"] = "warning"
    return env


@pytest.fixture
def service_db(tmp_path: Path) -> Path:
    """The SQLite file the service under test uses."""
    return tmp_path / "db.sqlite3"


@pytest.fixture
def service(service_db: Path, tmp_path: Path) -> Iterator[str]:
    """The base URL of a real `dresbach serve` in sandbox mode."""
    executable = DRESBACH if DRESBACH.exists() else ROOT / ".venv" / "bin" / "dresbach"
    port = _free_port()
    log_path = tmp_path / "service.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(executable), "serve", "--host", "127.0.0.1", "--port", str(port)],
            # cwd away from the repo so a developer's .env cannot switch sandbox mode off
            cwd=tmp_path,
            env=_service_env(f"sqlite:///{service_db}"),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(process, url, log_path)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait_healthy(process: subprocess.Popen[bytes], url: str, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"dresbach serve exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1.0, trust_env=False).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(
        f"dresbach serve did not answer /healthz in {START_TIMEOUT}s:\n{log_path.read_text()}"
    )


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("DRESBACH_CHROMIUM", "/usr/bin/chromium")
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        message = f"chromium not found at {path} (set DRESBACH_CHROMIUM)"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:  # as tests/conftest.py
            pytest.fail(message)
        pytest.skip(message)
    return path


# Per module, not per session: the browser tests now live beside their feature's other tests, and
# Playwright's sync API keeps an event loop running in this thread until it stops, which would make
# every later `asyncio.run` fail.
@pytest.fixture(scope="module")
def playwright_session() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(chromium_path: str, playwright_session: Playwright) -> Iterator[Browser]:
    browser = playwright_session.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="pt-BR", viewport={"width": 900, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        context.close()
