"""Every binding, driven through the real app with Pilot.

Starting an app is the dear part of a Pilot test, so each test walks through several keys in one app, in an
order where each check starts from the state it needs (``r`` brings back the state of a fresh app).
"""

from __future__ import annotations

import numpy as np
from textual.color import Color
from textual.command import CommandList
from textual.widgets import Input

from engine import ExperimentConfig
from tests.tui.conftest import (PACE, SMALL, assert_points_between_ticks, make, press_together, screen_text, settle, squash,
                                 type_text, until)
from tui.widgets.loss_plot import LossPlot
from tests.tui.test_settings import a_csv_dataset_opens_trains_and_hides_the_generator_rows, points_csv
from tui.widgets.help_screen import HelpScreen, describe

LONG = ExperimentConfig(samples=200, epochs=100_000)
"""A run that cannot finish during a test."""


async def tab_moves_focus_between_panels(app, pilot) -> None:
    assert app.focused is app.loss_plot  # where the run keys act
    await pilot.press("tab")
    assert app.focused is app.why_panel  # the metric plot is hidden below 110 columns
    await pilot.press("tab")
    assert app.focused is app.controls  # wraps to the controls panel
    await pilot.press("tab")
    assert app.focused is app.query_one("#set-dataset").select  # then its first setting
    await press_together(pilot, "shift+tab", "shift+tab", "shift+tab")
    assert app.focused is app.loss_plot


async def l_toggles_log_scale(app, pilot) -> None:
    before = app.loss_plot.log_scale
    await pilot.press("l")
    assert app.loss_plot.log_scale is not before
    await pilot.press("l")
    assert app.loss_plot.log_scale is before


async def question_mark_lists_every_binding(app, pilot) -> None:
    await pilot.press("question_mark")
    await pilot.pause()
    assert isinstance(app.screen, HelpScreen)
    text = screen_text(app)
    for binding in app.BINDINGS:
        assert squash(describe(binding)) in text, binding
    main, theme = app.screen_stack[0], app.theme  # a theme taken while help is open restyles the main view under it
    before = main.styles.background                # (no resume restyles it)
    app.theme = next(name for name in ("nord", "textual-light") if name != theme)
    await pilot.press("escape")
    await pilot.pause()
    assert not isinstance(app.screen, HelpScreen)
    colors = app.get_css_variables()
    assert main.styles.background == Color.parse(colors["background"]) != before
    assert app.loss_plot.styles.border_top[1] == Color.parse(colors["primary"])  # focused: $primary
    app.theme = theme


async def r_resets_to_the_same_weights_and_batches(app, pilot) -> None:
    initial = app.trainer.model.params.copy()
    for _ in range(3):
        await pilot.press("n")
        await settle(app, pilot)
    first = app.batch_loss.points(100)[1].copy()
    assert not np.array_equal(app.trainer.model.params, initial)
    await reset(app, pilot)
    np.testing.assert_array_equal(app.trainer.model.params, initial)
    for _ in range(3):
        await pilot.press("n")
        await settle(app, pilot)
    np.testing.assert_array_equal(app.batch_loss.points(100)[1], first)


async def reset(app, pilot) -> None:
    """``r``: the run as the app started it, nothing trained, nothing drawn."""
    await pilot.press("r")
    await pilot.pause()
    assert app.status == "ready" and app.trainer.step_count == 0 and len(app.batch_loss) == app.updates == 0


async def n_runs_one_iteration_and_e_one_epoch(app, pilot) -> None:
    ipe = app.trainer.iterations_per_epoch
    await pilot.press("n")
    await settle(app, pilot)
    assert (app.trainer.step_count, app.status) == (1, "paused")
    assert squash(f"epoch 1/3 · iteration 1/{ipe}") in screen_text(app)
    await pilot.press("e")
    await settle(app, pilot)
    assert app.trainer.step_count == ipe and app.trainer.epoch == 1
    plot = app.query_one("#loss-plot", LossPlot)
    await until(pilot, lambda: any(c.label == "validation" for c in plot.curves))  # the epoch's points drawn
    assert_points_between_ticks(plot)  # val_loss 0.6099 sat under an axis labelled 0.75 0.7 0.65
    await pilot.press("e")
    await settle(app, pilot)
    assert app.trainer.step_count == 2 * ipe
    assert squash(f"epoch 2/3 · iteration {ipe}/{ipe}") in screen_text(app)


