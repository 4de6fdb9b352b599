"""The lesson: its core quantities against references (torch, brute force, a loop), its figure
builders at classroom sizes, and the view through AppTest: every section runs and reveals, the
section in the URL is parsed (bad values fall back with a notice), a student's choice is kept,
the QR code encodes the section's link."""

import html
import ipaddress
import json

import numpy as np
import plotly.graph_objects as go
import pytest
import torch
from apptest import open_app
from streamlit.testing.v1 import AppTest

import rnnviz
from rnnviz import figures
from rnnviz.app.i18n import STRINGS, class_name, text
from rnnviz.app.views.lesson import share_link
from rnnviz.app.views.lesson.parts import ORDER_SENTENCES
from rnnviz.app.views.lesson.share import (
    is_loopback,
    listens_only_here,
    network_addresses,
    student_base,
    student_bases,
)
from rnnviz.memory import accuracy_over_seeds, live_prompt_tokens
from rnnviz.steps import cross_entropy
from rnnviz.teaching import (
    ORDER_UNCHANGED,
    SECTION_COUNT,
    SECTIONS,
    accuracy_at,
    carrier_shares,
    design_ranges,
    keeps_more,
    leans_to,
    order_effect,
    probability_course,
    read_softmax,
    recognises,
    softmax_parts,
    span,
)


@pytest.fixture(scope="module")
def rnn_trace():
    return rnnviz.trace(rnnviz.load_model("memory-rnn"), live_prompt_tokens("程序员", 0))


@pytest.fixture(scope="module")
def lstm_traces():
    model = rnnviz.load_model("memory-lstm")
    return rnnviz.trace(model, live_prompt_tokens("程序员", 20)), rnnviz.trace(
        model, live_prompt_tokens("厨师", 20)
    )


# --- core quantities -----------------------------------------------------------------------


def test_softmax_parts_match_the_model_output(rnn_trace):
    last = len(rnn_trace.tokens) - 1
    parts = softmax_parts(rnn_trace, last)
    np.testing.assert_allclose(parts.probabilities, rnn_trace.probs[last], atol=1e-6)
    reference = torch.softmax(torch.tensor(parts.logits), dim=0).numpy()
    np.testing.assert_allclose(parts.probabilities, reference, rtol=1e-12)
    assert parts.exponentials.max() == pytest.approx(1.0)
    assert parts.probabilities.sum() == pytest.approx(1.0)


def test_cross_entropy_against_torch(rnn_trace):
    probabilities = rnn_trace.probs[-1].astype(np.float64)
    target = rnn_trace.labels.index("电脑")
    expected = torch.nn.functional.nll_loss(
        torch.log(torch.tensor(probabilities)).unsqueeze(0), torch.tensor([target])
    )
    assert cross_entropy(probabilities, target) == pytest.approx(float(expected), rel=1e-9)
    with pytest.raises(ValueError):
        cross_entropy(np.array([0.0, 1.0]), 0)


def test_keeps_more_needs_every_seed_and_every_start():
    rnn = np.array([1e-10, 2e-10])
    assert keeps_more(rnn, [np.array([1e-7, 3e-7]), np.array([1e-3, 2e-3])]) == 1
    assert keeps_more(rnn, [np.array([1e-11, 1e-11])]) == 0
    assert keeps_more(rnn, [np.array([1e-7, 1e-11]), np.array([1e-3, 2e-3])]) == 2
    assert keeps_more(rnn, [np.array([1e-7, 3e-7]), np.array([1e-11, 2e-3])]) == 2


def test_recognises_means_nearer_certainty_than_chance():
    assert [recognises(a, 0.25) for a in (0.22, 0.62, 0.625, 0.7)] == [False, False, True, True]


def test_design_ranges_read_both_training_designs_from_a_card():
    card = rnnviz.load_model("activity-rnn").card
    ranges = design_ranges(card, "new_position")
    assert sorted(ranges) == sorted(
        [card["config"]["particle_share"], card["other_design"]["particle_share"]]
    )
    shipped = ranges[card["config"]["particle_share"]]
    values = [record["accuracy"]["new_position"] for record in card["seeds"]]
    assert shipped.mean == pytest.approx(np.mean(values), abs=1e-4)
    assert (shipped.low, shipped.high, shipped.seeds) == (min(values), max(values), len(values))


