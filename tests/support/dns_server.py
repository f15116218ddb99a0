"""A real DNS server for tests: UDP on 127.0.0.1, from a thread, answering from a table with
messages dnspython builds. It answers as a recursive resolver would (authoritative data, the
recursion-available flag): A, AAAA, NS and CNAME records (a CNAME is followed within the table),
NODATA and NXDOMAIN with the zone's SOA in the authority section, SERVFAIL for the names in
``servfail``, and nothing at all for the names in ``silent`` (the client times out)."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset


def _key(name: str) -> str:
    return name.strip().rstrip(".").lower()


@dataclass
class LocalDns:
    records: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    zones: set[str] = field(default_factory=set)
    silent: set[str] = field(default_factory=set)
    servfail: set[str] = field(default_factory=set)
    queries: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._socket: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._lock = threading.Lock()

    # ---- the table ---------------------------------------------------------------------------

    def zone(self, name: str, *nameservers: str) -> None:
        """A zone, with its NS records."""
        self.zones.add(_key(name))
        if nameservers:
            self.add(name, "NS", *nameservers)

    def add(self, name: str, kind: str, *values: str) -> None:
        with self._lock:
            self.records[(_key(name), kind.upper())] = list(values)

    # ---- the server ----------------------------------------------------------------------------

    @property
    def port(self) -> int:
        assert self._socket is not None, "the DNS server is not running"
        port: int = self._socket.getsockname()[1]
        return port

    def start(self) -> Self:
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(0.05)
        self._socket = sock
        self._thread = threading.Thread(target=self._serve, name="local DNS", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        if self._socket is not None:
            self._socket.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _serve(self) -> None:
        assert self._socket is not None
        while not self._stop.is_set():
            try:
                wire, peer = self._socket.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            with contextlib.suppress(Exception):  # a malformed query gets no answer
                answer = self._answer(dns.message.from_wire(wire))
                if answer is not None:
                    self._socket.sendto(answer.to_wire(), peer)

    def _answer(self, query: dns.message.Message) -> dns.message.Message | None:
        question = query.question[0]
        name = _key(question.name.to_text())
        kind = dns.rdatatype.to_text(question.rdtype)
        with self._lock:
            self.queries.append((name, kind))
            if name in self.silent:
                return None
            response = dns.message.make_response(query)
            response.flags |= dns.flags.RA
            if name in self.servfail:
                response.set_rcode(dns.rcode.SERVFAIL)
                return response
            response.flags |= dns.flags.AA
            for owner, values in self._chain(name, kind):
                response.answer.append(_rrset(owner, values[0], values[1]))
            if not response.answer:
                if not self._exists(name):
                    response.set_rcode(dns.rcode.NXDOMAIN)
                zone = self._zone_of(name)
                if zone is not None:
                    soa = f"ns1.{zone}. hostmaster.{zone}. 2026112501 3600 600 86400 300"
                    response.authority.append(_rrset(zone, "SOA", [soa]))
            return response

    def _chain(self, name: str, kind: str) -> Iterator[tuple[str, tuple[str, list[str]]]]:
        for _ in range(8):
            values = self.records.get((name, kind))
            if values is not None:
                yield name, (kind, values)
                return
            alias = self.records.get((name, "CNAME"))
            if alias is None or kind == "CNAME":
                return
            yield name, ("CNAME", alias)
            name = _key(alias[0])

    def _exists(self, name: str) -> bool:
        return name in self.zones or any(owner == name for owner, _ in self.records)

    def _zone_of(self, name: str) -> str | None:
        candidates = [z for z in self.zones if name == z or name.endswith(f".{z}")]
        return max(candidates, key=len) if candidates else None


def _rrset(owner: str, kind: str, values: list[str]) -> dns.rrset.RRset:
    return dns.rrset.from_text_list(
        dns.name.from_text(owner),
        300,
        dns.rdataclass.IN,
        dns.rdatatype.from_text(kind),
        values,
        origin=dns.name.root,
        relativize=False,
    )
