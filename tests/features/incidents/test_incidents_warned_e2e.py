"""A client warned of an incident before their services is told of its end, over real HTTP: Maria
logs in to the Área do Cliente while an outage is open on every server, opens her services and
reads the warning first; the operator closes the incident; Maria reads "Resolvido" once, as
someone who had asked would."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from dresbach.features.incidents.service import close_incident, open_incident
from dresbach.platform.store.schema import incident_askers
from tests.features.client_area.test_client_area_over_whatsapp import Mailbox, logs_in, until
from tests.support.meta import text_of
from tests.support.servers import free_port

TITLE = "Instabilidade nos servidores"


@pytest.fixture
def mail() -> Iterator[tuple[Mailbox, int]]:
    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


def test_a_client_warned_on_the_services_screen_is_told_once_when_the_incident_closes(  # type: ignore[no-untyped-def]
    stack_factory, database_url: str, mail: tuple[Mailbox, int]
) -> None:
    stack, maria, _code = logs_in(stack_factory, database_url, mail)
    engine = stack.container.db.engine
    incident = open_incident(
        engine,
        title=TITLE,
        message="Nossa rede está instável. A previsão de retorno é de uma hora.",
        by="ana",
        now=datetime.now(UTC),
    )

    # Maria opens her services: the incident first, then the list, as always
    services = until(maria, maria.taps("Serviços ativos"), "Hospedagem Pro")
    texts = [text_of(m) for m in services]
    warned = [t for t in texts if t.startswith("⚠️ Estamos cientes de uma instabilidade")]
    assert len(warned) == 1, texts
    assert f"*{TITLE}*" in warned[0]
    assert warned[0].index(f"*{TITLE}*") < warned[0].index("Estes são os seus serviços")

    # she never wrote about an outage, yet she is kept as one to tell of its end
    stack.waits_until_stepped()
    askers = select(func.count()).select_from(incident_askers)
    with engine.connect() as connection:
        assert connection.execute(askers).scalar_one() == 1

    # then she asks too: she reads the incident again, and is still kept once
    asked = maria.says("meu site caiu")
    assert any(f"*{TITLE}*" in text_of(m) for m in asked), asked
    stack.waits_until_stepped()
    with engine.connect() as connection:
        assert connection.execute(askers).scalar_one() == 1

    # the operator closes the incident: Maria is told, once
    closed = close_incident(engine, incident.incident_id, by="ana", now=datetime.now(UTC))
    assert closed.told == 1
    told = maria.waits_for_reply()
    assert len(told) == 1, told
    assert text_of(told[0]).startswith(f"✅ Resolvido: *{TITLE}*")
    stack.waits_until_stepped()
    assert len(maria.replies()) == maria.seen  # nothing more: no second "Resolvido"
