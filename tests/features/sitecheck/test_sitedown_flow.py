"""The site-down assistant as the customer lives it (#15.2): "meu site caiu", the site asked for
(a domain, or a service after the login), "estou verificando" while the checks run as a job, then
each finding in plain pt-BR with what to do, or a ticket pre-filled with every check's result."""

from __future__ import annotations

from datetime import timedelta

from dresbach.features.client_area.model import FetchClientData
from dresbach.features.sitecheck.flow.model import RunSiteCheck
from dresbach.features.sitecheck.flow.texts import TEXTS
from dresbach.features.sitecheck.model import (
    HttpAnswer,
    IncidentStatus,
    OpenIncident,
    ServiceState,
    Unverified,
)
from dresbach.features.sitecheck.texts import FINDINGS, REPLIES
from dresbach.features.sitecheck.texts_ticket import TICKET
from tests.support.client_area_transcript import service
from tests.support.sitecheck import (
    DOMAIN,
    NOW,
    SERVER_IP,
    SITE,
    certificate,
    dns,
    https,
    nameservers,
    tls,
    usage,
)
from tests.support.sitedown import SERVICE_ID, SiteDownChat

SITE_ITEM = {**service(1), "id": SERVICE_ID, "domain": DOMAIN}
ASKS_DOMAIN = "Qual é o endereço do site"


def title(kind: str, **fields: object) -> str:
    return FINDINGS[kind]["title"].format(**fields)


def asks_for_the_domain() -> SiteDownChat:
    chat = SiteDownChat()
    chat.says("oi")
    chat.says("meu site caiu")
    assert chat.place == "sitedown.domain"
    assert ASKS_DOMAIN in chat.bot_said()
    return chat


def checks_the_domain() -> SiteDownChat:
    chat = asks_for_the_domain()
    chat.says(f"é o https://www.{DOMAIN}/contato")
    assert chat.place == "sitedown.checking"
    assert f"estou verificando o site www.{DOMAIN}" in chat.bot_said()
    return chat


def logged_in_picks_the_site() -> SiteDownChat:
    chat = SiteDownChat()
    chat.logs_in()
    assert "Site fora do ar" in chat.options()
    chat.taps("Site fora do ar")
    assert chat.place == "sitedown.service"
    assert chat.last_of(FetchClientData)[0].what == "services"
    assert "buscando os seus serviços" in chat.bot_said()
    chat.answer(SITE_ITEM, {**service(2), "domain": ""})  # a service without a site is left out
    assert chat.options() == [DOMAIN]
    chat.taps(DOMAIN)
    assert chat.place == "sitedown.checking"
    return chat


# ---- the public checks: from the domain alone --------------------------------------------------


def test_without_a_login_the_domain_is_asked_and_only_the_public_checks_run() -> None:
    chat = checks_the_domain()
    [command] = chat.last_of(RunSiteCheck)
    assert command.domain == f"www.{DOMAIN}"
    assert command.client_id is None
    assert command.service_id is None
    assert command.reported == "meu site caiu"

    chat.checks_run(https=https(outcome="answered", status=500))

    said = chat.said_all()
    assert title("server_error", status=500) in said
    assert chat.place == "sitedown.done"
    assert chat.options() == ["Menu principal", "Falar com atendente"]
    # never account data without a login: no WHMCS, no WHM
    assert not [a for a in chat.world.asked if a.startswith(("whmcs", "whm "))]
    assert f"tls {DOMAIN}" in chat.world.asked
    assert f"dns www.{DOMAIN}" in chat.world.asked


def test_a_domain_already_in_the_message_is_checked_at_once() -> None:
    chat = SiteDownChat()
    chat.says("oi")
    chat.says(f"o site {DOMAIN} está fora do ar")
    assert chat.place == "sitedown.checking"
    assert chat.last_of(RunSiteCheck)[0].domain == DOMAIN


def test_what_is_not_a_domain_is_asked_again() -> None:
    chat = asks_for_the_domain()
    chat.says("não sei")
    assert chat.place == "sitedown.domain"
    assert TEXTS["invalid_domain"] in chat.bot_said()
    assert not chat.last_of(RunSiteCheck)


def test_while_the_checks_run_the_customer_is_told_they_are_still_running() -> None:
    chat = checks_the_domain()
    chat.says("e aí?")
    assert chat.place == "sitedown.checking"
    assert "Ainda estou verificando" in chat.bot_said()


