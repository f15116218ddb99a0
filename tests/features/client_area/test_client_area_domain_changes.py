"""Área do Cliente: a change to one domain, confirmed after its before/after (#15). Transcripts
of the pure core, the systems' answers fabricated: the EPP code (which the chat never shows),
the registrar lock on and off, a cancellation, and a registrar that refuses."""

from __future__ import annotations

from dresbach.features.client_area.model import (
    ApplyDomainChange,
    ClientDataUnavailable,
    DomainChanged,
    DomainChangePreviewed,
    DomainChangeRefused,
    PreviewDomainChange,
)
from tests.features.client_area.test_client_area_domains import at_domains
from tests.support.client_area_transcript import CLIENT, ClientAreaTranscript, dns_records

EPP_PREVIEW = (
    "Pedir o código de transferência (EPP) de boamassa.com.br\n\nO código vai só para o e-mail "
    "da sua conta (ma***@boamassa.com.br), nunca por aqui."
)


def at_the_changes() -> ClientAreaTranscript:
    chat = at_domains()
    chat.taps("boamassa.com.br")
    chat.answer(*dns_records(3))
    chat.taps("Alterar o domínio")
    assert chat.state == "domain_change"
    assert "O que você quer mudar em boamassa.com.br?" in chat.bot_said()
    assert chat.options() == [
        "Código EPP",
        "Ativar bloqueio",
        "Desativar bloqueio",
        "Servidores DNS",
        "Criar registro DNS",
        "Apagar registro DNS",
        "Voltar",
    ]
    return chat


def test_the_customer_asks_for_the_epp_code_which_goes_only_to_the_email() -> None:
    chat = at_the_changes()
    chat.taps("Código EPP")
    [preview] = chat.last_of(PreviewDomainChange)
    assert (preview.client_id, preview.domain_id, preview.change) == (CLIENT, "d1", "epp")
    assert chat.state == "domain_preview"
    assert "Conferindo o domínio" in chat.bot_said()
    assert chat.of(ApplyDomainChange) == []  # nothing changes before the confirmation

    chat.receives(DomainChangePreviewed(**chat._internal(), text=EPP_PREVIEW))
    assert EPP_PREVIEW in chat.bot_said()
    assert "Confirma a mudança?" in chat.bot_said()
    assert chat.options() == ["Confirmar", "Cancelar"]

    chat.taps("Confirmar")
    [apply] = chat.last_of(ApplyDomainChange)
    assert (apply.client_id, apply.domain_id, apply.change) == (CLIENT, "d1", "epp")
    assert chat.state == "domain_changing"
    done = (
        "Pronto: pedimos o código de transferência de boamassa.com.br. Ele vai só para o e-mail "
        "da sua conta (ma***@boamassa.com.br); confira também a caixa de spam."
    )
    chat.receives(DomainChanged(**chat._internal(), text=done))
    assert done in chat.bot_said()
    assert chat.state == "home"


def test_the_customer_turns_the_lock_off_by_typing() -> None:
    chat = at_the_changes()
    chat.says("quero desbloquear")
    assert chat.last_of(PreviewDomainChange)[0].change == "unlock"
    before = "Desativar o bloqueio de transferência de boamassa.com.br\n\n*Antes:* bloqueado"
    chat.receives(DomainChangePreviewed(**chat._internal(), text=before))
    chat.says("sim")
    assert chat.last_of(ApplyDomainChange)[0].change == "unlock"
    chat.receives(DomainChanged(**chat._internal(), text="Pronto: desbloqueado."))
    assert chat.state == "home"


def test_the_customer_cancels_and_nothing_changes() -> None:
    chat = at_the_changes()
    chat.taps("Ativar bloqueio")
    chat.says("mais uma coisa")  # while it is being checked
    assert "Ainda estou buscando" in chat.bot_said()
    chat.receives(DomainChangePreviewed(**chat._internal(), text="Ativar o bloqueio"))
    chat.taps("Cancelar")
    assert "Tudo certo: nada foi alterado." in chat.bot_said()
    assert chat.state == "dns"
    assert chat.of(ApplyDomainChange) == []


