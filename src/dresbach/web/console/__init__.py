"""The operator console (`/console`): server-rendered pt-BR pages (Jinja2 + htmx) for the
hand-off queue and conversations, payment review, leads and bookings."""

from dresbach.web.console.routes import routes

__all__ = ["routes"]
