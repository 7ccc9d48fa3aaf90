"""The few exception types the app raises for problems a user can cause and fix."""


class InsightError(Exception):
    """A problem with the user's data or choices; the message says what is wrong and what to do."""


class ReadError(InsightError):
    """A file could not be read (empty, binary, unsupported type, too large, bad encoding)."""


class SchemaError(InsightError):
    """A needed column or role is missing or holds the wrong kind of values."""


class NotEnoughData(InsightError):
    """Too few rows, customers or classes for the analysis asked for."""
