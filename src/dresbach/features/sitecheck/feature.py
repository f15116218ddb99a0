"""The site-down assistant's registration: its flow and texts, the `site_down` intent ("meu site
caiu", "erro 500", "ssl expirado"…) that leads to it, and the job its checks become."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from dresbach.features.sitecheck.assistant.context import SITE_CHECKS
from dresbach.features.sitecheck.flow import steps
from dresbach.features.sitecheck.flow.model import RunSiteCheck, SiteDown
from dresbach.features.sitecheck.flow.table import FLOW
from dresbach.features.sitecheck.flow.texts import TEXTS
from dresbach.kernel.machine.routes import Route
from dresbach.platform.feature import Feature, Jobs
from dresbach.platform.observe.redaction import mask_documents
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.work.effects import fields_but_id, job

if TYPE_CHECKING:
    from dresbach.features.sitecheck.assistant.service import SiteDownService

JOB = "site_check"


class Built(Protocol):
    @property
    def sitedown(self) -> SiteDownService: ...


def _check(command: RunSiteCheck, sealer: Sealer | None) -> dict[str, Any]:
    """The job's payload: what the customer said goes to the ticket with documents masked."""
    payload = fields_but_id(command, sealer)
    return {**payload, "reported": mask_documents(command.reported)}


def _jobs(built: Built) -> Jobs:
    return Jobs(handlers={JOB: built.sitedown.run_check})


AFTER = (
    "meu site caiu",
    "site caiu",
    "site fora do ar",
    "site esta fora",
    "erro 500",
    "pagina em branco",
    "ssl expirado",
    "conta suspensa",
)
"""Words that still lead here when the understanding tier is not sure of anything."""

ROUTES = (
    Route(
        intent="site_down",
        title=TEXTS["route.site_down"],
        handler=steps.asked,
        goes_to=(
            SiteDown.START.qualified,
            SiteDown.DOMAIN.qualified,
            SiteDown.SERVICE.qualified,
            SiteDown.CHECKING.qualified,
        ),
        after=AFTER,
        answer_first=True,  # "como ativo o https no meu site" is the FAQ's, not a check
    ),
)

FEATURE = Feature(
    name="sitecheck",
    flows=(FLOW,),
    routes=ROUTES,
    catalogs={"sitecheck": TEXTS},
    effects={RunSiteCheck: job(JOB, _check)},
    context=(SITE_CHECKS,),
    jobs=_jobs,
)
