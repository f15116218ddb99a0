"""Secrets at rest: sealed with AES-GCM under the service key, never stored in clear.

A CPF/CNPJ kept between two messages of a login, or a password on its way to the job that
checks it, is sealed before it is written and opened only in memory. Documents are looked up
by a keyed HMAC (the pepper is derived from the same key), never by their value.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "sealed:v1:"
BYTES_PREFIX = b"sealed:b1:"
"""A sealed file's first bytes (also its associated data: a sealed text is no file)."""


class SealError(ValueError):
    """A sealed value could not be opened (wrong key, or tampered with)."""


class Sealer:
    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the service key must be 32 bytes")
        self._aead = AESGCM(hashlib.sha256(b"dresbach/seal" + key).digest())
        self._pepper = hashlib.sha256(b"dresbach/pepper" + key).digest()

    @classmethod
    def from_text(cls, text: str) -> Sealer:
        """A key given as 64 hex characters or base64 of 32 bytes."""
        text = text.strip()
        try:
            key = bytes.fromhex(text) if len(text) == 64 else base64.b64decode(text, validate=True)
        except ValueError as error:
            raise ValueError("DRESBACH_SECRET_KEY must be 32 bytes in hex or base64") from error
        return cls(key)

    @classmethod
    def from_file(cls, path: Path) -> Sealer:
        """The key kept in a local file (embedded default), created on first use (mode 0600).

        Processes that start together (`serve` and `worker`) must agree on one key: a new key
        is written whole to a private temporary file, then linked into place, which fails if
        the file is already there; whoever links first wins and everyone reads that key. No
        process ever reads a half-written file or keeps a key the others do not have."""
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret-key-")
            try:
                with os.fdopen(descriptor, "w") as handle:  # mkstemp: mode 0600
                    handle.write(os.urandom(32).hex())
                with contextlib.suppress(FileExistsError):
                    os.link(temporary, path)
            finally:
                os.unlink(temporary)
        return cls.from_text(path.read_text().strip())

    def seal(self, value: str) -> str:
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, value.encode(), None)
        return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()

    def open(self, value: str) -> str:
        if not value.startswith(PREFIX):
            raise SealError("not a sealed value")
        raw = base64.urlsafe_b64decode(value.removeprefix(PREFIX))
        try:
            return self._aead.decrypt(raw[:12], raw[12:], None).decode()
        except Exception as error:  # InvalidTag: wrong key or tampered
            raise SealError("sealed value could not be opened") from error

    def seal_bytes(self, data: bytes) -> bytes:
        """A file (a customer's media) sealed: the nonce, then the ciphertext and its tag."""
        nonce = os.urandom(12)
        return BYTES_PREFIX + nonce + self._aead.encrypt(nonce, data, BYTES_PREFIX)

    def open_bytes(self, sealed: bytes) -> bytes:
        if not sealed.startswith(BYTES_PREFIX):
            raise SealError("not a sealed file")
        raw = sealed.removeprefix(BYTES_PREFIX)
        try:
            return self._aead.decrypt(raw[:12], raw[12:], BYTES_PREFIX)
        except Exception as error:  # InvalidTag: wrong key or tampered
            raise SealError("sealed file could not be opened") from error

    def lookup_key(self, value: str) -> str:
        """A keyed HMAC to find a record by a personal number without storing the number."""
        return hmac.new(self._pepper, value.encode(), hashlib.sha256).hexdigest()

    def code_hash(self, code: str, salt: str) -> str:
        """For one-time codes: a keyed hash, so a leaked table reveals no code."""
        return hmac.new(self._pepper, f"{salt}:{code}".encode(), hashlib.sha256).hexdigest()


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)
