"""The fake Graph API over HTTP: Meta's identity rules, its refusals as Meta words them and
records them, and media (upload, `GET /{media-id}`, the download behind the token)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.fakes.graph_api import FakeGraphServer, GraphApiState
from tests.support.graph_bodies import cta, message, template

TOKEN = "EAAtest-token"
PHONE_ID = "112233445566"
PHONE = "5511999990000"
BSUID = "BR.1502576394655843"
OTP = "codigo_de_acesso"


@pytest.fixture(scope="module")
def server() -> Iterator[FakeGraphServer]:
    state = GraphApiState(access_token=TOKEN, phone_number_id=PHONE_ID)
    state.authentication_templates = {OTP}  # settable at run time, like the other rules
    with FakeGraphServer(state) as running:
        yield running


@pytest.fixture
def graph(server: FakeGraphServer) -> Iterator[GraphApiState]:
    server.app_state.clear()
    yield server.app_state
    server.app_state.clear()


@pytest.fixture
def client(server: FakeGraphServer) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=server.base_url, headers=headers, timeout=5.0) as http:
        yield http


def send(client: httpx.Client, body: dict[str, Any]) -> httpx.Response:
    return client.post(f"/{PHONE_ID}/messages", json=body)


def text(**addressing: str) -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "type": "text", "text": {"body": "oi"}, **addressing}


# ---- identity -------------------------------------------------------------------------------


def test_a_bsuid_in_to_is_refused_and_recorded(client: httpx.Client, graph: GraphApiState) -> None:
    response = send(client, text(to=BSUID))

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["type"]) == (131009, "OAuthException")
    assert error["message"] == "(#131009) Parameter value is not valid"
    assert "recipient" in error["error_data"]["details"]
    assert error["fbtrace_id"]
    assert graph.requests == []
    [failure] = graph.failures
    assert (failure.code, failure.kind, failure.body) == (131009, "invalid", text(to=BSUID))
    assert failure.details == error["error_data"]["details"]


def test_a_bsuid_in_recipient_is_answered_with_user_id(
    client: httpx.Client, graph: GraphApiState
) -> None:
    response = send(client, text(recipient=BSUID))

    assert response.status_code == 200
    assert response.json()["contacts"] == [{"input": BSUID, "user_id": BSUID}]
    assert graph.messages_to(BSUID) == [text(recipient=BSUID)]


def test_to_wins_over_recipient(client: httpx.Client, graph: GraphApiState) -> None:
    response = send(client, text(to=PHONE, recipient=BSUID))

    assert response.status_code == 200
    assert response.json()["contacts"] == [{"input": PHONE, "wa_id": PHONE}]
    [recorded] = graph.requests
    assert recorded.recipient == PHONE
    assert graph.messages_to(BSUID) == []


def test_a_formatted_phone_is_echoed_and_answered_with_its_digits(
    client: httpx.Client, graph: GraphApiState
) -> None:
    response = send(client, text(to="+55 (11) 99999-0000"))

    assert response.json()["contacts"] == [{"input": "+55 (11) 99999-0000", "wa_id": PHONE}]


def test_neither_to_nor_recipient_is_131008(client: httpx.Client, graph: GraphApiState) -> None:
    response = send(client, text())

    assert response.status_code == 400
    assert response.json()["error"]["code"] == 131008


def test_an_authentication_template_to_a_bsuid_is_131062(
    client: httpx.Client, graph: GraphApiState
) -> None:
    otp = {k: v for k, v in template("482913", name=OTP).items() if k != "to"}

    refused = send(client, {**otp, "recipient": BSUID})
    to_the_phone = send(client, {**otp, "to": PHONE})
    other_template = send(client, {**template("R$ 10,00", "DX1"), "recipient": BSUID})

    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == 131062
    assert [f.kind for f in graph.failures] == ["bsuid_unsupported"]
    assert (to_the_phone.status_code, other_template.status_code) == (200, 200)


# ---- refusals as Meta words them --------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "code", "words"),
    [
        (cta(display_text="Abrir o painel do cPanel"), 131009, "display_text"),
        (template("linha 1\nlinha 2"), 132018, "new-line"),
        (message("text", {"body": "a" * 4097}), 100, "4096"),
    ],
    ids=["cta_url text over 20", "template parameter with a new line", "text over 4096"],
)
def test_a_body_meta_refuses_is_refused_over_http(
    client: httpx.Client, graph: GraphApiState, body: dict[str, Any], code: int, words: str
) -> None:
    body = {**body, "to": PHONE}

    response = send(client, body)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code
    assert words in error["error_data"]["details"]
    assert graph.requests == []
    assert [(f.code, f.body) for f in graph.failures] == [(code, body)]


# ---- media ----------------------------------------------------------------------------------


def upload(client: httpx.Client, data: bytes, mime_type: str, **form: str) -> httpx.Response:
    return client.post(
        f"/{PHONE_ID}/media",
        data={"messaging_product": "whatsapp", "type": mime_type, **form},
        files={"file": ("recibo.png", data, mime_type)},
    )


def test_uploaded_media_is_retrieved_and_downloaded_like_metas(
    client: httpx.Client, graph: GraphApiState
) -> None:
    from tests.fakes.graph_schema import media_answer_problems

    data = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    media_id = upload(client, data, "image/png").json()["id"]

    answer = client.get(f"/{media_id}", params={"phone_number_id": PHONE_ID}).json()
    download = client.get(answer["url"])
    anonymous = httpx.get(answer["url"])

    assert media_answer_problems(answer) == []
    assert (answer["id"], answer["mime_type"]) == (media_id, "image/png")
    assert (answer["sha256"], answer["file_size"]) == (hashlib.sha256(data).hexdigest(), 108)
    assert (download.status_code, download.content) == (200, data)
    assert download.headers["content-type"].startswith("image/png")
    assert anonymous.status_code == 401


def test_a_customers_media_is_held_for_retrieval(
    client: httpx.Client, graph: GraphApiState
) -> None:
    media_id = graph.add_media(b"%PDF-1.7 recibo", "application/pdf", "recibo.pdf")

    answer = client.get(f"/{media_id}").json()

    assert client.get(answer["url"]).content == b"%PDF-1.7 recibo"
    assert graph.uploads == []


def test_media_of_another_number_is_not_answered(
    client: httpx.Client, graph: GraphApiState
) -> None:
    media_id = graph.add_media(b"x", "image/jpeg")

    response = client.get(f"/{media_id}", params={"phone_number_id": "999"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == 100


def test_an_id_that_is_no_media_is_the_phone_number(client: httpx.Client) -> None:
    assert client.get(f"/{PHONE_ID}").json()["verified_name"] == "Dresbach Hosting do Brasil"


@pytest.mark.parametrize(
    ("data", "mime_type", "form", "code"),
    [
        (b"0" * (5 * 2**20 + 1), "image/png", {}, 131053),
        (b"PK\x03\x04", "application/zip", {}, 131053),
        (b"x", "image/png", {"messaging_product": "sms"}, 100),
    ],
    ids=["image over 5 MB", "a zip file", "not whatsapp"],
)
def test_uploads_meta_refuses_are_refused(
    client: httpx.Client,
    graph: GraphApiState,
    data: bytes,
    mime_type: str,
    form: dict[str, str],
    code: int,
) -> None:
    response = upload(client, data, mime_type, **form)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert graph.uploads == []