async def best_palette_entry(app, query: str, lang: str = "en") -> str:
    """The title of the palette's best entry (of the app's bindings, lessons and speeds) for ``query`` in ``lang``."""
    from tui import i18n
    from tui.palette import SystemCommands
    was = i18n.language()
    i18n.set_language(lang)
    try:
        hits = [hit async for hit in SystemCommands(app.screen).search(query)]
    finally:
        i18n.set_language(was)
    return str(max(hits, key=lambda hit: hit.score).text) if hits else ""


def highlighted_entry(app) -> str:
    """The palette's highlighted entry as shown ("" while it shows none)."""
    lists = app.screen.query(CommandList)
    if not lists or lists.first().highlighted is None:
        return ""
    return str(lists.first().get_option_at_index(lists.first().highlighted).prompt)


async def palette_reaches_every_binding_action(app, pilot) -> None:
    titles = {command.title for command in app.get_system_commands(app.screen)}
    for binding in app.BINDINGS:
        if binding.action not in ("focus_next", "focus_previous", "leave_field") and binding.id != "interrupt":
            assert binding.description in titles
    assert await best_palette_entry(app, "race") == "Compare"  # the view's name is in the entry's help only
    assert await best_palette_entry(app, "경주", "ko") == "비교"
    await pilot.press("ctrl+p")
    await pilot.pause()
    await type_text(pilot, "Iteration")
    await until(pilot, lambda: highlighted_entry(app).startswith("Iteration"))  # the search has come back
    await pilot.press("enter")
    await settle(app, pilot)
    assert app.trainer.step_count == 1


async def keys_typed_into_a_field_type_and_escape_leaves_it(app, pilot) -> None:
    field = app.query_one("#set-seed").query_one(Input)
    before = field.value
    field.focus()
    await pilot.pause()
    field.value = ""
    await type_text(pilot, "nerq ")  # the run's keys, typed fast: each must reach the field, none the run
    assert field.value == "nerq "
    assert app.is_running and app.trainer.step_count == 0 and app.status == "ready"
    await pilot.press("escape")
    await pilot.pause()
    assert app.focused is app.loss_plot
    # escape puts back the value in use (it left first, and leaving took the typed text: refused, 'nerq ')
    assert field.value == before and app.query_one("#set-seed").reason == "" and app.config.seed == int(before)
    await keys_in_a_burst_apply_in_the_order_typed(app, pilot)
    await keys_bound_above_a_field_in_a_burst_apply_in_the_order_typed(app, pilot)
    await pilot.press("n")
    await settle(app, pilot)
    assert app.trainer.step_count == 2


async def keys_in_a_burst_apply_in_the_order_typed(app, pilot) -> None:
    """Backspace (a binding of Textual's Input) and letters (typed in its key handler) arriving together, as over
    SSH: the field edits in the order typed. They were applied out of order: 16,16 then backspace ×7, abc, enter
    left '1', taken silently; backspace, xyz gave '16,16xy'. From the main view, the plot focused; ends there."""
    hidden = app.query_one("#set-hidden")
    field, before = hidden.input, app.config.hidden
    for keys, typed in ((["backspace"] * 7 + [*"abc", "enter"], "abc"), (["backspace", *"xyz"], "16,1xyz")):
        field.focus()
        await pilot.pause()
        field.action_end()
        assert field.value == "16,16"
        await press_together(pilot, *keys)
        assert (field.value, app.config.hidden) == (typed, before)
        assert ("got 'abc'" in hidden.reason) == (typed == "abc")  # refused in place, not taken silently
        await press_together(pilot, "escape")  # the value in use put back
        await until(pilot, lambda: app.focused is app.loss_plot and field.value == "16,16")


async def keys_bound_above_a_field_in_a_burst_apply_in_the_order_typed(app, pilot) -> None:
    """Keys bound above the text box (tab: the app's next field; escape: the row's put back, then the app's leave
    field) arriving together with letters: each letter goes where it goes typed slowly. They were typed into the box
    they had left: epochs then tab, 7 read epochs '37' and val split got nothing; escape, n typed 'n' into the
    field, put back, and no iteration ran. From the main view, the plot focused, no step taken; ends there, 1 step."""
    epochs, split = app.query_one("#set-epochs"), app.query_one("#set-split")
    typed, split_before = epochs.input.value, split.input.value
    epochs.input.focus()
    await pilot.pause()
    epochs.input.value = ""
    await press_together(pilot, *typed, "tab", "7")
    await until(pilot, lambda: app.focused is split.input)
    assert (epochs.input.value, split.input.value) == (typed, split_before + "7")
    assert app.config.epochs == int(typed) and epochs.reason == ""
    await press_together(pilot, "escape", "n")
    await until(pilot, lambda: app.trainer.step_count == 1)
    assert app.focused is app.loss_plot and split.input.value == split_before and split.reason == ""
    assert str(app.config.validation_split) == split_before


