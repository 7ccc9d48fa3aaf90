"""Chinese words for themes: each text segmented into words by jieba's dictionary, and only the words that
name what people talk about kept (房间, 物流, 音质, 售后), with their two-word phrases (早餐种类).

Segmentation is `rjieba` (the Rust port of jieba, jieba-rs, maintained; its dictionary and part-of-speech tags
are compiled into the wheel, so nothing is downloaded or written at run time, and it tags more than 10,000
reviews a second). A word is kept when it has two or more characters, jieba tags it as a noun or an activity
(`THEME_TAGS`, without the verbs of any review), and it is neither a stop word (`zh_stopwords.txt`, from
stopwords-iso, with `FILLER`) nor a word of feeling (`FEELING`, `is_feeling`): themes say what people talk
about, the scores say how they feel.
Latin words inside Chinese texts (wifi, app) are kept when they have two or more letters and no digits.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

STOP_WORDS_PATH = Path(__file__).with_name("zh_stopwords.txt")

# jieba's part-of-speech tags of words that name a thing, a place or an activity: nouns (n), other proper
# nouns (nz), organisations (nt), places (s), verbs used as nouns (vn: 服务), nouns of quality (an: 卫生),
# abbreviations (j), noun morphemes (ng), Latin words (eng) and verbs (v), which name many of the activities
# reviews are about (入住, 安装, 退货, 拍照; jieba even tags 位置 'location' a verb) but only when they are not
# the verbs of any review (`GENERIC_VERBS`) or a negation or modal (`_VERB_OPENERS`: 不会, 没有, 只能, 还会).
# Adjectives (a), adverbs (d), idioms (i, l) and person names (nr: in reviews mostly adjectives jieba
# mistakes, 安静, 温馨) are left out.
THEME_TAGS = frozenset({"n", "nz", "nt", "ns", "s", "v", "vn", "an", "j", "ng", "eng"})
_VERB_OPENERS = frozenset("不没别只还可能会应要想该得再")
_GENERIC_VERBS_TEXT = (
    "知道 觉得 感觉 希望 需要 应该 可能 看到 看看 选择 提供 值得 喜欢 推荐 满意 补充 光临 反馈 点评 支持 购买 "
    "使用 收到 告知 告诉 要求 适合 申请 解释 发现 表示 认为 出现 进行 准备 打算 决定 开始 继续 经过 存在 包括 "
    "属于 实在 填写 说明 联系 回复 处理 回来 出去 进去 过来 起来 下来 上去 回去 用来 用过 买过 买到 拿到 送到 "
    "到货 到手 试试 试用 体会 担心 相信 建议 考虑 注意 记得 忘记 离开 来到 住过 入手 购入 以为 算是 成为"
)
GENERIC_VERBS = frozenset(_GENERIC_VERBS_TEXT.split())

# Words of review talk that jieba tags as nouns but that name no topic (感觉 'feeling', 东西 'thing', 有点
# 'a bit', 总体 'overall'), beyond the stop-word list. Written for this project.
_FILLER_TEXT = (
    "感觉 东西 有点 总体 整体 地方 时候 问题 方面 情况 样子 原因 部分 事情 感受 总之 一点 以后 以前 之后 "
    "第一次 第二次 下次 上次 这次 本次 宝贝 商品 产品 卖家 店家 掌柜 亲们 朋友 家人 大家 客人 顾客 东东 用户 "
    "无法 办法 小时 分钟 公里 平米 块钱 "
    "评价 点评 追评 评论 好评 差评 中评 五星 四星 三星 一星 全五星 星级"
)
FILLER = frozenset(_FILLER_TEXT.split())

# Words that carry the feeling themselves, which jieba's tags let through (as nouns or verbs used as nouns);
# adjectives and adverbs of feeling are already out by their tags. Written for this project.
_FEELING_TEXT = (
    "满意 失望 喜欢 推荐 垃圾 骗子 差劲 不错 好评 差评 美中不足 遗憾 惊喜 赞 点赞 好感 愉快 享受 舒适 "
    "实惠 优惠 划算 超值 物超所值 物有所值 性价比高 热情 周到 亲切 温馨 安静 干净 整洁 卫生差 麻烦 "
    "吐槽 投诉 后悔 上当 坑 恶心 郁闷 生气 无语 感谢 谢谢 欢迎 支持 信赖 放心 满分 完美 漂亮 美丽 "
    "精美 高大上 档次 品质好 质量好 好用 耐用 舒服 难受 难用 难看 糟糕 一般 一般般 凑合 马马虎虎 不值 值得 "
    "给力 不给力 失败 专业"
)
FEELING = frozenset(_FEELING_TEXT.split())

# A word that starts with a degree or negation adverb and goes on with an adjective says how it felt (太小 'too
# small', 很漂亮, 极差); so does one made of a topic and an adjective (价格便宜 'price cheap').
DEGREE = frozenset("太很极超挺蛮真最好不没较更特非")
_FEELING_TAGS = frozenset({"a", "ad", "an", "z"})
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"^[A-Za-z]+$")  # no model numbers or codes, as in English themes
_ENTITY = re.compile(r"&[a-zA-Z]+;|&#\d+;")  # HTML entities scraped with the text (&hellip;)


@cache
def stop_words() -> frozenset[str]:
    """The stop-word list (`zh_stopwords.txt`) with the review filler words."""
    lines = STOP_WORDS_PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#")) | FILLER


@cache
def _tag(word: str) -> str | None:
    """jieba's tag of a word on its own, or None when jieba reads it as several words."""
    import rjieba

    tagged = rjieba.tag(word, hmm=False)
    return tagged[0][1] if len(tagged) == 1 else None


@cache
def is_feeling(word: str) -> bool:
    """Whether a word carries a feeling itself: listed in `FEELING`, a degree adverb and an adjective (太小), or
    holding an adjective jieba knows as a word of its own (价格便宜: 便宜)."""
    import rjieba

    if word in FEELING:
        return True
    if len(word) >= 2 and word[0] in DEGREE and _tag(word[1:]) in _FEELING_TAGS:
        return True
    return any(part != word and _tag(part) == "a" for part in rjieba.cut_for_search(word, hmm=False))


@cache
def is_theme_word(word: str, tag: str) -> bool:
    """Whether a segmented word can be (part of) a theme: a noun-like tag, two or more characters (letters for
    a Latin word), not a stop word and not a word of feeling."""
    if tag not in THEME_TAGS or word in stop_words() or is_feeling(word):
        return False
    if tag == "v" and (word in GENERIC_VERBS or word[0] in _VERB_OPENERS):
        return False
    if _HAN.search(word):
        return len(word) >= 2 and all(_HAN.match(ch) for ch in word)
    return len(word) >= 2 and bool(_LATIN.match(word))


def words(text: str) -> list[tuple[str, bool]]:
    """The text's words in order, each with whether it can be a theme (segmented by rjieba)."""
    import rjieba

    return [(w.lower(), is_theme_word(w, tag)) for w, tag in rjieba.tag(_ENTITY.sub(" ", text))]


def terms(text: str) -> list[str]:
    """The theme words of a text and the phrases of two theme words next to each other (早餐 种类 -> 早餐种类)."""
    out: list[str] = []
    previous: str | None = None
    for word, keep in words(text):
        if not keep:
            previous = None if word.strip() else previous
            continue
        out.append(word)
        if previous is not None:
            latin = _LATIN.match(previous) and _LATIN.match(word)
            out.append(f"{previous} {word}" if latin else previous + word)
        previous = word
    return out
