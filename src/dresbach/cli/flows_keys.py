"""`dresbach flows keygen` and `dresbach flows register-key`: the RSA key pair of WhatsApp
Flows' data-exchange endpoint, and its public half registered with Meta for our number."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from dresbach.config import Settings, SettingsError, load_settings
from dresbach.kernel.errors import DresbachError
from dresbach.platform.whatsapp.business_encryption import register_public_key
from dresbach.platform.whatsapp.flows_crypto import (
    KEY_BITS,
    FlowsKeyError,
    generate_key_pair,
    load_private_key,
    public_key_from_pem,
    public_pem,
)

PRIVATE_NAME = "private.pem"
PUBLIC_NAME = "public.pem"


def fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def _write(path: Path, data: bytes, mode: int) -> None:
    """Create `path` with `mode` (never over an existing file)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        os.fchmod(descriptor, mode)  # whatever the umask
        os.write(descriptor, data)
    finally:
        os.close(descriptor)


def keygen(args: argparse.Namespace) -> int:
    out = Path(args.out)
    private, public = out / PRIVATE_NAME, out / PUBLIC_NAME
    existing = [str(p) for p in (private, public) if p.exists()]
    if existing:
        return fail(
            f"{', '.join(existing)} já existe: não sobrescrevo uma chave (a Meta pode estar com "
            "a pública registrada). Escolha outro --out ou apague os arquivos antes."
        )
    password = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            return fail("senha vazia em stdin: sem --password-stdin a chave fica sem senha.")
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    pair = generate_key_pair(password)
    _write(private, pair.private_pem, 0o600)
    _write(public, pair.public_pem, 0o644)
    print(f"Par de chaves RSA de {KEY_BITS} bits criado:")
    print(f"  {private} (privada, só o dono lê{', com senha' if password else ''})")
    print(f"  {public} (pública)")
    print("Próximos passos:")
    print(f"  1. WHATSAPP_FLOWS_PRIVATE_KEY={private.resolve()}")
    if password:
        print("     e a mesma senha em WHATSAPP_FLOWS_PRIVATE_KEY_PASSWORD")
    print("  2. dresbach flows register-key (registra a pública na Meta para o número)")
    return 0


def _public_key(args: argparse.Namespace, key_path: str, password: str) -> bytes:
    """The PEM to register: --public-key, else the public half of the configured private key."""
    if args.public_key:
        try:
            pem = Path(args.public_key).read_bytes()
        except OSError as error:
            raise FlowsKeyError(f"não li {args.public_key} ({type(error).__name__})") from error
        key = public_key_from_pem(pem)
        if key.key_size != KEY_BITS:
            raise FlowsKeyError(f"a chave pública tem {key.key_size} bits: a Meta pede {KEY_BITS}")
        return public_pem(key)
    if not key_path:
        raise FlowsKeyError(
            "WHATSAPP_FLOWS_PRIVATE_KEY está vazio: aponte-o para a chave privada (ou passe "
            "--public-key)"
        )
    return public_pem(load_private_key(key_path, password or None))


def settings_for_meta(done: str) -> Settings | None:
    """The settings of a command that changes something at Meta, or None once it said why it
    will not (the settings are invalid, or this is the sandbox); `done` is what it would do."""
    try:
        settings = load_settings()
    except SettingsError as error:
        fail(f"configuração inválida: {error}")
        return None
    if settings.sandbox:
        fail(
            f"modo sandbox (DRESBACH_SANDBOX=1): {done} na Meta fora do sandbox, com as "
            "variáveis WHATSAPP_* definidas."
        )
        return None
    return settings


def register_key(args: argparse.Namespace) -> int:
    settings = settings_for_meta("a chave só é registrada")
    if settings is None:
        return 1
    try:
        pem = _public_key(
            args,
            settings.whatsapp_flows_private_key,
            settings.whatsapp_flows_private_key_password.reveal(),
        )
    except FlowsKeyError as error:
        return fail(f"chave: {error}")
    try:
        register_public_key(
            base_url=settings.whatsapp_api_base_url,
            phone_number_id=settings.whatsapp_phone_number_id,
            access_token=settings.whatsapp_access_token.reveal(),
            public_pem=pem.decode("ascii"),
            timeout=args.timeout,
        )
    except DresbachError as error:
        return fail(
            f"a Meta não registrou a chave ({error}): confira WHATSAPP_ACCESS_TOKEN, "
            "WHATSAPP_PHONE_NUMBER_ID e a chave"
        )
    print(
        f"Chave pública registrada na Meta para o número {settings.whatsapp_phone_number_id}. "
        "`dresbach doctor` confere se ela bate com WHATSAPP_FLOWS_PRIVATE_KEY."
    )
    return 0


def register(inner: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `keygen` and `register-key` under `dresbach flows`."""
    k = inner.add_parser("keygen", help="make the RSA key pair of the Flows endpoint")
    k.add_argument("--out", required=True, metavar="DIR", help="writes DIR/private.pem (0600)")
    k.add_argument(
        "--password-stdin",
        action="store_true",
        help="seal the private key with a password read from stdin",
    )
    k.set_defaults(func=keygen)
    r = inner.add_parser(
        "register-key", help="register the Flows public key with Meta for the number"
    )
    r.add_argument(
        "--public-key",
        metavar="PEM",
        help="this public key (default: the half of WHATSAPP_FLOWS_PRIVATE_KEY)",
    )
    r.add_argument("--timeout", type=float, default=10.0, help="seconds (default 10)")
    r.set_defaults(func=register_key)
