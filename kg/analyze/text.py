"""Text features for Chinese duty and project texts: character n-grams or jieba words.

Both give a set of terms per text. ``char_ngrams`` needs no dictionary and no state;
``jieba_words`` uses a private ``jieba.Tokenizer`` (the global one is left alone) and is imported
lazily. Which one linking uses is decided by measurement (see ``docs/analysis.md``).
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


def char_ngrams(text: str, n: int = 2) -> frozenset[str]:
    """Character n-grams inside runs of Chinese characters, minus n-grams that are stopwords."""
    grams = set()
    for run in han_runs(text):
        grams.update(run[i:i + n] for i in range(len(run) - n + 1))
    return frozenset(g for g in grams if g not in STOPWORDS)


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def jieba_words(text: str) -> frozenset[str]:
    """jieba words (precise mode) of two or more Chinese characters, minus stopwords."""
    words = set()
    tokenizer = _jieba()
    for run in han_runs(text):
        words.update(w for w in tokenizer.lcut(run, HMM=False) if len(w) >= 2)
    return frozenset(w for w in words if w not in STOPWORDS)


TOKENIZERS: dict[str, Tokenizer] = {"char-bigram": char_ngrams, "jieba": jieba_words}


def shared_phrases(a: str, b: str, min_len: int = 2) -> tuple[str, ...]:
    """Maximal runs of Chinese characters common to both texts (length ≥ ``min_len``), longest first.

    Used to show evidence for character n-gram matches as readable phrases instead of bigrams.
    """
    runs_b = han_runs(b)
    found: set[str] = set()
    for run in han_runs(a):
        i = 0
        while i < len(run):
            best = 0
            for j in range(len(run), i + min_len - 1, -1):
                piece = run[i:j]
                if any(piece in rb for rb in runs_b):
                    best = j - i
                    break
            if best >= min_len:
                found.add(run[i:i + best])
                i += best
            else:
                i += 1
    # drop phrases contained in a longer one
    kept = [p for p in found if not any(p != q and p in q for q in found)]
    return tuple(sorted(kept, key=lambda p: (-len(p), p)))
