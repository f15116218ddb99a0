"""What the composition root plugs into each feature's ports: one builder per port, chosen by the
settings (the embedded or the real client directory and panel, the desk, the calendar, the Pix
provider). Only `bootstrap` calls them."""

from __future__ import annotations

import logging
from typing import Any

from dresbach.config import Settings
from dresbach.features.client_area.adapters.hosting_local import LocalPanel
from dresbach.features.client_area.adapters.local_directory import LocalDirectory
from dresbach.features.client_area.ports import ClientDirectory, HostingPanel
from dresbach.features.handoff.ports import HelpDesk
from dresbach.features.notices.ports import Billing
from dresbach.features.payments.adapters import static
from dresbach.features.payments.model import ChargeStatus
from dresbach.features.payments.ports import PaymentGateway
from dresbach.features.payments.service import recorded_status
from dresbach.features.scheduling.ports import Calendar
from dresbach.platform.clock import utcnow
from dresbach.platform.store.database import Database
from dresbach.platform.store.sealing import Sealer

log = logging.getLogger(__name__)


def directory(settings: Settings, db: Database, sealer: Sealer) -> tuple[ClientDirectory, Any]:
    """The client directory, and the local store (for DNS of the local panel) when embedded."""
    local = LocalDirectory(db, sealer, utcnow)
    if settings.client_directory == "whmcs":
        from dresbach.features.client_area.adapters.whmcs import WhmcsDirectory

        return (
            WhmcsDirectory(
                url=settings.whmcs_url,
                identifier=settings.whmcs_identifier,
                secret=settings.whmcs_secret.reveal(),
                document_field=settings.whmcs_document_field,
                clock=utcnow,
            ),
            local,
        )
    return local, local


def billing(settings: Settings) -> Billing | None:
    """What the notices read: WHMCS when the Área do Cliente uses it, else nothing to poll."""
    if settings.client_directory != "whmcs":
        if settings.notices_poll_minutes or settings.notices_hook_secret:
            log.warning("notices need WHMCS (DRESBACH_CLIENT_DIRECTORY=whmcs): none will be sent")
        return None
    from dresbach.features.notices.adapters.whmcs import WhmcsBilling

    return WhmcsBilling(
        url=settings.whmcs_url,
        identifier=settings.whmcs_identifier,
        secret=settings.whmcs_secret.reveal(),
    )


def panel(settings: Settings, local: LocalDirectory) -> HostingPanel:
    if settings.hosting_panel == "whm":
        from dresbach.features.client_area.adapters.whm import WhmPanel

        return WhmPanel(
            url=settings.whm_url,
            user=settings.whm_user,
            token=settings.whm_token.reveal(),
            clock=utcnow,
        )
    return LocalPanel(base_url=settings.base_url, clock=utcnow, records=local.dns_records)


def desk(settings: Settings) -> HelpDesk | None:
    """Where operators work hand-offs besides the console: None (the console only) or Chatwoot."""
    if settings.handoff_desk != "chatwoot":
        return None
    from dresbach.features.handoff.adapters.chatwoot import ChatwootDesk

    return ChatwootDesk(
        url=settings.chatwoot_url,
        account_id=settings.chatwoot_account_id,
        inbox_id=settings.chatwoot_inbox_id,
        token=settings.chatwoot_api_token.reveal(),
    )


def calendar(settings: Settings) -> Calendar:
    """The consultants' calendar: our bookings table alone, or a CalDAV server besides it."""
    if settings.calendar == "caldav":
        from dresbach.features.scheduling.adapters.caldav_calendar import CalDavCalendar

        return CalDavCalendar(
            url=settings.caldav_url,
            username=settings.caldav_user,
            password=settings.caldav_password.reveal(),
            calendar=settings.caldav_calendar,
        )
    from dresbach.features.scheduling.adapters.calendar_internal import InternalCalendar

    return InternalCalendar()


def gateway(settings: Settings, db: Database) -> PaymentGateway:
    if settings.pix_provider == "bcb":
        from dresbach.features.payments.adapters.bcb import BcbPixGateway

        return BcbPixGateway(
            base_url=settings.bcb_base_url,
            token_url=settings.bcb_token_url,
            client_id=settings.bcb_client_id,
            client_secret=settings.bcb_client_secret.reveal(),
            cert_file=settings.bcb_cert_file,
            key_file=settings.bcb_key_file,
            ca_file=settings.bcb_ca_file or None,
            pix_key=settings.pix_key,
            clock=utcnow,
        )
    if settings.pix_provider == "mercadopago":
        from dresbach.features.payments.adapters.mercadopago import MercadoPagoGateway

        return MercadoPagoGateway(
            base_url=settings.mp_base_url,
            access_token=settings.mp_access_token.reveal(),
            clock=utcnow,
        )

    async def lookup(txid: str) -> ChargeStatus:
        return await db.run(recorded_status, db.engine, txid)

    return static.StaticPixGateway(
        key=settings.pix_key,
        merchant_name=settings.pix_merchant_name,
        merchant_city=settings.pix_merchant_city,
        lookup=lookup,
        clock=utcnow,
    )
