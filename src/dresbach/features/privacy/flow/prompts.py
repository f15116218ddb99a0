"""What each state of the `privacidade` flow shows."""

from __future__ import annotations

from collections.abc import Callable

from dresbach.features.privacy.flow.answers import OPTION_PREFIX
from dresbach.features.privacy.flow.texts import BUTTONS, ROWS, TEXTS
from dresbach.kernel.conversation import Conversation
from dresbach.kernel.messages import Button, Buttons, ListMenu, ListRow, ListSection, Message, Text
from dresbach.kernel.policy import Policy

Prompt = Callable[[Conversation, Policy], tuple[Message, ...]]


def say(key: str, policy: Policy, **values: object) -> Text:
    """A catalog text with the DPO's contact (and any other value) filled in."""
    return Text(body=TEXTS[key].format(dpo=policy.dpo_contact, **values))


def _row(key: str) -> ListRow:
    title, description = ROWS[key]
    row_id = "go:human" if key == "human" else f"{OPTION_PREFIX}{key}"
    return ListRow(id=row_id, title=title, description=description)


def options(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
    return (
        ListMenu(
            body=TEXTS["start"],
            button=TEXTS["start_button"],
            sections=(
                ListSection(
                    title=None,
                    rows=tuple(
                        _row(k) for k in ("export", "correct", "erase", "client_area", "human")
                    ),
                ),
            ),
        ),
    )


def buttons(text: str, *keys: str) -> Prompt:
    def prompt(_conversation: Conversation, _policy: Policy) -> tuple[Message, ...]:
        return (
            Buttons(
                body=TEXTS[text],
                buttons=tuple(Button(id=f"{OPTION_PREFIX}{k}", title=BUTTONS[k]) for k in keys),
            ),
        )

    return prompt


def text(key: str) -> Prompt:
    def prompt(_conversation: Conversation, policy: Policy) -> tuple[Message, ...]:
        return (say(key, policy),)

    return prompt
