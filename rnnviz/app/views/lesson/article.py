"""The lesson's last section (chapter 6): the article's own example, 我要去打篮球 and
今天我要去打球 in both orders, read by the activity models trained on one order; accuracies
over seeds from rnnviz.teaching, drawn beside the question whether a network recognises the
moved word."""

from __future__ import annotations

import streamlit as st

from rnnviz import figures
from rnnviz.teaching import design_ranges, recognises
from rnnviz.tokens import tokenize

from ...chart_cache import recipe
from ...i18n import class_name, text
from ...resources import ModelKey, get_model, get_trace
from .parts import columns, has, link, show
from .questions import Question, ask, is_revealed

# The article's two pairs (一: 我要去打篮球; 三: 今天我要去打球), read by the activity models
# trained on one word order of them; the networks in the order the slide compares them.
ARTICLE_PAIRS = (("我要去打篮球", "我要打篮球去"), ("今天我要去打球", "我要打球去今天"))
ARTICLE_NETWORKS = ("position", "bow", "rnn", "lstm")
# Where the reordered activity sits where no training sentence had one (我要打篮球去: second).
ARTICLE_GROUP = "new_position"
# Room for the caveat under the chart on a 1280x720 projector.
ARTICLE_ROOM = 110


def _article_predictions(names: list[str], language: str) -> list[dict[str, str]]:
    """The shipped models (one seed each) on the article's four sentences: class and p."""
    rows = []
    for sentence in [s for pair in ARTICLE_PAIRS for s in pair]:
        row = {text("col_sentence", language): sentence}
        for name in names:
            trace = get_trace(ModelKey(name), tuple(tokenize(sentence)))
            label, probability = trace.predicted()
            row[name.removeprefix("activity-")] = f"{class_name(label, language)} {probability:.2f}"
        rows.append(row)
    return rows


def render_article(language: str, corner) -> None:
    text_column, figure_column = columns()
    names = [f"activity-{arch}" for arch in ARTICLE_NETWORKS]
    if not has(*names):
        text_column.warning(text("lesson_missing", language, names=", ".join(names)))
        return
    cards = {name: get_model(ModelKey(name)).card for name in names}
    ranges = {name: design_ranges(card, ARTICLE_GROUP) for name, card in cards.items()}
    position = cards["activity-position"]
    shipped = position["config"]["particle_share"]
    chance = position["baselines"]["chance"]
    last, carry = sorted(ranges["activity-position"])
    sentences = [s for pair in ARTICLE_PAIRS for s in pair]
    link(
        corner,
        language,
        view="compare",
        cmodel="activity-rnn",
        n=len(sentences),
        **{f"c{slot}": s for slot, s in enumerate(sentences, start=1)},
    )
    with text_column:
        if not is_revealed("article"):  # after the reveal the chart's legend names the training
            st.caption(text("lesson_article_training", language, chance=chance))
        choices = (text("lesson_c_recognise", language), text("lesson_c_guess", language))
        correct = 0 if recognises(ranges["activity-position"][shipped].mean, chance) else 1
        revealed = ask(Question("article", choices, correct), language)
        if revealed:
            recurrent = {
                f"{arch}_{kind}": ranges[f"activity-{arch}"][share]
                for arch in ("rnn", "lstm")
                for kind, share in (("last", last), ("carry", carry))
            }
            lines = [
                text(
                    "lesson_a_article_position",
                    language,
                    verdict=choices[correct],
                    range=ranges["activity-position"][shipped],
                    chance=chance,
                ),
                text("lesson_a_article_recurrent", language, **recurrent),
            ]
            st.success("  \n".join(lines))
    if not revealed:
        return
    designs = {
        text(f"lesson_design_{kind}", language): {
            network: (ranges[name][share].mean, ranges[name][share].low, ranges[name][share].high)
            for network, name in zip(ARTICLE_NETWORKS, names, strict=True)
        }
        for kind, share in (("last", last), ("carry", carry))
    }
    with figure_column:
        show(
            recipe(
                figures.seed_accuracy_bars,
                list(ARTICLE_NETWORKS),
                designs,
                chance,
                text("chance", language),
                text("lesson_f_article", language, n=ranges[names[0]][shipped].seeds),
                text("accuracy", language),
                {arch: text(f"lesson_network_{arch}", language) for arch in ARTICLE_NETWORKS},
            ),
            "lesson_figure",
            shorter=ARTICLE_ROOM,
        )
        bow = design_ranges(cards["activity-bow"], "reordered")[shipped]
        st.caption(text("lesson_article_not", language, bow=bow, n=bow.seeds))
        with st.expander(text("lesson_article_live", language)):
            st.markdown(
                text(
                    "lesson_article_more",
                    language,
                    far=design_ranges(cards["activity-rnn"], "moved_time")[carry],
                    seen=design_ranges(position, "seen_position")[shipped],
                )
            )
            st.dataframe(_article_predictions(names, language), hide_index=True)
