"""`dresbach doctor`'s check of WhatsApp Flows' key: the private key loads (file, password,
RSA 2048) and, with WhatsApp credentials, its public half is the one Meta holds for the number
(`GET /{phone_number_id}/whatsapp_business_encryption`), with a valid signature. Off
(`desligado`) without WHATSAPP_FLOWS_PRIVATE_KEY: the login stays in the chat.

Then one row per Flow (login, ticket): off while its id setting is empty; else the Flow exists
at Meta and is PUBLISHED (`GET /{flow_id}?fields=status`), and the key that opens its answers
is configured."""

from __future__ import annotations

from typing import Final

from dresbach.cli.doctor_checks import FAIL, OFF, OK, WARN, Check, Finding
from dresbach.cli.flows_commands import LOGIN_FLOW, TICKET_FLOW, PublishedFlow
from dresbach.config import Settings
from dresbach.kernel.errors import PermanentError, TransientError
from dresbach.platform.whatsapp.business_encryption import registered_public_key
from dresbach.platform.whatsapp.flows.api import PUBLISHED, FlowsApi
from dresbach.platform.whatsapp.flows_crypto import (
    FlowsKeyError,
    load_private_key,
    same_public_key,
)

NAME: Final = "WhatsApp Flows (chave)"
REGISTER: Final = "rode `dresbach flows register-key`"


def flows_key(settings: Settings, timeout: float) -> Finding:
    path = settings.whatsapp_flows_private_key
    if not path:
        return Finding(
            check=NAME,
            status=OFF,
            detail="não usado (WHATSAPP_FLOWS_PRIVATE_KEY vazio): o login segue pelo chat",
        )
    password = settings.whatsapp_flows_private_key_password.reveal() or None
    try:
        key = load_private_key(path, password)
    except FlowsKeyError as error:
        return Finding(check=NAME, status=FAIL, detail=f"{error} (WHATSAPP_FLOWS_PRIVATE_KEY)")
    if settings.sandbox:
        return Finding(
            check=NAME,
            status=OK,
            detail="chave RSA de 2048 bits lida; modo sandbox: a chave registrada na Meta não "
            "foi conferida",
        )
    try:
        registered = registered_public_key(
            base_url=settings.whatsapp_api_base_url,
            phone_number_id=settings.whatsapp_phone_number_id,
            access_token=settings.whatsapp_access_token.reveal(),
            timeout=timeout,
        )
    except TransientError as error:
        return Finding(
            check=NAME,
            status=WARN,
            detail=f"chave lida, mas não consegui conferir a registrada na Meta ({error})",
        )
    except PermanentError as error:
        return Finding(
            check=NAME,
            status=FAIL,
            detail=f"a Meta recusou a consulta da chave ({error}): confira "
            "WHATSAPP_ACCESS_TOKEN e WHATSAPP_PHONE_NUMBER_ID",
        )
    if registered.public_key is None:
        return Finding(
            check=NAME,
            status=FAIL,
            detail=f"chave lida, mas nenhuma chave registrada na Meta para o número: {REGISTER}",
        )
    if not same_public_key(key, registered.public_key):
        return Finding(
            check=NAME,
            status=FAIL,
            detail="a chave registrada na Meta não é a de WHATSAPP_FLOWS_PRIVATE_KEY (a Meta "
            f"responderia 421 a cada formulário): {REGISTER}",
        )
    if registered.signature_status != "VALID":
        return Finding(
            check=NAME,
            status=FAIL,
            detail=f"a Meta marca a assinatura da chave como {registered.signature_status}: "
            f"{REGISTER} de novo",
        )
    return Finding(
        check=NAME, status=OK, detail="chave lida e igual à registrada na Meta (assinatura VALID)"
    )


def published(flow: PublishedFlow, settings: Settings, timeout: float) -> Finding:
    name = f"WhatsApp Flow ({flow.title})"
    flow_id = flow.flow_id(settings)
    again = f"rode `dresbach flows publish --{flow.name}`"
    if not flow_id:
        return Finding(
            check=name, status=OFF, detail=f"não publicado ({flow.setting} vazio): {flow.without}"
        )
    if not settings.whatsapp_flows_private_key:
        return Finding(
            check=name,
            status=FAIL,
            detail=f"{flow.setting} definido, mas WHATSAPP_FLOWS_PRIVATE_KEY vazio: o endpoint "
            "não abriria nenhum formulário",
        )
    if settings.sandbox:
        return Finding(
            check=name, status=OK, detail=f"Flow {flow_id}; modo sandbox: não conferido na Meta"
        )
    api = FlowsApi(
        base_url=settings.whatsapp_api_base_url,
        access_token=settings.whatsapp_access_token.reveal(),
        timeout=timeout,
    )
    try:
        found = api.status(flow_id)
    except TransientError as error:
        return Finding(
            check=name, status=WARN, detail=f"não consegui consultar o Flow {flow_id} ({error})"
        )
    except PermanentError as error:
        return Finding(
            check=name,
            status=FAIL,
            detail=f"a Meta não conhece o Flow {flow_id} ({error}): confira {flow.setting} e "
            f"WHATSAPP_ACCESS_TOKEN, ou {again}",
        )
    if found.status != PUBLISHED:
        return Finding(
            check=name,
            status=FAIL,
            detail=f"o Flow {flow_id} está {found.status or 'sem status'}, não PUBLISHED: {again}",
        )
    return Finding(check=name, status=OK, detail=f"Flow {flow_id} publicado")


def flow_login(settings: Settings, timeout: float) -> Finding:
    return published(LOGIN_FLOW, settings, timeout)


def flow_ticket(settings: Settings, timeout: float) -> Finding:
    return published(TICKET_FLOW, settings, timeout)


CHECKS: Final[tuple[Check, ...]] = (flows_key, flow_login, flow_ticket)
