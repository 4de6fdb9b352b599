"""The live class in the lesson's page, through AppTest (the store is the process's, as on a
server): starting a class, the presenter publishing its section, a following page taking the
class's section and step with no navigation or reveal of its own, the round buttons, and an
unknown code."""

from __future__ import annotations

from apptest import open_app
from streamlit.testing.v1 import AppTest

from rnnviz.class_store import shared_store
from rnnviz.teaching import SECTIONS


def lesson(**params) -> AppTest:
    return open_app(**{"view": "lesson", "lang": "en", **params})


def buttons(app: AppTest) -> dict:
    return {button.key: button for button in app.button}


def test_the_presenter_starts_a_class_and_publishes_its_section():
    app = lesson(sec="2", present="1")
    assert not app.exception
    buttons(app)["class_start"].click().run()
    code = app.session_state["class"]
    view = shared_store().view(code)
    assert view is not None and view.sec == 2
    assert app.query_params["class"] == code
    secret = app.session_state["class_secret"]
    assert secret not in str(app.query_params) and "class_start" not in buttons(app)
    buttons(app)["lesson_next"].click().run()
    assert shared_store().view(code).sec == 3


def test_a_following_page_takes_the_class_section_and_has_no_controls_of_its_own():
    store = shared_store()
    code, secret = store.create()
    question = SECTIONS.index("last") + 1
    store.move(code, secret, question, 0, 3)
    app = lesson(sec="1", **{"class": code})
    assert not app.exception
    assert app.session_state["sec"] == question
    shown = buttons(app)
    assert shown["lesson_next"].disabled and shown["lesson_prev"].disabled
    assert "lesson_reveal" not in shown and "lesson_choice_1" not in shown
    assert "class_start" not in shown and "class_leave" in shown
    store.reveal(code, secret)
    app.run()
    assert any("The right answer: The last step" in item.value for item in app.markdown)
    shown["class_leave"].click().run()  # browsing alone: its own controls again
    assert not buttons(app)["lesson_next"].disabled
    assert "class_rejoin" in buttons(app)


def test_the_presenter_runs_two_rounds_with_its_buttons():
    store = shared_store()
    app = lesson(sec=str(SECTIONS.index("last") + 1), present="1")
    buttons(app)["class_start"].click().run()
    code = app.session_state["class"]
    assert store.view(code).question.round == 1
    buttons(app)["class_close"].click().run()
    assert not store.view(code).question.open
    buttons(app)["class_second"].click().run()
    assert store.view(code).question.round == 2 and store.view(code).question.open
    buttons(app)["lesson_reveal"].click().run()
    assert store.view(code).question.revealed
    assert not app.exception


def test_an_unknown_class_says_so_and_is_dropped():
    app = lesson(sec="2", **{"class": "ZZZZZZ"})
    assert not app.exception
    assert any("There is no class ZZZZZZ" in item.value for item in app.warning)
    assert app.session_state["class"] == ""
    assert "class" not in app.query_params
    hostile = lesson(**{"class": "<script>alert(1)</script>"})
    assert not hostile.exception
    assert hostile.session_state["class"] == ""
