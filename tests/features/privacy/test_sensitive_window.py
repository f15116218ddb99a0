"""#18.16 in the unit of work, on SQLite and PostgreSQL: what a customer types is kept with its
CPF/CNPJ and card numbers masked, in every state; and for a few minutes after a login failure, a
lockout, a logout or a login left half-way, their texts are kept only as a placeholder (they may
be the password typed again where nobody asks for it)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import orjson
import pytest
from sqlalchemy import select

from dresbach.features.client_area.model import LoginChecked, SecondFactorChecked
from dresbach.features.step_hooks import STEP_HOOKS
from dresbach.kernel.events import Event, Sender, TextReceived
from dresbach.kernel.policy import Policy
from dresbach.platform.store.database import Database, migrate
from dresbach.platform.store.schema import conversations, inbox, jobs
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.store.unit_of_work import REDACTED, take_in

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
POLICY = Policy()
SEALER = Sealer.from_text("22" * 32)
CPF = "529.982.247-25"
PASSWORD = "minha-senha-secreta-9"


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    migrate(database_url)
    database = Database(database_url)
    yield database
    database.close()


class Chat:
    """One customer, message by message, through the real unit of work."""

    def __init__(self, db: Database, wa_id: str) -> None:
        self.db, self.sender, self.n, self.now = db, Sender(user_id=None, wa_id=wa_id), 0, NOW

    def _take(self, event: Event, payload: dict[str, object]) -> None:
        taken = take_in(self.db.engine, event, payload, self.now, POLICY, SEALER, STEP_HOOKS)
        assert not taken.duplicate

    def says(self, body: str) -> None:
        self.n += 1
        message_id = f"wamid.{self.sender.key}.{self.n}"
        payload = {"from": self.sender.wa_id, "id": message_id, "type": "text"}
        payload["text"] = {"body": body}
        event = TextReceived(
            message_id=message_id, sender=self.sender, timestamp=self.now, body=body
        )
        self._take(event, payload)

    def login_checked(self, result: str, **more: object) -> None:
        self.n += 1
        event = LoginChecked(
            event_id=f"{self.sender.key}:login:{self.n}",
            conversation_key=self.sender.key,
            timestamp=self.now,
            result=result,  # type: ignore[arg-type]
            **more,  # type: ignore[arg-type]
        )
        self._take(event, {"result": result})

    def factor_checked(self, result: str, client_id: str) -> None:
        self.n += 1
        event = SecondFactorChecked(
            event_id=f"{self.sender.key}:2fa:{self.n}",
            conversation_key=self.sender.key,
            timestamp=self.now,
            result=result,  # type: ignore[arg-type]
            client_id=client_id,
        )
        self._take(event, {"result": result})

    def waits(self, minutes: float) -> None:
        self.now += timedelta(minutes=minutes)

    @property
    def place(self) -> str:
        with self.db.engine.connect() as connection:
            row = connection.execute(
                select(conversations.c.flow, conversations.c.state).where(
                    conversations.c.key == self.sender.key
                )
            ).one()
        return f"{row.flow}.{row.state}"

    def kept(self) -> list[str]:
        """The texts as the inbox keeps them, in order."""
        with self.db.engine.connect() as connection:
            payloads = connection.execute(
                select(inbox.c.payload)
                .where(inbox.c.conversation_key == self.sender.key, inbox.c.kind == "text")
                .order_by(inbox.c.id)
            ).scalars()
            return [orjson.loads(p)["text"]["body"] for p in payloads]

    def to_the_client_area(self) -> None:
        self.says("oi")
        self.says("2")
        assert self.place == "client_area.start"


def test_documents_and_cards_are_masked_in_every_state(db: Database) -> None:
    chat = Chat(db, "5511900000001")
    chat.says(f"oi, meu CPF é {CPF}")
    chat.says("meu cnpj é 12abc34501de35 e o cartão 5555 5555 5555 4444, tudo bem?")
    assert chat.kept() == [
        "oi, meu CPF é ***.982.247-**",
        "meu cnpj é **.***.***/01DE-** e o cartão ************4444, tudo bem?",
    ]


def test_after_a_refused_login_the_password_typed_at_the_menu_is_not_kept(db: Database) -> None:
    chat = Chat(db, "5511900000002")
    chat.to_the_client_area()
    chat.says(CPF)
    chat.says("senha-errada")
    chat.login_checked("failed")
    assert chat.place == "client_area.start"
    chat.says("menu")  # gives up, and types the secrets again at the menu
    assert chat.place.startswith("menu.")
    chat.says(CPF)
    chat.says(PASSWORD)
    assert chat.kept()[-4:] == [REDACTED, REDACTED, REDACTED, REDACTED]
    chat.waits(minutes=POLICY.sensitive_window.total_seconds() / 60 + 1)
    chat.says(f"esqueci a senha, o CPF é {CPF}")  # later on: kept, masked
    assert chat.kept()[-1] == "esqueci a senha, o CPF é ***.982.247-**"


def test_after_a_lockout_the_texts_of_the_next_minutes_are_not_kept(db: Database) -> None:
    chat = Chat(db, "5511900000003")
    chat.to_the_client_area()
    chat.says(CPF)
    chat.says("senha-errada")
    chat.login_checked("locked", locked_until=NOW + timedelta(minutes=15))
    assert chat.place.startswith("menu.")
    chat.waits(minutes=1)
    chat.says(PASSWORD)
    assert chat.kept()[-1] == REDACTED


def test_leaving_the_login_half_way_opens_the_window_too(db: Database) -> None:
    chat = Chat(db, "5511900000004")
    chat.to_the_client_area()
    chat.says(CPF)
    chat.says("menu")  # at the password prompt, the customer goes back to the menu
    assert chat.place.startswith("menu.")
    chat.says(PASSWORD)
    assert chat.kept()[-1] == REDACTED


def test_after_a_logout_the_texts_of_the_next_minutes_are_not_kept(db: Database) -> None:
    chat = Chat(db, "5511900000005")
    chat.to_the_client_area()
    chat.says(CPF)
    chat.says(PASSWORD)
    chat.login_checked("ok", client_id="c-1", name="Maria Souza", second_factor="totp")
    chat.says("123456")
    chat.factor_checked("ok", "c-1")
    assert chat.place == "client_area.home"
    chat.says("serviços")  # logged in, outside the window: kept
    assert chat.kept()[-1] == "serviços"
    chat.says("sair")
    chat.says(PASSWORD)
    assert chat.kept()[-1] == REDACTED


def test_a_person_reads_what_the_customer_writes_even_in_the_window(db: Database) -> None:
    chat = Chat(db, "5511900000006")
    chat.to_the_client_area()
    chat.says(CPF)
    chat.says("senha-errada")
    chat.login_checked("failed")
    chat.says("atendente")
    assert chat.place.startswith("handoff.")
    chat.says("Não consigo entrar, meu CPF é 529.982.247-25")
    assert chat.kept()[-1] == "Não consigo entrar, meu CPF é ***.982.247-**"
    with db.engine.connect() as connection:  # what goes to the desk (Chatwoot) is masked too
        forwarded = connection.execute(
            select(jobs.c.payload).where(jobs.c.kind == "forward_to_human")
        ).scalars()
        texts = [orjson.loads(p)["text"] for p in forwarded]
    assert texts[-1] == "Não consigo entrar, meu CPF é ***.982.247-**"
