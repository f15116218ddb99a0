"""The site-down assistant's settings: the checks' time limits, what a healthy site of ours looks
like (our nameservers, where payments are made), the resolver it asks, and where its tickets go."""

from __future__ import annotations

from dataclasses import dataclass

from dresbach.kernel.settings import Section, SettingsError, setting


@dataclass(frozen=True, kw_only=True)
class SiteCheckSettings(Section):
    sitecheck_timeout_seconds: float = setting("DRESBACH_SITECHECK_TIMEOUT", 12.0)
    sitecheck_deadline_seconds: float = setting("DRESBACH_SITECHECK_DEADLINE", 20.0)
    sitecheck_department: str = setting("DRESBACH_SITECHECK_DEPARTMENT", "")
    sitecheck_nameservers: str = setting(
        "DRESBACH_SITECHECK_NAMESERVERS", "ns1.dresbach.com.br,ns2.dresbach.com.br"
    )
    sitecheck_resolver: str = setting("DRESBACH_SITECHECK_RESOLVER", "")
    billing_site: str = setting("DRESBACH_BILLING_SITE", "https://cliente.dresbach.com.br")

    @property
    def our_nameservers(self) -> tuple[str, ...]:
        return tuple(
            name.strip().rstrip(".").lower()
            for name in self.sitecheck_nameservers.split(",")
            if name.strip()
        )

    @property
    def resolver_address(self) -> tuple[tuple[str, ...], int]:
        """The resolvers to ask (none: the system's) and their port."""
        raw = self.sitecheck_resolver.strip()
        if not raw:
            return (), 53
        port = 53
        hosts = []
        for part in raw.split(","):
            host, _, given = part.strip().rpartition(":") if ":" in part else (part, "", "")
            hosts.append((host or part).strip().strip("[]"))
            if given:
                port = int(given)
        return tuple(hosts), port

    def validate(self) -> None:
        if not 0 < self.sitecheck_timeout_seconds <= self.sitecheck_deadline_seconds <= 120:
            raise SettingsError(
                "DRESBACH_SITECHECK_TIMEOUT must be above 0 and at most "
                "DRESBACH_SITECHECK_DEADLINE, itself at most 120 seconds"
            )
        try:
            self.resolver_address  # noqa: B018 - parsed here to refuse it at start-up
        except ValueError as error:
            raise SettingsError(
                "DRESBACH_SITECHECK_RESOLVER must be address[:port], comma-separated"
            ) from error
        if not self.billing_site.startswith(("https://", "http://")):
            raise SettingsError("DRESBACH_BILLING_SITE must be an http(s) address")
