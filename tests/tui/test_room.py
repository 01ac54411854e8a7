"""Room on the screen at 80×24 and 120×40, in English and Korean: the loss plot's rows, counters that
never wrap, the why panel's collapse key (y) and its reading size (tab), the run panel's epoch label,
the footer."""

from __future__ import annotations

from dataclasses import replace

import pytest
from rich.cells import cell_len
from rich.text import Text

from tui import i18n
from tui.textual_private import screen_lines
from tui.widgets.counters import Counts, counter_lines
from tests.tui.conftest import footer_line, readme_words, resize, screen_text, settle, squash, until

FOOTER = {"en": {"why": "y Why", "lessons": "L Lessons", "quit": "q Quit"},
          "ko": {"why": "y 설명", "lessons": "L 수업", "quit": "q 종료"}}
"""Footer keys as each language shows them."""


def drawing_rows(plot) -> int:
    """Rows between the plot frame's top and bottom edges: where the curves are drawn."""
    lines = plot.render().plain.split("\n")
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    bottom = next(i for i, line in enumerate(lines) if "└" in line)
    return bottom - top - 1


def assert_counters_unwrapped(app) -> None:
    """Every counters line fits its width: the widget is as tall as its lines, none cut."""
    counters = app.counters
    lines = counters.render().split("\n")
    assert counters.size.height == len(lines) <= 4, lines
    for line in lines:
        assert Text.from_markup(line).cell_len <= counters.content_region.width, line


async def the_loss_plot_gets_its_rows_y_collapses_the_why_panel_and_the_footer_shows_it(app, pilot, size, lang) -> None:
    """On SMALL, ready, the why panel shown, the plot focused; run at every size and language by
    ``test_field_keys``. At 80x24 the same app goes on: the footer, palette, help and counters from 60 to 200
    columns (the app ends at 200x24)."""
    await pilot.press("e")
    await settle(app, pilot)
    app._redraw()
    rows = drawing_rows(app.loss_plot)
    assert rows >= (10 if size == (80, 24) else 14)
    assert app.why_panel.display and app.why_panel.outer_size.height >= 3
    assert_counters_unwrapped(app)
    text = screen_text(app)
    label = squash(i18n.t("counters.logs_epoch", epoch=1))  # "epoch 1:", "에포크 1:"
    assert f"{label}loss" in text and "val_loss" in text and "val_acc" in text  # the run panel's epoch label
    assert len(app.counters.render().split("\n")) == 3
    await pilot.press("y")
    await pilot.pause()
    assert not app.query_one("#lower").display and not app.lower_open
    assert drawing_rows(app.loss_plot) > rows  # the plot takes the why panel's rows
    await pilot.press("y")
    await pilot.pause()
    assert app.why_panel.display and app.why_panel.outer_size.height >= 3
    assert drawing_rows(app.loss_plot) == rows
    if size != (80, 24):
        return
    # y and L in the footer (which fits), the palette and ? help
    words = FOOTER[lang]
    footer = await footer_line(app.screen, pilot, words["quit"])
    assert all(words[key] in footer for key in words) and cell_len(footer.rstrip()) <= 80
    titles = {command.title for command in app.get_system_commands(app.screen)}
    assert {words["why"][2:], words["lessons"][2:]} <= titles
    for width in (60, 110, 200):  # the counters from 60 columns up (every width: test_counter_lines_fit…)
        await resize(pilot, width, 24)
        await pilot.pause()
        assert_counters_unwrapped(app)
    await pilot.press("question_mark")
    await pilot.pause()
    assert squash(i18n.t("help.action.toggle_why")) in squash(" ".join(screen_lines(app.screen)))
    await pilot.press("escape")


