"""`dresbach doctor`: is this installation ready? The configuration, then every configured
integration reached for real (see `doctor_checks` and `doctor_services`), in one table: what
works and what to fix, naming the setting. Exit code 1 when anything failed, 0 otherwise
(warnings included).
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import fields
from typing import Final, TextIO

from dresbach.cli import doctor_checks, doctor_flows, doctor_services
from dresbach.cli.doctor_checks import FAIL, OK, WARN, Finding
from dresbach.cli.templates import doctor as doctor_templates
from dresbach.config import Secret, Settings, SettingsError, load_settings
from dresbach.platform.observe.redaction import mask_secrets

LABELS: Final = {"ok": "OK", "falha": "FALHA", "aviso": "AVISO", "desligado": "—"}
CHECKS: Final = (
    *doctor_checks.CHECKS,
    *doctor_flows.CHECKS,
    *doctor_templates.CHECKS,
    *doctor_services.CHECKS,
)


def configuration(settings: Settings) -> list[Finding]:
    """The settings were read; what in them deserves a second look."""
    name = "Configuração"
    mode = "sandbox" if settings.sandbox else "produção"
    found = [Finding(check=name, status=OK, detail=f".env e ambiente lidos; modo {mode}")]
    if not settings.sandbox and not settings.base_url.startswith("https://"):
        found.append(
            Finding(
                check=name,
                status=WARN,
                detail="DRESBACH_PUBLIC_URL não é https: a Meta e os PSPs só chamam webhooks "
                "em https",
            )
        )
    if not settings.secret_key and not settings.database_url.startswith("sqlite"):
        found.append(
            Finding(
                check=name,
                status=WARN,
                detail="DRESBACH_SECRET_KEY vazio: cada processo usaria uma chave própria em "
                "var/secret.key; defina a mesma chave em todos",
            )
        )
    return found


def secrets_of(settings: Settings) -> list[str]:
    return [
        value.reveal()
        for f in fields(settings)
        if isinstance(value := getattr(settings, f.name), Secret) and len(value.reveal()) >= 6
    ]


def run(settings: Settings, timeout: float) -> list[Finding]:
    """Every check at once, each in a thread of its own and with its own timeout."""
    findings = configuration(settings)
    with ThreadPoolExecutor(max_workers=len(CHECKS), thread_name_prefix="doctor") as pool:
        futures = [(check, pool.submit(check, settings, timeout)) for check in CHECKS]
        for check, future in futures:
            try:
                found = future.result(timeout=timeout * 3 + 2)
                findings.extend(found if isinstance(found, list) else [found])
            except FutureTimeout:
                findings.append(
                    Finding(
                        check=check.__name__,
                        status=FAIL,
                        detail=f"sem resposta em {timeout * 3:.0f} s",
                    )
                )
            except Exception as error:  # a check's own bug must not hide the others
                findings.append(
                    Finding(
                        check=check.__name__,
                        status=FAIL,
                        detail=f"erro inesperado: {type(error).__name__}: {error}",
                    )
                )
    return findings


def render(findings: list[Finding], known: list[str], out: TextIO) -> None:
    width = max(len(f.check) for f in findings)
    print("Dresbach Assistente: diagnóstico da instalação\n", file=out)
    print(
        f"{'Verificação'.ljust(width)}  {'Situação':<8}  O que foi visto / o que corrigir", file=out
    )
    print(f"{'-' * width}  {'-' * 8}  {'-' * 40}", file=out)
    for finding in findings:
        detail = mask_secrets(finding.detail, known)
        print(f"{finding.check.ljust(width)}  {LABELS[finding.status]:<8}  {detail}", file=out)
    failures = sum(1 for f in findings if f.status == FAIL)
    warnings = sum(1 for f in findings if f.status == WARN)
    print(file=out)
    if failures:
        plural = "falhas" if failures > 1 else "falha"
        print(
            f"{failures} {plural}: corrija o indicado e rode `dresbach doctor` de novo.", file=out
        )
    elif warnings:
        print(f"Tudo responde; {warnings} aviso(s) acima merecem atenção.", file=out)
    else:
        print("Tudo certo: cada integração configurada respondeu.", file=out)


def doctor(args: argparse.Namespace) -> int:
    try:
        settings = load_settings()
    except SettingsError as error:
        findings = [
            Finding(check="Configuração", status=FAIL, detail=f"configuração inválida: {error}")
        ]
        render(findings, [], sys.stdout)
        return 1
    findings = run(settings, args.timeout)
    render(findings, secrets_of(settings), sys.stdout)
    return 1 if any(f.status == FAIL for f in findings) else 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "doctor", help="check the configuration and reach every configured integration"
    )
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds per check (default 5)")
    parser.set_defaults(func=doctor)
