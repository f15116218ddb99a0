"""The ``BillingRecords`` port over the Área do Cliente's client directory (WHMCS
``GetClientsProducts``: status and ``suspensionreason``; ``GetClientsDomains``: the domain's
status and expiry), for one logged-in client: a service or domain of another client is not
found, exactly like a missing one."""

from __future__ import annotations

from dresbach.features.client_area.ports import ClientDirectory
from dresbach.features.sitecheck.results import Registration, ServiceState
from dresbach.kernel.errors import PermanentError


class DirectoryBilling:
    def __init__(self, directory: ClientDirectory, client_id: str) -> None:
        self._directory = directory
        self._client_id = client_id

    async def service_state(self, service_id: str) -> ServiceState:
        for service in await self._directory.services(self._client_id):
            if service.service_id == service_id:
                return ServiceState(
                    status=service.status, suspension_reason=service.suspension_reason
                )
        raise PermanentError("no such service for this client")

    async def registration(self, domain: str) -> Registration:
        wanted = _bare(domain)
        for record in await self._directory.domains(self._client_id):
            if _bare(record.name) == wanted:
                return Registration(record=record)
        return Registration(record=None)


def _bare(domain: str) -> str:
    return domain.strip().rstrip(".").lower().removeprefix("www.")
