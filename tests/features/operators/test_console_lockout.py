"""The console's login lockout under fire, over real HTTP against the real app (SQLite and
PostgreSQL): wrong logins sent together, as an attacker sends them, get exactly four refusals
before the lock, and then not even the right password opens a session (#18.1)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.features.operators.test_console import PASSWORD, Console, console, token_in
from tests.support.stack_fixtures import Stack

__all__ = ["console"]  # the fixture, used by name

ATTEMPTS = 24


def ready_browsers(stack: Stack, count: int) -> list[tuple[httpx.Client, str]]:
    """`count` browsers, each with the login page open (its cookie and its form token)."""
    browsers = []
    for _ in range(count):
        http = httpx.Client(follow_redirects=False, timeout=60, trust_env=False)
        page = http.get(f"{stack.origin}/console/login")
        browsers.append((http, token_in(page.text)))
    return browsers


def submit_together(
    stack: Stack, browsers: list[tuple[httpx.Client, str]], passwords: list[str]
) -> list[httpx.Response]:
    start = threading.Barrier(len(browsers))

    def submit(pair: tuple[tuple[httpx.Client, str], str]) -> httpx.Response:
        (http, token), password = pair
        start.wait()
        return http.post(
            f"{stack.origin}/console/login",
            data={"username": "ana", "password": password, "csrf_token": token},
        )

    try:
        with ThreadPoolExecutor(max_workers=len(browsers)) as pool:
            return list(pool.map(submit, zip(browsers, passwords, strict=True)))
    finally:
        for http, _ in browsers:
            http.close()


def test_wrong_logins_sent_together_lock_after_five_and_the_right_password_stays_out(
    stack: Stack, console: Console
) -> None:
    wrong = [f"errada-{n}" for n in range(ATTEMPTS)]
    answers = submit_together(stack, ready_browsers(stack, ATTEMPTS), wrong)
    statuses = sorted(r.status_code for r in answers)
    assert statuses == [401] * 4 + [429] * (ATTEMPTS - 4), statuses

    # then the right password, alone and mixed with wrong ones: nobody gets a session
    mixed = [PASSWORD if n % 2 else f"errada-{n}" for n in range(10)]
    answers = submit_together(stack, ready_browsers(stack, 10), mixed)
    assert [r.status_code for r in answers] == [429] * 10
    assert not any("dresbach_console=" in str(r.headers.get_list("set-cookie")) for r in answers)
    alone = console.login("ana", PASSWORD)
    assert alone.status_code == 429
    assert "bloqueado" in alone.text