async def m_shows_the_lower_panel_y_hid_and_a_lesson_shows_its_card(app, pilot) -> None:
    """At 80x24, on SMALL, the why panel shown, the plot focused; run in English and Korean by ``test_field_keys``,
    then the race view's walk below."""
    from tui import lessons
    if i18n.language() == "en":  # (a resize there and back costs ~0.3 s of CPU: the card's visit below is in both)
        await resize(pilot, 60, 20)
        await at_20_rows_the_plot_and_the_panel_under_it_fit_and_tab_reaches_it(app, pilot, tab=False)
        await resize(pilot, 80, 24)
    rows = app.why_panel.outer_size.height
    await pilot.press("tab")  # to the why panel: read it at half the height
    await pilot.pause()
    assert app.focused is app.why_panel and app.why_panel.outer_size.height >= max(rows + 4, 9)
    await pilot.press("escape")  # back on the plot: its rows back
    await pilot.pause()
    assert app.focused is app.loss_plot and app.why_panel.outer_size.height == rows
    await pilot.press("y")
    await pilot.pause()
    assert not app.query_one("#lower").display
    await pilot.press("m")  # the map, chosen: shown, sharing the height with the plot
    await pilot.pause()
    assert app.lower_open and app.lower == "map" and app.learned_map.size.height >= 6
    await pilot.press("y")
    await pilot.pause()
    assert not app.query_one("#lower").display and app.loss_plot.size.height >= 16
    await app.open_lesson(lessons.get("iterations"))
    await pilot.pause()
    assert app.lower_open and app.why_panel.display and app.why_panel.border_title == i18n.t("ui.lessons.card")
    assert app.config.validation_split == 0 and "val_" not in app.counters.render()  # no split: no val_ columns
    await resize(pilot, 60, 20)
    await at_20_rows_the_plot_and_the_panel_under_it_fit_and_tab_reaches_it(app, pilot)
    await resize(pilot, 80, 24)


async def at_20_rows_the_plot_and_the_panel_under_it_fit_and_tab_reaches_it(app, pilot, tab: bool = True) -> None:
    """At 60x20 (the smallest usable size), the why panel or a lesson's card under the plot, the plot focused: the
    plot ended past the footer, without its x axis (its 16 rows, 12 beside a card, and the card's 7 were more than
    the 15 or 16 under the counters), and the panel was off the screen, out of tab's reach. Ends as it began."""
    footer = app.screen.size.height - 1
    plot, panel = app.loss_plot, app.why_panel
    assert plot.outer_size.height >= 8 and plot.region.bottom <= footer, plot.region
    assert any("└" in line for line in plot.render().plain.splitlines()[-3:])  # its x axis, over its label
    assert panel.outer_size.height >= (6 if app.lesson else 3) and panel.region.bottom <= footer, panel.region
    if not tab:
        return
    rows = panel.outer_size.height
    await pilot.press("tab")  # to the why panel or the card: read it at half the height (the plot keeps 8)
    await until(pilot, lambda: app.focused is panel and panel.outer_size.height > rows)
    assert panel.region.bottom <= footer and plot.region.bottom <= footer
    await pilot.press("escape")
    await until(pilot, lambda: app.focused is plot)


