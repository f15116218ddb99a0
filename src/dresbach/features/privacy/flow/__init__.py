"""Privacidade e seus dados: a copy of what we hold, corrections, and erasure (LGPD art. 18)."""

from dresbach.features.privacy.flow.table import FLOW

__all__ = ["FLOW"]
