"""The race in a room (issue 25, part 3), in real Chromium: a page that follows a live class
only watches the race; a race whose owner's page is gone stops, and another page can start one
within 15 s (Start and Stop never stay disabled for everyone)."""

from __future__ import annotations

import time

from playwright.sync_api import expect

from .class_client import start_class

OWNER_GONE_LIMIT = 15.0
WAIT_MS = 60_000  # a page's first run on a busy machine


def race_buttons(page, prefix: str):
    return (
        page.locator(f".st-key-{prefix}_start button"),
        page.locator(f".st-key-{prefix}_stop button"),
    )


def test_a_following_phone_only_watches_the_race(server, browser):
    presenter_context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 720})
    phone_context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    try:
        presenter = presenter_context.new_page()
        presenter.set_default_timeout(120_000)
        code, _ = start_class(presenter, server, section=11)
        phone = phone_context.new_page()
        phone.set_default_timeout(120_000)
        phone.goto(f"{server}/?view=lesson&class={code}&lang=en")
        expect(phone.locator(".rnnviz-class-line")).to_have_text(
            f"Following class {code}", timeout=WAIT_MS
        )
        phone.get_by_text("Live race: the three networks").first.click()
        start, stop = race_buttons(phone, "lesson_race")
        expect(start).to_be_disabled(timeout=WAIT_MS)
        expect(stop).to_be_disabled()
        expect(phone.get_by_text("In class the teacher starts and stops the race")).to_be_visible()
        # the presenter's own page can start it
        presenter.get_by_text("Live race: the three networks").first.click()
        expect(race_buttons(presenter, "lesson_race")[0]).to_be_enabled(timeout=WAIT_MS)
    finally:
        presenter_context.close()
        phone_context.close()


def test_an_abandoned_race_frees_the_start_button_within_15_s(server, browser):
    owner_context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    other_context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    try:
        owner = owner_context.new_page()
        owner.set_default_timeout(120_000)
        owner.goto(f"{server}/?view=arch&lang=en")
        start, stop = race_buttons(owner, "race")
        start.click()
        expect(stop).to_be_enabled(timeout=WAIT_MS)  # running, and this page owns it
        other = other_context.new_page()
        other.set_default_timeout(120_000)
        other.goto(f"{server}/?view=arch&lang=en")
        other_start, other_stop = race_buttons(other, "race")
        expect(other_start).to_be_disabled(timeout=WAIT_MS)  # someone else's race is running
        owner_context.close()  # the owner's page is gone mid-race
        left = time.perf_counter()
        expect(other_start).to_be_enabled(timeout=OWNER_GONE_LIMIT * 1000)
        other_start.click()
        expect(other_stop).to_be_enabled(timeout=WAIT_MS)
        assert time.perf_counter() - left <= OWNER_GONE_LIMIT + 5
        other_stop.click()  # and Stop stops it
        expect(other_start).to_be_enabled(timeout=15_000)
    finally:
        other_context.close()
