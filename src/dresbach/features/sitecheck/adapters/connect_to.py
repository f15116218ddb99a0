"""Where to connect for a host and port, as curl's ``--connect-to`` says it: a mapping of
``"host:port"`` to ``"address:port"``. Empty in production (the system resolves the name); tests
point a site's name at a local server while the request and TLS still carry the site's name."""

from __future__ import annotations

from collections.abc import Mapping

ConnectTo = Mapping[str, str]


def connect_target(connect_to: ConnectTo, host: str, port: int) -> tuple[str, int] | None:
    """The ``(address, port)`` to use instead of ``(host, port)``, or ``None``."""
    target = connect_to.get(f"{host.lower()}:{port}")
    if target is None:
        return None
    address, _, target_port = target.rpartition(":")
    if not address or not target_port.isdigit():
        raise ValueError(f"connect-to target must be address:port, not {target!r}")
    return address.strip("[]"), int(target_port)
