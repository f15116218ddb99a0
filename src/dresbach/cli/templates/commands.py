"""`dresbach templates list` and `dresbach templates sync`: the message templates the code can
send (each feature's declarations) beside the WhatsApp Business Account's, and the missing
ones submitted to Meta's review."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from dresbach.cli.flows_keys import fail, settings_for_meta
from dresbach.config import Settings
from dresbach.features.registry import HOUSE
from dresbach.kernel.errors import DresbachError
from dresbach.platform.whatsapp.templates.api import TemplateCheck, TemplatesApi, checked
from dresbach.platform.whatsapp.templates.declarations import TemplateDeclaration

SYNC = "rode `dresbach templates sync`"


def situation(check: TemplateCheck) -> str:
    """What the account holds of a declared template, in the operator's words."""
    found = check.found
    if found is None:
        return f"ausente na conta: {SYNC}"
    if not check.parameters_match:
        return (
            f"{found.status}, mas com {found.parameter_count} parâmetro(s) na conta e "
            f"{check.declaration.parameter_count} no código: corrija o texto no WhatsApp "
            "Manager (ou apague o modelo e rode `dresbach templates sync`)"
        )
    return found.status or "sem status"


def _api(settings: Settings, timeout: float) -> TemplatesApi:
    return TemplatesApi(
        base_url=settings.whatsapp_api_base_url,
        access_token=settings.whatsapp_access_token.reveal(),
        timeout=timeout,
    )


def _settings(done: str) -> Settings | None:
    settings = settings_for_meta(done)
    if settings is None:
        return None
    if not settings.whatsapp_business_account_id:
        fail(
            "WHATSAPP_BUSINESS_ACCOUNT_ID está vazio: defina o id da conta do WhatsApp Business "
            "(WABA) dona dos modelos."
        )
        return None
    return settings


def _checked(
    settings: Settings, timeout: float, declarations: Sequence[TemplateDeclaration]
) -> list[TemplateCheck] | None:
    try:
        return checked(_api(settings, timeout), settings.whatsapp_business_account_id, declarations)
    except DresbachError as error:
        fail(
            f"a Meta recusou a consulta dos modelos ({error}): confira WHATSAPP_ACCESS_TOKEN e "
            "WHATSAPP_BUSINESS_ACCOUNT_ID"
        )
        return None


def _prepared(done: str, timeout: float) -> tuple[Settings, list[TemplateCheck]] | None:
    """The settings and each declared template beside the account's, or None once it said why
    not."""
    settings = _settings(done)
    if settings is None:
        return None
    checks = _checked(settings, timeout, HOUSE.templates)
    return None if checks is None else (settings, checks)


def list_command(args: argparse.Namespace) -> int:
    prepared = _prepared("os modelos só são consultados", args.timeout)
    if prepared is None:
        return 1
    _, checks = prepared
    width = max(len(c.declaration.name) for c in checks)
    print(f"{'Modelo'.ljust(width)}  Idioma  Categoria       Parâmetros  Na conta")
    for check in checks:
        d = check.declaration
        print(
            f"{d.name.ljust(width)}  {d.language:<6}  {d.category:<14}  "
            f"{d.parameter_count:<10}  {situation(check)}"
        )
    ready = sum(1 for c in checks if c.ready)
    print(f"\n{ready} de {len(checks)} modelo(s) aprovados e iguais ao código.")
    return 0


def sync(args: argparse.Namespace) -> int:
    prepared = _prepared("os modelos só são criados", args.timeout)
    if prepared is None:
        return 1
    settings, checks = prepared
    api, waba = _api(settings, args.timeout), settings.whatsapp_business_account_id
    status = 0
    for check in checks:
        name = check.declaration.name
        if not check.missing:
            print(f"{name}: já existe ({situation(check)}).")
            status |= 0 if check.parameters_match else 1
            continue
        try:
            template_id, review = api.create(waba, check.declaration)
        except DresbachError as error:
            print(f"{name}: a Meta recusou a criação ({error}).", file=sys.stderr)
            status = 1
            continue
        print(f"{name}: criado (id {template_id}, {review or 'em análise'}).")
    return status


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    templates = sub.add_parser("templates", help="the WhatsApp message templates")
    inner = templates.add_subparsers(dest="templates_command", required=True)
    listing = inner.add_parser("list", help="each declared template beside its status at Meta")
    listing.add_argument("--timeout", type=float, default=10.0, help="seconds (default 10)")
    listing.set_defaults(func=list_command)
    creating = inner.add_parser("sync", help="create the declared templates missing at Meta")
    creating.add_argument("--timeout", type=float, default=10.0, help="seconds (default 10)")
    creating.set_defaults(func=sync)
