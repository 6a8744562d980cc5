"""Text features for Chinese duty and project texts: character n-grams or jieba words, and the
phrases two texts share.

Both tokenizers give a set of terms per text. ``char_ngrams`` needs no dictionary and no state;
``jieba_words`` uses a private ``jieba.Tokenizer`` (the global one is left alone) and is imported
lazily. Which one linking uses is decided by measurement (see ``docs/analysis.md``): character
bigrams, so ``kg build`` never loads jieba; link evidence uses :func:`shared_phrases`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

Tokenizer = Callable[[str], frozenset[str]]

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")

STOPWORDS = frozenset({
    # generic administrative verbs and nouns that every duty and project uses
    "医疗保障", "医保", "医疗", "保障", "工作", "全县", "全市", "县级", "组织", "实施", "组织实施", "建立", "健全",
    "建立健全", "完善", "政策", "制度", "推进", "负责", "执行", "贯彻", "落实", "贯彻落实", "贯彻执行",
    "提高", "确保", "水平", "相关", "有关", "开展", "管理", "以及", "及", "和", "的", "等", "与", "并",
    "各项", "完成", "情况", "指标", "我县", "本县", "县", "市", "省", "国家", "及时", "进一步", "加强",
    "保证", "正常", "制定", "参加", "拟订", "拟定", "建设", "服务", "费用", "经费", "资金", "专项", "补助", "项目", "年度",
})


def han_runs(text: str) -> list[str]:
    """The runs of Chinese characters of a text (punctuation, digits and Latin letters split runs)."""
    return _HAN_RUN.findall(text or "")


@lru_cache(maxsize=8192)
def char_ngrams(text: str, n: int = 2) -> frozenset[str]:
    """Character n-grams inside runs of Chinese characters, minus n-grams that are stopwords."""
    grams = set()
    for run in han_runs(text):
        grams.update(run[i:i + n] for i in range(len(run) - n + 1))
    return frozenset(g for g in grams if g not in STOPWORDS)


# multi-character stopwords split a shared phrase; one-character ones (的, 和, 县 …) are only
# trimmed off its ends, since inside a phrase they are usually part of a word (城市, 省级)
_SPLIT = re.compile("|".join(sorted((w for w in STOPWORDS if len(w) > 1), key=lambda w: (-len(w), w))))
_EDGE = "".join(w for w in STOPWORDS if len(w) == 1)


@lru_cache(maxsize=65536)
def shared_phrases(a: str, b: str) -> frozenset[str]:
    """Phrases of two or more Chinese characters in both texts: the maximal runs of ``a`` that ``b``
    contains, split at stopwords, one-character stopwords trimmed off their ends.

    Readable evidence without a dictionary (``城乡居民``, ``长期护理保险``, ``建国初期`` + ``革命``):
    the texts' own wording, found with a few substring searches instead of loading jieba's
    dictionary (≈ 1 s per build).
    """
    out = set()
    for run in han_runs(a):
        previous_end = 0
        for i in range(len(run) - 1):
            j = i + 2
            if run[i:j] not in b:
                previous_end = 0
                continue
            while j < len(run) and run[i:j + 1] in b:
                j += 1
            if j > previous_end:  # not the tail of the phrase that starts one character earlier
                for piece in _SPLIT.split(run[i:j]):
                    piece = piece.strip(_EDGE)
                    if len(piece) >= 2 and piece not in STOPWORDS:
                        out.add(piece)
            previous_end = j
    return frozenset(out)


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


@lru_cache(maxsize=8192)
def jieba_words(text: str) -> frozenset[str]:
    """jieba words (precise mode) of two or more Chinese characters, minus stopwords."""
    words = set()
    tokenizer = _jieba()
    for run in han_runs(text):
        words.update(w for w in tokenizer.lcut(run, HMM=False) if len(w) >= 2)
    return frozenset(w for w in words if w not in STOPWORDS)


TOKENIZERS: dict[str, Tokenizer] = {"char-bigram": char_ngrams, "jieba": jieba_words}