def test_order_effect_is_the_largest_move_within_a_pair():
    effect = order_effect([0.2, 0.7, 0.45, 0.4])
    reference = np.abs(np.diff(np.array(effect.final).reshape(-1, 2), axis=1)).max()
    assert effect.spread == pytest.approx(reference) == pytest.approx(0.5)
    assert effect.changes
    assert not order_effect([0.3, 0.3 + ORDER_UNCHANGED / 2]).changes
    for odd in ([0.5], [0.1, 0.2, 0.3]):
        with pytest.raises(ValueError):
            order_effect(odd)


def test_bag_of_words_has_no_order_effect_and_the_rnn_has_one():
    for name, changes in (("sentiment-bow", False), ("sentiment-rnn", True)):
        model = rnnviz.load_model(name)
        positive = model.labels.index("正面")
        final = [float(rnnviz.trace(model, list(s)).probs[-1, positive]) for s in ORDER_SENTENCES]
        assert order_effect(final).changes is changes


def test_leans_to_reads_the_half_line():
    assert [leans_to(p) for p in (0.0, 0.4999, 0.5, 0.93)] == [False, False, True, True]


def test_read_softmax_against_torch(rnn_trace):
    parts = softmax_parts(rnn_trace, len(rnn_trace.tokens) - 1)
    reading = read_softmax(parts)
    reference = torch.softmax(torch.tensor(parts.logits), dim=0)
    assert reading.top == int(torch.argmax(reference))
    assert reading.probability == pytest.approx(float(reference.max()), rel=1e-12)
    assert reading.total == pytest.approx(1.0)


def test_probability_course_against_a_loop():
    model = rnnviz.load_model("sentiment-rnn")
    trace = rnnviz.trace(model, list(ORDER_SENTENCES[0]))
    positive = model.labels.index("正面")
    values = [float(trace.probs[step, positive]) for step in range(len(trace.tokens))]
    course = probability_course(trace, positive)
    assert (course.first, course.lowest, course.final) == (values[0], min(values), values[-1])


def test_span_and_carrier_shares():
    assert span(np.array([3e-4, 1e-9, 2e-2])) == (1e-9, 2e-2)
    shares = carrier_shares(np.array([0.9, 0.1, 0.4, 0.3]))
    assert (shares.best, shares.median) == (0.9, pytest.approx(0.35))


def test_accuracy_at_reads_the_mean_over_seeds_at_a_distance():
    card = rnnviz.load_model("memory-rnn").card
    rows = accuracy_over_seeds(card)
    k = rows[-1][0]
    runs = [run["accuracy_by_distance"] for run in card.get("seeds", [])] or [
        card["metrics"]["accuracy_by_distance"]
    ]
    expected = np.mean([run[str(k)] for run in runs])
    assert accuracy_at(rows, k) == pytest.approx(expected)
    assert accuracy_at(rows, 10_000) is None


# --- figures -------------------------------------------------------------------------------


def _font_sizes(figure: go.Figure) -> list[float]:
    """Every explicit text size in the figure, after inheriting the layout's font size."""
    layout = figure.layout
    sizes = [layout.font.size, layout.title.font.size]
    sizes += [annotation.font.size or layout.font.size for annotation in layout.annotations]
    for trace in figure.data:
        textfont = getattr(trace, "textfont", None)
        if textfont is not None and textfont.size is not None:
            value = textfont.size
            sizes += list(value) if isinstance(value, tuple | list) else [value]
    return [size for size in sizes if size is not None]


