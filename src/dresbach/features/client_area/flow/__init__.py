"""Área do Cliente: hosting self-service after a secure login. Never takes payments."""

from dresbach.features.client_area.flow.table import FLOW

__all__ = ["FLOW"]