def test_counter_lines_fit_every_width_and_keep_their_count():
    counts = Counts(state="diverged", epoch=12, epochs=200, iteration=31, iterations=63, step=123_456,
                    examples=3_950_592, last_batch=16, steps_per_second=12_345, speed=300,
                    status_text="diverged at epoch 12, iteration 31", loss=1.234e-5, val_loss=0.5, metric="accuracy",
                    metric_value=0.95, val_metric_value=1.0, learning_rate=0.001, logs_epoch=11)
    for width in range(40, 201):
        lines = counter_lines(counts, width)
        assert len(lines) == (3 if width >= 76 else 4), width  # "epoch 200: loss 1.234e-05 · … · val_acc 100.0%"
        for line in lines[1:]:
            assert Text.from_markup(line).cell_len <= width, (width, line)
        assert "epoch 11:[/b] loss 1.234e-05" in lines[2]
        pair = "[b]epoch 11:[/b] acc 95.0% · val_acc 100.0%"  # the metric pair, labelled with its epoch
        assert (lines[-1].endswith(pair) if len(lines) == 4 else lines[2].endswith("acc 95.0% · val_acc 100.0%")) \
            == (len(lines) == 3 or width >= Text.from_markup(pair).cell_len), width
    wide = counter_lines(counts, 200)
    for piece in ("seen 3,950,592", "last batch 16", "12,345 steps/s", "speed 300/s", "lr 0.001"):
        assert piece in wide[1]
    pace = ["seen", "steps/s", "last batch", "lr", "speed", "step"]  # the README's order of leaving out
    shown = [[piece in counter_lines(counts, width)[1] for piece in pace] for width in range(20, 201)]
    assert all(row == sorted(row) for row in shown) and shown[0] == [False] * 5 + [True]
    assert counter_lines(Counts(), 80)[2] == "loss — · val_loss — · acc — · val_acc —"  # no epoch yet: no label
    # an update within the first epoch: its batch loss in the loss's place, as the README says (n in the cce lesson)
    assert counter_lines(Counts(step=1, batch_loss=1.1251), 80)[2] == "batch loss 1.125 · val_loss — · acc — · val_acc —"
    assert "(before the first epoch ends, the last update's `batch loss …` in its place)" in readme_words()
    saturated = replace(counts, state="finished", status_text="finished", epoch=3, epochs=3, iteration=50, iterations=50,
                        detail="saturated: outputs pinned at the 1e-7 clip")  # the README's words, whole at 80 columns
    assert Text.from_markup(counter_lines(saturated, 80)[0]).plain == \
        "● finished · saturated: outputs pinned at the 1e-7 clip · epoch 3/3"  # (it ended "· iterati…")
    diverged = replace(saturated, state="diverged", status_text="diverged at epoch 1, iteration 5", detail=None,
                       epoch=1, iteration=5)
    assert Text.from_markup(counter_lines(diverged, 58)[0]).plain == \
        "● diverged at epoch 1, iteration 5 · epoch 1/3"  # whole at 60 columns (it was cut: "· iteration 5…")
    assert "iteration 5/50" in counter_lines(replace(diverged, status_text="diverged"), 58)[0]  # a state in one word
    # without validation data (split 0) no val_ columns, which would read — for ever: one line at 80 columns
    unvalidated = replace(counts, validation=False, epochs=3, logs_epoch=3, loss=0.6869, metric_value=0.582)
    assert counter_lines(unvalidated, 80)[2:] == ["[b]epoch 3:[/b] loss 0.6869 · acc 58.2%"]
    assert counter_lines(unvalidated, 30)[2:] == ["[b]epoch 3:[/b] loss 0.6869", "[b]epoch 3:[/b] acc 58.2%"]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_counter_groups_its_thousands_alike(lang):
    """Epoch, iteration, step, seen and last batch read in one number format (the iteration counter had none)."""
    i18n.set_language(lang)
    counts = Counts(epoch=1_200, epochs=10_000, iteration=12_500, iterations=31_250, step=37_512_500,
                    examples=37_512_500, last_batch=1_000, logs_epoch=1_199, loss=0.5)
    shown = " ".join(counter_lines(counts, 200))
    for key, values in (("epoch", dict(epoch="1,200", epochs="10,000")),
                        ("iteration", dict(iteration="12,500", iterations="31,250")),
                        ("step", dict(step="37,512,500")), ("seen", dict(examples="37,512,500")),
                        ("last_batch", dict(size="1,000")), ("logs_epoch", dict(epoch="1,199"))):
        assert i18n.t(f"counters.{key}", **values) in shown, (key, shown)


async def the_race_view_hides_its_notes_with_y_for_the_plot(app, pilot, lang) -> None:
    """At 80x24: the app ends in the race view."""
    from tui import lessons
    from tui.race.screen import RaceScreen
    await app.open_lesson(lessons.get("adam"))  # a race lesson: its card under the leaderboard
    await pilot.pause()
    race = app.screen
    assert isinstance(race, RaceScreen) and race._why.display
    # read right after opening: the view's first frame draws the race (it drew an empty frame first, without x
    # ticks: 6 rows inside, then 5 from the first redraw tick; RaceScreen.on_mount)
    rows = drawing_rows(race.plot)
    await a_race_lessons_card_leaves_the_plot_its_rows_and_tab_reads_it(race, pilot)
    card_rows = race._why.outer_size.height
    words = FOOTER[lang]
    footer = await footer_line(race, pilot, words["quit"])
    assert words["why"] in footer and footer.rstrip().endswith(words["quit"]) and cell_len(footer.rstrip()) <= 80
    await pilot.press("y")
    await pilot.pause()
    assert not race._why.display and drawing_rows(race.plot) >= max(rows + card_rows, 10)  # the card's rows
    await pilot.press("y")
    await pilot.pause()
    assert race._why.display and drawing_rows(race.plot) == rows