def _lesson_figures(rnn_trace, lstm_traces):
    parts = softmax_parts(rnn_trace, len(rnn_trace.tokens) - 1)
    lstm = lstm_traces[0]
    return [
        figures.reordering_bars(["甲", "乙"], {"rnn": ("rnn", [0.2, 0.7])}),
        figures.loop_diagram({"x": "词", "h": "记忆", "y": "输出"}),
        figures.softmax_chart(
            rnn_trace.labels, parts.logits, parts.exponentials, parts.probabilities
        ),
        figures.cross_entropy_chart(rnn_trace.probs[-1], rnn_trace.labels, 0),
        figures.unit_heatmap(lstm.gates["forget"][:, [1, 5]], lstm.tokens, [1, 5], (0, 1)),
        figures.unrolled_diagram(rnn_trace, 2),
        figures.gradient_decay_comparison({"rnn": rnn_trace}),
    ]


def test_lesson_figures_validate_and_presentable_raises_every_text(rnn_trace, lstm_traces):
    for figure in _lesson_figures(rnn_trace, lstm_traces):
        go.Figure(figure.to_dict())  # Plotly's own validation of what was built unvalidated
        styled = figures.presentable(figure, 18, dark=True, height=430)
        go.Figure(styled.to_dict())
        assert min(_font_sizes(styled)) >= 18
        assert styled.layout.height == 430
        assert styled.layout.template.layout.paper_bgcolor == figures.DARK_PAPER
        if styled.layout.legend.orientation == "h":
            assert styled.layout.legend.yanchor == "bottom"
    untitled = figures.presentable(_lesson_figures(rnn_trace, lstm_traces)[0], keep_title=False)
    assert not untitled.layout.title.text


