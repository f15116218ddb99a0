"""The FAQ's flow: an answer, "Isso resolveu?", then the menu or the answer's next step."""

from dresbach.features.faq.flow.steps import ENTRY, opening
from dresbach.features.faq.flow.table import FLOW

__all__ = ["ENTRY", "FLOW", "opening"]
