"""`dresbach serve`, `dresbach worker`, `dresbach migrate`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from dataclasses import fields, replace

from dresbach.bootstrap import build, warm_up
from dresbach.config import Secret, Settings, SettingsError, load_settings
from dresbach.platform.clock import utcnow
from dresbach.platform.observe import logs
from dresbach.platform.store.database import migrate

log = logging.getLogger("dresbach")


def _settings_or_exit() -> Settings:
    try:
        return load_settings()
    except SettingsError as error:
        print(f"Configuração inválida: {error}", file=sys.stderr)
        raise SystemExit(2) from error


def configure_logging(settings: Settings) -> None:
    """JSON lines (or text on a terminal), with every secret the settings hold masked."""
    known = [
        value.reveal()
        for f in fields(settings)
        if isinstance(value := getattr(settings, f.name), Secret) and value
    ]
    logs.configure(level=settings.log_level, format=settings.log_format, known_secrets=known)


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from dresbach.web.app import create_app

    loaded = _settings_or_exit()
    # --host / --port win over DRESBACH_HOST / DRESBACH_PORT; links follow where we listen
    settings = replace(
        loaded,
        host=args.host if args.host is not None else loaded.host,
        port=args.port if args.port is not None else loaded.port,
    )
    configure_logging(settings)
    container = build(settings)
    if settings.sandbox:
        print(
            "Modo sandbox (DRESBACH_SANDBOX=1): as respostas ficam no simulador local "
            f"({settings.base_url}/simulator). Nada sai desta máquina.",
            file=sys.stderr,
        )
    app = create_app(container, run_workers=not args.no_workers)
    warm_up(utcnow())
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        log_config=None,  # uvicorn's records go through our handler (JSON, masked)
        access_log=False,
        timeout_graceful_shutdown=5,
    )
    return 0


def worker(args: argparse.Namespace) -> int:
    settings = _settings_or_exit()
    configure_logging(settings)
    container = build(settings)
    warm_up(utcnow())
    if args.metrics_port:
        from prometheus_client import start_http_server

        start_http_server(
            args.metrics_port, addr=args.metrics_host, registry=container.metrics.registry
        )
        log.info("metrics at http://%s:%d/metrics", args.metrics_host, args.metrics_port)

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        container.workers.start()
        log.info("workers running; Ctrl-C to stop")
        await stop.wait()
        await container.aclose()

    asyncio.run(run())
    return 0


def migrate_command(_args: argparse.Namespace) -> int:
    settings = _settings_or_exit()
    migrate(settings.database_url)
    print("Banco de dados atualizado.")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("serve", help="serve HTTP (and, by default, run the workers)")
    parser.add_argument("--host", default=None, help="default: DRESBACH_HOST, else 127.0.0.1")
    parser.add_argument("--port", type=int, default=None, help="default: DRESBACH_PORT, else 8000")
    parser.add_argument("--no-workers", action="store_true", help="HTTP only")
    parser.set_defaults(func=serve)
    parser = sub.add_parser("worker", help="run the workers only")
    parser.add_argument(
        "--metrics-port", type=int, default=0, help="serve /metrics on this port (0: none)"
    )
    parser.add_argument("--metrics-host", default="127.0.0.1")
    parser.set_defaults(func=worker)
    sub.add_parser("migrate", help="bring the database schema up to date").set_defaults(
        func=migrate_command
    )
