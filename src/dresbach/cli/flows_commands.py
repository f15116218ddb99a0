"""`dresbach flows diagram`, `dresbach flows lint` and `dresbach flows publish` (the Área do
Cliente's WhatsApp Flows at Meta); the Flows keys are in `flows_keys`."""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from dresbach.cli import flows_keys
from dresbach.cli.flows_keys import fail, settings_for_meta
from dresbach.config import Settings
from dresbach.features.client_area.flows import LOGIN, TICKET, flow_json
from dresbach.features.registry import MACHINE
from dresbach.kernel.errors import DresbachError
from dresbach.kernel.machine.diagram import markdown, replace_in
from dresbach.kernel.machine.lint import lint
from dresbach.platform.whatsapp.flows.api import DRAFT, ENDPOINT_PATH, FlowsApi
from dresbach.platform.whatsapp.flows.json_rules import problems


def diagram(args: argparse.Namespace) -> int:
    generated = markdown(MACHINE.flows)
    if args.write:
        path = Path(args.write)
        path.write_text(replace_in(path.read_text("utf-8"), generated), "utf-8")
        print(f"{path}: diagramas atualizados.")
    else:
        print(generated)
    return 0


def lint_command(_args: argparse.Namespace) -> int:
    problems = lint(MACHINE)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problema(s) nos fluxos.", file=sys.stderr)
        return 1
    print("Fluxos ok: uma pergunta por mensagem, limites do WhatsApp, todos os estados com saída.")
    return 0


# ---- dresbach flows publish ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PublishedFlow:
    """One of our Flows at Meta: its JSON, the setting that holds its id, what it is for."""

    name: str
    title: str
    setting: str
    attribute: str
    categories: tuple[str, ...]
    without: str
    """What the bot does while the Flow is not published."""

    def flow_id(self, settings: Settings) -> str:
        return str(getattr(settings, self.attribute))


LOGIN_FLOW: Final = PublishedFlow(
    name=LOGIN,
    title="login",
    setting="WHATSAPP_FLOW_LOGIN_ID",
    attribute="whatsapp_flow_login_id",
    categories=("SIGN_IN",),
    without="o login segue pelo chat",
)
TICKET_FLOW: Final = PublishedFlow(
    name=TICKET,
    title="chamado",
    setting="WHATSAPP_FLOW_TICKET_ID",
    attribute="whatsapp_flow_ticket_id",
    categories=("CUSTOMER_SUPPORT",),
    without="o chamado segue passo a passo no chat",
)
FLOWS: Final = (LOGIN_FLOW, TICKET_FLOW)


def _checked(flows: list[PublishedFlow]) -> bool:
    """Meta's Flow JSON rules over each chosen Flow; the problems go to stderr."""
    fine = True
    for flow in flows:
        for problem in problems(json.loads(flow_json(flow.name))):
            print(f"{flow.name}.json: {problem}", file=sys.stderr)
            fine = False
    return fine


def _publish_one(api: FlowsApi, settings: Settings, flow: PublishedFlow) -> int:
    label = f"Flow de {flow.title}"
    endpoint = settings.base_url.rstrip("/") + ENDPOINT_PATH
    flow_id = flow.flow_id(settings)
    if flow_id:
        current = api.status(flow_id)
        if current.status == DRAFT:
            print(f"{label}: atualizando o rascunho {flow_id}.")
            api.set_endpoint(flow_id, endpoint)
        else:
            print(f"{label}: o Flow {flow_id} está {current.status} e não muda mais; crio outro.")
            flow_id = ""
    created = not flow_id
    if created:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        flow_id = api.create(
            settings.whatsapp_business_account_id,
            name=f"Dresbach {flow.title} {stamp} {secrets.token_hex(2)}",  # unique in the WABA
            categories=flow.categories,
            endpoint_uri=endpoint,
        )
        print(f"{label}: Flow {flow_id} criado (rascunho).")
    errors = api.upload(flow_id, flow_json(flow.name))
    if errors:
        print(f"{label}: a Meta recusou o JSON do Flow {flow_id}:", file=sys.stderr)
        for error in errors:
            print(f"  {error}", file=sys.stderr)
        return 1
    api.publish(flow_id)
    print(f"{label}: Flow {flow_id} publicado (endpoint {endpoint}).")
    if created:
        print(f"  Defina {flow.setting}={flow_id} e reinicie o serviço.")
    return 0


def publish(args: argparse.Namespace) -> int:
    chosen = [f for f in FLOWS if getattr(args, f.name)] or list(FLOWS)
    if not _checked(chosen):
        return fail("o JSON não segue as regras da Meta: nada foi enviado.")
    settings = settings_for_meta("os Flows só são publicados")
    if settings is None:
        return 1
    if not settings.whatsapp_business_account_id:
        return fail(
            "WHATSAPP_BUSINESS_ACCOUNT_ID está vazio: defina o id da conta do WhatsApp Business "
            "(WABA) dona dos Flows."
        )
    api = FlowsApi(
        base_url=settings.whatsapp_api_base_url,
        access_token=settings.whatsapp_access_token.reveal(),
        timeout=args.timeout,
    )
    status = 0
    for flow in chosen:
        try:
            status |= _publish_one(api, settings, flow)
        except DresbachError as error:
            status = 1
            print(
                f"Flow de {flow.title}: a Meta recusou ({error}): confira "
                f"WHATSAPP_ACCESS_TOKEN, WHATSAPP_BUSINESS_ACCOUNT_ID e {flow.setting}",
                file=sys.stderr,
            )
    return status


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    flows = sub.add_parser("flows", help="the conversation flows")
    inner = flows.add_subparsers(dest="flows_command", required=True)
    d = inner.add_parser("diagram", help="Mermaid diagrams generated from the flow tables")
    d.add_argument("--write", metavar="README", help="replace the generated block in this file")
    d.set_defaults(func=diagram)
    inner.add_parser("lint", help="check the house rules").set_defaults(func=lint_command)
    flows_keys.register(inner)
    p = inner.add_parser(
        "publish", help="check, upload and publish the login and ticket Flows at Meta"
    )
    p.add_argument("--login", action="store_true", help="the login Flow (default: both)")
    p.add_argument("--ticket", action="store_true", help="the ticket Flow (default: both)")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds (default 10)")
    p.set_defaults(func=publish)
