"""The console's routes, and its static files (CSS, htmx) under `/console/static`."""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from dresbach.bootstrap import Container
from dresbach.web.console import (
    admin,
    canned,
    handoffs,
    incidents,
    login,
    media,
    records,
    reports,
    review,
)


class RowId(Convertor[int]):
    """A row id in a console path (`{handoff_id:row_id}`): 1 to 18 digits, so it always fits the
    databases' 64-bit ids; a longer one matches no route (404), never an overflowing query."""

    regex = "[0-9]{1,18}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


def routes(container: Container) -> list[BaseRoute]:
    register_url_convertor("row_id", RowId())  # before the routes that name it are compiled
    found: list[BaseRoute] = []
    found += login.routes(container)
    found += handoffs.routes(container)
    found += review.routes(container)
    found += incidents.routes(container)
    found += records.routes(container)
    found += media.routes(container)
    found += reports.routes(container)
    found += canned.routes(container)
    found += admin.routes(container)
    found.append(
        Mount(
            "/console/static",
            app=StaticFiles(packages=[("dresbach.web", "static")]),
            name="console-static",
        )
    )
    return found