def _luminance(colour: str) -> float:
    """WCAG relative luminance of #rgb, #rrggbb or rgb()/rgba() (alpha ignored)."""
    named = {"white": "#ffffff", "black": "#000000"}
    colour = named.get(colour, colour)
    if colour.startswith("#"):
        digits = colour[1:]
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        channels = [int(digits[i : i + 2], 16) for i in (0, 2, 4)]
    else:
        channels = [float(v) for v in colour[colour.index("(") + 1 : -1].split(",")[:3]]
    linear = [
        c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4
        for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _text_colours(value, inside: bool = False):
    """Every colour given to text in a figure's JSON (fonts of titles, ticks, labels)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "color" and inside and isinstance(item, str):
                yield item
            elif key == "color" and inside and isinstance(item, list):
                yield from (c for c in item if isinstance(c, str))
            else:
                yield from _text_colours(item, key.endswith("font"))
    elif isinstance(value, list):
        for item in value:
            yield from _text_colours(item)


def test_dark_figures_leave_no_text_dark_on_dark(rnn_trace, lstm_traces):
    """Every text colour of every lesson figure in the dark theme reads on its dark plot and
    page (WCAG AA, 4.5:1), as the defaults of the template do."""
    for figure in _lesson_figures(rnn_trace, lstm_traces):
        styled = figures.presentable(figure, 18, dark=True).to_plotly_json()
        colours = list(_text_colours(styled)) + [figures.DARK_INK]
        for colour in colours:
            for ground in (figures.DARK_PLOT, figures.DARK_PAPER):
                assert contrast(colour, ground) >= 4.5, (colour, ground)
        template = figures.DARK_TEMPLATE.layout
        assert contrast(template.xaxis.gridcolor, template.plot_bgcolor) > 1.5  # grid seen


def test_softmax_chart_writes_every_value_right_of_zero(rnn_trace):
    parts = softmax_parts(rnn_trace, len(rnn_trace.tokens) - 1)
    figure = figures.softmax_chart(
        rnn_trace.labels, parts.logits, parts.exponentials, parts.probabilities, ("a\nb", "c", "d")
    )
    labels = [trace for trace in figure.data if trace.type == "scatter"]
    assert len(labels) == 3 and min(parts.logits) < 0
    for trace, values in zip(
        labels, (parts.logits, parts.exponentials, parts.probabilities), strict=True
    ):
        assert [float(t) for t in trace.text] == pytest.approx(values, abs=0.005)
        assert min(trace.x) >= 0  # a negative score's label is never against the class names
    assert figure.layout.xaxis.title.text == "a<br>b"


def test_sci_format_writes_numbers_in_the_apps_style():
    assert "最大差 0）" in text("bow_equal", "zh", diff=0.0)
    assert "1.2 × 10⁻⁴" in text("bow_equal", "en", diff=0.000123)
    assert "1.2 × 10⁻⁴" in text("lesson_a_order", "en", bow="1.2 × 10⁻⁴")


def test_unit_heatmap_labels_rows_with_unit_ids(lstm_traces):
    trace = lstm_traces[0]
    figure = figures.unit_heatmap(
        trace.gates["forget"][:, [3, 9]], trace.tokens, [3, 9], (0, 1), tick_labels={4: "<b>"}
    )
    assert list(figure.data[0].y) == ["#3", "#9"]
    assert [html.unescape(t) for t in figure.layout.xaxis.ticktext] == ["<b>"]
    assert figure.layout.xaxis.ticktext == ("&lt;b&gt;",)


# --- the view ------------------------------------------------------------------------------


def app(**query) -> AppTest:
    return open_app(**query)


def button(at, key):
    return next(b for b in at.button if b.key == key)


def test_every_section_has_its_strings_in_both_languages():
    for section in SECTIONS:
        for prefix in ("lesson_title_", "lesson_take_"):
            chinese, english = STRINGS[prefix + section]
            assert chinese and english and chinese != english


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_section_runs_and_reveals(language):
    at = app(view="lesson", sec="1", lang=language)
    questions = 0
    for section in range(1, SECTION_COUNT + 1):
        assert not at.exception, section
        assert at.query_params["sec"] == str(section)
        name = SECTIONS[section - 1]
        assert text(f"lesson_title_{name}", language) in [m.value[3:] for m in at.markdown]
        takeaway = f"#### {text(f'lesson_take_{name}', language)}"
        if any(b.key == "lesson_reveal" for b in at.button):
            questions += 1
            # predict first: no figure, no answer, no takeaway (it states the answer)
            assert not at.get("plotly_chart") and not at.success, section
            assert takeaway not in [m.value for m in at.markdown], section
            assert not [e for e in at.get("bidi_component") if "stepper" in e.proto.component_name]
            button(at, "lesson_reveal").click().run()
            assert at.success, section
        assert takeaway in [m.value for m in at.markdown], section
        # token lines are Markdown code spans: no st.code, whose highlighter a phone would fetch
        assert not at.code, section
        steppers = [e for e in at.get("bidi_component") if "stepper" in e.proto.component_name]
        # one figure: a chart, or the browser-side step-through (sections 3 and 4)
        assert len(at.get("plotly_chart")) + len(steppers) == 1, section
        if section < SECTION_COUNT:
            button(at, "lesson_next").click().run()
    assert questions >= 4


@pytest.mark.parametrize("value", ["0", "13", "-1", "abc", "1.5", "<script>", "9" * 40])
def test_bad_section_falls_back_to_the_first_with_a_notice(value):
    at = app(view="lesson", sec=value)
    assert not at.exception
    assert "sec" in " ".join(str(w.value) for w in at.warning)
    assert at.query_params["sec"] == "1"
    assert text("lesson_title_order", "zh") in [m.value[3:] for m in at.markdown]


def test_section_and_flags_from_the_url():
    at = app(view="lesson", sec="8", present="1", dark="1", lang="en")
    assert not at.exception and not at.warning
    assert text("lesson_title_distance", "en") in [m.value[3:] for m in at.markdown]
    at = app(view="lesson", present="yes")
    assert "present" in " ".join(str(w.value) for w in at.warning)


def test_bag_of_words_answer_is_measured():
    at = app(view="lesson", sec="1")
    button(at, "lesson_choice_2").click().run()  # "exactly the same": a choice reveals nothing
    assert not at.success and not at.get("plotly_chart")
    assert not [m.value for m in at.markdown if m.value.startswith("你选了")]
    button(at, "lesson_reveal").click().run()
    kept = [m.value for m in at.markdown if m.value.startswith("你选了")]
    assert kept == [text("lesson_right", "zh", choice=text("lesson_c_same", "zh"))]
    bow = rnnviz.load_model("sentiment-bow")
    outputs = [rnnviz.trace(bow, list(s)).probs[-1] for s in ORDER_SENTENCES]
    assert np.max(np.abs(outputs[0] - outputs[1])) < 1e-6


@pytest.mark.parametrize("language", ["zh", "en"])
def test_order_answer_says_what_each_model_does(language):
    at = app(view="lesson", sec="1", lang=language)
    button(at, "lesson_reveal").click().run()
    answer = at.success[0].value
    for name in ("sentiment-rnn", "sentiment-lstm"):
        model = rnnviz.load_model(name)
        first, second = (
            float(rnnviz.trace(model, list(s)).probs[-1, model.labels.index("正面")])
            for s in ORDER_SENTENCES[:2]
        )
        flipped = (first >= 0.5) != (second >= 0.5)
        key = "lesson_order_flips" if flipped else "lesson_order_moves"
        was, now = (class_name("正面" if p >= 0.5 else "负面", language) for p in (first, second))
        arch = name.removeprefix("sentiment-").upper()
        expected = text(key, language, name=arch, first=first, second=second, was=was, now=now)
        assert expected in answer


def test_a_students_choice_is_kept_across_sections():
    at = app(view="lesson", sec="8")
    button(at, "lesson_choice_1").click().run()
    button(at, "lesson_reveal").click().run()
    chosen = [m.value for m in at.markdown if m.value.startswith("你选了")]
    button(at, "lesson_next").click().run()
    button(at, "lesson_prev").click().run()
    assert [m.value for m in at.markdown if m.value.startswith("你选了")] == chosen != []
    assert at.success  # still revealed


def stepper_data(at) -> dict:
    """The data sent to the browser's step-through (it steps there, with no rerun)."""
    (component,) = [
        e for e in at.get("bidi_component") if e.proto.component_name.endswith("rnnviz_stepper")
    ]
    return json.loads(component.proto.json)


def test_the_step_section_steps_in_the_browser_with_diagram_and_equation():
    at = app(view="lesson", sec="4")
    assert not at.exception
    data = stepper_data(at)
    assert data["parts"] == ["diagram", "equation"] and data["slide"] is True
    assert data["payload"]["tokens"] == live_prompt_tokens("程序员", 0)
    assert len(data["payload"]["steps"]) == len(data["payload"]["tokens"])
    assert data["step"] == 0 == at.session_state["lesson_step"]
    assert not [b for b in at.button if b.key and b.key.startswith("lesson_step")]


def test_the_unrolled_section_steps_the_diagram_once_revealed():
    at = app(view="lesson", sec="3")
    assert not [e for e in at.get("bidi_component") if "stepper" in e.proto.component_name]
    button(at, "lesson_reveal").click().run()
    assert not at.exception
    data = stepper_data(at)
    assert data["parts"] == ["diagram"]
    assert data["payload"]["tokens"] == live_prompt_tokens("程序员", 0)


def test_a_paused_step_is_kept_in_the_lessons_own_state():
    at = app(view="lesson", sec="4", step="3")
    explore_step = at.session_state["step"]
    at.session_state["lesson_stepper"] = {"step": 6}  # what the browser reports on pause
    at.run()
    assert at.session_state["lesson_step"] == 6 == stepper_data(at)["step"]
    assert at.session_state["step"] == explore_step == 2  # the explore view's step is its own
    button(at, "lesson_next").click().run()
    assert at.session_state["lesson_step"] == 0  # a new section starts at its first step


def test_qr_code_never_carries_localhost_and_encodes_the_chosen_address():
    at = app(view="lesson", sec="3", lang="en")
    button(at, "lesson_qr").click().run()
    assert not at.exception
    # the page is on localhost: a warning, no code, this machine's addresses offered
    assert text("lesson_localhost", "en") in [w.value for w in at.warning]
    assert not at.get("image") and not at.code
    offered = [b for b in at.button if b.key and b.key.startswith("lesson_address_")]
    assert [b.label for b in offered] == student_bases(
        "http://localhost:8501/", network_addresses()
    )
    at.text_input(key="lesson_host_box").set_value("http://192.168.1.10:8501").run()
    link = share_link("http://192.168.1.10:8501/", 3, "en")
    assert link == "http://192.168.1.10:8501/?view=lesson&sec=3&lang=en"
    assert [c.value for c in at.code] == [link]
    assert len(at.get("image")) == 1
    assert text("lesson_localhost", "en") not in [w.value for w in at.warning]
    at.text_input(key="lesson_host_box").set_value("javascript:alert(1)").run()
    assert text("lesson_bad_host", "en") in [w.value for w in at.warning]
    assert not at.get("image")  # an invalid address is not encoded either


def test_an_offered_address_is_encoded_once_chosen(monkeypatch):
    at = app(view="lesson", sec="2", lang="zh")
    button(at, "lesson_qr").click().run()
    offered = [b for b in at.button if b.key and b.key.startswith("lesson_address_")]
    if not offered:  # a machine with no network: the page says so, and the box remains
        assert text("lesson_no_address", "zh") in [c.value for c in at.caption]
        return
    offered[0].click().run()
    assert [c.value for c in at.code] == [share_link(offered[0].label, 2, "zh")]
    assert not is_loopback(offered[0].label)


@pytest.mark.parametrize(
    "url,expected",
    [
        ("http://localhost:8501/", True),
        ("http://127.0.0.1:8501/", True),
        ("http://127.1.2.3/", True),
        ("http://[::1]:8501/", True),
        ("http://0.0.0.0:8501/", True),
        ("http://app.localhost/", True),
        ("http://192.168.1.10:8501/", False),
        ("https://class.example.org/rnn/", False),
    ],
)
def test_loopback_addresses_are_recognised(url, expected):
    assert is_loopback(url) is expected


def test_network_addresses_are_reachable_ones_and_keep_the_pages_port_and_path():
    for address in network_addresses():
        parsed = ipaddress.ip_address(address)
        assert not (parsed.is_loopback or parsed.is_link_local or parsed.is_unspecified)
    assert student_bases("http://localhost:8611/app", ["10.0.0.5"]) == ["http://10.0.0.5:8611/app/"]
    assert listens_only_here("127.0.0.1") and listens_only_here("localhost")
    assert not listens_only_here("0.0.0.0") and not listens_only_here("")


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("192.168.1.10:8501", "http://192.168.1.10:8501/"),
        ("https://class.example.org/rnn", "https://class.example.org/rnn/"),
        (" http://[::1]:8501/ ", "http://[::1]:8501/"),
        ("javascript:alert(1)", None),
        ("ftp://host/", None),
        ("http://user@host/", None),
        ("http://host:port/", None),
        ("http://<b>/", None),
        ("http://host/?x=1", None),
        ("", None),
    ],
)
def test_student_base_accepts_only_a_plain_http_address(typed, expected):
    assert student_base(typed) == expected


