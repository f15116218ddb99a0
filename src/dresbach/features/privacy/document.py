"""The copy of the data as a person reads it: plain pt-BR text (`meus-dados-dresbach.txt`),
rendered from the same document as the JSON file, so the two never disagree.

Plain UTF-8 text opens on any phone, holds any name a WhatsApp profile can have, and needs no
font or library; the headings, the dates in Brasília time and the situations in words (not the
system's codes) are what make it readable. The JSON goes beside it, for portability.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from dresbach.features.privacy.flow.texts import (
    FILE_KINDS,
    READABLE,
    REQUEST_NAMES,
    STATUS_NAMES,
)
from dresbach.features.privacy.model import EXPORT_FILENAME
from dresbach.kernel.hours import SAO_PAULO, at_clock
from dresbach.kernel.money import format_brl
from dresbach.platform.feature import installed

WIDTH = 72

T = READABLE


def when(value: Any) -> str:
    """``06/12/2026, às 16h05`` in Brasília time, from an ISO moment (empty when none)."""
    if not isinstance(value, str) or not value:
        return ""
    try:
        moment = datetime.fromisoformat(value).astimezone(SAO_PAULO)
    except ValueError:
        return value
    return f"{moment:%d/%m/%Y}, {at_clock(moment)}"


def status(code: Any) -> str:
    return STATUS_NAMES.get(str(code), str(code)) if code else T["nobody"]


def amount(value: Any) -> str:
    try:
        return format_brl(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


def answer(key: str, value: Any) -> str:
    """One answer of a form as `Label: value`, codes turned into their words by the feature
    whose field it is (its registered `PersonalData.answer`)."""
    field = key.rsplit(".", 1)[-1]
    for source in installed().personal_data:
        shown = source.answer(field, str(value)) if source.answer is not None else None
        if shown is not None:
            return shown
    return f"{field}: {value}"


def _section(title: str, lines: Iterable[str]) -> list[str]:
    found = list(lines)
    return ["", title, "-" * min(len(title), WIDTH), *(found or [T["none"]])]


def _bullets(items: Iterable[str]) -> list[str]:
    return [f"- {item}" for item in items]


def _whatsapp(number: Any) -> str:
    return f"+{number}" if number else T["nobody"]


def _place(value: Any) -> str:
    flow = str(value or "").split(".", 1)[0]
    found = installed().machine.flows.get(flow)
    return found.title if found is not None else T["nobody"]


def _you(data: Mapping[str, Any]) -> list[str]:
    you, talk = data.get("titular", {}), data.get("conversa", {})
    lines = [
        f"{T['whatsapp']}: {_whatsapp(you.get('whatsapp'))}",
        f"{T['profile']}: {you.get('nome_do_perfil') or T['nobody']}",
        f"{T['first_contact']}: {when(talk.get('iniciada_em')) or T['nobody']}",
        f"{T['last_message']}: {when(talk.get('ultima_mensagem_recebida_em')) or T['nobody']}",
        f"{T['now_at']}: {_place(talk.get('etapa_atual'))}",
        f"{T['notice']}: {when(data.get('aviso_de_privacidade', {}).get('exibido_em'))}",
    ]
    answers = talk.get("respostas_em_andamento") or {}
    if answers:
        lines.append(f"{T['in_progress']}:")
        lines += [f"  {answer(k, v)}" for k, v in answers.items()]
    return _bullets(lines)


def _conversation(data: Mapping[str, Any]) -> list[str]:
    received = [
        (m.get("recebida_em") or "", T["you_said"], m.get("conteudo", ""))
        for m in data.get("mensagens_recebidas", [])
    ]
    sent = [
        (m.get("enviada_em") or m.get("criada_em") or "", T["we_said"], m.get("conteudo", ""))
        for m in data.get("mensagens_enviadas", [])
    ]
    lines = [T["conversation_count"].format(received=len(received), sent=len(sent)), ""]
    for moment, who, text in sorted(received + sent, key=lambda m: m[0]):
        body = str(text).replace("\n", "\n    ")
        lines.append(f"[{when(moment)}] {who}: {body}")
    files = [
        T["file"]
        .format(
            kind=FILE_KINDS.get(f.get("tipo", ""), f.get("tipo", "")),
            file=f.get("arquivo") or "",
            when=when(f.get("recebido_em")),
        )
        .replace("  ", " ")
        + (f" ({T['file_kept']})" if f.get("guardado_com") else "")
        for f in data.get("arquivos_enviados", [])
    ]
    if files:
        lines += ["", T["files"], *_bullets(files)]
    events = len(data.get("registros_do_sistema", []))
    if events:
        lines += ["", T["system_events"].format(count=events)]
    return lines


def _leads(data: Mapping[str, Any]) -> list[str]:
    lines = []
    for lead in data.get("cadastros_de_consultoria", []):
        head = T["lead"].format(when=when(lead.get("criado_em")), status=status(lead["situacao"]))
        lines += [f"- {head}", *(f"  {answer(k, v)}" for k, v in lead["respostas"].items())]
    return lines


def _payments(data: Mapping[str, Any]) -> list[str]:
    lines = []
    for paid in data.get("pagamentos", []):
        line = T["payment"].format(
            amount=amount(paid["valor"]),
            when=when(paid["criado_em"]),
            status=status(paid["situacao"]),
        )
        if paid.get("pago_em"):
            line += f", {T['paid_at'].format(when=when(paid['pago_em']))}"
        lines.append(f"- {line} ({T['charge_code']}: {paid['txid']})")
    return lines


def _others(data: Mapping[str, Any]) -> list[str]:
    receipts = [
        T["receipt"].format(
            file=r.get("arquivo") or "arquivo",
            when=when(r["enviado_em"]),
            status=status(r["situacao"]),
        )
        for r in data.get("comprovantes_de_pagamento", [])
    ]
    meetings = []
    for meeting in data.get("reunioes", []):
        meetings.append(
            T["meeting"].format(when=when(meeting["inicio"]), status=status(meeting["situacao"]))
        )
        meetings.append(f"  {T['attendee']}: {meeting.get('nome')} <{meeting.get('email')}>")
    handoffs = [
        T["handoff"].format(when=when(h["pedido_em"]), status=status(h["situacao"]))
        + (f"; {T['handoff_rating'].format(score=h['avaliacao'])}" if h.get("avaliacao") else "")
        for h in data.get("atendimentos_humanos", [])
    ] + [
        T["handoff_note"].format(when=when(n["em"]), text=n["texto"])
        for n in data.get("anotacoes_da_equipe", [])
    ]
    requests = [
        T["request"].format(when=when(r["em"]), what=REQUEST_NAMES.get(r["pedido"], r["pedido"]))
        for r in data.get("pedidos_de_privacidade", [])
    ]
    notices = [
        T["notice_sent"].format(when=when(n["enviado_em"]), what=n["aviso"], how=n["como"])
        for n in data.get("avisos_enviados", [])
    ]
    if data.get("avisos_recusados_em"):
        notices.append(T["notices_stopped"].format(when=when(data["avisos_recusados_em"])))
    return [
        *_section(T["receipts"], _bullets(receipts)),
        *_section(T["meetings"], [f"- {m}" if not m.startswith(" ") else m for m in meetings]),
        *_section(T["handoffs"], _bullets(handoffs)),
        *_section(T["requests"], _bullets(requests)),
        *_section(T["notices"], _bullets(notices)),
    ]


def readable(data: Mapping[str, Any]) -> str:
    """The document (`personal_data.document`) as plain pt-BR text."""
    controller = str(data.get("controladora", ""))
    title = T["title"].format(controller=controller.upper())
    lines = [
        title,
        "=" * min(len(title), WIDTH),
        "",
        T["intro"].format(when=when(data.get("gerado_em")), json=EXPORT_FILENAME),
        *_section(
            T["who"],
            _bullets(
                (
                    f"{T['controller']}: {controller}",
                    f"{T['dpo']}: {data.get('encarregado_de_dados')}",
                    f"{T['policy']}: {data.get('politica_de_privacidade')}",
                    f"{T['purpose']}: {data.get('finalidade')}",
                )
            ),
        ),
        *_section(T["you"], _you(data)),
        *_section(T["conversation"], _conversation(data)),
        *_section(T["leads"], _leads(data)),
        *_section(T["payments"], _payments(data)),
        *_others(data),
        *_section(T["client_area"], [str(data.get("area_do_cliente", ""))]),
        *_section(T["bases"], _bullets(data.get("bases_legais_e_prazos", {}).values())),
        "",
        T["closing"].format(dpo=data.get("encarregado_de_dados")),
        "",
    ]
    return "\n".join(lines)
