"""The operator console (`/console`): server-rendered pt-BR pages (Jinja2 + htmx) for the
hand-off queue and conversations, payment review, leads and bookings."""

from dresbach.web.console.handoffs import UPLOADS
from dresbach.web.console.routes import routes

__all__ = ["UPLOADS", "routes"]
