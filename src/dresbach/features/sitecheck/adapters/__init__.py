"""The site checks' adapters, one per port of `sitecheck.ports`: dnspython's resolver, an httpx
probe, a TLS handshake that reads even an invalid certificate; and `connect_to`, a name served
from another address (for tests)."""
