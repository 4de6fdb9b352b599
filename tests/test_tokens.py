import pytest

from rnnviz import MAX_CHARS, Vocab, tokenize


def test_jieba_words():
    assert tokenize("我要去打篮球") == ["我要", "去", "打篮球"]


def test_char_mode():
    assert tokenize("我要去打篮球", mode="char") == ["我", "要", "去", "打", "篮", "球"]


def test_mixed_chinese_english_digits_and_punctuation():
    assert tokenize("dog bites man") == ["dog", "bites", "man"]
    assert tokenize("我买了3台iPhone15，很好!") == [
        "我",
        "买",
        "了",
        "3",
        "台",
        "iPhone15",
        "，",
        "很",
        "好",
        "!",
    ]
    assert tokenize("我有3台iPhone", mode="char") == ["我", "有", "3", "台", "iPhone"]


def test_whitespace_and_control_characters_dropped():
    assert tokenize(" 我要\t去\x00打\x07篮球 \n") == tokenize("我要去打篮球")
    assert tokenize("a\u200bb") == ["ab"]  # a zero-width space is a format character


def test_emoji_and_html_kept_as_tokens():
    tokens = tokenize("太好了😀👍🏽<b>")
    assert "😀" in tokens and "👍🏽" in tokens
    assert tokens[-3:] == ["<", "b", ">"]


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\x00\x01"])
def test_empty_text_refused_with_message(text):
    with pytest.raises(ValueError, match="empty"):
        tokenize(text)


def test_huge_text_refused_naming_the_limit():
    with pytest.raises(ValueError, match=f"{MAX_CHARS:,}"):
        tokenize("好" * 100_000)


def test_unknown_mode_lists_valid_names():
    with pytest.raises(ValueError, match="word, char"):
        tokenize("我", mode="bpe")


def test_vocab_flags_unknown_without_dropping():
    vocab = Vocab.build([["我要", "去"]], max_size=10)
    tokens = ["我要", "去", "滑雪"]
    assert vocab.encode(tokens) == [vocab.stoi["我要"], vocab.stoi["去"], vocab.unk_id]
    assert vocab.is_unknown(tokens) == [False, False, True]


def test_jieba_from_many_threads_agrees():
    from concurrent.futures import ThreadPoolExecutor

    texts = ["我的职业是程序员，我最擅长的是电脑", "今天我要去打球"] * 20
    expected = [tokenize(text) for text in texts]
    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(tokenize, texts)) == expected