def test_a_slow_check_says_it_is_still_running_before_the_result() -> None:
    chat = checks_the_domain()
    chat.world.slow = 0.3
    chat.progress_after = 0.05
    chat.checks_run()
    bot = [body for who, body in chat.said if who == "bot"]
    progress = TEXTS["progress"].format(domain=f"www.{DOMAIN}")
    assert progress in bot
    assert bot.index(progress) < bot.index(REPLIES["nothing_found"].format(domain=DOMAIN))


def test_a_quick_check_says_no_more_than_its_result() -> None:
    chat = checks_the_domain()
    chat.progress_after = 0.5
    chat.checks_run()
    assert "algumas verificações demoram" not in chat.said_all()


def test_a_result_after_the_customer_left_is_said_where_they_are() -> None:
    chat = logged_in_picks_the_site()
    chat.says("menu")
    assert chat.place == "menu.main"
    chat.checks_run(https=https(outcome="timeout", status=None, seconds=None))
    assert chat.place == "menu.main"
    assert "Abri o chamado #482913" in chat.bot_said()  # never a ticket opened in silence


def test_an_old_result_is_not_taken_for_the_check_under_way() -> None:
    chat = checks_the_domain()
    chat.checks_run()
    chat.says("meu site caiu")
    chat.says(DOMAIN)
    first = chat.told[-1]
    chat.receives(first)  # the earlier check's result, delivered again
    assert chat.place == "sitedown.checking"


def test_foreign_nameservers_are_told_from_the_domain_alone() -> None:
    chat = checks_the_domain()
    chat.checks_run(nameservers=nameservers("ns1.outrolugar.net", "ns2.outrolugar.net"))
    said = chat.said_all()
    assert title("nameservers_foreign") in said
    assert "ns1.dresbach.com.br" in said  # what to change them to
    # without the login the account's server is unknown: DNS is never blamed on a guess
    assert title("dns_elsewhere") not in said


def test_an_expired_certificate_reaches_the_customer_with_what_to_do() -> None:
    chat = checks_the_domain()
    expired = certificate(not_before=NOW - timedelta(days=100), not_after=NOW - timedelta(days=3))
    chat.checks_run(certificate=tls(certificate=expired, trusted=False))
    said = chat.said_all()
    assert REPLIES["found"].format(domain=DOMAIN) in said
    assert title("ssl_expired") in said
    assert "O que fazer:" in said


def test_nothing_found_without_a_login_opens_no_ticket_and_says_how_to_get_one() -> None:
    chat = checks_the_domain()
    chat.checks_run()
    said = chat.said_all()
    assert REPLIES["nothing_found"].format(domain=DOMAIN) in said
    assert REPLIES["opening_ticket"] not in said
    assert TEXTS["public_unexplained"] in said
    assert chat.desk.opened == []


# ---- after the login: the client's service, every check -------------------------------------


def test_after_the_login_a_picked_service_is_checked_with_its_account() -> None:
    chat = logged_in_picks_the_site()
    [command] = chat.last_of(RunSiteCheck)
    assert (command.domain, command.client_id, command.service_id) == (DOMAIN, "c-1001", "s1")
    assert "a hospedagem, o domínio, o DNS" in chat.bot_said()
    chat.checks_run()
    assert "whm cliente" in chat.world.asked
    assert "incident srv1.dresbach.com.br" in chat.world.asked


def test_suspended_for_an_overdue_invoice_says_where_to_pay_outside_the_chat() -> None:
    chat = logged_in_picks_the_site()
    chat.checks_run(
        service=ServiceState(status="Suspended", suspension_reason="Overdue on Payment")
    )
    said = chat.said_all()
    assert title("suspended_overdue") in said
    assert SITE in said
    assert "por esta conversa não enviamos boleto, Pix nem link de pagamento" in said
    assert chat.desk.opened == []


def test_suspended_for_abuse_leads_to_a_person() -> None:
    chat = logged_in_picks_the_site()
    chat.checks_run(service=ServiceState(status="Suspended", suspension_reason="Spam outbound"))
    said = chat.said_all()
    assert title("suspended_abuse") in said
    assert "*atendente*" in said
    assert chat.options() == ["Menu principal", "Falar com atendente"]


def test_a_full_disk_is_explained_from_whm() -> None:
    chat = logged_in_picks_the_site()
    chat.checks_run(usage=usage(disk_used_mb=10240.0))
    assert title("disk_full") in chat.said_all()


