"""The lessons as data: listed, looked up, shown in both languages, and the README's table made from them."""

from pathlib import Path

import pytest

from engine import command_line
from engine.cli import config_from_args, make_parser
from tui import i18n, lessons

README = (Path(__file__).parents[2] / "README.md").read_text()


def test_the_readme_table_is_generated_from_the_lessons():
    assert lessons.readme_table() in README


def test_listing_is_one_line_per_lesson_name_then_title():
    lines = lessons.listing("en")
    assert len(lines) == len(lessons.names())
    for line, lesson in zip(lines, lessons.all_lessons()):
        name, title = line.split(None, 1)
        assert name == lesson.name and title.strip() == lesson.text("title", "en")


def test_lessons_come_in_the_lectures_order():
    orders = [lesson.order for lesson in lessons.all_lessons()]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)
    assert lessons.names()[:2] == ["iterations", "batch-modes"]


def test_an_unknown_lesson_is_one_line_with_a_suggestion():
    with pytest.raises(ValueError, match="unknown lesson 'overfiting'; did you mean 'overfitting'"):
        lessons.get("overfiting")


@pytest.mark.parametrize("name", lessons.names())
def test_the_headless_command_of_a_lesson_trains_its_setup(name):
    lesson = lessons.get(name)
    if lesson.surface is not None:
        assert lesson.command_line().split()[:4] == ["python", "-m", "engine", "surface"]
        return
    setup = lesson.setup
    words = command_line.command_line(setup).split()
    assert words[:4] == ["python", "-m", "engine", setup.kind]
    args = make_parser().parse_args(words[3:])
    assert config_from_args(args) == setup.config.replace(optimizer_options=dict(setup.config.optimizer_options))
    if setup.race:
        flag = command_line.RACE_FLAGS[setup.race.field]
        assert getattr(args, flag[2:].replace("-", "_")) == setup.race.text()


def test_every_key_exists_in_both_languages_with_the_same_fields():
    """(``key.*`` and ``textual.*`` are Korean only, their English in the code: test_korean checks them.)"""
    en, ko = i18n.strings("en"), i18n.strings("ko")
    assert not [key for key in en if key.startswith(i18n.ONLY_ELSEWHERE)]
    assert set(en) == {key for key in ko if not key.startswith(i18n.ONLY_ELSEWHERE)}, set(en) ^ set(ko)
    for key in en:
        assert i18n.fields(en[key]) == i18n.fields(ko[key]), key
        assert ko[key].strip(), key


def test_korean_uses_the_lectures_terms():
    ko = " ".join(i18n.strings("ko").values())
    for term in ("손실", "배치 경사 하강법", "확률적 경사 하강법", "미니 배치", "모멘텀", "에포크",
                 "이터레이션", "과대적합", "과소적합", "아다그라드", "알엠에스프롭", "아담"):
        assert term in ko, term


def test_language_switch_and_unknown_language():
    lesson = lessons.get("momentum")
    try:
        i18n.set_language("ko")
        assert lesson.text("title") == lesson.text("title", "ko") != lesson.text("title", "en")
    finally:
        i18n.set_language("en")
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        i18n.set_language("fr")


# -- the card's room at 80x24 (checked in test_lesson_keys' apps) -----------------------------------------------
# What to do (▶) is the lesson's current step: at 80x24 the card shows it whole under the title, in every lesson of
# its view and both languages (the main view's card showed only the title; a race card stopped mid-sentence).

def card_head(lesson: lessons.Lesson, lang: str):
    """The top of ``lesson``'s card in ``lang``: its title and what to do (▶)."""
    from tui.lessons.card import lesson_text
    return lesson_text(lesson.text("title", lang), lesson.lines(lang)[:1])


def rows_for(view, text) -> int:
    """The rows the ``Static`` ``view`` takes with ``text`` in it, at its width, as the layout counts them (Textual's
    ``get_content_height``, which the layout calls, plus its gutter): ``text`` is put in, and no repaint is waited
    for (a repaint a text cost ~30 ms of CPU at 80x24)."""
    view.update(text)
    return view.get_content_height(view.parent.content_size, view.app.size, view.content_size.width) + \
        view.styles.gutter.height


async def every_main_card_shows_what_to_do(app, pilot) -> None:
    """In the main view at 80x24 with a lesson's card shown: the card shows its title and ▶ line on screen, and so
    would every lesson of the main view in both languages (each head put in the card, its rows counted as the
    layout counts them: for the card shown, the rows it was laid out in)."""
    from tests.tui.conftest import screen_text, squash

    panel = app.why_panel
    lesson = app.lesson
    text = screen_text(app)  # (a wrapped line is not whole in it: the control panel's rows come between)
    assert squash(lesson.text("title")) in text and squash(lesson.lines()[0])[:20] in text and panel.scroll_y == 0
    shown = panel.scrollable_content_region.height
    view = panel.query_one("#why-text")
    assert rows_for(view, view.content) == view.outer_size.height  # counted as laid out
    for other in [each for each in lessons.all_lessons() if each.view == "main"]:
        for lang in i18n.LANGUAGES:
            assert rows_for(view, card_head(other, lang)) <= shown, (other.name, lang, shown)
    app._show_experiment()  # the card as it was


async def every_race_card_shows_what_to_do(screen, pilot) -> None:
    """In the race view at 80x24 on a lesson's race: its card, as tall whatever the line-up (its plot takes what is
    left), shows every race lesson's title and ▶ line in both languages (counted as ``every_main_card…`` counts)."""
    card = screen.query_one("#race-why")
    shown = card.scrollable_content_region.height
    view = screen.query_one("#race-why-text")
    assert rows_for(view, view.content) == view.outer_size.height  # counted as laid out
    for other in [each for each in lessons.all_lessons() if each.view == "race"]:
        for lang in i18n.LANGUAGES:
            rows = rows_for(view, card_head(other, lang))
            assert rows <= shown, (other.name, lang, rows, shown)
    screen.show_notes()  # the card as it was
