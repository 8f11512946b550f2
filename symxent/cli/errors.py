"""Exceptions and messages shared by the CLI modules."""
from __future__ import annotations


class UsageError(Exception):
    """A mistake in the command line itself (exit code 2)."""


class CheckFailed(Exception):
    """Work was done but the outcome is a failure (exit code 1)."""


def one_line(exc):
    """The first line of an exception's message (or its type's name)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