async def a_race_lessons_card_leaves_the_plot_its_rows_and_tab_reads_it(race, pilot) -> None:
    """At 80x24, a race lesson of three contestants open (the most a lesson races): the plot keeps 5 rows to draw
    in (it had 2), the card takes what is left whole (its title and what to do), inside the view, and scrolls; tab reads it at the plot's
    side of the height, escape gives the rows back and stays in the race view."""
    card, stage = race._why, race.query_one("#race-stage")
    rows, height, plot_height = drawing_rows(race.plot), card.outer_size.height, race.plot.outer_size.height
    assert rows == 5 and height >= 5 and card.region.bottom <= stage.region.bottom, (rows, card.region, stage.region)
    readme = readme_words()  # as the README says (it said 6 rows, and half the
    assert ("(5 from 24 rows: at 80×24 the plot keeps 5 rows to draw in), and scrolls; `tab` from the plot reads it at "
            "half the height (under 24 rows, at 60×20, the leaderboard gives way meanwhile), `escape` gives the plot and "
            "the leaderboard their rows back") in readme  # height at 60x20 too; the 60x20 walk: test_field_keys)
    assert card.max_scroll_y > 0  # the rest of its text is a scroll away
    await pilot.press("tab")
    await pilot.pause()
    assert race.focused is card and card.outer_size.height >= height + 3 and drawing_rows(race.plot) >= 2
    assert card.region.bottom <= stage.region.bottom
    await pilot.press("escape")
    await pilot.pause()
    assert race.focused is race.plot and race.is_current and card.outer_size.height == height
    # the plot has its rows back: its height, and the rows inside its frame (5 after 6 once: the view's first
    # frame was an empty one, a row taller inside; now it draws the race from its first frame)
    assert race.plot.outer_size.height == plot_height
    assert drawing_rows(race.plot) == rows, (rows, drawing_rows(race.plot))


async def at_60x20_the_race_lessons_card_and_quit_still_show(race, pilot, lang) -> None:
    """At 60x20, the smallest usable size, in the race view of a lesson of three (the field panel open): the card
    keeps its title and first line inside the view (the plot's 12 rows at 80x24 had pushed it out) and the footer
    ends with q Quit (it was cut after "y Wh"), the keys left out in ? help."""
    from tui.race.leaderboard import going
    card, stage, board = race._why, race.query_one("#race-stage"), race.leaderboard
    assert card.outer_size.height >= 4 and card.region.bottom <= stage.region.bottom, (card.region, stage.region)

    def rows() -> list[str]:
        region = board.content_region
        return [line[region.x:region.right] for line in screen_lines(race)[region.y:region.bottom]]
    await until(pilot, lambda: race.panel.display and all(  # beside the (slim) field panel: each state on one line
        any(i18n.message(going(s, race.status)[1]) in row for row in rows()) for s in board.standings.rows), why=rows)
    head = Text.from_markup(race._head_text())  # the status line whole (in Korean it ended in "목표 손실 ≤")
    assert head.cell_len <= race.query_one("#race-head").content_region.width, head.plain
    footer = await footer_line(race, pilot, FOOTER[lang]["quit"])
    assert footer.rstrip().endswith(FOOTER[lang]["quit"]) and cell_len(footer.rstrip()) <= 60, footer
    assert "  " not in footer.rstrip(), footer  # a key group all left out is hidden (its empty cell made a gap)
    height = card.outer_size.height  # the README: at 60×20 tab from the plot reads it at half the height, the
    race.plot.focus()                 # leaderboard giving way meanwhile (it kept its 4 rows)
    await pilot.press("tab")
    await until(pilot, lambda: card.outer_size.height >= height + 4, why=lambda: card.outer_size)
    assert race.focused is card and not board.display and card.region.bottom <= stage.region.bottom, \
        (race.focused, board.display, card.region, stage.region)
    assert drawing_rows(race.plot) >= 2
    await pilot.press("escape")
    await until(pilot, lambda: card.outer_size.height == height and board.display, why=lambda: card.outer_size)
    assert race.focused is race.plot and race.is_current


