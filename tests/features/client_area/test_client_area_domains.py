"""Área do Cliente: Domínios e DNS. Transcripts with fabricated ClientDataFetched rows."""

from __future__ import annotations

from dresbach.features.client_area.model import FetchClientData
from dresbach.kernel.messages import Text
from tests.support.client_area_transcript import DOMAINS, ClientAreaTranscript, dns_records


def at_domains() -> ClientAreaTranscript:
    chat = ClientAreaTranscript()
    chat.logs_in()
    chat.taps("Domínios e DNS")
    assert chat.last_of(FetchClientData)[0].what == "domains"
    chat.answer(*DOMAINS)
    return chat


def records_text(chat: ClientAreaTranscript) -> str:
    assert chat.last is not None
    return next(m.body for m in chat.last.replies if isinstance(m, Text))


def test_domains_with_expiry_and_nameservers() -> None:
    chat = at_domains()
    said = chat.bot_said()
    assert "Estes são os seus domínios (2)." in said
    assert chat.options() == ["boamassa.com.br", "padariaboamassa.com", "Voltar"]
    assert "Ativo · expira 15/03/2027 · ns1.dresbach.com.br, ns2.dresbach.com.br" in said


def test_a_domain_s_records_ten_at_a_time() -> None:
    chat = at_domains()
    chat.taps("boamassa.com.br")
    [fetch] = chat.last_of(FetchClientData)
    assert (fetch.what, fetch.key) == ("dns", "boamassa.com.br")
    assert chat.state == "dns"
    assert "buscando os registros DNS" in chat.bot_said()

    soa = {"name": "boamassa.com.br.", "type": "SOA", "value": "ns1.dresbach.com.br. root"}
    chat.answer(soa, *dns_records(23))
    page = records_text(chat)
    assert page.startswith("*boamassa.com.br*\nSituação: Ativo\nExpira em: 15/03/2027\n")
    assert "Nameservers: ns1.dresbach.com.br, ns2.dresbach.com.br" in page
    assert "*Registros DNS* (1–10 de 23):" in page
    assert "• A r0.boamassa.com.br. → 203.0.113.10 (TTL 14400)" in page
    assert "• MX r3.boamassa.com.br. → mail.boamassa.com.br. (prioridade 10, TTL 14400)" in page
    assert "SOA" not in page
    assert chat.options() == ["Ver mais", "Alterar o domínio", "Voltar"]

    chat.taps("Ver mais")
    assert "(11–20 de 23)" in records_text(chat)
    chat.says("mais")
    assert "(21–23 de 23)" in records_text(chat)
    assert chat.options() == ["Alterar o domínio", "Voltar", "Menu da área"]
    chat.taps("Voltar")
    assert "(11–20 de 23)" in records_text(chat)
    chat.taps("Voltar")
    chat.taps("Voltar")
    assert chat.state == "domains"
    chat.taps("padariaboamassa.com")
    assert chat.last_of(FetchClientData)[0].key == "padariaboamassa.com"


def test_a_domain_without_the_usual_records() -> None:
    chat = at_domains()
    chat.taps("padariaboamassa.com")
    chat.answer({"name": "padariaboamassa.com.", "type": "NS", "value": "ns1.dresbach.com.br."})
    assert "Não encontrei registros A, AAAA, CNAME, MX ou TXT" in chat.bot_said()
    chat.taps("Menu da área")
    assert chat.state == "home"


def test_long_txt_records_are_cut() -> None:
    chat = at_domains()
    chat.taps("boamassa.com.br")
    dkim = "v=DKIM1; k=rsa; p=" + "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" * 10
    chat.answer({"name": "default._domainkey", "type": "TXT", "value": dkim})
    line = next(x for x in records_text(chat).splitlines() if x.startswith("• TXT"))
    assert line.endswith("…")
    assert len(line) < 260


def test_records_for_another_domain_are_ignored() -> None:
    chat = at_domains()
    chat.taps("boamassa.com.br")
    fetch = chat.last_of(FetchClientData)[0]
    assert chat.client_data("dns", (), key="outro.com.br") == []
    assert chat.state == "dns"
    assert fetch.key == "boamassa.com.br"


def test_no_domains_goes_back_to_the_menu() -> None:
    chat = ClientAreaTranscript()
    chat.logs_in()
    chat.taps("Domínios e DNS")
    chat.answer()
    assert chat.bot_said().startswith("Não encontrei domínios no seu cadastro.")
    assert chat.state == "home"
