"""The operators feature's registration."""

from __future__ import annotations

from dresbach.platform.feature import Feature

FEATURE = Feature(name="operators")
