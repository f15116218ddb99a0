"""The encryption of WhatsApp Flows' data-exchange endpoint, as Meta specifies it.

A request body is JSON with three base64 fields. `encrypted_aes_key` is a fresh 128-bit AES key
encrypted with our RSA public key (OAEP, SHA-256 for both the hash and MGF1);
`encrypted_flow_data` is the request JSON encrypted with that key in AES-GCM under the 16-byte
`initial_vector`, its last 16 bytes the tag. The answer is the response JSON encrypted with the
same key under the IV with every bit flipped (tag appended), base64, sent as the plain body.

Errors, and the HTTP status the endpoint answers for each:

    FlowsCryptoError
    ├── BadFlowRequest   the body is not that JSON object of three base64 fields, or what it
    │                    decrypts to is not a JSON object (400)
    └── Undecryptable    our private key cannot open it: another key, or tampered data (421:
                         WhatsApp then fetches our public key again and retries)
    FlowsKeyError        the private key file cannot be used (a setting to fix, not a request)

Nothing here logs; the decrypted payload and the AES key never reach a repr.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BITS = 2048
AES_KEY_BYTES = 16
IV_BYTES = 16
TAG_BYTES = 16
FIELDS = ("encrypted_flow_data", "encrypted_aes_key", "initial_vector")

OAEP = padding.OAEP(
    mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None
)


class FlowsCryptoError(Exception):
    """A request the endpoint cannot read."""


class BadFlowRequest(FlowsCryptoError):
    """Not the shape Meta sends (HTTP 400)."""


class Undecryptable(FlowsCryptoError):
    """Our private key does not open it (HTTP 421)."""


class FlowsKeyError(ValueError):
    """The private key cannot be loaded; the message says why and which setting to fix."""


@dataclass(frozen=True, slots=True)
class Envelope:
    """The three fields of a request body, base64-decoded."""

    flow_data: bytes = field(repr=False)
    encrypted_key: bytes = field(repr=False)
    iv: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class Decrypted:
    """A request opened: its JSON object, and the key and IV its answer is sealed with."""

    payload: dict[str, Any] = field(repr=False)
    aes_key: bytes = field(repr=False)
    iv: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class KeyPair:
    private_pem: bytes = field(repr=False)
    public_pem: bytes


def _b64(value: object, name: str) -> bytes:
    if not isinstance(value, str) or not value:
        raise BadFlowRequest(f"{name} is missing or not a string")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as error:
        raise BadFlowRequest(f"{name} is not base64") from error


def parse_envelope(body: bytes) -> Envelope:
    """The request body's three fields; `BadFlowRequest` when it is anything else."""
    try:
        decoded = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise BadFlowRequest("the body is not JSON") from error
    if not isinstance(decoded, dict):
        raise BadFlowRequest("the body is not a JSON object")
    data, key, iv = (_b64(decoded.get(name), name) for name in FIELDS)
    if len(iv) != IV_BYTES:
        raise BadFlowRequest(f"initial_vector must be {IV_BYTES} bytes")
    if len(data) <= TAG_BYTES:
        raise BadFlowRequest("encrypted_flow_data is shorter than its tag")
    return Envelope(flow_data=data, encrypted_key=key, iv=iv)


def decrypt_request(envelope: Envelope, private_key: rsa.RSAPrivateKey) -> Decrypted:
    """Open a request: RSA-OAEP-SHA256 for the AES key, then AES-128-GCM for the payload."""
    try:
        aes_key = private_key.decrypt(envelope.encrypted_key, OAEP)
    except ValueError as error:
        raise Undecryptable("the AES key is not encrypted for our public key") from error
    if len(aes_key) != AES_KEY_BYTES:
        raise Undecryptable("the AES key is not 128 bits")
    try:
        plain = AESGCM(aes_key).decrypt(envelope.iv, envelope.flow_data, None)
    except InvalidTag as error:
        raise Undecryptable("the payload does not match its tag") from error
    try:
        payload = orjson.loads(plain)
    except orjson.JSONDecodeError as error:
        raise BadFlowRequest("the payload is not JSON") from error
    if not isinstance(payload, dict):
        raise BadFlowRequest("the payload is not a JSON object")
    return Decrypted(payload=payload, aes_key=aes_key, iv=envelope.iv)


