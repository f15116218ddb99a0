"""Área do Cliente: hosting self-service after a secure login. Never takes payments."""

from dresbach.flows.client_area.table import FLOW

__all__ = ["FLOW"]
