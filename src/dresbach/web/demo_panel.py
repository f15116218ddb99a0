"""`/demo/{kind}/{username}`: where the embedded panel's access links lead.

With `DRESBACH_HOSTING_PANEL=local` (the default, and the demo's) the Área do Cliente hands out
links to `{DRESBACH_PUBLIC_URL}/demo/cpanel/{user}` (or `webmail`, `whm`, with `?mailbox=`).
This page is what they open: it says plainly which panel a real installation would open, for
which account, and that this one opens nothing. It logs no one in and reads nothing stored.
"""

from __future__ import annotations

from html import escape
from typing import Final

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

PANELS: Final = {"cpanel": "cPanel", "webmail": "Webmail", "whm": "WHM"}
MAX_NAME: Final = 120
HEADERS: Final = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'",
    "Cache-Control": "no-store",
}


def routes() -> list[Route]:
    return [Route("/demo/{kind}/{username}", page, methods=["GET"])]


async def page(request: Request) -> Response:
    panel = PANELS.get(request.path_params["kind"])
    username = request.path_params["username"][:MAX_NAME]
    if panel is None or not username.strip():
        missing = _html("Link não encontrado", "<p>Este link de acesso não existe.</p>")
        return HTMLResponse(missing, status_code=404, headers=HEADERS)
    mailbox = request.query_params.get("mailbox", "")[:MAX_NAME]
    if panel == "Webmail" and mailbox:
        what = f"o <strong>Webmail</strong> da caixa <strong>{escape(mailbox)}</strong>"
    else:
        what = f"o <strong>{panel}</strong> da conta <strong>{escape(username)}</strong>"
    body = (
        f"<p>Numa instalação real, este link abriria {what}, já conectado.</p>"
        "<p>Aqui é só uma demonstração: nenhum painel é aberto e nenhum dado é acessado.</p>"
    )
    return HTMLResponse(_html(f"{panel}: demonstração", body), headers=HEADERS)


def _html(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang='pt-BR'><meta charset='utf-8'>"
        "<meta name='robots' content='noindex'>"
        f"<title>{escape(title)}</title>"
        "<style>body{font-family:system-ui;max-width:640px;margin:3rem auto;padding:0 1rem;"
        "background:#f0f2f5;color:#1c1e21}main{background:#fff;border-radius:8px;padding:1.5rem}"
        ".tag{display:inline-block;background:#ffe8a3;border-radius:4px;padding:.1rem .5rem;"
        "font-size:.85rem}</style>"
        f"<main><span class='tag'>Demonstração</span><h1>{escape(title)}</h1>{body}</main></html>"
    )
