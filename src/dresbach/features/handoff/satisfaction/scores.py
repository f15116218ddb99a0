"""The customer's rating of a closed hand-off, kept on its row: asked once by the hand-off flow
(`flow/`), read by the reports (`features/insights`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, update

from dresbach.platform.store.schema import handoffs


def rate(
    engine: Engine,
    handoff_id: int,
    now: datetime,
    *,
    score: int | None = None,
    comment: str | None = None,
) -> bool:
    """Keep the customer's rating of a closed hand-off: the first score only, and a comment
    only once it has a score. False when nothing was kept."""
    with engine.begin() as connection:
        if score is not None:
            if not 1 <= score <= 5:
                return False
            done = connection.execute(
                update(handoffs)
                .where(
                    handoffs.c.id == handoff_id,
                    handoffs.c.status == "closed",
                    handoffs.c.rating.is_(None),
                )
                .values(rating=score, rated_at=now)
            )
        else:
            done = connection.execute(
                update(handoffs)
                .where(
                    handoffs.c.id == handoff_id,
                    handoffs.c.rating.is_not(None),
                    handoffs.c.rating_comment.is_(None),
                )
                .values(rating_comment=(comment or "").strip()[:1000] or None)
            )
        return bool(done.rowcount)
