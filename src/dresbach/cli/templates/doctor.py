"""`dresbach doctor`'s check of the message templates: every template the code can send exists
in the WhatsApp Business Account, APPROVED, with the parameter count the code sends
(`GET /{waba_id}/message_templates`). Without them every message after the 24 h window would
be dead-lettered (132001, 132000)."""

from __future__ import annotations

from typing import Final

from dresbach.cli.doctor_checks import FAIL, OK, WARN, Check, Finding
from dresbach.cli.templates.commands import situation
from dresbach.config import Settings
from dresbach.features.registry import HOUSE
from dresbach.kernel.errors import PermanentError, TransientError
from dresbach.platform.whatsapp.templates.api import TemplatesApi, checked

NAME: Final = "Modelos de mensagem"


def templates(settings: Settings, timeout: float) -> Finding:
    declared = HOUSE.templates
    if settings.sandbox:
        return Finding(
            check=NAME,
            status=OK,
            detail=f"{len(declared)} declarados; modo sandbox: não conferidos na Meta",
        )
    waba = settings.whatsapp_business_account_id
    if not waba:
        return Finding(
            check=NAME,
            status=FAIL,
            detail="WHATSAPP_BUSINESS_ACCOUNT_ID vazio: não consigo conferir os modelos, e sem "
            "eles nada sai depois de 24 h sem mensagem do cliente",
        )
    api = TemplatesApi(
        base_url=settings.whatsapp_api_base_url,
        access_token=settings.whatsapp_access_token.reveal(),
        timeout=timeout,
    )
    try:
        checks = checked(api, waba, declared)
    except TransientError as error:
        return Finding(check=NAME, status=WARN, detail=f"não consegui consultar ({error})")
    except PermanentError as error:
        return Finding(
            check=NAME,
            status=FAIL,
            detail=f"a Meta recusou a consulta ({error}): confira WHATSAPP_ACCESS_TOKEN e "
            "WHATSAPP_BUSINESS_ACCOUNT_ID",
        )
    wrong = [c for c in checks if not c.ready]
    if wrong:
        listed = "; ".join(f"{c.declaration.name}: {situation(c)}" for c in wrong)
        return Finding(
            check=NAME,
            status=FAIL,
            detail=f"{len(wrong)} de {len(checks)} sem uso possível: {listed}",
        )
    return Finding(
        check=NAME, status=OK, detail=f"{len(checks)} aprovados, com os parâmetros do código"
    )


CHECKS: Final[tuple[Check, ...]] = (templates,)
