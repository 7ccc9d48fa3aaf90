"""Which language to answer in, chosen without asking: the browser's for the app (a switch in the sidebar
overrides it for the session), the uploaded files' for the CLI (Chinese headers or mostly Chinese texts).

A share link carries no language: it opens in the language of whoever opens it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from insight.i18n import DEFAULT, LANGUAGES

CHINESE_HEADERS = 0.5  # this share of the column names (those with letters) in Chinese: the files are Chinese
CHINESE_TEXTS = 0.5  # or this share of the text values in words (codes such as C001 are not counted)
SAMPLE = 200  # text values read per column: enough to tell, quick on a million-row file


def browser_language(tag: str | None) -> str | None:
    """The app's language for a browser's language tag ('zh-CN', 'zh-Hans', 'zh_TW' -> 'zh'; 'en-GB' -> 'en'),
    or None when the app has no such language ('de-DE') or the browser sent none."""
    if not isinstance(tag, str) or not tag.strip():
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def session_language(chosen: str | None, browser: str | None) -> str:
    """The switch's choice for this session, else the browser's language, else English."""
    for lang in (chosen, browser):
        if lang in LANGUAGES:
            return lang
    return DEFAULT


def _texts(frame: Any) -> list[str]:
    from pandas.api.types import is_object_dtype, is_string_dtype

    out: list[str] = []
    for column in frame.columns:
        values = frame[column]
        if is_object_dtype(values) or is_string_dtype(values):
            out.extend(v for v in values.dropna().head(SAMPLE) if isinstance(v, str))
    return out


def files_language(frames: Iterable[Any]) -> str:
    """'zh' when the uploaded tables are Chinese: at least half of their column names that have letters are
    Chinese, or at least half of their text values in words (not codes); else 'en'.

    `frames` are the tables as read (pandas frames; their headers and a sample of each text column's values).
    """
    from insight.sentiment.language import language_of

    frames = list(frames)
    named = [str(c) for f in frames for c in f.columns if any(ch.isalpha() for ch in str(c))]
    if named and sum(language_of(c, min_letters=1) == "zh" for c in named) >= CHINESE_HEADERS * len(named):
        return "zh"
    texts = [t for f in frames for t in _texts(f)]
    found = [language_of(t) for t in texts]
    chinese = sum(lang == "zh" for lang in found)
    other = sum(lang != "zh" and _is_words(t) for t, lang in zip(texts, found, strict=True))
    if chinese and chinese >= CHINESE_TEXTS * (chinese + other):
        return "zh"
    return "en"


def _is_words(text: str) -> bool:
    """Letters that are no code: 'Slow delivery' is, 'C001', '16GB+256GB' and 'anon-93cf8770ce17' are not."""
    letters = any(ch.isalpha() for ch in text)
    return letters and not (any(ch.isdigit() for ch in text) and not any(ch.isspace() for ch in text))
