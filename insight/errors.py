"""Every exception type the app defines: the problems a user can cause and fix (`InsightError` and its kinds), a
result withheld as untrustworthy, a share link the disk cannot hold, and a result not computed yet.

An error raised in a worker process is pickled back and shown later, in the session of whoever waits for it:
it holds a message key (marked with `N_`) and its parameters, and `str()` writes it in the active language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from insight.i18n import N_, Message, Sentences, text

if TYPE_CHECKING:
    from insight.verdict import Verdict, Words


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


class Withheld(InsightError):
    """A result not shown because what it rests on cannot be trusted; `verdict` says why."""

    def __init__(self, verdict: Verdict, what: Words = "") -> None:
        self.verdict, self.what = verdict, what
        message = Message(N_("{what} withheld: {reason}"), what=what, reason=verdict.why) if what else verdict.why
        super().__init__(message if not isinstance(message, str) else Message(message))

    def __reduce__(self) -> tuple[type, tuple[Verdict, Words]]:
        """Pickle by the constructor's arguments (a worker process sends it back to the server)."""
        return type(self), (self.verdict, self.what)


class SharingUnavailable(InsightError):
    """The data directory cannot hold share links right now; everything else keeps working."""


class NotReady(Exception):
    """A step's result is not cached yet (raised by `peek_runner`, which never computes)."""


class JobFailed(InsightError):
    """A background analysis that failed for a reason other than the data (its worker died twice, it hung, the
    server's code changed); the message says what happened and what to do."""
