"""The Consultoria Tech Ops' registration: its flow and texts, what its commands become (the
lead saved, the receipt e-mailed) and the e-mail jobs' handlers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from dresbach.features.techops import flow
from dresbach.features.techops.flow import texts
from dresbach.features.techops.leads import record_lead
from dresbach.kernel.commands import EmailReceipt, RecordLead
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


FEATURE = Feature(
    name="techops",
    flows=(flow.FLOW,),
    catalogs={"techops": texts.CATALOG},
    ice_breakers=("Quero conhecer a consultoria Tech Ops",),  # the menu's intent: consultoria
    effects={RecordLead: record_lead, EmailReceipt: job("email_receipt")},
    jobs=_jobs,
)
