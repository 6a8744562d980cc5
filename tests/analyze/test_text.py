from kg.analyze.text import char_ngrams, han_runs, jieba_words


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
