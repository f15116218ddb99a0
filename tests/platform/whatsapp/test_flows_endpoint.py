"""`POST /whatsapp/flows` over real HTTP, driven by a client that encrypts and decrypts as
WhatsApp does. Behind the endpoint: a two-screen Flow (document, then password) guarded by the
real flow-token store, on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette

from dresbach.platform.store.database import Database, migrate
from dresbach.platform.whatsapp import flow_tokens as tokens
from dresbach.platform.whatsapp.flows_exchange import (
    EXPIRED_FORM_TEXT,
    CloseFlow,
    FlowAnswer,
    FlowRequest,
    NextScreen,
)
from dresbach.web.flows_endpoint import MAX_BODY, routes
from tests.support.meta import APP_SECRET
from tests.support.servers import serve_in_thread
from tests.support.whatsapp_flows_client import (
    SIGNED,
    Sealed,
    WhatsAppFlowsClient,
    seal,
    signature_of,
)

CONVERSATION = "5511977776666"
DOCUMENT = "529.982.247-25"
PASSWORD = "s3nha-Muito-Secreta"


class LoginFlow:
    """The business side: INIT opens DOCUMENT, DOCUMENT leads to PASSWORD, PASSWORD closes the
    Flow and uses the token up. A stand-in for the Área do Cliente, with the real store."""

    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db, self.clock = db, clock
        self.seen: list[FlowRequest] = []

    async def exchange(self, request: FlowRequest) -> FlowAnswer:
        self.seen.append(request)
        now, engine = self.clock(), self.db.engine
        token = await self.db.run(tokens.check, engine, request.flow_token, now, purpose="login")
        if request.action == "INIT":
            return NextScreen(screen="DOCUMENT", data={"title": "Entrar"})
        if request.screen == "DOCUMENT":
            return NextScreen(screen="PASSWORD", data={})
        if request.screen == "PASSWORD":
            await self.db.run(
                lambda: tokens.complete(
                    engine,
                    request.flow_token,
                    now,
                    purpose="login",
                    conversation_key=token.conversation_key,
                )
            )
            return CloseFlow(params={"outcome": "ok"})
        raise RuntimeError("a screen this Flow does not have")


@dataclass
class Endpoint:
    client: WhatsAppFlowsClient
    flow: LoginFlow
    db: Database

    def issue(self, now: datetime | None = None) -> str:
        issued = tokens.issue(
            self.db.engine,
            conversation_key=CONVERSATION,
            purpose="login",
            now=now or datetime.now(UTC),
        )
        return issued.token


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def endpoint(database_url: str, key: rsa.RSAPrivateKey) -> Iterator[Endpoint]:
    migrate(database_url)
    db = Database(database_url)
    flow = LoginFlow(db, lambda: datetime.now(UTC))
    app = Starlette(routes=routes(exchange=flow, private_key=key, app_secret=APP_SECRET))
    with serve_in_thread(app) as origin:
        yield Endpoint(client=WhatsAppFlowsClient(origin, key.public_key()), flow=flow, db=db)
    db.close()


def test_a_ping_is_answered_active_encrypted_as_plain_text(endpoint: Endpoint) -> None:
    answer = endpoint.client.ping()
    assert answer.status == 200
    assert answer.content_type.startswith("text/plain")
    assert answer.payload == {"data": {"status": "active"}}
    assert endpoint.flow.seen == []


def test_a_login_walks_its_screens_and_closes_with_the_token(endpoint: Endpoint) -> None:
    token = endpoint.issue()
    opened = endpoint.client.open_flow(token)
    assert (opened.status, opened.payload) == (
        200,
        {"screen": "DOCUMENT", "data": {"title": "Entrar"}},
    )
    document = endpoint.client.submit(token, "DOCUMENT", {"document": DOCUMENT})
    assert document.payload == {"screen": "PASSWORD", "data": {}}
    closed = endpoint.client.submit(token, "PASSWORD", {"password": PASSWORD})
    assert closed.status == 200
    assert closed.payload == {
        "screen": "SUCCESS",
        "data": {"extension_message_response": {"params": {"outcome": "ok", "flow_token": token}}},
    }
    seen = [(r.action, r.screen, dict(r.data)) for r in endpoint.flow.seen]
    assert seen == [
        ("INIT", "", {}),
        ("data_exchange", "DOCUMENT", {"document": DOCUMENT}),
        ("data_exchange", "PASSWORD", {"password": PASSWORD}),
    ]
    assert {r.version for r in endpoint.flow.seen} == {"3.0"}


def test_a_replayed_token_is_427_with_the_message_for_the_user(endpoint: Endpoint) -> None:
    token = endpoint.issue()
    endpoint.client.submit(token, "PASSWORD", {"password": PASSWORD})
    for replay in (
        endpoint.client.open_flow(token),
        endpoint.client.submit(token, "PASSWORD", {"password": PASSWORD}),
    ):
        assert replay.status == 427
        assert replay.payload == {"error_msg": EXPIRED_FORM_TEXT}


def test_an_expired_or_unknown_token_is_427(endpoint: Endpoint) -> None:
    expired = endpoint.issue(now=datetime.now(UTC) - timedelta(minutes=11))
    assert endpoint.client.open_flow(expired).status == 427
    assert endpoint.client.open_flow("a-token-we-never-issued").status == 427
    missing = endpoint.client.post({"version": "3.0", "action": "INIT"})
    assert (missing.status, missing.payload) == (427, {"error_msg": EXPIRED_FORM_TEXT})


def test_a_body_encrypted_for_another_key_is_421_and_reaches_nothing(
    endpoint: Endpoint,
) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = endpoint.issue()
    answer = endpoint.client.post(
        {"version": "3.0", "action": "INIT", "flow_token": token}, public_key=other.public_key()
    )
    assert (answer.status, answer.payload) == (421, None)
    assert endpoint.flow.seen == []


@pytest.mark.parametrize(
    "signature",
    [None, "sha256=" + "0" * 64, "sha1=abc", signature_of(b"another body")],
    ids=["unsigned", "wrong", "other-scheme", "another-body"],
)
def test_an_unsigned_or_wrongly_signed_request_changes_nothing(
    endpoint: Endpoint, signature: str | None
) -> None:
    token = endpoint.issue()
    refused = endpoint.client.send(
        seal(
            {
                "version": "3.0",
                "action": "data_exchange",
                "screen": "PASSWORD",
                "data": {"password": PASSWORD},
                "flow_token": token,
            },
            endpoint.client.public_key,
        ),
        signature=signature,
    )
    assert (refused.status, refused.payload) == (432, None)
    assert endpoint.flow.seen == []
    # the token was not used: the same request, signed, still completes the Flow
    assert endpoint.client.submit(token, "PASSWORD", {"password": PASSWORD}).status == 200


def test_a_request_signed_with_another_secret_is_refused(endpoint: Endpoint) -> None:
    sealed = seal({"version": "3.0", "action": "ping"}, endpoint.client.public_key)
    answer = endpoint.client.send(sealed, signature=signature_of(sealed.body, "other-secret"))
    assert answer.status == 432
    assert endpoint.client.send(sealed, signature=SIGNED).status == 200


def test_an_error_notification_is_acknowledged_and_logged_without_secrets(
    endpoint: Endpoint, caplog: pytest.LogCaptureFixture
) -> None:
    token = endpoint.issue()
    with caplog.at_level(logging.INFO, logger="dresbach.web.flows_endpoint"):
        answer = endpoint.client.report_error(
            token, "PASSWORD", "invalid-screen-transition", f"bad data {PASSWORD}"
        )
    assert (answer.status, answer.payload) == (200, {"data": {"acknowledged": True}})
    assert endpoint.flow.seen == []
    (record,) = [r for r in caplog.records if r.getMessage() == "flows error notification"]
    assert vars(record)["error"] == "invalid-screen-transition"
    assert (vars(record)["action"], vars(record)["screen"]) == ("data_exchange", "PASSWORD")
    assert PASSWORD not in logged(caplog)
    assert token not in logged(caplog)


def logged(caplog: pytest.LogCaptureFixture) -> str:
    """Every message and field of every record."""
    return "\n".join(repr(vars(r)) + r.getMessage() for r in caplog.records)


def test_the_logs_name_actions_and_screens_never_what_was_typed(
    endpoint: Endpoint, caplog: pytest.LogCaptureFixture
) -> None:
    token = endpoint.issue()
    with caplog.at_level(logging.DEBUG):
        endpoint.client.open_flow(token)
        endpoint.client.submit(token, "DOCUMENT", {"document": DOCUMENT})
        endpoint.client.submit(token, "PASSWORD", {"password": PASSWORD})
        endpoint.client.submit(token, "PASSWORD", {"password": PASSWORD})  # replayed: 427
    text = logged(caplog)
    for secret in (DOCUMENT, "52998224725", PASSWORD, token):
        assert secret not in text
    answered = [vars(r) for r in caplog.records if r.getMessage() == "flows request answered"]
    assert [(r["action"], r["screen"], r["outcome"]) for r in answered] == [
        ("INIT", "", "screen"),
        ("data_exchange", "DOCUMENT", "screen"),
        ("data_exchange", "PASSWORD", "close"),
    ]
    (rejected,) = [r for r in caplog.records if r.getMessage() == "flows token rejected"]
    assert vars(rejected)["reason"] == "used"


def test_malformed_oversized_and_unknown_requests_are_refused_before_the_flow(
    endpoint: Endpoint,
) -> None:
    client = endpoint.client
    for raw in (b"{}", b"not json", b'{"encrypted_flow_data": "AAAA"}'):
        assert client.send(_raw(raw)).status == 400
    huge = _raw(b'{"encrypted_flow_data": "' + b"A" * MAX_BODY + b'"}')
    assert client.send(huge).status == 413
    token = endpoint.issue()
    unknown = client.post({"version": "3.0", "action": "navigate", "flow_token": token})
    assert unknown.status == 400
    bad_data = client.post(
        {"version": "3.0", "action": "data_exchange", "data": [1], "flow_token": token}
    )
    assert bad_data.status == 400
    assert endpoint.flow.seen == []


def test_a_failure_behind_the_endpoint_is_500(endpoint: Endpoint) -> None:
    token = endpoint.issue()
    answer = endpoint.client.submit(token, "NOT_A_SCREEN", {})
    assert (answer.status, answer.payload) == (500, None)


def _raw(body: bytes) -> Sealed:
    """A body sent as it is (signed), not an encrypted request."""
    return Sealed(body=body, aes_key=bytes(16), iv=bytes(16))
