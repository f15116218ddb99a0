"""`dresbach chat` in a subprocess: a whole conversation typed on stdin, read back on stdout."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import create_engine, select

from dresbach.features.client_area.flow.texts import TEXTS as CLIENT_AREA
from dresbach.features.menu.flow.texts import TEXTS as MENU_TEXTS
from dresbach.features.privacy.flow.texts import TEXTS as PRIVACY
from dresbach.features.techops.flow.texts import TEXTS as TECHOPS
from dresbach.platform.store.schema import payments

DRESBACH = Path(sys.executable).with_name("dresbach")
PROMPT = "você> "


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WHATSAPP_", "DRESBACH_"))}
    env["DRESBACH_DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env["DRESBACH_SANDBOX"] = "1"
    env["TMPDIR"] = str(tmp_path)  # where the chat's log file goes by default
    return env


def chat(tmp_path: Path, typed: str, user: str = "5511988887777") -> str:
    env = _env(tmp_path)
    done = subprocess.run(
        [str(DRESBACH), "chat", "--user", user],
        input=typed,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,  # away from any developer .env
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_greeting_menu_client_area_by_number_and_menu_again(tmp_path: Path) -> None:
    out = chat(tmp_path, "oi\n2\nmenu\n")

    # one answer per line typed, then the prompt that met end of input
    banner, after_oi, after_2, after_menu, at_eof = out.split(PROMPT)
    assert "Ctrl-D" in banner
    assert at_eof == ""

    # the user says "oi": greeting with the LGPD notice, then the numbered menu
    assert "Dresbach Assistente" in after_oi
    assert "LGPD" in after_oi
    assert after_oi.index("LGPD") < after_oi.index("1. Consultoria Tech Ops")
    assert "  1. Consultoria Tech Ops\n  2. Área do Cliente\n  3. Falar com atendente" in after_oi

    # the user types "2": that is the "Área do Cliente" button
    assert CLIENT_AREA["start"] in after_2
    assert "1. Consultoria Tech Ops" not in after_2

    # the user types "menu": the menu is back
    assert "  1. Consultoria Tech Ops\n  2. Área do Cliente\n  3. Falar com atendente" in after_menu
    assert "LGPD" not in after_menu


def test_a_number_beyond_the_options_is_sent_as_text(tmp_path: Path) -> None:
    out = chat(tmp_path, "oi\n9\n")
    _banner, _after_oi, after_9, _eof = out.split(PROMPT)
    # only three options were offered: "9" is a typed message the menu does not understand
    assert MENU_TEXTS["menu_not_understood"] in after_9
    assert CLIENT_AREA["start"] not in after_9
    assert "  1. Consultoria Tech Ops" in after_9


# -- #10.13: what the terminal shows, and what a typed number means ------------------------------


def test_the_logs_stay_out_of_the_conversation(tmp_path: Path) -> None:
    env = _env(tmp_path)
    done = subprocess.run(
        [str(DRESBACH), "chat", "--user", "5511988887777"],
        input="oi\n2\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # the terminal shows the conversation and nothing else: stdout and stderr both
    assert done.stderr == ""
    assert "INFO" not in done.stdout
    assert "Como posso ajudar você hoje?" in done.stdout
    # the records are kept, in a file the banner names
    log_file = tmp_path / "dresbach-chat.log"
    assert f"Os registros do sistema vão para {log_file}." in done.stdout
    assert "event taken in" in log_file.read_text("utf-8")


def test_a_number_typed_where_no_options_are_offered_is_sent_as_typed(tmp_path: Path) -> None:
    out = chat(tmp_path, "oi\n1\n2\n2\n")
    *_, after_area, after_2, _eof = out.split(PROMPT)
    # the bot asked an open question after the list of areas: "2" is text, too short a story
    assert TECHOPS["description"] in after_area
    assert TECHOPS["description_short"] in after_2


def test_a_head_count_typed_at_the_size_list_is_the_head_count(tmp_path: Path) -> None:
    story = "Nosso servidor foi invadido e precisamos entender o que aconteceu."
    typed = ["oi", "1", "2", story, "Padaria Boa Massa"]
    out = chat(tmp_path, "\n".join([*typed, "5", "1", "maria@boamassa.com.br", "1", "2", ""]))
    turns = out.split(PROMPT)
    at_size, after_5, summary = turns[len(typed)], turns[len(typed) + 1], turns[-2]
    # "5" is five people, not the fifth row ("250 pessoas ou mais")
    assert TECHOPS["urgency"] in after_5
    assert "De 2 a 9 pessoas" in summary
    assert "250 pessoas ou mais" not in summary
    # the options speak in numbers themselves, so they are lettered
    assert "  b. De 2 a 9 pessoas" in at_size
    assert "  e. 250 pessoas ou mais" in at_size


class LiveChat:
    """`dresbach chat` kept open: lines typed one at a time, the screen read as it changes."""

    def __init__(self, tmp_path: Path, user: str) -> None:
        self.process = subprocess.Popen(
            [str(DRESBACH), "chat", "--user", user],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,  # one terminal: anything on stderr would show too
            env=_env(tmp_path),
            cwd=tmp_path,
        )
        self._screen = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        while chunk := os.read(self.process.stdout.fileno(), 4096):
            self._screen.extend(chunk)

    @property
    def screen(self) -> str:
        return bytes(self._screen).decode("utf-8", errors="replace")

    def wait_for(self, text: str, *, after: int = 0, timeout: float = 30.0) -> int:
        """Where `text` shows up on the screen past `after`; fails after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.screen.find(text, after)
            if found >= 0:
                return found + len(text)
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never showed; the screen:\n{self.screen[after:]}")

    def type(self, line: str) -> int:
        """Type a line when the prompt is showing; where the answer starts on the screen."""
        self.wait_for(PROMPT, after=max(0, len(self.screen) - len(PROMPT)))
        start = len(self.screen)
        assert self.process.stdin is not None
        self.process.stdin.write(f"{line}\n".encode())
        self.process.stdin.flush()
        return start

    def close(self) -> str:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()
        self._reader.join(timeout=5)
        return self.screen