async def f_leaves_the_leaderboard_each_name_loss_and_state(race, pilot) -> None:
    """At 80x24 in the race view (a race lesson of three, longer names: "momentum lr=0.001"), the plot focused:
    one epoch, the board showing every column (best val was left out, 14 cells kept for a status "paused"), then f
    opens the field panel beside the plot and the board, which keeps each contestant's whole name, its loss and its
    state on its row (in 40 columns it showed "momen…", "0.…" and no state at all). The
    plot's subtitle, which names the grey target line where its key has no room for it, fits its border whole
    (every case: test_the_race_plots_subtitle_shortens_and_is_never_cut)."""
    from tui.race.leaderboard import going, number
    from tui.widgets.status import metric_label
    board, plot = race.leaderboard, race.plot

    def rows() -> list[str]:
        region = board.content_region
        return [squash(line[region.x:region.right]) for line in screen_lines(race)[region.y:region.bottom]]
    await pilot.press("e")
    headers = [squash(i18n.t(f"race.board.{key}")) for key in ("contestant", "best_val", "to_target", "status")]
    await until(pilot, lambda: all(s.epoch == 1 for s in board.standings.rows)  # the panel closed: every column
                and all(header in rows()[0] for header in (*headers, squash(metric_label(board.standings.rows[0].metric)),
                                                          "#", "lr", "loss")), why=rows)
    await pilot.press("f")

    def shown(s) -> bool:
        said = [squash(s.label), number(s.batch_loss if s.loss is None else s.loss),
                squash(i18n.message(going(s, race.status)[1]))]
        return any(all(part in row for part in said) for row in rows())
    await until(pilot, lambda: race.panel.display and board.content_region.width <= 44
                and all(shown(s) for s in board.standings.rows), why=rows)
    left_out = [squash(i18n.t("race.board.best_val")), "lr", squash(metric_label(board.standings.rows[0].metric))]
    assert not any(header in rows()[0] for header in left_out), rows()[0]  # as the README says they are:
    readme = readme_words()  # (it said updates to target went too; it stays)
    assert ("beside it at 80 columns the leaderboard leaves out best validation loss, lr and accuracy (where the "
            "names are long, updates to target and the rank too), keeping each contestant's name, loss and state") in readme
    target = i18n.t("race.plot.target").strip(" ·")  # named by the key if it has the room, else by the subtitle
    await until(pilot, lambda: plot.key_names("target") or target in plot.border_subtitle,
                why=lambda: plot.border_subtitle)
    assert cell_len(plot.border_subtitle) <= plot.outer_size.width - 6, plot.border_subtitle


def test_the_race_plots_subtitle_shortens_and_is_never_cut():
    """The race plot's subtitle in the room its border leaves: whole where it fits; else the axis without its key
    (x cycles), then without the notes. The field panel open at 80 columns (38 cells) cut the Korean one to
    "회색:  …" beside the five optimizers."""
    from tui.race.plot import subtitle
    cases = {"en": ("epochs", [(38, "x: epochs (x cycles) · grey: target"), (34, "x: epochs · grey: target"),
                               (20, "x: epochs (x cycles)"), (10, "x: epochs")]),
             "ko": ("에포크", [(40, "가로축: 에포크 (x로 바꾸기) · 회색: 목표"), (38, "가로축: 에포크 · 회색: 목표"),
                             (26, "가로축: 에포크"), (5, "가로축: 에포크")])}
    for lang, (axis, expected) in cases.items():
        with i18n.speaking(lang):
            notes = i18n.t("race.plot.target")
            assert [subtitle(axis, notes, room) for room, _ in expected] == [text for _, text in expected], lang
            assert subtitle(axis, "", 38) == i18n.t("race.plot.x", axis=axis)


def test_the_network_landscapes_facts_fold_whole_into_the_width():
    """The lines under the network landscape (surface view, w) at 80 columns (76 cells inside the box): its facts —
    the plane, the loss at its centre, the loss range, the count and time — each whole, on as many lines as they
    need; one line cut them after the centre ("centre (final weights)…"), losing the rest. A real landscape of a
    tiny network (5×5 points, ~10 ms)."""
    from engine import ExperimentConfig, build_experiment, landscape
    from tui.surface.network import landscape_text
    result, _ = landscape.train_and_map(build_experiment(ExperimentConfig(samples=100, epochs=2, hidden=(4,))), grid=5)
    for lang in ("en", "ko"):
        with i18n.speaking(lang):
            whole = landscape_text(result, 10**6).plain.split("\n")[0]
            lines = landscape_text(result, 76).plain.split("\n")
            facts = [line for line in lines if not line.startswith(" ━━")]
            assert cell_len(whole) > 76 and len(facts) == 2 and all(cell_len(line) <= 76 for line in lines), lines
            assert " · ".join(facts) == whole and lines[len(facts):] == landscape_text(result, 10**6).plain.split("\n")[1:]
