"""The FAQ as the registered machine serves it: a customer at the main menu types a question,
the router's understanding tier tries the FAQ's answers (`features/faq/feature.py`)."""

from __future__ import annotations

import pytest

from dresbach.kernel.conversation import Conversation, Place
from tests.support.transcript import Transcript


@pytest.fixture
def chat() -> Transcript:
    """A customer at the main menu, greeted already."""
    transcript = Transcript()
    assert transcript.conversation is not None
    transcript.conversation = Conversation(
        key=transcript.conversation.key,
        address=transcript.conversation.address,
        place=Place(flow="menu", state="main"),
        last_activity_at=transcript.now,
    )
    return transcript
