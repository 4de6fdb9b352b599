"""Issue 31 as a teacher does it, in headless Chromium: paste twenty order-dependent sentences,
train RNN, LSTM and bag-of-words, step through the LSTM; the downloaded checkpoint loads in
another browser session, which never sees the first session's models."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from rnnviz.app.i18n import text

from .helpers import exceptions

TWENTY = "".join(
    f"{a}{verb}{b}\t{a}\n"
    for verb in ("咬", "看见", "喜欢", "帮助", "抱着", "等着", "叫醒", "追着", "跟着", "找到了")
    for a, b in (("猫", "狗"), ("狗", "猫"))
)
MODEL_NAME = re.compile(r"own[0-9a-f]{6}-(rnn|lstm|gru|bow)")


def open_own(page: Page, url: str) -> None:
    page.goto(f"{url}/?view=own&lang=zh")
    page.get_by_text(text("own_intro", "zh")[:20]).wait_for(timeout=120_000)


def model_box(page: Page, arch: str):
    return (
        page.locator('[data-testid="stVerticalBlock"]', has_text=f"own-{arch}-")
        .filter(has=page.get_by_role("button", name=text("own_explore", "zh")))
        .last
    )


def test_teacher_trains_on_twenty_sentences_and_a_checkpoint_moves(page, server, browser, tmp_path):
    open_own(page, server)
    page.get_by_text(text("own_source_paste", "zh"), exact=True).click()
    box = page.get_by_role("textbox", name=text("own_paste", "zh"))
    box.fill(TWENTY)
    box.press("Control+Enter")
    expect(page.get_by_text("16 句用来训练")).to_be_visible(timeout=60_000)
    page.get_by_role("button", name=text("own_train", "zh")).click()
    # the three models arrive in the session's list (live curves in between)
    expect(page.get_by_text(re.compile(r"own[0-9a-f]{6}-bow"))).to_be_visible(timeout=300_000)
    lines = page.locator("p").filter(has_text=MODEL_NAME).all_inner_texts()
    assert len(lines) == 3, lines
    lstm_line = next(line for line in lines if "LSTM" in line)
    bow_line = next(line for line in lines if "BOW" in line)
    assert "训练准确率 100%" in lstm_line
    assert "训练准确率 100%" not in bow_line  # it cannot fit mirrored sentences
    assert exceptions(page) == 0
    lstm_name = MODEL_NAME.search(lstm_line).group(0)

    # download its checkpoint
    with page.expect_download() as download:
        model_box(page, "lstm").get_by_role("button", name=text("own_download", "zh")).click()
    checkpoint = tmp_path / "mine.pt"
    download.value.save_as(checkpoint)
    assert checkpoint.stat().st_size > 1000

    # step through it in the explore view
    model_box(page, "lstm").get_by_role("button", name=text("own_explore", "zh")).click()
    page.wait_for_function(
        f"() => new URLSearchParams(location.search).get('model') === '{lstm_name}'",
        timeout=60_000,
    )
    expect(page.locator("svg.diagram")).to_be_visible(timeout=60_000)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press("ArrowRight")
    expect(page.get_by_text(text("reading", "zh", t=2))).to_be_visible()
    assert exceptions(page) == 0

    # another session: never sees the model, even through the link; loads the checkpoint
    other_context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 2400})
    other = other_context.new_page()
    other.set_default_timeout(60_000)
    try:
        other.goto(f"{server}/?view=explore&model={lstm_name}&lang=en")
        expect(other.get_by_text("model", exact=False).first).to_be_visible(timeout=120_000)
        other.locator(".stPlotlyChart .main-svg").first.wait_for(timeout=120_000)
        assert lstm_name not in other.content()
        assert "model=sentiment-rnn" in other.url or "model=" not in other.url
        open_own(other, server)
        other.locator('[data-testid="stFileUploader"] input[type=file]').last.set_input_files(
            str(Path(checkpoint))
        )
        expect(other.get_by_text(re.compile(r"已载入为 own[0-9a-f]{6}-lstm"))).to_be_visible(
            timeout=60_000
        )
        assert exceptions(other) == 0
        # the loaded model's line in the session's list (not the "loaded as" notice)
        loaded = other.locator("p").filter(has_text=MODEL_NAME).filter(has_text="训练准确率")
        expect(loaded.filter(has_text="训练准确率 100%")).to_have_count(1)
    finally:
        other_context.close()
