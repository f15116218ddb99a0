"""Token buckets: the number's send rate, and a gentler one per recipient (WhatsApp's pair rate)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class TokenBucket:
    rate: float
    burst: float
    tokens: float = field(default=-1.0)
    stamp: float = 0.0

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = self.burst

    def wait_for(self, now: float) -> float:
        """Take a token if there is one (returns 0.0), else how long until there is one."""
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


class RecipientPacer:
    """One bucket per recipient, forgetting idle recipients so memory stays bounded."""

    def __init__(self, rate: float, burst: int, capacity: int = 50_000) -> None:
        self.rate, self.burst, self.capacity = rate, burst, capacity
        self._buckets: dict[str, TokenBucket] = {}

    def wait_for(self, recipient: str, now: float) -> float:
        bucket = self._buckets.get(recipient)
        if bucket is None:
            if len(self._buckets) >= self.capacity:
                self._forget_full(now)
            bucket = TokenBucket(self.rate, float(self.burst), stamp=now)
            self._buckets[recipient] = bucket
        return bucket.wait_for(now)

    def _forget_full(self, now: float) -> None:
        refill = self.burst / self.rate
        self._buckets = {k: b for k, b in self._buckets.items() if now - b.stamp < refill}
