"""The Flows key pair from the command line, and its registration at a local Graph API that
answers `whatsapp_business_encryption` as Meta does: `dresbach flows keygen`, `dresbach flows
register-key` and `dresbach doctor`'s check of the key."""

from __future__ import annotations

import io
import stat
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from dresbach.cli.doctor_flows import flows_key
from dresbach.cli.main import main
from dresbach.config import Secret, Settings, SettingsError, load_settings
from dresbach.kernel.errors import PermanentError
from dresbach.platform.whatsapp.business_encryption import (
    register_public_key,
    registered_public_key,
)
from dresbach.platform.whatsapp.flows_crypto import (
    generate_key_pair,
    load_private_key,
    same_public_key,
)
from tests.fakes.graph_api import FakeGraphServer, GraphApiState
from tests.support.environments import SMTP_NOWHERE
from tests.support.meta import ACCESS_TOKEN, APP_SECRET, PHONE_NUMBER_ID, VERIFY_TOKEN

PASSWORD = "senha-da-chave-dos-fluxos"


@pytest.fixture
def graph() -> Iterator[FakeGraphServer]:
    state = GraphApiState(access_token=ACCESS_TOKEN, phone_number_id=PHONE_NUMBER_ID)
    with FakeGraphServer(state) as server:
        yield server


def keygen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`dresbach flows keygen --out keys`, with a password, as an operator runs it."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["flows", "keygen", "--out", "keys", "--password-stdin"]) == 0
    return tmp_path / "keys"


@pytest.fixture
def keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return keygen(tmp_path, monkeypatch)


def production(graph: FakeGraphServer, keys: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "WHATSAPP_APP_SECRET": APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
        "WHATSAPP_ACCESS_TOKEN": ACCESS_TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_API_BASE_URL": graph.base_url,
        "SMTP_HOST": SMTP_NOWHERE,
        "WHATSAPP_FLOWS_PRIVATE_KEY": str(keys / "private.pem"),
        "WHATSAPP_FLOWS_PRIVATE_KEY_PASSWORD": PASSWORD,
    }.items():
        monkeypatch.setenv(name, value)


def settings_for(graph: FakeGraphServer, keys: Path) -> Settings:
    return Settings(
        whatsapp_app_secret=Secret(APP_SECRET),
        whatsapp_access_token=Secret(ACCESS_TOKEN),
        whatsapp_phone_number_id=PHONE_NUMBER_ID,
        whatsapp_api_base_url=graph.base_url,
        whatsapp_flows_private_key=str(keys / "private.pem"),
        whatsapp_flows_private_key_password=Secret(PASSWORD),
    )


