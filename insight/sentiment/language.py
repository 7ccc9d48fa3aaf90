"""Which language a text is in: whether VADER (English only) can read it, which texts the Chinese model scores,
and the name of a language no model here reads.

`language_of` decides by script first (Han without kana is Chinese, kana Japanese, Hangul Korean, Cyrillic
Russian or Ukrainian …) and, for Latin script, by frequent function words of seven languages; it answers None
when a text gives no evidence ("ok", "Great!"), and such texts are read as English.
"""

from __future__ import annotations

import re
from collections import Counter
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


# --- language identification: script first, then function words ------------------------------------

# (first, last) code point ranges per script
_RANGES: dict[str, tuple[tuple[int, int], ...]] = {
    "han": ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F)),
    "kana": ((0x3040, 0x309F), (0x30A0, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9D)),
    "hangul": ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF)),
    "cyrillic": ((0x0400, 0x052F),),
    "greek": ((0x0370, 0x03FF),),
    "arabic": ((0x0600, 0x06FF), (0x0750, 0x077F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    "hebrew": ((0x0590, 0x05FF),),
    "thai": ((0x0E00, 0x0E7F),),
    "devanagari": ((0x0900, 0x097F),),
    "latin": ((0x0041, 0x005A), (0x0061, 0x007A), (0x00C0, 0x024F), (0x1E00, 0x1EFF), (0xFF21, 0xFF5A)),
}
# weight of one character, so that weighted counts are roughly "words": a Chinese text with a few English
# words stays Chinese, an English text that quotes a Chinese name stays English
_WEIGHT = {"han": 3.0, "kana": 3.0, "hangul": 2.0, "thai": 0.5}
_SCRIPT_LANG = {"hangul": "ko", "greek": "el", "hebrew": "he", "thai": "th", "devanagari": "hi"}


def _script_of(cp: int) -> str | None:
    for name, ranges in _RANGES.items():
        for lo, hi in ranges:
            if lo <= cp <= hi:
                return name
    return None


# frequent function words; a word shared by k languages gives each of them 1/k
_STOP = {
    "en": "the and is are was were it its this that to of for with not but have has had you your my i me we they he "
    "she be been very so just all can will would get got from them there what when which one out about if or as at "
    "on no do does did dont an a our would its im s t ll re ve d m",
    "fr": "le la les des du de un une et est sont pas très tres avec pour dans que qui sur mais cette ce je nous vous "
    "il elle ont été au aux ne ça c j l qu bien tout plus mon ma mes votre leur",
    "es": "el la los las del de y en es son muy por para pero que con una un su sus fue está esta no lo le se me mi al "
    "como más también este porque ya hay todo sin",
    "pt": "o a os as do da dos das de e em é são muito por para mas que com uma um não foi está ao na no nas nos pelo "
    "pela você meu minha isso já também seu sua ele ela tem sem",
    "it": "il lo la gli le di del della e è sono molto per ma che con una un non ho ha questo questa anche più come "
    "stato nel nella mi si",
    "de": "der die das und ist nicht sehr mit für ich wir sie ein eine auf zu leider aber nur es den dem des auch war "
    "hat haben sich noch kein keine",
    "nl": "de het een en is niet zeer voor ik wij zijn maar ook wel erg van dat met op te die heb hebben was nog geen",
}
_LETTERS = {  # characters that point to a language (shared ones split as above)
    "es": "ñ¿¡",
    "pt": "ãõç",
    "fr": "çèêëîïôûùœ",
    "de": "äöüß",
    "it": "èìò",
}
_WORD_LANGS: dict[str, list[str]] = {}
for _lang, _words in _STOP.items():
    for _w in set(_words.split()):
        _WORD_LANGS.setdefault(_w, []).append(_lang)
_CHAR_LANGS: dict[str, list[str]] = {}
for _lang, _chars in _LETTERS.items():
    for _c in _chars:
        _CHAR_LANGS.setdefault(_c, []).append(_lang)
_LATIN_WORD = re.compile(r"[a-zA-Z\u00c0-\u024f]+")
_VIETNAMESE = re.compile(r"[ơưđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


def _latin_language(text: str) -> str | None:
    if len(_VIETNAMESE.findall(text)) >= 2:
        return "vi"
    scores: Counter[str] = Counter()
    for word in _LATIN_WORD.findall(text.lower()):
        langs = _WORD_LANGS.get(word)
        if langs:
            for lang in langs:
                scores[lang] += 1 / len(langs)
        for ch in set(word) & _CHAR_LANGS.keys():
            for lang in _CHAR_LANGS[ch]:
                scores[lang] += 0.5 / len(_CHAR_LANGS[ch])
    if not scores:
        return None
    (best, top), *rest = scores.most_common(2) + [("", 0.0)]
    if top < 1 or rest[0][1] == top:  # no real evidence, or a tie
        return None
    return best


def language_of(text: str, min_letters: int = 2) -> str | None:
    """ISO 639-1 code of the text's language, or None (no letters, too short, or no evidence).

    Scripts decide first: Han without kana -> zh (simplified, traditional and written Cantonese alike),
    kana -> ja, Hangul -> ko, Cyrillic -> ru/uk, Arabic script -> ar/fa/ur, and so on. Latin-script text is told
    apart by frequent function words (en, fr, es, pt, it, de, nl) and a few accented letters.
    """
    if not isinstance(text, str):
        return None
    counts: Counter[str] = Counter()
    for ch in text:
        if ch.isalpha():
            script = _script_of(ord(ch))
            if script:
                counts[script] += 1
    letters = sum(counts.values())
    if letters < min_letters:
        return None
    cjk = counts["han"] + counts["kana"]
    weighted = {s: n * _WEIGHT.get(s, 1.0) for s, n in counts.items() if s not in ("han", "kana")}
    weighted["cjk"] = cjk * _WEIGHT["han"]
    script = max(weighted, key=weighted.__getitem__)
    if script == "cjk":
        # kana are frequent in any Japanese sentence; a stray の in Chinese marketing text is not enough
        return "ja" if counts["kana"] >= 0.1 * cjk and counts["kana"] >= 2 else "zh"
    if script == "cyrillic":
        if re.search(r"[іїєґІЇЄҐ]", text):
            return "uk"
        return "ru"
    if script == "arabic":
        if re.search(r"[ٹڈڑںےھ]", text):
            return "ur"
        if re.search(r"[پچژگکی]", text):
            return "fa"
        return "ar"
    if script == "latin":
        return _latin_language(text)
    return _SCRIPT_LANG.get(script)


LANGUAGE_NAMES = {
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "ru": "Russian",
    "uk": "Ukrainian",
    "el": "Greek",
    "ar": "Arabic",
    "fa": "Persian",
    "ur": "Urdu",
    "he": "Hebrew",
    "th": "Thai",
    "hi": "Hindi",
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "pt": "Portuguese",
    "it": "Italian",
    "de": "German",
    "nl": "Dutch",
    "vi": "Vietnamese",
}


def language_name(code: str | None) -> str:
    """'Russian' for 'ru'; 'an unidentified language' when the text gave no evidence."""
    return LANGUAGE_NAMES.get(code, "an unidentified language") if isinstance(code, str) else "an unidentified language"
