"""`/console/reports` over real HTTP, on SQLite and PostgreSQL: hand-offs closed with labels
and rated by customers become the charts, the figures and the CSV a manager downloads."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import orjson
from sqlalchemy import insert

from dresbach.kernel.hours import SAO_PAULO
from dresbach.platform.store.schema import conversations, handoffs
from tests.features.operators.test_console import Console, console
from tests.support.stack_fixtures import Stack

__all__ = ["console"]  # the fixture, shared


def seed(stack: Stack) -> datetime:
    """Three hand-offs today: two closed by Ana with labels and rated 5 and 3, one waiting;
    and four conversations, of which the three with a hand-off needed a person."""
    now = datetime.now(UTC).replace(microsecond=0)
    opened = now - timedelta(hours=1)
    rows = [
        ("a", "closed", "ana", "billing", 5, timedelta(minutes=4), timedelta(minutes=30)),
        ("b", "closed", "ana", "dns_domain", 3, timedelta(minutes=10), timedelta(minutes=50)),
        ("c", "waiting", None, None, None, None, None),
    ]
    with stack.container.db.engine.begin() as connection:
        for key, status, who, label, rating, first, closed in rows:
            connection.execute(
                insert(handoffs).values(
                    request_id=f"seed:{key}",
                    conversation_key=f"5511900000{ord(key)}",
                    status=status,
                    reason="customer",
                    flow="menu",
                    context=orjson.dumps({}).decode(),
                    requested_at=opened,
                    taken_by=who,
                    taken_at=opened + first if first else None,
                    first_reply_at=opened + first if first else None,
                    ended_at=opened + closed if closed else None,
                    label=label,
                    rating=rating,
                    rated_at=opened + closed if closed else None,
                )
            )
        for n, key in enumerate(["a", "b", "c", "d"]):
            connection.execute(
                insert(conversations).values(
                    key=f"5511900000{ord(key)}",
                    address=f"5511900000{ord(key)}",
                    flow="menu",
                    state="main",
                    created_at=opened - timedelta(minutes=n),
                    updated_at=opened,
                )
            )
    return now


def test_the_manager_sees_the_charts_the_figures_and_downloads_the_csv(
    stack: Stack, console: Console
) -> None:
    now = seed(stack)
    assert console.login("ana", "cafe-com-leite-42").status_code == 303
    page = console.http.get(f"{stack.origin}/console/reports")
    assert page.status_code == 200
    html = page.text
    assert html.count('class="dc-chart') == 7
    assert "Atendimentos por dia e por etiqueta" in html
    assert "Financeiro e cobrança" in html
    assert "DNS e domínio" in html
    assert "Satisfação por atendente" in html
    assert "Ana Lima" in html
    assert 'data-testid="figure-handoffs">3<' in html
    assert "25%" in html
    assert "(1 de 4)" in html
    assert 'data-testid="figure-rating">4 · 2<' in html
    assert "Funil da Consultoria Tech Ops" in html
    assert page.headers["content-security-policy"].startswith("default-src 'self'")

    # the seed opened its hand-offs an hour ago: between 00:00 and 01:00 in São Paulo, yesterday
    first = (now - timedelta(hours=1)).astimezone(SAO_PAULO).date().isoformat()
    today = now.astimezone(SAO_PAULO).date().isoformat()
    download = console.http.get(
        f"{stack.origin}/console/reports.csv",
        params={"tipo": "atendimentos", "de": first, "ate": today},
    )
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    lines = list(csv.reader(io.StringIO(download.text.lstrip("\ufeff")), delimiter=";"))
    assert lines[0][:4] == ["Aberto em", "Equipe", "Atendente", "Etiqueta"]
    assert sorted(line[3] for line in lines[1:]) == ["", "DNS e domínio", "Financeiro e cobrança"]
    assert sorted(line[8] for line in lines[1:]) == ["", "3", "5"]

    rated = console.http.get(f"{stack.origin}/console/reports.csv?tipo=satisfacao").text
    assert "Ana Lima;4;2" in rated

    wrong = console.http.get(f"{stack.origin}/console/reports?de=2026-13-01&ate=ontem")
    assert wrong.status_code == 200
    assert "Período inválido" in wrong.text


def test_the_reports_need_a_login(stack: Stack, console: Console) -> None:
    for path in ("/console/reports", "/console/reports.csv"):
        answer = console.http.get(f"{stack.origin}{path}")
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/console/login")