def test_a_payment_confirmed_elsewhere_shows_while_the_user_is_silent(tmp_path: Path) -> None:
    live = LiveChat(tmp_path, "5511977776666")
    try:
        for line in [
            "oi",
            "1",  # Consultoria Tech Ops
            "2",  # Segurança da informação
            "Nosso servidor foi invadido e precisamos entender o que aconteceu.",
            "Padaria Boa Massa",
            "2",  # two people work there
            "1",  # É urgente
            "maria@boamassa.com.br",
            "1",  # yes, that is my name
            "2",  # no CNPJ
            "1",  # the summary is right
        ]:
            live.wait_for(PROMPT, after=live.type(line))
        live.wait_for("Pix", after=live.type("1"))  # Pagar e agendar
        engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
        try:
            with engine.connect() as connection:
                txid = connection.execute(select(payments.c.txid)).scalar_one()
        finally:
            engine.dispose()
        quiet = live.wait_for(PROMPT, after=len(live.screen) - len(PROMPT))

        # an operator confirms the Pix in another terminal; the user types nothing
        confirmed = subprocess.run(
            [str(DRESBACH), "payments", "confirm", txid, "--operator", "ana"],
            env=_env(tmp_path),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert confirmed.returncode == 0, confirmed.stderr

        # the receipt shows on its own, and the prompt comes back under it
        receipt_at = live.wait_for(txid, after=quiet)
        live.wait_for(PROMPT, after=receipt_at)
        assert "bot> " in live.screen[quiet:receipt_at]
    finally:
        screen = live.close()
    assert "INFO" not in screen


def test_after_an_erasure_what_comes_next_is_shown(tmp_path: Path) -> None:
    out = chat(tmp_path, "oi\n4\n3\n1\noi\n")
    *_, at_erase, after_yes, after_oi, _eof = out.split(PROMPT)
    assert PRIVACY["erase_confirm"].split("\n")[0] in at_erase
    # the erasure emptied the user's sink; the next ids are new, so both answers show
    assert PRIVACY["erased"] in after_yes
    assert "LGPD" in after_oi
    assert "  1. Consultoria Tech Ops" in after_oi
