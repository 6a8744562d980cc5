from kg.analyze.text import STOPWORDS, char_ngrams, han_runs, jieba_words, shared_phrases


def test_han_runs_split_on_punctuation_digits_and_latin():
    assert han_runs("贯彻执行，医疗救助2020年DRG改革") == ["贯彻执行", "医疗救助", "年", "改革"]


def test_char_bigrams_drop_stopwords():
    grams = char_ngrams("推进医疗保障基金支付方式改革")
    assert "基金" in grams and "支付" in grams
    assert "医疗" not in grams and "保障" not in grams  # stopwords
    assert char_ngrams("") == frozenset()


def test_jieba_words_are_words_of_two_or_more_characters():
    words = jieba_words("组织实施城乡医疗救助制度")
    assert "救助" in words or "医疗救助" in words
    assert all(len(w) >= 2 for w in words)
    assert "组织" not in words  # stopword


def test_shared_phrases_are_the_wording_both_texts_use():
    project = "建国初期参加革命的离休干部医疗费用"
    duty = "负责建国初期参加革命工作的老同志和离休干部的医疗待遇"
    phrases = shared_phrases(project, duty)
    assert {"建国初期", "革命", "离休干部"} <= phrases  # split at the stopword 参加
    assert all(len(p) >= 2 and p not in STOPWORDS for p in phrases)
    assert "医疗" not in phrases  # a stopword alone is no evidence
    assert shared_phrases("城乡居民", "职工") == frozenset()


def test_shared_phrases_trim_one_character_stopwords_at_the_ends_only():
    assert shared_phrases("县城市居民", "全县城市居民") == {"城市居民"}


def test_linking_does_not_load_jieba(gold_facts):
    from kg.analyze.links import compute_links
    from kg.analyze.text import _jieba

    before = _jieba.cache_info().misses
    compute_links(gold_facts)
    assert _jieba.cache_info().misses == before
