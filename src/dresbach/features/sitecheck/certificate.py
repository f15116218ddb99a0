"""A peer certificate (DER, as the TLS handshake gives it) read into :class:`CertificateInfo`,
with ``cryptography``. Pure: no network, no clock. Anything unreadable is
:class:`UnreadableCertificate`."""

from __future__ import annotations

from cryptography import x509
from cryptography.x509.oid import ExtensionOID, NameOID

from dresbach.features.sitecheck.results import CertificateInfo


class UnreadableCertificate(ValueError):
    """The bytes are not an X.509 certificate we can read."""


def read_certificate(der: bytes) -> CertificateInfo:
    try:
        cert = x509.load_der_x509_certificate(der)
        not_before, not_after = cert.not_valid_before_utc, cert.not_valid_after_utc
    except ValueError as error:
        raise UnreadableCertificate(str(error)) from error
    return CertificateInfo(
        subject=_common_name(cert.subject),
        names=_dns_names(cert),
        issuer=_common_name(cert.issuer) or _organization(cert.issuer),
        self_issued=cert.issuer == cert.subject,
        not_before=not_before,
        not_after=not_after,
    )


def _dns_names(cert: x509.Certificate) -> tuple[str, ...]:
    try:
        extension = cert.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME)
    except x509.ExtensionNotFound:
        return ()
    except ValueError:  # a malformed extension: read as no names
        return ()
    if not isinstance(extension.value, x509.SubjectAlternativeName):
        return ()
    return tuple(str(name) for name in extension.value.get_values_for_type(x509.DNSName))


def _common_name(name: x509.Name) -> str:
    return _first(name, NameOID.COMMON_NAME)


def _organization(name: x509.Name) -> str:
    return _first(name, NameOID.ORGANIZATION_NAME)


def _first(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    for attribute in name.get_attributes_for_oid(oid):
        value = attribute.value
        return value if isinstance(value, str) else value.decode("utf-8", errors="replace")
    return ""
