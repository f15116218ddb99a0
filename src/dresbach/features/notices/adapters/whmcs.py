"""The notices' reading of WHMCS over its External API: unpaid invoices (`GetInvoices`),
suspended services (`GetClientsProducts`), domains (`GetClientsDomains`), answered tickets
(`GetTickets`), each for every client at once and paged; and one client's name and phone
(`GetClientsDetails`), asked once per client and poll. The wire and its quirks are the Área do
Cliente's (`whmcs_api`)."""

from __future__ import annotations

from datetime import tzinfo
from zoneinfo import ZoneInfo

import httpx

from dresbach.features.client_area.adapters.whmcs_api import (
    WhmcsApi,
    WhmcsError,
    as_amount,
    as_clean_text,
    as_date,
    as_int,
    as_moment,
    as_text,
)
from dresbach.features.notices.model import (
    AnsweredTicket,
    Contact,
    OpenInvoice,
    RegisteredDomain,
    SuspendedService,
    reais,
)
from dresbach.features.notices.phones import whatsapp_number


class WhmcsBilling:
    def __init__(
        self,
        *,
        url: str,
        identifier: str,
        secret: str,
        access_key: str | None = None,
        timeout: float = 10.0,
        timezone: str = "America/Sao_Paulo",
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._api = WhmcsApi(
            url=url,
            identifier=identifier,
            secret=secret,
            access_key=access_key,
            timeout=timeout,
            transport=transport,
        )
        self._tz: tzinfo = ZoneInfo(timezone)

    async def aclose(self) -> None:
        await self._api.aclose()

    async def open_invoices(self) -> list[OpenInvoice]:
        rows = await self._api.collect("GetInvoices", "invoices", "invoice", status="Unpaid")
        found = []
        for raw in rows:
            invoice_id = as_int(raw.get("id"))
            if invoice_id is None or as_text(raw.get("status")) != "Unpaid":
                continue
            found.append(
                OpenInvoice(
                    invoice_id=invoice_id,
                    number=as_clean_text(raw.get("invoicenum")) or str(invoice_id),
                    client_id=as_text(raw.get("userid")),
                    issued=as_date(raw.get("date")),
                    due=as_date(raw.get("duedate")),
                    total=reais(as_amount(raw.get("total"))),
                )
            )
        return found

    async def suspended_services(self) -> list[SuspendedService]:
        rows = await self._api.collect("GetClientsProducts", "products", "product")
        found = []
        for raw in rows:
            service_id = as_int(raw.get("id"))
            if service_id is None or as_text(raw.get("status")) != "Suspended":
                continue
            name, domain = as_clean_text(raw.get("name")), as_clean_text(raw.get("domain"))
            found.append(
                SuspendedService(
                    service_id=service_id,
                    client_id=as_text(raw.get("clientid")),
                    name=f"{name} ({domain})" if domain else name,
                    reason=as_clean_text(raw.get("suspensionreason")),
                    due=as_date(raw.get("nextduedate")),
                )
            )
        return found

    async def domains(self) -> list[RegisteredDomain]:
        rows = await self._api.collect("GetClientsDomains", "domains", "domain")
        found = []
        for raw in rows:
            domain_id = as_int(raw.get("id"))
            if domain_id is None:
                continue
            found.append(
                RegisteredDomain(
                    domain_id=domain_id,
                    client_id=as_text(raw.get("userid")),
                    name=as_clean_text(raw.get("domainname")).lower(),
                    status=as_text(raw.get("status")),
                    expires=as_date(raw.get("expirydate")),
                )
            )
        return found

    async def answered_tickets(self) -> list[AnsweredTicket]:
        rows = await self._api.collect("GetTickets", "tickets", "ticket", status="Answered")
        found = []
        for raw in rows:
            ticket_id = as_int(raw.get("id"))
            answered = as_moment(raw.get("lastreply"), self._tz)
            if ticket_id is None or answered is None or as_text(raw.get("status")) != "Answered":
                continue
            found.append(
                AnsweredTicket(
                    ticket_id=ticket_id,
                    number=as_text(raw.get("tid")) or str(ticket_id),
                    client_id=as_text(raw.get("userid")),
                    subject=as_clean_text(raw.get("subject")),
                    answered_at=answered,
                )
            )
        return found

    async def contact(self, client_id: str) -> Contact | None:
        try:
            answer = await self._api.call("GetClientsDetails", clientid=client_id)
        except WhmcsError as error:
            if error.not_found:
                return None
            raise
        client = answer.get("client")
        details = client if isinstance(client, dict) else answer
        phone = as_text(details.get("phonenumber"))
        number = whatsapp_number(phone, as_text(details.get("phonecc")) or "55") if phone else None
        name = as_clean_text(details.get("firstname")) or as_clean_text(details.get("fullname"))
        return Contact(client_id=client_id, name=name, number=number)
