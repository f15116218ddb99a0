"""The Consultoria Tech Ops' registration: its flow and texts, what its commands become (the
lead saved, the receipt e-mailed) and the e-mail jobs' handlers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from dresbach.features.techops import flow
from dresbach.features.techops.context import LEAD, price_before_diagnosis
from dresbach.features.techops.diagnosis import texts as diagnosis_texts
from dresbach.features.techops.flow import texts
from dresbach.features.techops.leads import record_lead
from dresbach.features.techops.personal_data import PERSONAL_DATA
from dresbach.features.techops.states import TechOps
from dresbach.kernel.commands import EmailReceipt, RecordLead
from dresbach.kernel.machine.machine import Outcome, Turn
from dresbach.kernel.machine.routes import Route
from dresbach.kernel.messages import Text
from dresbach.platform.feature import Feature, Jobs
from dresbach.platform.work.effects import job

if TYPE_CHECKING:
    from dresbach.features.techops.mail import TechOpsMail


class Built(Protocol):
    @property
    def techops_mail(self) -> TechOpsMail: ...


def _jobs(built: Built) -> Jobs:
    mail = built.techops_mail
    return Jobs(handlers={"email_receipt": mail.email_receipt, "email_meeting": mail.email_meeting})


MINE_MEETING = (
    "reuniao",
    "meu horario",
    "remarcar",
    "reagendar",
    "desmarcar",
    "cancelar a reuniao",
    "cancelar reuniao",
    "meu diagnostico",
    "diagnostico que ja paguei",
    "diagnostico que paguei",
    "diagnostico pago",
    "ja paguei o diagnostico",
    "paguei o diagnostico",
)
"""The customer's own paid diagnosis (its meeting): these words lead there before the tier."""
MINE_PAID = ("ja paguei", "paguei", "ja fiz o pagamento", "ja fiz o pix", "fiz o pix")
"""A claim of payment: alone, or when the tier is not sure ("já paguei a fatura" is billing)."""


def _start(_turn: Turn) -> Outcome:
    return Outcome(goto=TechOps.START.qualified, reset_trail=True)


def _mine(_turn: Turn) -> Outcome:
    return Outcome(goto=TechOps.MINE.qualified, reset_trail=True)


def _price(_turn: Turn) -> Outcome:
    """The house rule: no project price; the paid diagnosis explained (Tech Ops' own answer)."""
    said = Text(body=texts.TEXTS["price_before_offer"])
    return Outcome(goto=TechOps.START.qualified, say=(said,), reset_trail=True)


ROUTES = (
    Route(
        intent="techops",
        title=texts.BUTTONS["route.techops"],
        handler=_start,
        goes_to=(TechOps.START.qualified,),
        after=("consultoria", "tech ops", "techops", "diagnostico", "lgpd", "governanca"),
    ),
    Route(
        intent="price",
        title=texts.BUTTONS["route.price"],
        handler=_price,
        goes_to=(TechOps.START.qualified,),
    ),
    Route(
        intent="mine",
        title=texts.BUTTONS["route.mine"],
        handler=_mine,
        goes_to=(TechOps.MINE.qualified,),
        words=MINE_MEETING,
        alone=MINE_PAID,
        after=MINE_PAID,
    ),
)

FEATURE = Feature(
    name="techops",
    routes=ROUTES,
    flows=(flow.FLOW,),
    catalogs={"techops": texts.CATALOG},
    ice_breakers=("Quero conhecer a consultoria Tech Ops",),  # the menu's intent: consultoria
    effects={RecordLead: record_lead, EmailReceipt: job("email_receipt")},
    jobs=_jobs,
    context=(LEAD,),
    price_rule=price_before_diagnosis,
    personal_data=PERSONAL_DATA,
    templates=diagnosis_texts.TEMPLATES,
)
