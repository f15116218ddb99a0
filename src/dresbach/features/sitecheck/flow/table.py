"""The site-down assistant's transition table (the steps are in `steps`).

start ─(logged in)─▶ service ─▶ checking ─site_checked─▶ done
start ─(not logged in)─▶ domain ─▶ checking                      (the public checks)
"""

from __future__ import annotations

from dresbach.features.sitecheck.flow import services, steps
from dresbach.features.sitecheck.flow.model import SiteDown
from dresbach.kernel.machine.machine import Flow, Rule, State

_TO_CHECK = (SiteDown.CHECKING,)

FLOW = Flow(
    name=SiteDown.flow,
    names=SiteDown,
    title="Site fora do ar",
    entry=SiteDown.START,
    interrupts={"site_checked": Rule(handler=steps.checked_elsewhere)},
    states={
        state.name: state
        for state in (
            State(
                name=SiteDown.START,
                prompt=steps.domain_prompt,
                rules={"text": Rule(handler=steps.typed_domain, goes_to=_TO_CHECK)},
                on_enter=Rule(
                    handler=steps.entered,
                    goes_to=(SiteDown.SERVICE, SiteDown.DOMAIN, SiteDown.CHECKING),
                    label="logado? domínio na mensagem?",
                ),
            ),
            State(
                name=SiteDown.DOMAIN,
                prompt=steps.domain_prompt,
                rules={"text": Rule(handler=steps.typed_domain, goes_to=_TO_CHECK)},
            ),
            State(
                name=SiteDown.SERVICE,
                prompt=services.services_prompt,
                rules={
                    "client_data": Rule(handler=services.listed, goes_to=(SiteDown.DOMAIN,)),
                    "client_data_unavailable": Rule(
                        handler=services.unavailable, goes_to=(SiteDown.DOMAIN,)
                    ),
                    "choice": Rule(handler=services.picked, goes_to=_TO_CHECK),
                    "text": Rule(handler=services.typed_service, goes_to=_TO_CHECK),
                },
            ),
            State(
                name=SiteDown.CHECKING,
                prompt=steps.checking_prompt,
                resting=True,
                rules={
                    "site_checked": Rule(handler=steps.checked, goes_to=(SiteDown.DONE,)),
                    "site_check_progress": Rule(handler=steps.progressed),
                    "text": Rule(handler=steps.still_checking),
                },
            ),
            State(name=SiteDown.DONE, prompt=steps.done_prompt, listens=True),
        )
    },
)
