"""What the console shows, without a server: lead answers in pt-BR with documents masked,
waiting times in words, dates in São Paulo time, and HTML escaped in every template."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dresbach.web.console.auth import safe_next
from dresbach.web.console.records import shown_answers
from dresbach.web.console.views import ENVIRONMENT, waited, when

NOW = datetime(2026, 12, 1, 13, 0, tzinfo=UTC)


def test_answers_are_labelled_in_the_funnel_order_with_the_cnpj_masked() -> None:
    shown = shown_answers(
        {
            "cnpj": "12.ABC.345/01DE-35",
            "company": "Loja Exemplo",
            "area": "security",
            "size": "10-49",
            "extra": "x",
        }
    )
    assert shown == [
        ("Área", "Segurança da informação"),
        ("Empresa", "Loja Exemplo"),
        ("Porte da empresa", "De 10 a 49 pessoas"),
        ("CNPJ", "**.***.***/01DE-**"),
        ("extra", "x"),
    ]
    assert shown_answers({"cnpj": "não sei"}) == [("CNPJ", "***")]
    # as leads keep it: masked already, and shown as such (not "***") (#10.17)
    assert shown_answers({"cnpj": "**.***.***/01DE-**"}) == [("CNPJ", "**.***.***/01DE-**")]


def test_waiting_times_and_dates_read_naturally() -> None:
    assert waited(NOW, NOW) == "agora"
    assert waited(NOW - timedelta(minutes=3), NOW) == "há 3 min"
    assert waited(NOW - timedelta(hours=2, minutes=5), NOW) == "há 2 h 05 min"
    assert waited(None, NOW) == "-"
    assert when(NOW) == "01/12/2026 10:00"  # UTC-3


def test_only_console_paths_are_followed_after_the_login() -> None:
    assert safe_next("/console/payments?status=x") == "/console/payments?status=x"
    for hostile in ("https://evil.example/console", "//evil.example", "/simulator", None, ""):
        assert safe_next(hostile) == "/console"


def test_customer_text_is_escaped_in_the_history() -> None:
    class Entry:
        direction, author, at, status, template = "in", "cliente", NOW, None, False
        text = '<img src=x onerror="alert(1)">'

    class History:
        window_open, entries = True, (Entry(),)

    html = ENVIRONMENT.get_template("console_history.html").render(
        handoff_id=1, history=History(), item=None, mine=False, delivery={}
    )
    assert "<img" not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
