"""Tech Ops' settings: the diagnosis fee per area, the refund window, when a lead is lost."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from dresbach.kernel.money import money
from dresbach.kernel.settings import Section, SettingsError, setting, variables

FEES = ("fee_technical", "fee_security", "fee_architecture", "fee_lgpd")


@dataclass(frozen=True, kw_only=True)
class TechOpsSettings(Section):
    fee_technical: str = setting("DRESBACH_FEE_TECHNICAL", "1500.00")
    fee_security: str = setting("DRESBACH_FEE_SECURITY", "1800.00")
    fee_architecture: str = setting("DRESBACH_FEE_ARCHITECTURE", "2000.00")
    fee_lgpd: str = setting("DRESBACH_FEE_LGPD", "1600.00")
    refund_days: int = setting("DRESBACH_REFUND_DAYS", 7)
    lead_stale_days: int = setting("DRESBACH_LEAD_STALE_DAYS", 7)

    def validate(self) -> None:
        for variable, attribute in variables(TechOpsSettings).items():
            if attribute in FEES:
                raw = getattr(self, attribute)
                try:
                    money(raw)
                except (ValueError, ArithmeticError) as error:
                    raise SettingsError(
                        f"{variable}={raw!r} must be an amount like 1500.00"
                    ) from error
        if self.refund_days < 0:
            raise SettingsError("DRESBACH_REFUND_DAYS must be 0 (no refund) or more")

    @property
    def diagnosis_fees(self) -> MappingProxyType[str, Decimal]:
        """The fee per area, keyed as the flow names areas (`fee_technical` -> `technical`)."""
        return MappingProxyType(
            {name.removeprefix("fee_"): money(getattr(self, name)) for name in FEES}
        )