def test_the_race_section_has_the_live_race_under_the_slide():
    at = app(view="lesson", sec=str(SECTIONS.index("race") + 1))
    assert not at.exception
    assert at.number_input(key="lesson_race_steps").value >= 10
    assert text("lesson_live_race", "zh") in [e.label for e in at.expander]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_article_section_answers_from_the_cards_over_seeds(language):
    at = app(view="lesson", sec=str(SECTIONS.index("article") + 1), lang=language)
    assert not at.exception and not at.get("plotly_chart")
    button(at, "lesson_reveal").click().run()
    card = rnnviz.load_model("activity-position").card
    spread = card["over_seeds"]["new_position"]
    answer = at.success[0].value
    assert answer.startswith(text("lesson_c_guess", language))
    assert f"{spread['mean']:.0%}" in answer and f"{spread['min']:.0%}" in answer
    (chart,) = at.get("plotly_chart")
    bars = json.loads(chart.proto.spec)["data"]
    by_share = {
        card["config"]["particle_share"]: card["over_seeds"],
        card["other_design"]["particle_share"]: card["other_design"]["over_seeds"],
    }
    # the position-wise network's bars: activity always last, then half carried on
    expected = [by_share[share]["new_position"]["mean"] for share in sorted(by_share)]
    assert [bar["y"][0] for bar in bars[:2]] == expected
