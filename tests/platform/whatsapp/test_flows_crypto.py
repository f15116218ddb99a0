"""WhatsApp Flows' encryption against vectors made apart from the module: AES-GCM vectors
computed once with Node's `crypto` (the runtime of Meta's own endpoint example), the RSA-OAEP
half wrapped here with `cryptography`'s primitives directly."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import orjson
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from dresbach.platform.whatsapp.flows_crypto import (
    BadFlowRequest,
    FlowsKeyError,
    Undecryptable,
    decrypt_request,
    encrypt_response,
    flip,
    generate_key_pair,
    load_private_key,
    parse_envelope,
    private_key_from_pem,
    public_key_from_pem,
    same_public_key,
)
from tests.support.whatsapp_flows_client import open_answer, seal

# Node 20: crypto.createCipheriv("aes-128-gcm", KEY, IV), update(REQUEST), final(), getAuthTag();
# the answer likewise under the IV with each byte's bits inverted (~b & 0xff).
KEY = bytes.fromhex("000102030405060708090a0b0c0d0e0f")
IV = bytes.fromhex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf")
FLIPPED = bytes.fromhex("5f5e5d5c5b5a59585756555453525150")
REQUEST = (
    b'{"version":"3.0","action":"data_exchange","screen":"DOCUMENT",'
    b'"data":{"document":"529.982.247-25"},"flow_token":"tok-123"}'
)
REQUEST_SEALED = (
    "RXsgKMV2vzp9Rg/3Nn9QNv1AIVWqxNBHbiobv+Jn6AXe6zguQzD7CZ0EJyKDaIOSUieLZ4dvUwFX6OyiE1KHf+nP"
    "PpPOoeCXSKqfYijlEPV3P0ebMMc6Mq/zMFwlQh2xhasL5ryJnS8we4gq/COQdODJUNU0VIwsaMMtPuSn7jenO6/E"
    "z6BbqiHF"
)
ANSWER = {"screen": "PASSWORD", "data": {}}
ANSWER_SEALED = "FusTzhF3+lTn+8KPtPWIC1MhBfFcVk+50r8p+twByPv7hGaaRsPNAR6DCHb7EfY="

OAEP = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def body(flow_data: bytes, wrapped: bytes, iv: bytes) -> bytes:
    return json.dumps(
        {
            "encrypted_flow_data": base64.b64encode(flow_data).decode(),
            "encrypted_aes_key": base64.b64encode(wrapped).decode(),
            "initial_vector": base64.b64encode(iv).decode(),
        }
    ).encode()


def test_a_request_sealed_by_another_implementation_opens(key: rsa.RSAPrivateKey) -> None:
    wrapped = key.public_key().encrypt(KEY, OAEP)
    opened = decrypt_request(
        parse_envelope(body(base64.b64decode(REQUEST_SEALED), wrapped, IV)), key
    )
    assert opened.payload == orjson.loads(REQUEST)
    assert (opened.aes_key, opened.iv) == (KEY, IV)


def test_the_answer_is_sealed_under_the_flipped_iv_byte_for_byte() -> None:
    assert flip(IV) == FLIPPED
    assert flip(bytes(16)) == b"\xff" * 16
    assert encrypt_response(ANSWER, KEY, IV) == ANSWER_SEALED
    assert open_answer(ANSWER_SEALED, KEY, IV) == ANSWER


def test_the_test_client_and_the_module_agree_both_ways(key: rsa.RSAPrivateKey) -> None:
    sealed = seal({"action": "ping", "version": "3.0"}, key.public_key())
    opened = decrypt_request(parse_envelope(sealed.body), key)
    assert opened.payload == {"action": "ping", "version": "3.0"}
    answer = encrypt_response({"data": {"status": "active"}}, opened.aes_key, opened.iv)
    assert open_answer(answer, sealed.aes_key, sealed.iv) == {"data": {"status": "active"}}


def test_a_request_for_another_key_is_undecryptable(key: rsa.RSAPrivateKey) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    sealed = seal({"action": "ping"}, other.public_key())
    with pytest.raises(Undecryptable):
        decrypt_request(parse_envelope(sealed.body), key)


def test_tampered_data_is_undecryptable(key: rsa.RSAPrivateKey) -> None:
    data = bytearray(base64.b64decode(REQUEST_SEALED))
    data[3] ^= 0x01
    with pytest.raises(Undecryptable):
        decrypt_request(
            parse_envelope(body(bytes(data), key.public_key().encrypt(KEY, OAEP), IV)), key
        )
    with pytest.raises(Undecryptable):  # the right data under another IV
        decrypt_request(
            parse_envelope(
                body(base64.b64decode(REQUEST_SEALED), key.public_key().encrypt(KEY, OAEP), FLIPPED)
            ),
            key,
        )


def test_a_wrapped_key_that_is_not_128_bits_is_undecryptable(key: rsa.RSAPrivateKey) -> None:
    wrapped = key.public_key().encrypt(KEY + KEY, OAEP)
    with pytest.raises(Undecryptable):
        decrypt_request(parse_envelope(body(base64.b64decode(REQUEST_SEALED), wrapped, IV)), key)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"not json",
        b"[]",
        b'{"encrypted_flow_data": "AAAA"}',
        b'{"encrypted_flow_data": "***", "encrypted_aes_key": "AAAA", "initial_vector": "AAAA"}',
        b'{"encrypted_flow_data": 1, "encrypted_aes_key": "AAAA", "initial_vector": "AAAA"}',
        # an IV of 12 bytes, not Meta's 16
        body(b"x" * 40, b"k" * 256, b"i" * 12),
        # data no longer than its tag
        body(b"x" * 16, b"k" * 256, b"i" * 16),
    ],
)
def test_what_is_not_the_envelope_is_a_bad_request(raw: bytes) -> None:
    with pytest.raises(BadFlowRequest):
        parse_envelope(raw)


@pytest.mark.parametrize("plain", [b"not json", b"[1, 2]", b'"ping"'])
def test_a_payload_that_is_not_a_json_object_is_a_bad_request(
    key: rsa.RSAPrivateKey, plain: bytes
) -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    data = AESGCM(KEY).encrypt(IV, plain, None)
    with pytest.raises(BadFlowRequest):
        decrypt_request(parse_envelope(body(data, key.public_key().encrypt(KEY, OAEP), IV)), key)


def test_nothing_secret_reaches_a_repr(key: rsa.RSAPrivateKey) -> None:
    wrapped = key.public_key().encrypt(KEY, OAEP)
    opened = decrypt_request(
        parse_envelope(body(base64.b64decode(REQUEST_SEALED), wrapped, IV)), key
    )
    shown = repr(opened) + repr(parse_envelope(body(b"x" * 40, wrapped, IV)))
    assert "529" not in shown
    assert "tok-123" not in shown
    assert KEY.hex() not in shown
    assert repr(KEY) not in shown


# ---- keys ------------------------------------------------------------------------------------


def test_a_generated_pair_is_rsa_2048_and_loads_back(tmp_path: Path) -> None:
    pair = generate_key_pair()
    path = tmp_path / "private.pem"
    path.write_bytes(pair.private_pem)
    loaded = load_private_key(path)
    assert loaded.key_size == 2048
    assert same_public_key(loaded, pair.public_pem)
    assert b"BEGIN PUBLIC KEY" in pair.public_pem
    assert "PRIVATE" not in repr(pair)


def test_a_sealed_private_key_needs_its_password(tmp_path: Path) -> None:
    pair = generate_key_pair("uma senha longa")
    path = tmp_path / "private.pem"
    path.write_bytes(pair.private_pem)
    assert b"ENCRYPTED" in pair.private_pem
    assert same_public_key(load_private_key(path, "uma senha longa"), pair.public_pem)
    with pytest.raises(FlowsKeyError, match="WHATSAPP_FLOWS_PRIVATE_KEY_PASSWORD"):
        load_private_key(path)
    with pytest.raises(FlowsKeyError, match="senha"):
        load_private_key(path, "outra senha")


def test_a_clear_key_with_a_password_set_is_refused_with_the_fix() -> None:
    with pytest.raises(FlowsKeyError, match="deixe WHATSAPP_FLOWS_PRIVATE_KEY_PASSWORD vazio"):
        private_key_from_pem(generate_key_pair().private_pem, "senha à toa")


def test_keys_meta_would_not_take_are_refused(tmp_path: Path) -> None:
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505
    curve = ec.generate_private_key(ec.SECP256R1())
    for other, reason in ((small, "1024 bits"), (curve, "não é RSA")):
        pem = other.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        with pytest.raises(FlowsKeyError, match=reason):
            private_key_from_pem(pem)
    with pytest.raises(FlowsKeyError, match="WHATSAPP_FLOWS_PRIVATE_KEY"):
        load_private_key(tmp_path / "missing.pem")
    with pytest.raises(FlowsKeyError):
        private_key_from_pem(b"-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n")


def test_public_keys_compare_by_their_numbers_not_their_text(key: rsa.RSAPrivateKey) -> None:
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    pkcs1 = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.PKCS1
    )
    assert same_public_key(key, pem.decode().replace("\n", "\r\n"))
    assert same_public_key(key, pkcs1)
    assert not same_public_key(key, generate_key_pair().public_pem)
    assert not same_public_key(key, "not a key")
    with pytest.raises(FlowsKeyError):
        public_key_from_pem("not a key")
