"""The Área do Cliente's registration: its flow and texts, what its commands become (jobs, a
login's secrets sealed), and the jobs' handlers."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Connection

from dresbach.features.client_area import flow
from dresbach.features.client_area.flow import texts
from dresbach.features.client_area.login import starters
from dresbach.features.client_area.model import (
    CheckLogin,
    CheckSecondFactor,
    EndSession,
    FetchClientData,
    OpenTicket,
    ReplyTicket,
    RequestAccessLink,
    ResendEmailCode,
)
from dresbach.platform.feature import Feature, Jobs
from dresbach.platform.observe import audit
from dresbach.platform.store.sealing import Sealer
from dresbach.platform.work.effects import fields_but_id, job, sealed

if TYPE_CHECKING:
    from dresbach.features.client_area.service import ClientAreaService


class Built(Protocol):
    @property
    def client_area(self) -> ClientAreaService: ...


def _login(command: CheckLogin, sealer: Sealer | None) -> dict[str, Any]:
    return {"sealed": sealed(sealer, {"document": command.document, "password": command.password})}


def _second_factor(command: CheckSecondFactor, sealer: Sealer | None) -> dict[str, Any]:
    return {
        "client_id": command.client_id,
        "method": command.method,
        "sealed": sealed(sealer, {"code": command.code}),
    }


def _session_ended(
    connection: Connection, key: str, command: EndSession, now: datetime, _sealer: Sealer | None
) -> None:
    audit.record(
        connection,
        who=key,
        action="session_ended",
        now=now,
        detail=f"client {command.client_id}: {command.reason}",
    )


def _jobs(built: Built) -> Jobs:
    service = built.client_area
    return Jobs(
        handlers={
            "check_login": service.check_login,
            "check_second_factor": service.check_second_factor,
            "send_email_code": service.send_email_code,
            "fetch_client_data": service.fetch_client_data,
            "access_link": service.access_link,
            "open_ticket": service.open_ticket,
            "reply_ticket": service.reply_ticket,
        }
    )


FEATURE = Feature(
    name="client_area",
    flows=(flow.FLOW,),
    commands=starters.COMMANDS,
    ice_breakers=tuple(starters.ICE_BREAKERS.values()),
    catalogs={"client_area": texts.CATALOG},
    effects={
        CheckLogin: job("check_login", _login),
        CheckSecondFactor: job("check_second_factor", _second_factor),
        EndSession: _session_ended,
        ResendEmailCode: job("send_email_code", fields_but_id),
        FetchClientData: job("fetch_client_data", fields_but_id),
        RequestAccessLink: job("access_link", fields_but_id),
        OpenTicket: job("open_ticket", fields_but_id),
        ReplyTicket: job("reply_ticket", fields_but_id),
    },
    jobs=_jobs,
    wipe=frozenset({"check_login", "check_second_factor"}),
)
