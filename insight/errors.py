"""The few exception types the app raises for problems a user can cause and fix.

An error raised in a worker process is pickled back and shown later, in the session of whoever waits for it:
it holds a message key (marked with `N_`) and its parameters, and `str()` writes it in the active language.
"""

from __future__ import annotations

from insight.i18n import Message, Sentences, text


class InsightError(Exception):
    """A problem with the user's data or choices; the message says what is wrong and what to do.

    `InsightError(N_("Column {column} is empty."), column=name)`: the key is translated when the error is shown.
    """

    def __init__(self, message: str | Message | Sentences = "", /, **params: object) -> None:
        self.message = Message(message, **params) if isinstance(message, str) else message
        super().__init__(self.message)

    def __str__(self) -> str:
        return text(self.message)

    def __reduce__(self) -> tuple[type, tuple[Message | Sentences]]:
        """Pickle by the message (a worker process sends it back to the server)."""
        return type(self), (self.message,)


class ReadError(InsightError):
    """A file could not be read (empty, binary, unsupported type, too large, bad encoding)."""


class SchemaError(InsightError):
    """A needed column or role is missing or holds the wrong kind of values."""


class NotEnoughData(InsightError):
    """Too few rows, customers or classes for the analysis asked for."""
