"""The console's routes, and its static files (CSS, htmx) under `/console/static`."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from dresbach.bootstrap import Container
from dresbach.web.console import handoffs, login, records, review


def routes(container: Container) -> list[BaseRoute]:
    found: list[BaseRoute] = []
    found += login.routes(container)
    found += handoffs.routes(container)
    found += review.routes(container)
    found += records.routes(container)
    found.append(
        Mount(
            "/console/static",
            app=StaticFiles(packages=[("dresbach.web", "static")]),
            name="console-static",
        )
    )
    return found
