"""While an incident is open, who writes about an outage reads it first: the user says, the bot
says (the pure core, the incidents in the conversation's notices as the step's hook loads
them)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from dresbach.features.incidents.ahead import notices_of
from dresbach.features.incidents.model import NOTICE, Incident, IncidentAsked
from dresbach.features.incidents.service import resolved_message
from dresbach.features.sitecheck.flow.model import SiteDown
from dresbach.kernel.messages import Template, Text
from tests.support.client_area_transcript import (
    CODE,
    CPF,
    PASSWORD,
    ClientAreaTranscript,
    service,
)
from tests.support.transcript import START, Transcript, words

UPDATED = datetime(2026, 11, 25, 12, 40, tzinfo=UTC)  # 9h40 in São Paulo, a wednesday

BR1 = Incident(
    incident_id=7,
    title="Instabilidade no servidor br1",
    message="O servidor br1 está sem acesso à rede. A previsão de retorno é de uma hora.",
    servers=("br1.dresbach.com.br",),
    opened_at=UPDATED - timedelta(minutes=30),
    opened_by="ana",
    updated_at=UPDATED,
    updated_by="ana",
)


def during(*incidents: Incident) -> Transcript:
    """A customer at the menu while these incidents are open."""
    t = Transcript()
    t.says("oi")
    assert t.conversation is not None
    t.conversation = replace(t.conversation, notices={NOTICE: incidents})
    return t


@pytest.mark.parametrize(
    "said", ["meu site caiu", "site fora do ar", "está tudo fora", "o site caiu"]
)
def test_who_writes_about_an_outage_reads_the_incident_first_and_nothing_is_opened(
    said: str,
) -> None:
    t = during(BR1)
    replies = t.says(said)
    assert len(replies) == 1
    text = words(replies[0])
    assert "Instabilidade no servidor br1" in text
    assert "sem acesso à rede" in text
    assert "Última atualização: quarta, 25/11, às 9h40" in text
    assert t.last is not None
    # no login asked, no ticket, no hand-off: only who asked is kept
    assert t.conversation is not None
    assert t.conversation.place.flow == "menu"
    assert [type(c) for c in t.last.commands] == [IncidentAsked]
    assert t.last.commands[0].incident_ids == (7,)  # type: ignore[attr-defined]


def test_at_first_contact_the_incident_comes_after_the_greeting() -> None:
    t = Transcript()
    assert t.conversation is not None
    t.conversation = replace(t.conversation, notices={NOTICE: (BR1,)})
    replies = t.says("meu site caiu")
    assert "Instabilidade no servidor br1" in words(replies[-1])
    assert t.last is not None
    assert any(isinstance(c, IncidentAsked) for c in t.last.commands)


def test_two_open_incidents_are_both_said_the_latest_updated_first() -> None:
    older = replace(
        BR1, incident_id=3, title="Lentidão no e-mail", updated_at=UPDATED - timedelta(hours=2)
    )
    t = during(older, BR1)
    replies = t.says("meu site caiu")
    assert [words(r).split("*")[1] for r in replies] == [
        "Instabilidade no servidor br1",
        "Lentidão no e-mail",
    ]
    assert t.last is not None
    assert t.last.commands[0].incident_ids == (7, 3)  # type: ignore[attr-defined]


def test_with_no_incident_open_the_outage_goes_to_the_site_down_assistant() -> None:
    t = during()
    t.says("meu site caiu")
    assert t.conversation is not None
    assert str(t.conversation.place) == SiteDown.DOMAIN.qualified
    assert t.last is not None
    assert not any(isinstance(c, IncidentAsked) for c in t.last.commands)


def test_the_closing_is_a_text_inside_the_window_and_the_template_after_it() -> None:
    now = START + timedelta(hours=3)
    inside = resolved_message(BR1, now - timedelta(hours=23), now)
    assert isinstance(inside, Text)
    assert inside.body.startswith("✅ Resolvido: *Instabilidade no servidor br1*")
    assert isinstance(inside.fallback, Template)
    after = resolved_message(BR1, now - timedelta(hours=25), now)
    assert isinstance(after, Template)
    assert after.name == "incidente_resolvido"
    assert after.body_params == ("Instabilidade no servidor br1",)


def test_a_logged_in_client_who_writes_about_an_outage_reads_the_incident_too() -> None:
    chat = ClientAreaTranscript()
    chat.says("oi")
    chat.says("área do cliente")
    chat.sends_document(CPF)
    chat.says(PASSWORD)
    chat.login_checked("ok", factor="totp")
    chat.says(CODE)
    chat.second_factor_checked("ok")
    assert chat.conversation is not None
    assert chat.conversation.place.flow == "client_area"
    chat.conversation = replace(chat.conversation, notices={NOTICE: (BR1,)})
    replies = chat.says("meu site caiu")
    assert "Instabilidade no servidor br1" in words(replies[0])
    assert chat.last is not None
    assert [type(c) for c in chat.last.commands] == [IncidentAsked]


def logged_in_with(*incidents: Incident) -> ClientAreaTranscript:
    """A client logged in while these incidents are open (what the unit of work loads at every
    step: `notices_of`)."""
    chat = ClientAreaTranscript()
    chat.logs_in()
    assert chat.conversation is not None
    chat.conversation = replace(chat.conversation, notices=notices_of(incidents))
    return chat


def test_a_client_whose_service_is_on_the_affected_server_reads_the_incident_before_the_list() -> (
    None
):
    chat = logged_in_with(BR1)
    chat.taps("Serviços ativos")
    replies = chat.answer(
        {**service(1), "server": "br1.dresbach.com.br"}, {**service(2), "server": "br2.x.com.br"}
    )
    assert "Instabilidade no servidor br1" in words(replies[0])
    assert "Última atualização" in words(replies[0])
    assert "site1.com.br" in words(replies[-1])  # then the list, as always
    assert chat.last is not None  # and the client kept as warned, to be told of its end
    assert [(type(c), c.incident_ids) for c in chat.last.commands] == [(IncidentAsked, (7,))]


def test_a_client_on_other_servers_gets_the_list_alone() -> None:
    chat = logged_in_with(BR1)
    chat.taps("Serviços ativos")
    replies = chat.answer({**service(1), "server": "br2.dresbach.com.br"})
    assert all("Instabilidade" not in words(r) for r in replies)
    assert chat.last is not None
    assert not chat.last.commands  # not warned: not told of the end either


def test_an_incident_on_every_server_is_said_to_every_client() -> None:
    chat = logged_in_with(replace(BR1, servers=()))
    chat.taps("Serviços ativos")
    replies = chat.answer(service(1))
    assert "Instabilidade no servidor br1" in words(replies[0])