def flip(iv: bytes) -> bytes:
    """The IV with every bit inverted: what the answer is encrypted under."""
    return bytes(byte ^ 0xFF for byte in iv)


def encrypt_response(response: dict[str, Any], aes_key: bytes, iv: bytes) -> str:
    """The answer: the JSON encrypted with the request's key under the flipped IV, tag
    appended, base64."""
    sealed = AESGCM(aes_key).encrypt(flip(iv), orjson.dumps(response), None)
    return base64.b64encode(sealed).decode("ascii")


# ---- keys ------------------------------------------------------------------------------------


def private_key_from_pem(pem: bytes, password: str | None = None) -> rsa.RSAPrivateKey:
    """A 2048-bit RSA private key (what Meta takes) from PEM; `FlowsKeyError` otherwise."""
    try:
        key = serialization.load_pem_private_key(
            pem, password=password.encode() if password else None
        )
    except TypeError as error:  # a password given for a clear key, or none for a sealed one
        raise FlowsKeyError(
            "a chave tem senha e WHATSAPP_FLOWS_PRIVATE_KEY_PASSWORD está vazio"
            if not password
            else "a chave não tem senha: deixe WHATSAPP_FLOWS_PRIVATE_KEY_PASSWORD vazio"
        ) from error
    except (ValueError, UnsupportedAlgorithm) as error:
        raise FlowsKeyError(
            "não é uma chave privada PEM legível, ou a senha "
            "(WHATSAPP_FLOWS_PRIVATE_KEY_PASSWORD) está errada"
        ) from error
    if not isinstance(key, rsa.RSAPrivateKey):
        raise FlowsKeyError("a chave não é RSA: a Meta pede RSA de 2048 bits")
    if key.key_size != KEY_BITS:
        raise FlowsKeyError(f"a chave RSA tem {key.key_size} bits: a Meta pede {KEY_BITS}")
    return key


def load_private_key(path: str | Path, password: str | None = None) -> rsa.RSAPrivateKey:
    """The private key at `path` (WHATSAPP_FLOWS_PRIVATE_KEY)."""
    try:
        pem = Path(path).read_bytes()
    except OSError as error:
        raise FlowsKeyError(
            f"não li {path} ({type(error).__name__}): confira WHATSAPP_FLOWS_PRIVATE_KEY"
        ) from error
    return private_key_from_pem(pem, password)


def public_pem(key: rsa.RSAPrivateKey | rsa.RSAPublicKey) -> bytes:
    """The SubjectPublicKeyInfo PEM Meta takes as `business_public_key`."""
    public = key.public_key() if isinstance(key, rsa.RSAPrivateKey) else key
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def public_key_from_pem(pem: str | bytes) -> rsa.RSAPublicKey:
    """An RSA public key from PEM; `FlowsKeyError` when it is not one."""
    data = pem.encode() if isinstance(pem, str) else pem
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm) as error:
        raise FlowsKeyError("não é uma chave pública PEM") from error
    if not isinstance(key, rsa.RSAPublicKey):
        raise FlowsKeyError("a chave pública não é RSA")
    return key


def same_public_key(ours: rsa.RSAPrivateKey | rsa.RSAPublicKey, theirs: str | bytes) -> bool:
    """Whether the PEM `theirs` is the public half of `ours`, whatever its line breaks."""
    try:
        other = public_key_from_pem(theirs)
    except FlowsKeyError:
        return False
    mine = ours.public_key() if isinstance(ours, rsa.RSAPrivateKey) else ours
    return mine.public_numbers() == other.public_numbers()


def generate_key_pair(password: str | None = None, bits: int = KEY_BITS) -> KeyPair:
    """A new RSA key pair in PEM: the private key PKCS#8, sealed with `password` when given."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    sealing: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password.encode())
        if password
        else serialization.NoEncryption()
    )
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, sealing
    )
    return KeyPair(private_pem=private, public_pem=public_pem(key))