def test_keygen_writes_a_private_key_only_its_owner_reads_and_its_public_half(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = keygen(tmp_path, monkeypatch)
    private, public = keys / "private.pem", keys / "public.pem"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(public.stat().st_mode) == 0o644
    key = load_private_key(private, PASSWORD)
    assert key.key_size == 2048
    assert same_public_key(key, public.read_bytes())
    assert b"ENCRYPTED PRIVATE KEY" in private.read_bytes()
    out = capsys.readouterr().out
    assert f"WHATSAPP_FLOWS_PRIVATE_KEY={private.resolve()}" in out
    assert PASSWORD not in out


def test_keygen_never_overwrites_a_key(keys: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (keys / "private.pem").read_bytes()
    assert main(["flows", "keygen", "--out", str(keys)]) == 1
    assert "já existe" in capsys.readouterr().err
    assert (keys / "private.pem").read_bytes() == before


def test_register_key_uploads_the_public_half_of_the_configured_key(
    graph: FakeGraphServer,
    keys: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    production(graph, keys, monkeypatch)
    assert main(["flows", "register-key"]) == 0
    held = graph.app_state.business_public_key
    assert held is not None
    assert held.encode() == (keys / "public.pem").read_bytes().strip()
    out = capsys.readouterr().out
    assert "registrada" in out
    assert PASSWORD not in out
    assert ACCESS_TOKEN not in out


def test_register_key_with_a_wrong_token_fails_naming_the_setting(
    graph: FakeGraphServer,
    keys: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    production(graph, keys, monkeypatch)
    monkeypatch.setenv("WHATSAPP_ACCESS_TOKEN", "EAAwrongwrongwrong123")
    assert main(["flows", "register-key"]) == 1
    err = capsys.readouterr().err
    assert "WHATSAPP_ACCESS_TOKEN" in err
    assert "EAAwrongwrongwrong123" not in err
    assert graph.app_state.business_public_key is None


def test_register_key_refuses_a_file_that_is_not_a_2048_bit_public_key(
    graph: FakeGraphServer,
    keys: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    production(graph, keys, monkeypatch)
    junk = tmp_path / "junk.pem"
    junk.write_text("-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n")
    assert main(["flows", "register-key", "--public-key", str(junk)]) == 1
    assert "chave" in capsys.readouterr().err
    assert graph.app_state.business_public_key is None


def test_register_key_in_sandbox_says_what_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("WHATSAPP_ACCESS_TOKEN", "WHATSAPP_PHONE_NUMBER_ID"):
        monkeypatch.delenv(name, raising=False)
    assert main(["flows", "register-key"]) == 1
    assert "WHATSAPP_ACCESS_TOKEN" in capsys.readouterr().err


@pytest.mark.parametrize("bits", [1024, 4096])
def test_the_graph_api_refuses_a_key_meta_would_refuse(graph: FakeGraphServer, bits: int) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=bits).public_key()
    pem = other.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()
    for malformed in (pem, "not a key", pem.replace("A", "*", 3)):
        with pytest.raises(PermanentError) as refused:
            register_public_key(
                base_url=graph.base_url,
                phone_number_id=PHONE_NUMBER_ID,
                access_token=ACCESS_TOKEN,
                public_pem=malformed,
            )
        assert refused.value.code == 100
    assert graph.app_state.business_public_key is None
    found = registered_public_key(
        base_url=graph.base_url, phone_number_id=PHONE_NUMBER_ID, access_token=ACCESS_TOKEN
    )
    assert (found.public_key, found.signature_status) == (None, None)


# ---- dresbach doctor -------------------------------------------------------------------------


def test_the_doctor_confirms_the_key_matches_the_registered_one(
    graph: FakeGraphServer, keys: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(graph, keys)
    missing = flows_key(settings, 3.0)
    assert (missing.status, "register-key" in missing.detail) == ("falha", True)

    production(graph, keys, monkeypatch)
    assert main(["flows", "register-key"]) == 0
    assert flows_key(settings, 3.0).status == "ok"

    graph.app_state.business_public_key_status = "MISMATCH"
    mismatch = flows_key(settings, 3.0)
    assert (mismatch.status, "MISMATCH" in mismatch.detail) == ("falha", True)

    graph.app_state.business_public_key_status = "VALID"
    graph.app_state.business_public_key = generate_key_pair().public_pem.decode()
    other = flows_key(settings, 3.0)
    assert (other.status, "421" in other.detail) == ("falha", True)


def test_the_doctor_says_what_is_wrong_with_the_key_itself(
    graph: FakeGraphServer, keys: Path
) -> None:
    settings = settings_for(graph, keys)
    off = flows_key(replace(settings, whatsapp_flows_private_key=""), 3.0)
    assert off.status == "desligado"
    wrong = flows_key(replace(settings, whatsapp_flows_private_key_password=Secret("x")), 3.0)
    assert (wrong.status, "WHATSAPP_FLOWS_PRIVATE_KEY_PASSWORD" in wrong.detail) == (
        "falha",
        True,
    )
    gone = flows_key(replace(settings, whatsapp_flows_private_key=str(keys / "nope.pem")), 3.0)
    assert (gone.status, "WHATSAPP_FLOWS_PRIVATE_KEY" in gone.detail) == ("falha", True)
    sandbox = flows_key(replace(settings, sandbox=True), 3.0)
    assert (sandbox.status, "sandbox" in sandbox.detail) == ("ok", True)
    assert PASSWORD not in wrong.detail + gone.detail + sandbox.detail


# ---- settings --------------------------------------------------------------------------------


def test_the_key_settings_are_read_and_the_password_never_prints() -> None:
    settings = load_settings(
        {
            "DRESBACH_SANDBOX": "1",
            "WHATSAPP_FLOWS_PRIVATE_KEY": "/etc/k.pem",
            "WHATSAPP_FLOWS_PRIVATE_KEY_PASSWORD": PASSWORD,
        },
        env_file=None,
    )
    assert settings.whatsapp_flows_private_key == "/etc/k.pem"
    assert settings.whatsapp_flows_private_key_password.reveal() == PASSWORD
    assert PASSWORD not in repr(settings)


def test_a_password_without_a_key_stops_start_up_naming_the_setting() -> None:
    with pytest.raises(SettingsError, match="WHATSAPP_FLOWS_PRIVATE_KEY "):
        load_settings({"WHATSAPP_FLOWS_PRIVATE_KEY_PASSWORD": PASSWORD}, env_file=None)
