"""Labelled lines brought by a visitor: every bad input of issue 31 gets a message naming the
line or field, good input in every accepted shape gives the same pairs, and the held-out split
is per label and seeded."""

from __future__ import annotations

import pytest

from rnnviz.labelled import (
    MAX_LABELS,
    LabelledDataError,
    example_set,
    parse_pairs,
    split,
)
from rnnviz.tokens import tokenize

GOOD = "猫咬狗\t猫\n狗咬猫\t狗\n"


def refused(data: bytes | str) -> LabelledDataError:
    with pytest.raises(LabelledDataError) as caught:
        parse_pairs(data)
    return caught.value


def test_tab_csv_bom_and_header_read_the_same_pairs():
    expected = [("猫咬狗", "猫"), ("狗咬猫", "狗")]
    assert parse_pairs(GOOD) == expected
    assert parse_pairs(GOOD.encode("utf-8")) == expected
    assert parse_pairs(b"\xef\xbb\xbf" + GOOD.encode("utf-8")) == expected
    assert parse_pairs("sentence,label\n猫咬狗,猫\n狗咬猫,狗\n".encode()) == expected
    assert parse_pairs('"猫咬狗",猫\r\n"狗咬猫",狗\r\n') == expected
    assert parse_pairs("\n" + GOOD + "\n\n") == expected  # blank lines are skipped


def test_empty():
    for data in (b"", "", "\n\n  \n"):
        assert refused(data).key == "empty"


def test_one_label_names_it():
    error = refused("猫咬狗\t猫\n狗咬猫\t猫\n")
    assert error.key == "one_label" and "猫" in str(error)


def test_eleven_labels():
    lines = "".join(f"句子{i}\t标签{i}\n" for i in range(MAX_LABELS + 1))
    error = refused(lines)
    assert error.key == "labels" and error.values["count"] == 11
    assert len(parse_pairs("".join(f"句子{i}\t标签{i}\n" for i in range(MAX_LABELS)))) == 10


def test_line_without_tab_is_named():
    error = refused("猫咬狗\t猫\n狗咬猫 狗\n猫看见狗\t猫\n")
    assert error.key == "no_tab" and error.values["line"] == 2 and "Line 2" in str(error)


def test_three_fields_and_empty_fields_are_named():
    assert refused("猫咬狗\t猫\n狗\t咬猫\t狗\n").values == {"line": 2, "count": 3}
    error = refused("猫咬狗\t猫\n\t狗\n")
    assert error.key == "sentence_empty" and error.values["line"] == 2
    error = refused("猫咬狗\t猫\n狗咬猫\t \n")
    assert error.key == "label_empty" and error.values["line"] == 2


def test_fifty_megabyte_paste():
    error = refused("猫咬狗\t猫\n" * 3_000_000)
    assert error.key == "too_big" and error.values["megabytes"] > 40
    assert refused(b"a\tb\n" * 13_000_000).key == "too_big"


def test_too_many_lines():
    assert refused("".join(f"{i}\t{i % 2}\n" for i in range(5002))).key == "too_many_lines"


def test_binary():
    assert refused(bytes(range(256)) * 10).key == "binary"


def test_gbk_names_the_line():
    data = "猫咬狗\t猫\n".encode() + "狗咬猫\t狗\n".encode("gbk")
    error = refused(data)
    assert error.key == "not_utf8" and error.values["line"] == 2


def test_utf16():
    assert refused(GOOD.encode("utf-16")).key == "utf16"


def test_emoji_kept_control_characters_dropped():
    pairs = parse_pairs("猫😺咬狗\u0007\u200b\t猫\n狗咬猫\x1b[31m\t狗\u0000\n")
    assert pairs == [("猫😺咬狗", "猫"), ("狗咬猫[31m", "狗")]


def test_html_is_kept_as_plain_text():
    pairs = parse_pairs("<script>alert(1)</script>\t<b>坏</b>\n<img src=x>\t好\n")
    assert pairs[0] == ("<script>alert(1)</script>", "<b>坏</b>")


def test_too_long_sentence_is_named():
    error = refused("猫咬狗\t猫\n" + "狗" * 400 + "\t狗\n")
    assert error.key == "sentence_long" and error.values["line"] == 2


def test_split_is_per_label_seeded_and_disjoint():
    pairs = example_set("order")
    parts = split(pairs, seed=0)
    assert set(parts.train).isdisjoint(parts.held_out)
    assert sorted(parts.train + parts.held_out) == list(range(len(pairs)))
    assert parts.held_out_counts == {"狗": 5, "猫": 5}  # 20% of 24 each
    assert parts.train_counts == {"狗": 19, "猫": 19}
    assert split(pairs, seed=0) == parts and split(pairs, seed=1) != parts
    for index in parts.held_out:
        assert pairs[index][1] in ("猫", "狗")


def test_a_label_with_one_line_is_only_trained_on():
    parts = split([("a", "x"), ("b", "x"), ("c", "x"), ("d", "y")])
    assert parts.held_out_counts == {"x": 1, "y": 0}


def test_order_set_depends_on_order_only():
    """Every sentence's mirror (猫, 狗 swapped) is in the set with the other label and the same
    tokens, in both modes: a bag of tokens cannot tell the labels apart."""
    pairs = dict(example_set("order"))
    assert set(pairs.values()) == {"猫", "狗"}
    for sentence, label in pairs.items():
        mirror = sentence.replace("猫", "X").replace("狗", "猫").replace("X", "狗")
        assert pairs[mirror] != label
        for mode in ("word", "char"):
            assert sorted(tokenize(sentence, mode)) == sorted(tokenize(mirror, mode))


def test_reviews_set():
    pairs = example_set("reviews")
    assert len(pairs) == 300
    assert {label: [p[1] for p in pairs].count(label) for label in ("正面", "负面")} == {
        "正面": 150,
        "负面": 150,
    }
