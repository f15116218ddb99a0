"""Site checks: the house rules over every text of the catalog, the Brazilian way of writing
numbers and dates, and a certificate read from its bytes."""

from __future__ import annotations

import re
import string
from datetime import UTC, date, datetime, timedelta

import pytest
import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from dresbach.features.sitecheck import wording
from dresbach.features.sitecheck.certificate import UnreadableCertificate, read_certificate
from dresbach.features.sitecheck.model import CHECKS, FindingKind
from dresbach.features.sitecheck.texts import FINDINGS, RECORDS, REPLIES
from dresbach.features.sitecheck.texts_ticket import CHECK_NAMES, TICKET
from dresbach.kernel.machine.lint import count_questions, sample

CATALOGS = {"findings": FINDINGS, "records": RECORDS, "replies": REPLIES, "ticket": TICKET}
_MONEY = re.compile(r"R\$|\d+,\d{2}\b|copia e cola|linha digit|000201", re.I)


def every_text() -> list[tuple[str, str]]:
    texts = [
        (f"findings.{kind}.{key}", text)
        for kind, entry in FINDINGS.items()
        for key, text in entry.items()
    ]
    for name in ("records", "replies", "ticket"):
        texts += [(f"{name}.{key}", text) for key, text in CATALOGS[name].items()]
    return texts


def test_every_finding_has_a_title_an_explanation_and_what_to_do() -> None:
    assert set(FINDINGS) == {kind.value for kind in FindingKind}
    for kind, entry in FINDINGS.items():
        assert {"title", "explanation", "action"} <= set(entry), kind


@pytest.mark.parametrize(("key", "text"), every_text())
def test_no_text_asks_anything_breaks_a_limit_or_carries_a_payment(key: str, text: str) -> None:
    filled = sample(text)
    assert count_questions(filled) == 0, key
    assert len(filled) < 1500, key
    assert not _MONEY.search(filled), key
    assert text == text.strip(), key


def test_a_finding_message_with_the_longest_fields_fits_whatsapp() -> None:
    for kind, entry in FINDINGS.items():
        fields = {
            f for text in entry.values() for _, f, _, _ in string.Formatter().parse(text) if f
        }
        long = {f: "x" * 300 for f in fields}
        body = REPLIES["finding"].format(
            title=entry["title"].format(**long),
            explanation=max(
                (entry[k] for k in entry if k.startswith("explanation")), key=len
            ).format(**long),
            action=max((entry[k] for k in entry if k.startswith("action")), key=len).format(**long),
        )
        assert len(body) <= 4096, kind


def test_money_is_only_ever_paid_on_the_site() -> None:
    paying = [
        key for key, text in every_text() if "pag" in text.lower() and "Área do Cliente" in text
    ]
    assert paying  # the texts that mention paying all send to the site
    for key, text in every_text():
        if re.search(r"\b(pague|pagar|renove)\b", text.lower()):
            assert "{site}" in text, key


def test_check_names_cover_every_check() -> None:
    assert set(CHECK_NAMES) == set(CHECKS)


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: wording.integer(1234567), "1.234.567"),
        (lambda: wording.decimal(0.42), "0,4"),
        (lambda: wording.decimal(10.0), "10"),
        (lambda: wording.decimal(1234.56), "1.234,6"),
        (lambda: wording.size(512), "512 MB"),
        (lambda: wording.size(10240), "10 GB"),
        (lambda: wording.size(1536), "1,5 GB"),
        (lambda: wording.size(0.5), "0,5 MB"),
        (lambda: wording.seconds(12.34), "12,3 s"),
        (lambda: wording.percent(0.999), "99%"),
        (lambda: wording.percent(1.2), "120%"),
        (lambda: wording.day(date(2027, 3, 2)), "02/03/2027"),
        (lambda: wording.moment(datetime(2026, 11, 25, 2, 30, tzinfo=UTC)), "24/11/2026, às 23h30"),
        (lambda: wording.in_days(0), "hoje"),
        (lambda: wording.in_days(1), "amanhã"),
        (lambda: wording.in_days(9), "em 9 dias"),
        (lambda: wording.days(1), "1 dia"),
        (lambda: wording.listing(["a"]), "a"),
        (lambda: wording.listing(["a", "b", "c"]), "a, b e c"),
        (lambda: wording.clip("uma frase longa demais", 12), "uma frase…"),
    ],
)
def test_the_brazilian_way(call: object, expected: str) -> None:
    assert callable(call)
    assert call() == expected


def test_a_certificate_is_read_from_its_bytes() -> None:
    ca = trustme.CA()
    not_after = datetime(2027, 1, 24, 12, 0, tzinfo=UTC)
    leaf = ca.issue_cert("cliente.com.br", "www.cliente.com.br", not_after=not_after)
    pem = leaf.cert_chain_pems[0].bytes()
    der = x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)
    info = read_certificate(der)
    assert info.names == ("cliente.com.br", "www.cliente.com.br")
    assert info.not_after == not_after
    assert info.self_issued is False
    assert info.issuer  # trustme's CA has an organization, no common name
    assert info.not_before.tzinfo is not None


def test_a_self_signed_certificate_is_seen_as_such() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cliente.com.br")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    info = read_certificate(cert.public_bytes(serialization.Encoding.DER))
    assert (info.subject, info.names, info.issuer, info.self_issued) == (
        "cliente.com.br",
        (),
        "cliente.com.br",
        True,
    )


def test_garbage_is_no_certificate() -> None:
    with pytest.raises(UnreadableCertificate):
        read_certificate(b"not a certificate")
