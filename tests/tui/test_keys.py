"""Every binding, driven through the real app with Pilot."""

from __future__ import annotations

import numpy as np
from textual.widgets import Input

from engine import ExperimentConfig
from tests.tui.conftest import PACE, SMALL, make, screen_text, settle, squash
from tui.widgets.help_screen import HelpScreen, describe

LONG = ExperimentConfig(samples=200, epochs=100_000)
"""A run that cannot finish during a test."""


async def test_space_runs_to_the_end():
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.status == "ready"
        await pilot.press("space")
        await settle(app, pilot)
        assert app.status == "finished"
        assert app.trainer.step_count == app.trainer.total_steps
        assert squash(f"finished · epoch 3/3 · iteration {app.trainer.iterations_per_epoch}/"
                      f"{app.trainer.iterations_per_epoch}") in screen_text(app)
        assert len(app.train_loss) == 3 and len(app.val_loss) == 3
        assert app.updates == app.trainer.total_steps  # no update lost between worker and UI


async def test_space_pauses_and_resumes():
    app = make(LONG)
    async with app.run_test(size=(100, 30)) as pilot:
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


async def test_n_runs_one_iteration_and_e_one_epoch():
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        ipe = app.trainer.iterations_per_epoch
        await pilot.press("n")
        await settle(app, pilot)
        assert (app.trainer.step_count, app.status) == (1, "paused")
        assert squash(f"epoch 1/3 · iteration 1/{ipe}") in screen_text(app)
        await pilot.press("e")
        await settle(app, pilot)
        assert app.trainer.step_count == ipe and app.trainer.epoch == 1
        await pilot.press("e")
        await settle(app, pilot)
        assert app.trainer.step_count == 2 * ipe
        assert squash(f"epoch 2/3 · iteration {ipe}/{ipe}") in screen_text(app)


async def test_lecture_example_2000_samples_batch_200_is_10_iterations():
    app = make(ExperimentConfig(samples=2000, batch_size=200, validation_split=0.0, epochs=2))
    async with app.run_test(size=(100, 30)) as pilot:
        assert "iteration0/10" in screen_text(app)
        await pilot.press("e")
        await settle(app, pilot)
        assert "iteration10/10" in screen_text(app)
        assert "seen2,000" in screen_text(app)


async def test_r_resets_to_the_same_weights_and_batches():
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        initial = app.trainer.model.params.copy()
        for _ in range(3):
            await pilot.press("n")
            await settle(app, pilot)
        first = app.batch_loss.points(100)[1].copy()
        assert not np.array_equal(app.trainer.model.params, initial)
        await pilot.press("r")
        await pilot.pause()
        assert app.status == "ready" and app.trainer.step_count == 0 and len(app.batch_loss) == app.updates == 0
        np.testing.assert_array_equal(app.trainer.model.params, initial)
        for _ in range(3):
            await pilot.press("n")
            await settle(app, pilot)
        np.testing.assert_array_equal(app.batch_loss.points(100)[1], first)


async def test_r_while_running_stops_the_old_run():
    app = make(LONG)
    async with app.run_test(size=(100, 30)) as pilot:
        app.speed = PACE
        await pilot.press("space")
        await pilot.pause(0.05)
        old = app.session
        await pilot.press("r")
        await settle(app, pilot)
        assert app.session is not old and app.status == "ready" and app.trainer.step_count == 0
        assert len(app.batch_loss) == app.updates == 0  # the old run's late reports were dropped


async def test_l_toggles_log_scale():
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        before = app.loss_plot.log_scale
        await pilot.press("l")
        assert app.loss_plot.log_scale is not before
        await pilot.press("l")
        assert app.loss_plot.log_scale is before


async def test_question_mark_lists_every_binding():
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for binding in app.BINDINGS:
            assert squash(describe(binding)) in text, binding
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_keys_typed_into_a_field_type_and_escape_leaves_it():
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        field = app.query_one("#set-seed").query_one(Input)
        field.focus()
        await pilot.pause()
        field.value = ""
        await pilot.press("n", "e", "r", "q", "space")
        await pilot.pause()
        assert field.value == "nerq "
        assert app.is_running and app.trainer.step_count == 0 and app.status == "ready"
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is app.loss_plot
        assert "seed must be a whole number" in app.query_one("#set-seed").reason  # refused on leaving
        await pilot.press("n")
        await settle(app, pilot)
        assert app.trainer.step_count == 1


async def test_tab_moves_focus_between_panels():
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.focused is app.loss_plot  # where the run keys act
        await pilot.press("tab")
        assert app.focused is app.why_panel  # the metric plot is hidden below 110 columns
        await pilot.press("tab")
        assert app.focused is app.controls  # wraps to the controls panel
        await pilot.press("tab")
        assert app.focused is app.query_one("#set-dataset").select  # then its first setting
        await pilot.press("shift+tab", "shift+tab", "shift+tab")
        assert app.focused is app.loss_plot


async def test_q_quits():
    app = make(LONG)
    async with app.run_test(size=(100, 30)) as pilot:
        app.speed = PACE
        await pilot.press("space")
        await pilot.pause(0.05)
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


async def test_ctrl_c_quits_even_from_a_field():
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        app.query_one("#set-seed").query_one(Input).focus()
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert not app.is_running


async def test_palette_reaches_every_binding_action():
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        titles = {command.title for command in app.get_system_commands(app.screen)}
        for binding in app.BINDINGS:
            if binding.action not in ("focus_next", "focus_previous", "leave_field") and binding.id != "interrupt":
                assert binding.description in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Iteration")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.trainer.step_count == 1
