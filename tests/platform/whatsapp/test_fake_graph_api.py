"""The fake Graph API answers like Meta's Cloud API: driven over real HTTP with httpx."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.fakes.graph_api import (
    FailureKind,
    FakeGraphServer,
    GraphApiState,
    RecordedRequest,
)

TOKEN = "EAAtest-token"
PHONE_ID = "112233445566"
USER = "5511999990000"


@pytest.fixture(scope="module")
def server() -> Iterator[FakeGraphServer]:
    state = GraphApiState(access_token=TOKEN, phone_number_id=PHONE_ID, seed=7)
    with FakeGraphServer(state) as running:
        yield running


@pytest.fixture
def graph(server: FakeGraphServer) -> Iterator[GraphApiState]:
    state = server.app_state
    state.clear()
    yield state
    state.failure_rate = 0.0
    state.failure_kinds = tuple(FailureKind)
    state.outside_window = set()
    state.undeliverable = set()
    state.clear()


@pytest.fixture
def client(server: FakeGraphServer) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=server.base_url,
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=5.0,
    ) as http:
        yield http


def text(to: str = USER, body: str = "Olá!", **extra: Any) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "text",
        "text": {"body": body},
        **extra,
    }


def buttons(count: int) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "to": USER,
        "type": "interactive",
        "interactive": {
            "type": "button",
            "body": {"text": "Escolha uma opção"},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": f"b{i}", "title": f"Opção {i}"}}
                    for i in range(count)
                ]
            },
        },
    }


def template(to: str = USER) -> dict[str, Any]:
    return {
        "messaging_product": "whatsapp",
        "to": to,
        "type": "template",
        "template": {"name": "retomar_conversa", "language": {"code": "pt_BR"}},
    }


def error_of(response: httpx.Response) -> dict[str, Any]:
    error: dict[str, Any] = response.json()["error"]
    assert error["type"] == "OAuthException"
    assert error["fbtrace_id"]
    return error


def test_base_url_points_at_the_running_server(server: FakeGraphServer) -> None:
    assert server.base_url == f"http://127.0.0.1:{server.port}/v26.0"
    assert server.running


def test_missing_token_is_401_code_190(server: FakeGraphServer, graph: GraphApiState) -> None:
    response = httpx.post(f"{server.base_url}/{PHONE_ID}/messages", json=text())

    assert response.status_code == 401
    assert error_of(response)["code"] == 190
    assert graph.requests == []
    assert [f.kind for f in graph.failures] == ["auth"]


def test_wrong_token_is_401_code_190(server: FakeGraphServer, graph: GraphApiState) -> None:
    response = httpx.post(
        f"{server.base_url}/{PHONE_ID}/messages",
        json=text(),
        headers={"Authorization": "Bearer nope"},
    )

    assert response.status_code == 401
    assert error_of(response)["code"] == 190


def test_send_text_is_accepted_and_recorded(client: httpx.Client, graph: GraphApiState) -> None:
    before = time.monotonic()
    response = client.post(f"/{PHONE_ID}/messages", json=text(biz_opaque_callback_data="m1#0"))

    assert response.status_code == 200
    answer = response.json()
    assert answer["messaging_product"] == "whatsapp"
    assert answer["contacts"] == [{"input": USER, "wa_id": USER}]
    [message] = answer["messages"]
    assert message["id"].startswith("wamid.")
    assert message["message_status"] == "accepted"
    [recorded] = graph.requests
    assert recorded.wamid == message["id"]
    assert recorded.at >= before
    assert recorded.recipient == USER
    assert recorded.body["biz_opaque_callback_data"] == "m1#0"
    assert graph.messages_to(USER) == [recorded.body]
    assert graph.read_receipts() == []


def test_wamids_are_unique(client: httpx.Client, graph: GraphApiState) -> None:
    ids = {
        client.post(f"/{PHONE_ID}/messages", json=text()).json()["messages"][0]["id"]
        for _ in range(20)
    }

    assert len(ids) == 20


def test_bsuid_recipient_is_accepted(client: httpx.Client, graph: GraphApiState) -> None:
    body: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "recipient": "BR.15020000001",
        "type": "text",
        "text": {"body": "oi"},
    }

    response = client.post(f"/{PHONE_ID}/messages", json=body)

    assert response.status_code == 200
    assert graph.messages_to("BR.15020000001") == [body]


def test_mark_read_with_typing_indicator(client: httpx.Client, graph: GraphApiState) -> None:
    body = {
        "messaging_product": "whatsapp",
        "status": "read",
        "message_id": "wamid.inbound1",
        "typing_indicator": {"type": "text"},
    }

    response = client.post(f"/{PHONE_ID}/messages", json=body)

    assert response.status_code == 200
    assert response.json() == {"success": True}
    assert graph.read_receipts() == [body]
    assert graph.messages_to(USER) == []
    assert graph.requests[0].is_read_receipt


def test_messages_to_keeps_arrival_order(client: httpx.Client, graph: GraphApiState) -> None:
    for n in range(5):
        client.post(f"/{PHONE_ID}/messages", json=text(body=f"#{n}"))
    client.post(f"/{PHONE_ID}/messages", json=text(to="5511888880000"))

    assert [m["text"]["body"] for m in graph.messages_to(USER)] == [f"#{n}" for n in range(5)]


def test_wrong_messaging_product_is_400(client: httpx.Client, graph: GraphApiState) -> None:
    response = client.post(f"/{PHONE_ID}/messages", json=text(messaging_product="sms"))

    assert response.status_code == 400
    assert error_of(response)["code"] == 100
    assert graph.requests == []


def test_unknown_phone_number_id_is_400(client: httpx.Client, graph: GraphApiState) -> None:
    response = client.post("/999/messages", json=text())

    assert response.status_code == 400
    assert error_of(response)["code"] == 100


def test_text_over_4096_is_400_code_100(client: httpx.Client, graph: GraphApiState) -> None:
    assert client.post(f"/{PHONE_ID}/messages", json=text(body="a" * 4096)).status_code == 200

    response = client.post(f"/{PHONE_ID}/messages", json=text(body="a" * 4097))

    assert response.status_code == 400
    assert error_of(response)["code"] == 100
    assert len(graph.requests) == 1
    assert graph.failures[-1].kind == "invalid"


def test_more_than_three_buttons_is_400_code_131009(
    client: httpx.Client, graph: GraphApiState
) -> None:
    assert client.post(f"/{PHONE_ID}/messages", json=buttons(3)).status_code == 200

    response = client.post(f"/{PHONE_ID}/messages", json=buttons(4))

    assert response.status_code == 400
    assert error_of(response)["code"] == 131009


def test_button_title_over_20_is_400(client: httpx.Client, graph: GraphApiState) -> None:
    body = buttons(1)
    body["interactive"]["action"]["buttons"][0]["reply"]["title"] = "x" * 21

    response = client.post(f"/{PHONE_ID}/messages", json=body)

    assert response.status_code == 400
    assert error_of(response)["code"] == 131009


def test_list_with_eleven_rows_is_400(client: httpx.Client, graph: GraphApiState) -> None:
    rows = [{"id": f"r{i}", "title": f"Linha {i}"} for i in range(11)]
    body = {
        "messaging_product": "whatsapp",
        "to": USER,
        "type": "interactive",
        "interactive": {
            "type": "list",
            "body": {"text": "Escolha"},
            "action": {"button": "Ver opções", "sections": [{"title": "A", "rows": rows}]},
        },
    }

    response = client.post(f"/{PHONE_ID}/messages", json=body)

    assert response.status_code == 400
    assert error_of(response)["code"] == 131009


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        (FailureKind.SERVER_ERROR, 500, 131000),
        (FailureKind.THROUGHPUT, 429, 130429),
        (FailureKind.PAIR_RATE, 400, 131056),
    ],
)
def test_injected_failures(
    client: httpx.Client, graph: GraphApiState, kind: FailureKind, status: int, code: int
) -> None:
    graph.failure_rate = 1.0
    graph.failure_kinds = (kind,)

    response = client.post(f"/{PHONE_ID}/messages", json=text())

    assert response.status_code == status
    error = error_of(response)
    assert error["code"] == code
    assert error.get("is_transient") is (True if kind is FailureKind.SERVER_ERROR else None)
    assert graph.requests == []
    [failure] = graph.failures
    assert (failure.kind, failure.status, failure.code) == (kind.value, status, code)
    assert failure.body == text()


def test_injected_timeout_still_accepts_the_message(
    server: FakeGraphServer, graph: GraphApiState
) -> None:
    graph.failure_rate = 1.0
    graph.failure_kinds = (FailureKind.TIMEOUT,)
    graph.timeout_delay = 0.5

    with pytest.raises(httpx.ReadTimeout):
        httpx.post(
            f"{server.base_url}/{PHONE_ID}/messages",
            json=text(),
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=0.1,
        )

    [recorded] = graph.requests
    assert recorded.delayed
    assert recorded.wamid is not None
    assert graph.failures == []


def test_injected_timeout_answers_200_after_the_delay(
    client: httpx.Client, graph: GraphApiState
) -> None:
    graph.failure_rate = 1.0
    graph.failure_kinds = (FailureKind.TIMEOUT,)
    graph.timeout_delay = 0.2

    started = time.monotonic()
    response = client.post(f"/{PHONE_ID}/messages", json=text())

    assert response.status_code == 200
    assert time.monotonic() - started >= 0.2


def test_failure_rate_is_seeded_and_partial() -> None:
    def outcomes(seed: int) -> list[int]:
        state = GraphApiState(access_token=TOKEN, failure_rate=0.5, seed=seed)
        state.failure_kinds = (FailureKind.SERVER_ERROR, FailureKind.THROUGHPUT)
        with (
            FakeGraphServer(state) as fake,
            httpx.Client(
                base_url=fake.base_url, headers={"Authorization": f"Bearer {TOKEN}"}
            ) as http,
        ):
            codes = [http.post(f"/{PHONE_ID}/messages", json=text()).status_code for _ in range(40)]
            assert len(state.requests) == codes.count(200)
            assert len(state.failures) == 40 - codes.count(200)
        return codes

    first = outcomes(seed=3)
    assert first == outcomes(seed=3)
    assert 5 < first.count(200) < 35
    assert set(first) <= {200, 500, 429}


def test_outside_window_rejects_all_but_templates(
    client: httpx.Client, graph: GraphApiState
) -> None:
    graph.outside_window = {USER}

    response = client.post(f"/{PHONE_ID}/messages", json=text())

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == 131047
    assert "Re-engagement" in error["message"]
    assert client.post(f"/{PHONE_ID}/messages", json=template()).status_code == 200
    assert client.post(f"/{PHONE_ID}/messages", json=text(to="5511777770000")).status_code == 200
    assert [m["type"] for m in graph.messages_to(USER)] == ["template"]
    assert [f.kind for f in graph.failures] == ["outside_window"]


def test_undeliverable_is_400_code_131026(client: httpx.Client, graph: GraphApiState) -> None:
    graph.undeliverable = {USER}

    for body in (text(), template()):
        response = client.post(f"/{PHONE_ID}/messages", json=body)
        assert response.status_code == 400
        assert error_of(response)["code"] == 131026
    assert graph.messages_to(USER) == []


def test_wait_for_wakes_up_when_a_request_arrives(
    client: httpx.Client, graph: GraphApiState
) -> None:
    sender = threading.Timer(0.1, lambda: client.post(f"/{PHONE_ID}/messages", json=text()))
    sender.start()
    try:
        assert graph.wait_for(lambda s: len(s.messages_to(USER)) == 1, timeout=5.0)
    finally:
        sender.join()
    assert not graph.wait_for(lambda s: len(s.messages_to(USER)) == 2, timeout=0.05)


def test_clear_forgets_requests_and_failures(client: httpx.Client, graph: GraphApiState) -> None:
    client.post(f"/{PHONE_ID}/messages", json=text())
    client.post(f"/{PHONE_ID}/messages", json=text(body=""))

    graph.clear()

    assert graph.requests == []
    assert graph.failures == []


def test_event_loop_mode_serves_from_the_running_loop() -> None:
    async def scenario() -> list[str]:
        state = GraphApiState(access_token=TOKEN)
        async with (
            FakeGraphServer(state) as fake,
            httpx.AsyncClient(
                base_url=fake.base_url, headers={"Authorization": f"Bearer {TOKEN}"}
            ) as http,
        ):
            responses = await asyncio.gather(
                *(http.post(f"/{PHONE_ID}/messages", json=text(body=str(n))) for n in range(10))
            )
            assert {r.status_code for r in responses} == {200}
        assert not fake.running
        return sorted(m["text"]["body"] for m in state.messages_to(USER))

    assert asyncio.run(scenario()) == sorted(str(n) for n in range(10))


def test_listeners_see_each_accepted_request(client: httpx.Client, graph: GraphApiState) -> None:
    seen: list[str | None] = []

    def listener(record: RecordedRequest) -> None:
        seen.append(record.wamid)

    graph.add_listener(listener)
    try:
        client.post(f"/{PHONE_ID}/messages", json=text())
        client.post(f"/{PHONE_ID}/messages", json=text(body=""))  # rejected: not seen
    finally:
        graph.remove_listener(listener)
    client.post(f"/{PHONE_ID}/messages", json=text())

    assert seen == [graph.requests[0].wamid]