def test_a_registrar_that_refuses_is_said_plainly() -> None:
    chat = at_the_changes()
    chat.taps("Ativar bloqueio")  # Registro.br has no lock
    chat.receives(ClientDataUnavailable(**chat._internal(), what="domain", reason="WhmcsError"))
    assert "Não consegui fazer essa mudança agora." in chat.bot_said()
    assert chat.state == "home"
    assert chat.of(ApplyDomainChange) == []


def test_back_from_the_changes_to_the_records() -> None:
    chat = at_the_changes()
    chat.taps("Voltar")
    assert chat.state == "dns"


def test_the_customer_types_new_nameservers_and_confirms() -> None:
    chat = at_the_changes()
    chat.taps("Servidores DNS")
    assert chat.state == "domain_nameservers"
    assert "Quais são os novos servidores DNS de boamassa.com.br?" in chat.bot_said()
    chat.says("ns1.cloudflare.com, ns2.cloudflare.com")
    [preview] = chat.last_of(PreviewDomainChange)
    assert preview.change == "nameservers"
    assert preview.nameservers == ("ns1.cloudflare.com", "ns2.cloudflare.com")
    chat.receives(DomainChangePreviewed(**chat._internal(), text="*Antes:* … *Depois:* …"))
    chat.taps("Confirmar")
    [apply] = chat.last_of(ApplyDomainChange)
    assert apply.nameservers == ("ns1.cloudflare.com", "ns2.cloudflare.com")


def test_nameservers_the_job_refuses_are_asked_again_with_the_reason() -> None:
    chat = at_the_changes()
    chat.says("quero trocar os servidores dns")
    assert chat.state == "domain_nameservers"
    chat.says("ns1.cloudflare.com")
    refusal = "Informe de 2 a 5 servidores DNS, sem repetir."
    chat.receives(DomainChangeRefused(**chat._internal(), text=refusal))
    said = chat.bot_said()
    assert refusal in said
    assert "Quais são os novos servidores DNS de boamassa.com.br?" in said
    assert chat.state == "domain_nameservers"
    assert chat.of(ApplyDomainChange) == []


def test_the_customer_creates_a_record_typed_on_one_line() -> None:
    chat = at_the_changes()
    chat.taps("Criar registro DNS")
    assert chat.state == "domain_record"
    assert "Qual registro você quer criar em boamassa.com.br?" in chat.bot_said()
    chat.says("loja   A 10.0.0.5")
    [preview] = chat.last_of(PreviewDomainChange)
    assert (preview.change, preview.record) == ("record_add", "loja A 10.0.0.5")
    refusal = "O IP “10.0.0.5” é de rede interna e não funciona na internet."
    chat.receives(DomainChangeRefused(**chat._internal(), text=refusal))
    assert refusal in chat.bot_said()
    assert chat.state == "domain_record"  # asked again, with the reason
    chat.says("loja A 177.70.1.11")
    chat.receives(DomainChangePreviewed(**chat._internal(), text="Criar um registro A"))
    chat.taps("Confirmar")
    [apply] = chat.last_of(ApplyDomainChange)
    assert (apply.change, apply.record) == ("record_add", "loja A 177.70.1.11")


def test_the_customer_removes_a_record_picked_from_the_list() -> None:
    chat = at_the_changes()
    chat.taps("Apagar registro DNS")
    assert chat.state == "domain_record_pick"
    assert "Qual registro de boamassa.com.br você quer apagar?" in chat.bot_said()
    shown = chat.options()
    assert shown[-1] == "Voltar"
    assert shown[0].startswith("A r0.boamassa")
    chat.taps(shown[0])
    [preview] = chat.last_of(PreviewDomainChange)
    assert preview.change == "record_remove"
    assert preview.record == "r0.boamassa.com.br. A 203.0.113.10"
    chat.receives(DomainChangePreviewed(**chat._internal(), text="Apagar um registro A"))
    chat.taps("Cancelar")
    assert chat.of(ApplyDomainChange) == []