def test_dns_of_another_server_is_explained_after_the_login() -> None:
    chat = logged_in_picks_the_site()
    chat.checks_run(dns=dns(apex=("198.51.100.7",), www=("198.51.100.7",)))
    said = chat.said_all()
    assert title("dns_elsewhere") in said
    assert SERVER_IP in said  # the address it must point to


def test_an_expired_domain_is_explained_from_whmcs() -> None:
    from tests.support.sitecheck import registered

    chat = logged_in_picks_the_site()
    chat.checks_run(registration=registered(expires=(NOW - timedelta(days=5)).date()))
    said = chat.said_all()
    assert title("domain_expired") in said
    assert SITE in said


def test_an_open_incident_comes_first() -> None:
    incident = OpenIncident(
        incident_id="i1",
        title="Instabilidade no servidor srv1",
        message="Estamos trocando um disco.",
        updated_at=NOW - timedelta(minutes=20),
    )
    chat = logged_in_picks_the_site()
    chat.checks_run(
        incident=IncidentStatus(open=incident), https=HttpAnswer(url="x", outcome="timeout")
    )
    said = chat.said_all()
    assert "Estamos trocando um disco." in said
    assert chat.desk.opened == []


def test_nothing_found_opens_a_ticket_prefilled_with_every_check_and_says_its_number() -> None:
    chat = logged_in_picks_the_site()
    chat.checks_run(https=https(outcome="timeout", status=None, seconds=None))
    said = chat.said_all()
    assert REPLIES["opening_ticket"] in said
    assert "Abri o chamado #482913 no departamento Suporte Técnico" in said
    [ticket] = chat.desk.opened
    assert ticket["client_id"] == "c-1001"
    assert ticket["department"] == "2"  # DRESBACH_SITECHECK_DEPARTMENT
    assert ticket["subject"] == TICKET["subject"].format(domain=DOMAIN)
    body = ticket["body"]
    assert 'Relato do cliente: "meu site caiu"' not in body  # tapped from the menu: no words
    for section in ("hosting", "domain", "site", "incidents"):
        assert TICKET[section] in body
    assert "Conta cPanel: cliente, no servidor srv1.dresbach.com.br" in body
    assert "Situação no WHMCS: Active" in body
    assert "Disco:" in body
    assert SERVER_IP in body
    assert "Certificado" in body
    assert chat.told[-1].ticket == "482913"  # type: ignore[attr-defined]


def test_a_ticket_the_help_desk_refuses_is_said_plainly() -> None:
    chat = logged_in_picks_the_site()
    chat.desk.fails = True
    chat.checks_run(https=https(outcome="timeout", status=None, seconds=None))
    said = chat.said_all()
    assert TEXTS["ticket_failed"] in said
    assert REPLIES["opening_ticket"] not in said


def test_a_check_that_could_not_run_goes_into_the_ticket_as_not_verified() -> None:
    chat = logged_in_picks_the_site()
    chat.checks_run(usage=Unverified(reason="error"))
    body = chat.desk.opened[-1]["body"]
    assert "não" in body.lower()
    assert "verificar" in body.lower()


def test_typed_at_the_area_menu_the_outage_is_the_understanding_tiers_then_the_services() -> None:
    # through the tier, not the menu's own words: an open incident is said first (#15.1)
    chat = SiteDownChat()
    chat.logs_in()
    chat.says("meu site caiu")
    assert chat.place == "sitedown.service"
    assert chat.last_of(FetchClientData)[0].what == "services"
    assert chat.conversation is not None
    assert chat.conversation.slots["secret.sitecheck.reported"] == "meu site caiu"


def test_the_services_unavailable_fall_back_to_the_domain() -> None:
    chat = SiteDownChat()
    chat.logs_in()
    chat.taps("Site fora do ar")
    chat.data_unavailable("services")
    assert chat.place == "sitedown.domain"
    assert TEXTS["services_unavailable"] in chat.bot_said()
    chat.says(DOMAIN)
    assert chat.last_of(RunSiteCheck)[0].client_id == "c-1001"


def test_a_domain_typed_over_the_list_is_its_service() -> None:
    chat = SiteDownChat()
    chat.logs_in()
    chat.taps("Site fora do ar")
    chat.answer(SITE_ITEM)
    chat.says(f"www.{DOMAIN}")
    assert chat.last_of(RunSiteCheck)[0].service_id == SERVICE_ID
