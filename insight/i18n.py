"""Two languages, one catalogue: every string a person reads goes through `_()` (or `ngettext` / `pgettext`)
and is looked up in gettext catalogues, `insight/locale/<locale>/LC_MESSAGES/messages.po`.

English is the source language (the msgids); Simplified Chinese is `zh_CN`. The active language is a context
variable, not a module global: the Streamlit server runs several sessions on its threads, so each script run
sets its session's language (`set_language`) and the CLI wraps its work in `use_language`. Code that runs
without one (a worker process, a test) reads English.

The `.po` files are the only source: each is compiled with babel into an in-memory `.mo` on first use (about
0.1 s per language and process), so a fresh clone works with `pip install -r requirements.txt` and no compiled
file can go stale. Workflow to add or change a string: `docs/i18n.md`.

Conventions (checked by tests/test_i18n.py): placeholders are named (`_("{n} texts").format(n=...)`), never
f-strings or `%` inside `_()`; numbers are formatted by `insight.formats` before they go in; a module that
imports `_` never uses `_` as a throwaway variable; results cached or computed in worker processes hold
data and message keys (marked with `N_`), never translated text, which is made when it is shown.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import TypeVar

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "messages"
DEFAULT = "en"
LANGUAGES = {"en": "English", "zh": "简体中文"}  # each language in its own words (the switch's options)
LOCALES = {"en": "en", "zh": "zh_CN"}  # the CLDR locale of each language: catalogue folder, numbers, dates

_active: ContextVar[str] = ContextVar("insight_language", default=DEFAULT)
T = TypeVar("T")


def check_language(lang: str) -> str:
    """`lang` when it is one of `LANGUAGES`, else a ValueError that names the choices."""
    if lang not in LANGUAGES:
        raise ValueError(f"The language must be one of {', '.join(LANGUAGES)}. Got {lang!r} instead.")
    return lang


def language() -> str:
    """The active language: 'en' or 'zh'."""
    return _active.get()


def locale() -> str:
    """The active language's CLDR locale ('en', 'zh_CN'), for babel's number and date formats."""
    return LOCALES[_active.get()]


def language_tag() -> str:
    """The active language as a BCP 47 tag ('en', 'zh-CN'), for an HTML document's `lang`: browsers pick the
    Chinese glyphs of CJK fonts by it."""
    return LOCALES[_active.get()].replace("_", "-")


def set_language(lang: str) -> Token[str]:
    """Make `lang` the active language of the current context (one Streamlit script run, one thread)."""
    return _active.set(check_language(lang))


@contextmanager
def use_language(lang: str) -> Iterator[str]:
    """Run a block in `lang`, then return to the language before it."""
    token = set_language(lang)
    try:
        yield lang
    finally:
        _active.reset(token)


def keep_language(make: Callable[[], T]) -> Callable[[], T]:
    """`make`, to be called later outside this context (a deferred download Streamlit runs in its server thread,
    a thread), in the language active now."""
    lang = language()

    def made() -> T:
        with use_language(lang):
            return make()

    return made


def catalogue_path(lang: str) -> Path:
    """The `.po` file of a language (English, the source language, has none)."""
    return LOCALE_DIR / LOCALES[check_language(lang)] / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of `lang` (one per process); English gives the msgids back unchanged."""
    if check_language(lang) == DEFAULT:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with catalogue_path(lang).open("rb") as po:
        catalog = read_po(po, locale=LOCALES[lang], domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out: they fall back to English until reviewed
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)


def _(message: str) -> str:
    """`message` in the active language."""
    return translations(_active.get()).gettext(message)


def ngettext(singular: str, plural: str, n: float) -> str:
    """The form of a message for `n` things, by the active language's plural rule (Chinese has one form)."""
    return translations(_active.get()).ngettext(singular, plural, int(round(float(n))))


def pgettext(context: str, message: str) -> str:
    """`message` in the active language, told apart by `context` from the same English words used otherwise
    (pgettext("list separator", ", ") is "、" in Chinese, where ", " in a sentence is "，")."""
    return translations(_active.get()).pgettext(context, message)


def N_(message: str) -> str:
    """Marks a string for the catalogue without translating it: for constants translated when shown, `_(NAME)`."""
    return message


def join(items: list[str]) -> str:
    """Items one after another as the active language lists them: 'a, b, c' or 'a、b、c'."""
    return pgettext("list separator", ", ").join(items)


class Message:
    """A message key (marked with `N_`) and its parameters, written in the active language each time it is read.

    Results cached in the store or computed in a worker process hold these instead of text, so a verdict's
    reason or an error made in a worker reads in the language of the session that shows it. Parameters may be
    numbers (formatted by the key's own spec, `{auc:.2f}`), texts shown as they are (column names), or other
    messages (written in the same language).
    """

    __slots__ = ("key", "params")

    def __init__(self, key: str, /, **params: object) -> None:
        self.key, self.params = key, params

    def __str__(self) -> str:
        text = _(self.key)
        if not self.params:
            return text
        return text.format(**{name: _written(value) for name, value in self.params.items()})

    def __repr__(self) -> str:
        return f"Message({self.key!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self) -> int:
        return hash(self.key)

    def __reduce__(self) -> tuple[Callable[..., Message], tuple[str, dict[str, object]]]:
        return _message, (self.key, self.params)

    def __add__(self, other: object) -> Sentences:
        return Sentences(self, other)

    def __radd__(self, other: object) -> Sentences:
        return Sentences(other, self)


class Sentences:
    """Messages (or texts) read one after another as sentences: 'A. B.' in English, 'A。B。' in Chinese."""

    __slots__ = ("parts",)

    def __init__(self, *parts: object) -> None:
        flat: list[object] = []
        for part in parts:
            flat.extend(part.parts if isinstance(part, Sentences) else [part])
        self.parts = tuple(p for p in flat if p != "")

    def __str__(self) -> str:
        written = [str(_written(p)).strip() for p in self.parts]
        if not written:
            return ""
        out = written[0]
        for part in written[1:]:
            out = pgettext("two sentences", "{first} {second}").format(first=out, second=part)
        return out

    def __repr__(self) -> str:
        return f"Sentences{self.parts!r}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sentences) and self.parts == other.parts

    def __hash__(self) -> int:
        return hash(self.parts)

    def __add__(self, other: object) -> Sentences:
        return Sentences(self, other)

    def __radd__(self, other: object) -> Sentences:
        return Sentences(other, self)


def _message(key: str, params: dict[str, object]) -> Message:
    return Message(key, **params)


def _written(value: object) -> object:
    """A parameter as it goes into its message: messages written in the active language, the rest as given."""
    if isinstance(value, Message | Sentences):
        return str(value)
    if isinstance(value, list | tuple) and value and all(isinstance(v, Message | Sentences | str) for v in value):
        return join([str(_written(v)) for v in value])
    return value


def text(value: object) -> str:
    """A message, sentences or plain text as a string in the active language."""
    return str(_written(value))