async def space_runs_to_the_end(app, pilot) -> None:
    assert app.status == "ready"
    await pilot.press("space")
    await settle(app, pilot)
    assert app.status == "finished"
    assert app.trainer.step_count == app.trainer.total_steps
    assert squash(f"finished · epoch 3/3 · iteration {app.trainer.iterations_per_epoch}/"
                  f"{app.trainer.iterations_per_epoch}") in screen_text(app)
    assert len(app.train_loss) == 3 and len(app.val_loss) == 3
    assert app.updates == app.trainer.total_steps  # no update lost between worker and UI


async def test_a_csv_then_the_main_views_keys_then_the_lecture_example_and_a_long_run_quit_with_q(tmp_path):
    """Started on a CSV file: it opens, trains, hides the generator rows (test_settings); then, rebuilt on SMALL,
    tab, l, ?, r, n, e, the palette, keys typed into a field, space to the end (each key from the state it needs:
    ``r`` between them, as the app was built); then, rebuilt on it, the lecture's 2000 samples at B = 200 make 10
    iterations an epoch; then, rebuilt on a long run, space pauses and resumes, r while running stops the old run,
    q quits mid-run, the long run paced. One app at 100x30 (ctrl+c quitting from a field ends test_settings' app)."""
    app = make(ExperimentConfig(dataset=str(points_csv(tmp_path)), epochs=2))
    async with app.run_test(size=(100, 30)) as pilot:
        await a_csv_dataset_opens_trains_and_hides_the_generator_rows(app, pilot)
        assert await app.rebuild(SMALL)
        await pilot.pause()
        await tab_moves_focus_between_panels(app, pilot)
        await l_toggles_log_scale(app, pilot)
        await question_mark_lists_every_binding(app, pilot)
        await r_resets_to_the_same_weights_and_batches(app, pilot)
        await reset(app, pilot)
        await n_runs_one_iteration_and_e_one_epoch(app, pilot)
        await reset(app, pilot)
        await palette_reaches_every_binding_action(app, pilot)
        await reset(app, pilot)
        await keys_typed_into_a_field_type_and_escape_leaves_it(app, pilot)
        await reset(app, pilot)
        await space_runs_to_the_end(app, pilot)
        assert await app.rebuild(ExperimentConfig(samples=2000, batch_size=200, validation_split=0.0, epochs=2))
        await pilot.pause()
        await lecture_example_2000_samples_batch_200_is_10_iterations(app, pilot)
        assert await app.rebuild(LONG)
        await a_long_run_pauses_resumes_resets_while_running_and_q_quits(app, pilot)
    assert app.return_code == 0


async def lecture_example_2000_samples_batch_200_is_10_iterations(app, pilot) -> None:
    """From the start on the lecture's example."""
    assert "iteration0/10" in screen_text(app)
    await pilot.press("e")
    await settle(app, pilot)
    assert "iteration10/10" in screen_text(app)
    assert "seen2,000" in screen_text(app)


async def a_long_run_pauses_resumes_resets_while_running_and_q_quits(app, pilot) -> None:
    """On LONG, ready: the app ends."""
    app.speed = PACE
    await pilot.press("space")
    await pilot.pause(0.05)
    await pilot.press("space")
    await settle(app, pilot)
    assert app.status == "paused"
    paused_at = app.trainer.step_count
    assert 0 < paused_at < app.trainer.total_steps
    assert "paused" in screen_text(app)
    await pilot.press("space")
    await pilot.pause(0.05)
    await pilot.press("space")
    await settle(app, pilot)
    assert app.trainer.step_count > paused_at
    assert app.updates == app.trainer.step_count

    await pilot.press("space")  # r while running stops the old run
    await pilot.pause(0.05)
    old = app.session
    await pilot.press("r")
    await settle(app, pilot)
    assert app.session is not old and app.status == "ready" and app.trainer.step_count == 0
    assert len(app.batch_loss) == app.updates == 0  # the old run's late reports were dropped

    await pilot.press("space")  # q quits mid-run
    await pilot.pause(0.05)
    await pilot.press("q")
    await pilot.pause()
    assert not app.is_running  # inside the app's block: after it, it always holds
