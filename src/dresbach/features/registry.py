"""Every feature, in one list: adding a feature is a new folder and one line here.

The order is the order of the diagrams (flows), of the global commands' matching, of the
timer sweeps, of the hand-off context's sections and of the personal data's sources (the LGPD
copy's sections, the erasure's and the retention purge's steps: the leads before the payments)."""

from __future__ import annotations

from dresbach.features.client_area.feature import FEATURE as CLIENT_AREA
from dresbach.features.faq.feature import FEATURE as FAQ
from dresbach.features.handoff.feature import FEATURE as HANDOFF
from dresbach.features.incidents.feature import FEATURE as INCIDENTS
from dresbach.features.menu.feature import FEATURE as MENU
from dresbach.features.notices.feature import FEATURE as NOTICES
from dresbach.features.operators.feature import FEATURE as OPERATORS
from dresbach.features.payments.feature import FEATURE as PAYMENTS
from dresbach.features.privacy.feature import FEATURE as PRIVACY
from dresbach.features.scheduling.feature import FEATURE as SCHEDULING
from dresbach.features.techops.feature import FEATURE as TECHOPS
from dresbach.kernel.machine.house import Machine
from dresbach.kernel.understanding import shipped
from dresbach.platform.feature import Feature, House

FEATURES: tuple[Feature, ...] = (
    MENU,
    TECHOPS,
    PAYMENTS,
    CLIENT_AREA,
    SCHEDULING,
    HANDOFF,
    PRIVACY,
    OPERATORS,
    FAQ,
    INCIDENTS,
    NOTICES,
)

HOUSE = House.of(FEATURES, shipped.trained_model())
"""The features, with the understanding tier trained once, here, at start-up."""
MACHINE: Machine = HOUSE.machine
