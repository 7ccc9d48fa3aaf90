"""Whether a text is mostly not English, which VADER cannot read."""

from __future__ import annotations

import re
from functools import cache

from insight.sentiment.vader import analyzer, lexicon_path

_WORD = re.compile(r"[^\W\d_]+")
_NON_LATIN = re.compile(r"[^\W\d_a-zA-Z\u00c0-\u024f]")


# French, Spanish, Portuguese, Italian, German, Dutch: frequent words that are not also English words
_FOREIGN_TEXT = """
le la les des du une est et pas tres très avec pour dans que qui sur mais cette je nous vous ont été
el los las del una es y muy por para pero sus fue está esta estoy producto llegó
não com uma muito foi produto il gli della sono molto che stato prodotto
der das und ist nicht sehr mit für ich wir sie ein eine auf zu leider aber nur
het een niet zeer voor ik wij zijn maar ook wel erg
"""
_FOREIGN_FUNCTION_WORDS = frozenset(_FOREIGN_TEXT.split())


@cache
def _english_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    words = set(ENGLISH_STOP_WORDS) | {w for w in analyzer().lexicon if w.isalpha()}
    emoji_names = lexicon_path().with_name("emoji_utf8_lexicon.txt")
    for line in emoji_names.read_text(encoding="utf-8").splitlines():
        words.update(_WORD.findall(line.partition("\t")[2].lower()))
    words |= {"i", "im", "ive", "dont", "didnt", "doesnt", "cant", "wont", "isnt", "wasnt", "s", "t"}
    return frozenset(words - _FOREIGN_FUNCTION_WORDS)


def is_mostly_non_english(text: str) -> bool:
    """True when a text is mostly not English (VADER only knows English words).

    Mostly non-Latin letters (Cyrillic, CJK, Arabic ...), or more frequent words of another
    European language (or accented words) than known English words, or almost no known English word in a longer text.
    """
    words = _WORD.findall(text.lower())
    if not words:
        return False
    if not text.isascii():
        letters = sum(map(len, words))
        if len(_NON_LATIN.findall(text)) > letters / 2:
            return True
    english = _english_words()
    known = sum(map(english.__contains__, words))
    foreign = sum(map(_FOREIGN_FUNCTION_WORDS.__contains__, words))
    if not text.isascii():
        foreign += sum(not w.isascii() and w not in _FOREIGN_FUNCTION_WORDS for w in words)
    if foreign >= 2 and foreign > known:
        return True
    return len(words) >= 8 and known < 0.25 * len(words)
