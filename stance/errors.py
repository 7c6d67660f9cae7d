"""Exception families. Each carries one actionable line: what is wrong, where, how to fix it."""

from __future__ import annotations


class StanceError(Exception):
    """Base class of every error `stance` raises on purpose."""


class DataError(StanceError):
    """A corpus or input file is missing, unreadable or does not fit the schema."""


class ConfigError(StanceError):
    """A configuration value is unknown, missing or not allowed."""


class ModelFileError(StanceError):
    """A model file is missing, corrupt, untrusted or does not match its card."""


def first_line(err: BaseException) -> str:
    """The first line of `err`'s message (its type name when the message is empty)."""
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
