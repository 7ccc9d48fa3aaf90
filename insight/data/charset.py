"""Text encodings of exports: BOMs, UTF-16 without a BOM, UTF-8, and the legacy code pages of point-of-sale
and spreadsheet tools (GBK/GB18030, Shift-JIS/cp932, cp1251, cp1252), told apart without a new dependency.

A legacy code page "decodes" almost any bytes, so each candidate's text is scored for mojibake (letters no
language writes together) and the cleanest wins; the choice is reported, never silent.
"""

from __future__ import annotations

import re
from functools import cache

from insight.errors import ReadError
from insight.i18n import N_

LEGACY = ("cp1252", "gb18030", "cp932", "cp1251")  # ties go to the earlier one: Western text first
_SAMPLE = 200_000  # characters scored per candidate: enough to tell, cheap on a 200 MB file
_TOKEN = re.compile(r"[^\W\d_]+")
_JUNK = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd]")  # controls, private use
_CASE_FLIP = re.compile(r"[а-яё][А-ЯЁ]")  # "СЋРЅ": UTF-8 read as cp1251 flips case inside words


def _script(ch: str) -> str:
    o = ord(ch)
    if o < 0x80:
        return "ascii"
    if 0x0400 <= o <= 0x04FF:
        return "cyrillic"
    if 0x3040 <= o <= 0x30FF or 0x31F0 <= o <= 0x31FF:
        return "kana"
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF:
        return "han"
    if 0xFF61 <= o <= 0xFF9F:
        return "halfwidth kana"
    if 0x00A0 <= o <= 0x024F:
        return "latin"
    return "other"


@cache
def _everyday_han(ch: str, encoding: str) -> bool:
    """Ideographs of everyday text: GB2312 for Chinese, JIS X 0208 for Japanese; mojibake lands on rare ones."""
    try:
        ch.encode("gb2312" if encoding == "gb18030" else "shift_jis")
    except UnicodeEncodeError:
        return False
    return True


def _implausible(token: str, encoding: str) -> bool:
    token = "".join(c for c in token if c.isalpha())  # ¹ and ½ match \w but are no letters
    scripts = {_script(c) for c in token}
    non_ascii = sum(_script(c) != "ascii" for c in token)
    han = [c for c in token if _script(c) == "han"]
    if han and encoding in ("gb18030", "cp932") and sum(not _everyday_han(c, encoding) for c in han) > 0.2 * len(han):
        return True
    if "other" in scripts or ("halfwidth kana" in scripts and (encoding != "cp932" or "ascii" in scripts)):
        return True
    if "cyrillic" in scripts and ("ascii" in scripts or _CASE_FLIP.search(token)):  # Mьller, СЋРЅ
        return True
    if scripts & {"han", "kana"} and "ascii" in scripts and non_ascii <= 2:  # one ideograph glued into a word
        return True
    # ÃëýìïèíãÄ: words made only of accented letters
    accented = "latin" in scripts and len(token) >= 4 and non_ascii > len(token) / 2
    return (scripts == {"latin"} and len(token) >= 3) or accented


def mojibake_share(text: str, encoding: str) -> float:
    """Share of the words with non-ASCII letters that no language writes, counting each private-use, unassigned
    or control character as one such word (0 = clean)."""
    sample = text[:_SAMPLE]
    junk = len(_JUNK.findall(sample))
    bad, words = junk, junk
    for token in _TOKEN.findall(sample):
        if token.isascii() or not any(c.isalpha() and not c.isascii() for c in token):
            continue
        words += 1
        bad += _implausible(token, encoding)
    return bad / words if words else 0.0


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when NUL bytes sit on one side of most characters (text in UTF-16, no BOM)."""
    head = data[:8192]
    if len(head) < 4 or b"\x00" not in head:
        return None
    even, odd = head[0::2], head[1::2]
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_nul > 0.3 and even_nul < 0.05:  # "a\x00b\x00": ASCII-range text, low byte first
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def decode(data: bytes, name: str) -> tuple[str, str]:
    """The text and the encoding it was read with: BOM, UTF-16 without BOM, UTF-8, else the cleanest legacy page."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    wide = _utf16_without_bom(data)
    if wide:
        try:
            return data.decode(wide), wide
        except UnicodeDecodeError as exc:
            raise ReadError(
                N_(
                    "{name} looks like UTF-16 text without a BOM, but byte {start:,} does not fit. "
                    "Save it again as CSV UTF-8 and upload that."
                ),
                name=name,
                start=exc.start,
            ) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    scored = []
    for rank, encoding in enumerate(LEGACY):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        scored.append((mojibake_share(text, encoding), rank, encoding, text))
    if not scored:
        return data.decode("latin-1"), "latin-1"
    _, _, encoding, text = min(scored)
    return text, encoding


def strip_nul(text: str, name: str) -> tuple[str, int]:
    """Text without NUL characters (damaged or padded exports), and how many there were.

    A file that is mostly NULs is binary, not a damaged table: it is refused.
    """
    count = text.count("\x00")
    if not count:
        return text, 0
    if count > 0.1 * len(text):  # a tenth of the characters: a binary file with a .csv name
        raise ReadError(
            N_(
                "{name} is not a text table (it holds binary data). Upload a CSV, TSV, Excel, Parquet or "
                "JSON-lines export."
            ),
            name=name,
        )
    return text.replace("\x00", ""), count
