"""`dresbach chat` in a subprocess: a whole conversation typed on stdin, read back on stdout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dresbach.flows.client_area.texts import TEXTS as CLIENT_AREA
from dresbach.flows.menu.texts import TEXTS as MENU_TEXTS

DRESBACH = Path(sys.executable).with_name("dresbach")
PROMPT = "você> "


def chat(tmp_path: Path, typed: str, user: str = "5511988887777") -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WHATSAPP_", "DRESBACH_"))}
    env["DRESBACH_DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env["DRESBACH_SANDBOX"] = "1"
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
    assert MENU_TEXTS["not_understood"] in after_9
    assert CLIENT_AREA["start"] not in after_9
    assert "  1. Consultoria Tech Ops" in after_9
