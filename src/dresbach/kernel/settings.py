"""The parts every settings section is made of: a secret that never prints, the error a bad
setting raises, and `setting(...)`, which names a field's environment variable on the field.

Each feature and platform area declares its own section (a frozen dataclass deriving from
`Section`) next to its code; `dresbach.config` composes them into `Settings` and reads the
environment by the variables named here, converting by each field's annotation.
"""

from __future__ import annotations

from dataclasses import Field, field, fields
from typing import Any

ENV = "env"
"""The metadata key holding a field's environment variable."""


class Secret:
    """A secret value that never prints."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "'***'" if self._value else "''"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


class SettingsError(ValueError):
    """A setting is missing or malformed; the message says which and how to fix it."""


def setting(env: str, default: Any) -> Any:
    """A field read from the environment variable `env`, `default` when unset or empty."""
    return field(default=default, metadata={ENV: env})


def secret(env: str) -> Any:
    """A `Secret` field read from `env`, empty when unset."""
    return field(default_factory=lambda: Secret(""), metadata={ENV: env})


class Section:
    """A settings section: its fields name their variables; it checks its own values."""

    __slots__ = ()

    def validate(self) -> None:
        """Refuse a malformed value, naming its variable (any mode)."""

    def validate_production(self) -> None:
        """Refuse what a process that talks to real customers cannot start without."""


def needs(when: str, section: Section, attributes: tuple[str, ...]) -> None:
    """Refuse a choice (`when`: `VARIABLE=value`) unless every one of `attributes` is set,
    naming all of their variables."""
    if all(getattr(section, attribute) for attribute in attributes):
        return
    names = {name: variable for variable, name in variables(type(section)).items()}
    *first, last = [names[attribute] for attribute in attributes]
    listed = f"{', '.join(first)} and {last}" if first else last
    raise SettingsError(f"{when} needs {listed}")


def variables(section: type[Section]) -> dict[str, str]:
    """Environment variable -> field name, for every field that names one."""
    found: list[Field[Any]] = [f for f in fields(section) if ENV in f.metadata]  # type: ignore[arg-type]
    return {f.metadata[ENV]: f.name for f in found}
