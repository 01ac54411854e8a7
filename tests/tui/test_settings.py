"""Changing settings: live hyperparameters, structural resets, refused values, divergence."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from textual.widgets import Input

from engine import ExperimentConfig, build_experiment
from tui import i18n
from tui.background import REFUSAL_SECONDS
from tui.widgets.fields import Choice, Field
from tests.tui.focus_in_view import in_view
from tests.tui.conftest import SMALL, footer_line, make, readme_words, reason_line, resize, screen_text, settle, squash, \
    type_into, type_text, until
from tui.main.display import BEST_MARK_COLOR
from tui.textual_private_pilot import notices


async def test_the_lecture_example_a_refused_config_a_diverging_run_then_live_structural_and_refused_settings():
    """One app at 100x30, rebuilt on each check's setup (as a lesson sets one up): the lecture's example typed
    into the fields, a config the engine refuses, a diverging run; then, on SMALL with SGD (3 epochs), the choice
    lists, a live learning rate, refused values, a structural change, the batch modes and a new optimizer's fields,
    each change from where the one before left it; then ctrl+c quits from a field."""
    app = make(ExperimentConfig(epochs=2))
    async with app.run_test(size=(100, 30)) as pilot:
        await lecture_example_set_from_the_fields(app, pilot)
        assert await app.rebuild(SMALL.replace(dataset="spiral"))
        await a_config_the_engine_refuses_changes_nothing(app, pilot)
        assert await app.rebuild(ExperimentConfig(dataset="sine", loss="mse", optimizer="sgd", learning_rate=10.0,
                                                  samples=200, epochs=50))
        await divergence_is_shown_and_the_app_stays_responsive(app, pilot)
        assert await app.rebuild(SMALL.replace(optimizer="sgd"))
        await pilot.pause()
        choice_lists_come_from_the_registries(app)
        await learning_rate_change_applies_from_the_next_step(app, pilot)
        await bad_values_are_refused_in_place(app, pilot)
        await structural_change_resets_and_rebuilds(app, pilot)
        await batch_modes_come_from_the_choice_list(app, pilot)
        await changing_optimizer_shows_its_hyperparameters_and_why(app, pilot)
        await ctrl_c_quits_even_from_a_field(app, pilot)
    assert not app.is_running


async def ctrl_c_quits_even_from_a_field(app, pilot) -> None:
    """ctrl+c quits with a text field focused, where letters type (the app ends: a walk's last check)."""
    app.query_one("#set-seed").query_one(Input).focus()
    await pilot.pause()
    await pilot.press("ctrl+c")
    await pilot.pause()
    assert not app.is_running


async def lecture_example_set_from_the_fields(app, pilot) -> None:
    """On the default experiment with 2 epochs, ready."""
    await type_into(pilot, app, "set-batch", "200")
    await type_into(pilot, app, "set-split", "0")
    await pilot.press("escape", "e")
    await settle(app, pilot)
    text = screen_text(app)
    assert "iteration10/10" in text and "lastbatch200" in text


async def a_config_the_engine_refuses_changes_nothing(app, pilot) -> None:
    """On SMALL's spiral, ready."""
    session, config = app.session, app.config
    await type_into(pilot, app, "set-classes", "3")
    reason = app.query_one("#set-classes").reason
    assert "binary_crossentropy needs two classes" in reason and "\n" not in reason
    assert app.session is session and app.config == config
    await app.apply_setting("loss", "sparse_categorical_crossentropy")
    await type_into(pilot, app, "set-classes", "3")
    assert app.config.classes == 3 and app.session.experiment.output.units == 3
    loss = app.query_one("#set-loss", Choice)
    loss.select.value = "binary_crossentropy"  # as picking it from the list does
    await pilot.pause()
    assert "needs two classes" in loss.reason and loss.has_class("-refused")
    assert loss.select.value == "sparse_categorical_crossentropy"  # the list snaps back
    assert app.config.loss == "sparse_categorical_crossentropy" and app.config.classes == 3


async def divergence_is_shown_and_the_app_stays_responsive(app, pilot) -> None:
    """On SGD at lr 10 on the sine data, ready."""
    await pilot.press("escape", "space")  # off the field typed in last
    await settle(app, pilot)
    assert app.status == "diverged"
    epoch, iteration = app.trainer.diverged_at
    assert squash(f"diverged at epoch {epoch}, iteration {iteration}") in screen_text(app)
    # epoch 1 ended on an exploding (finite) val_loss: the watch has a "best", the plot shows none, nor its mark
    assert app.stop_watch.best_epoch == 0
    await until(pilot, lambda: app.loss_plot.border_subtitle == "" and not any(
        colour == BEST_MARK_COLOR for _, colour in app.loss_plot.marks))
    assert "best epoch" not in screen_text(app)
    assert len(app.batch_loss) > 0  # the curve up to the blow-up stays inspectable
    await pilot.press("space")  # refused with a hint, nothing breaks
    await pilot.press("r")
    await pilot.pause()
    assert app.status == "ready"
    await pilot.press("n")
    await settle(app, pilot)
    assert app.trainer.step_count == 1


def points_csv(folder: Path) -> Path:
    """A CSV file in ``folder``: 120 points in two columns and a 0/1 label."""
    path = folder / "points.csv"
    rows = ["x1,x2,label"] + [f"{i % 7 - 3},{(i * 3) % 5 - 2},{int(i % 7 > 3)}" for i in range(120)]
    path.write_text("\n".join(rows) + "\n")
    return path


async def a_csv_dataset_opens_trains_and_hides_the_generator_rows(app, pilot) -> None:
    """The app started on ``points_csv`` with 2 epochs (its menu lists the file: a CSV is only taken at start);
    run by test_keys, whose app starts on it (an app start fewer)."""
    assert "points.csv" in screen_text(app)
    assert not app.query_one("#set-samples").display and not app.query_one("#set-noise").display
    await pilot.press("space")
    await settle(app, pilot)
    assert app.status == "finished" and app.trainer.epoch == 2


async def batch_menu_and_why_panel_name_the_regime_alike(app, pilot) -> None:
    """B = 256 on 160 training samples is batch GD in the menu and in the why panel; on 800 it is mini-batch.
    On SMALL with B = 256 (200 samples, split 0.2 → 160 train), ready."""
    app.query_one("#set-batch-choice").scroll_visible(animate=False)  # fields typed in before scrolled the panel
    await pilot.pause()
    assert "batchbatchGD256" in screen_text(app)
    assert "Batch GD (B ≥ N)" in app.why_panel.text
    await type_into(pilot, app, "set-samples", "1000")
    assert app.session.experiment.train_size == 800
    app.query_one("#set-batch-choice").scroll_visible(animate=False)
    await pilot.pause()
    choice = app.query_one("#set-batch-choice")
    assert dict((v, k) for k, v in choice.options)[256] == "mini-batch 256"
    assert "batchmini-batch" in screen_text(app) and "batchGD256" not in screen_text(app)
    assert "Mini-batch" in app.why_panel.text and "Batch GD" not in app.why_panel.text


def choice_lists_come_from_the_registries(app) -> None:
    from engine import activations, datasets, losses, optimizers
    for setting_id, names in [("set-dataset", datasets.names()), ("set-loss", losses.names()),
                              ("set-optimizer", optimizers.names()), ("set-activation", activations.names())]:
        assert [v for _, v in app.query_one(f"#{setting_id}").options] == names


async def learning_rate_change_applies_from_the_next_step(app, pilot) -> None:
    """From a new experiment on ``config``, nothing trained."""
    config = app.config
    for _ in range(2):
        await pilot.press("n")
        await settle(app, pilot)
    await type_into(pilot, app, "set-opt-learning_rate", "0.5")
    assert app.config.learning_rate == 0.5 and app.status == "paused" and app.trainer.step_count == 2
    await pilot.press("escape", "n")
    await settle(app, pilot)
    assert app.trainer.model.optimizer.learning_rate == 0.5

    twin = build_experiment(config).trainer()
    twin.step(), twin.step()
    twin.model.optimizer.learning_rate = 0.5
    twin.step()
    np.testing.assert_array_equal(app.trainer.model.params, twin.model.params)
    unchanged = build_experiment(config).trainer()
    for _ in range(3):
        unchanged.step()
    assert not np.array_equal(app.trainer.model.params, unchanged.model.params)


async def bad_values_are_refused_in_place(app, pilot) -> None:
    session, config = app.session, app.config
    for setting_id, text, reason in [("set-batch", "0", "batch size must be a whole number ≥ 1"),
                                     ("set-opt-learning_rate", "-1", "learning rate must be a finite number > 0"),
                                     ("set-opt-learning_rate", "abc", "must be a finite number, got 'abc'"),
                                     ("set-opt-learning_rate", "-0.00001", "> 0, got '-0.00001'"),  # as typed
                                     ("set-samples", "abc", "samples must be a whole number"),
                                     ("set-split", "0.999", "leaves 0 of 200 samples for training")]:
        await type_into(pilot, app, setting_id, text)
        setting = app.query_one(f"#{setting_id}")
        assert reason in setting.reason, (setting_id, setting.reason)
        assert setting.has_class("-refused")
        assert squash(i18n.brief(setting.refused_text))[:14] in screen_text(app)  # its few words are on screen
        assert app.session is session and app.config == config
        if (setting_id, text) == ("set-batch", "0"):
            the_readme_says_what_a_refused_value_shows(app, setting)
    await type_into(pilot, app, "set-batch", "64")
    assert app.query_one("#set-batch").reason == "" and app.config.batch_size == 64


def the_readme_says_what_a_refused_value_shows(app, setting) -> None:
    """The README's example, batch size 0 just refused: what it quotes is what shows, the field keeps what was
    typed, the line under it says the brief, a notice the whole line for as long as the README says."""
    readme = readme_words()
    claim = re.search(r"for batch size 0: `([^`]+)`\) and a notice says the whole line for (\d+) seconds \(`([^`]+)`\)",
                      readme)
    assert claim, "the README no longer shows batch size 0 refused"
    brief, seconds, whole = claim.groups()
    line = reason_line(setting)
    assert setting.input.value == "0" and str(line.render()) == brief and setting.reason == whole
    assert (notices(app)[-1].message, notices(app)[-1].timeout) == (whole, int(seconds))


async def structural_change_resets_and_rebuilds(app, pilot) -> None:
    """On a 3-epoch config."""
    await pilot.press("e")
    await settle(app, pilot)
    await type_into(pilot, app, "set-seed", "5")
    assert app.config.seed == 5 and app.status == "ready" and app.trainer.step_count == 0
    assert "epoch0/3" in screen_text(app)
    await pilot.press("escape", "e")
    await settle(app, pilot)
    await type_into(pilot, app, "set-epochs", "5")  # more epochs extend the run instead (train more)
    assert app.config.epochs == 5 and app.trainer.step_count > 0 and "epoch1/5" in screen_text(app)


async def batch_modes_come_from_the_choice_list(app, pilot) -> None:
    await app.apply_setting("batch_size", 1)
    await pilot.pause()
    assert app.trainer.iterations_per_epoch == app.session.experiment.train_size
    assert "SGD (B = 1): one update per example" in app.why_panel.text
    await app.apply_setting("batch_size", "full")
    await pilot.pause()
    assert app.trainer.iterations_per_epoch == 1
    assert "iteration0/1" in screen_text(app)


async def changing_optimizer_shows_its_hyperparameters_and_why(app, pilot) -> None:
    """From an optimizer other than RMSprop, no options set."""
    await app.apply_setting("optimizer", "rmsprop")
    await pilot.pause()
    assert app.query("#set-opt-rho") and app.query("#set-opt-centered") and not app.query("#set-opt-beta_1")
    assert "RMSprop fixes Adagrad's decay" in app.why_panel.text
    await type_into(pilot, app, "set-opt-rho", "0.5")
    assert app.config.optimizer_options == {"rho": 0.5} and app.status == "ready"


async def a_network_too_big_for_memory_is_refused_in_place(app, pilot) -> None:
    """Typing 100000,100000 into hidden (≈ 500 GiB) keeps the app up on its old experiment, with one line why.
    From a fresh app."""
    session, config = app.session, app.config
    await type_into(pilot, app, "set-hidden", "100000,100000")
    setting = app.query_one("#set-hidden")
    assert setting.has_class("-refused") and "\n" not in setting.reason
    assert setting.reason.startswith("this setup needs about") and "more than the" in setting.reason
    assert_refusal_fits_the_panel(app, setting, "needs 1.7 TiB > 4.0 GiB")  # wrapped to 7 lines in the panel
    await until(pilot, lambda: [n.message for n in notices(app)][-1:] == [setting.reason])  # the whole line,
    # where there is room (said once the refusal's row shows it: the handler awaits the panel between the two)
    footer = await footer_line(app.screen, pilot, "palette")  # in a text field: - and + type there, no speed keys
    assert "Speed" not in footer and "⏎ Take" in footer and "esc Put back" in footer, footer  # what enter, escape do
    assert notices(app)[-1].timeout == REFUSAL_SECONDS  # as long as the row's own refusals (below)
    await leaving_the_row_says_its_refusal_no_more(app, pilot)  # refused by the app
    assert app.is_running and app.session is session and app.config == config
    assert app.session.experiment.model.count_params() == build_experiment(config).model.count_params()
    await pilot.press("escape", "K")  # the refusal is said again in Korean, one line too
    await until(pilot, lambda: str(reason_line(setting).render()) == "1.7 TiB > 예산 4.0 GiB")  # then the screen
    assert_refusal_fits_the_panel(app, setting, "1.7 TiB > 예산 4.0 GiB")
    await pilot.press("K", "n")  # the old experiment still trains
    await settle(app, pilot)
    assert app.trainer.step_count == 1
    await one_rule_for_a_refused_field(app, pilot, setting)


async def one_rule_for_a_refused_field(app, pilot, hidden) -> None:
    """``hidden`` shows a refusal (typed, refused by the app): another row's refusal by the app leaves it as it is
    (it put back 16,16 silently, while a row's own refusal left it), and escape puts back the value in use (it
    took the typed text and refused it)."""
    typed, reason = hidden.input.value, hidden.reason
    await type_into(pilot, app, "set-samples", "900000000000")  # refused by the app: its answer shows the config
    samples = app.query_one("#set-samples")
    assert samples.has_class("-refused") and samples.reason.startswith("this setup needs about")
    assert hidden.has_class("-refused") and (hidden.input.value, hidden.reason) == (typed, reason)
    config, said = app.config, {notice.identity for notice in notices(app)}
    hidden.input.focus()
    await pilot.pause()
    hidden.input.value = ""
    await type_text(pilot, "abc", "escape")
    await pilot.pause()
    assert hidden.input.value == "16,16" and not hidden.has_class("-refused") and hidden.reason == ""
    assert app.focused is app.loss_plot and app.config == config  # escape left the field, as before
    assert [n.message for n in notices(app) if n.identity not in said] == []  # nothing refused
    readme = readme_words()  # as the README's keymap says it
    assert ("`escape` puts back the value in use (dropping what was typed and not entered, and its refusal) and "
            "leaves a text field") in readme


async def leaving_the_row_says_its_refusal_no_more(app, pilot) -> None:
    """The focused row has just refused what was typed (enter): tab leaves it, and no second notice says the same
    (the row took the text again on leaving it, and was refused again)."""
    said = {notice.identity for notice in notices(app)}  # (a notice may fade meanwhile: not counted)
    await pilot.press("tab")
    await pilot.pause()
    assert [n.message for n in notices(app) if n.identity not in said] == []


def assert_refusal_fits_the_panel(app, setting, brief: str) -> None:
    """``setting``'s refusal is one line under its row, in few words (``brief``), on the screen."""
    line = reason_line(setting)
    assert line.has_class("reason") and line.size.height == 1, (line.size, line.render())
    assert str(line.render()) == brief and squash(brief) in screen_text(app)


async def hidden_zero_is_refused_in_place_with_the_engines_words(app, pilot) -> None:
    config = app.config
    await type_into(pilot, app, "set-hidden", "0")
    setting = app.query_one("#set-hidden")
    assert setting.reason == "hidden layers must be sizes ≥ 1 separated by commas (e.g. 16,16), or none, got '0'"
    assert_refusal_fits_the_panel(app, setting, "sizes ≥ 1: 16,16 or none")
    assert notices(app)[-1].message == setting.reason and notices(app)[-1].timeout == REFUSAL_SECONDS  # the row's own
    await leaving_the_row_says_its_refusal_no_more(app, pilot)  # refused by the row
    assert app.config == config
    await type_into(pilot, app, "set-hidden", "none")
    assert setting.reason == "" and app.config.hidden == ()


async def a_kept_refusal_leaves_the_field_typed_in_in_view(app, pilot) -> None:
    """hidden refuses abc (kept, as samples' refusal above it is); balanced entered in class weight, the panel's last
    row: the panel answers with the config and shows the kept refusals again, without scrolling to them (it jumped
    to hidden's reason, the focused class weight below the panel). Then escape puts hidden's value back."""
    hidden = app.query_one("#set-hidden", Field)
    await type_into(pilot, app, "set-hidden", "abc")
    assert hidden.has_class("-refused")
    await type_into(pilot, app, "set-class-weight", "balanced")
    await until(pilot, lambda: app.config.class_weight == "balanced")
    await pilot.pause()
    weight = app.query_one("#set-class-weight", Field)
    assert app.focused is weight.input and hidden.has_class("-refused")
    assert in_view(app.controls, weight), (app.controls.scroll_y, weight.region, app.controls.content_region)
    hidden.input.focus()
    await pilot.press("escape")
    assert not hidden.has_class("-refused")


async def shows_everything_essential(app, pilot) -> None:
    """On a 3-epoch run, nothing trained yet."""
    await pilot.press("escape", "e")
    await settle(app, pilot)
    for widget in (app.controls, app.counters, app.loss_plot, app.why_panel,
                   app.query_one("#set-dataset"), app.query_one("#set-loss"), app.query_one("#set-optimizer")):
        assert widget.size.width > 0 and widget.size.height > 0, widget
    assert app.loss_plot.size.height >= 6
    text = screen_text(app)
    ipe = app.trainer.iterations_per_epoch
    for piece in ("paused", "epoch1/3", f"iteration{ipe}/{ipe}", "step", "speed", "lastbatch",
                  "epoch1:loss", "val_loss", "acc", "val_acc", "Run/Pause"):
        assert piece in text, piece
    # a menu's value longer than its row says it is cut (it was cut mid-name), and keeps the batch size
    assert "binary_crosse…▼" in text and "mini-batch32…▼" in text
    example = app.query_one("#set-schedule-options", Field)  # and so does an empty field's example (it read 'e.g.')
    assert example.input.placeholder == "e.g. warmup_st…" and example.placeholder == "e.g. warmup_steps=100"


async def test_80x24_refuses_hidden_sizes_in_place_shows_everything_essential_and_names_the_batch_regime():
    """The footer keeps quit at 80x24; hidden 100000,100000 (too big) and 0 refused in place, none taken; then one
    epoch: everything essential is on the 80x24 screen; then, rebuilt with B = 256, the batch menu and the why
    panel name the regime alike; then wider, the footer shows what did not fit. One app."""
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await the_footer_keeps_quit_and_leaves_what_does_not_fit_to_help(app, pilot)
        await a_network_too_big_for_memory_is_refused_in_place(app, pilot)
        await hidden_zero_is_refused_in_place_with_the_engines_words(app, pilot)
        await a_kept_refusal_leaves_the_field_typed_in_in_view(app, pilot)
        await shows_everything_essential(app, pilot)
        assert await app.rebuild(SMALL.replace(batch_size=256))
        await batch_menu_and_why_panel_name_the_regime_alike(app, pilot)
        await pilot.press("escape")  # off the field typed in last
        await wider_the_footer_shows_what_did_not_fit(app, pilot)


async def the_footer_keeps_quit_and_leaves_what_does_not_fit_to_help(app, pilot) -> None:
    """From the start at 80x24."""
    footer = await footer_line(app.screen, pilot, "Quit")
    for shown in ("Run/Pause", "Iteration", "Epoch", "Reset", "y Why", "L Lessons", "Help", "Quit"):
        assert shown in footer, footer
    assert "Speed" not in footer and "palette" not in footer  # in ? help, which names ctrl+p


async def wider_the_footer_shows_what_did_not_fit(app, pilot) -> None:
    """From 80x24, no field focused."""
    await resize(pilot, 120, 40)
    footer = await footer_line(app.screen, pilot, "Compare")
    for shown in ("l Log scale", "Compare", "Speed", "y Why", "L Lessons", "Quit"):
        assert shown in footer, footer
    await resize(pilot, 150, 40)
    example = app.query_one("#set-schedule-options", Field)
    await until(pilot, lambda: example.input.placeholder.startswith("e.g. warmup_steps"))  # cut to the new width
    footer = await footer_line(app.screen, pilot, "palette")
    for shown in ("Map/why/optimizer", "Speed", "L Lessons", "Quit", "palette"):
        assert shown in footer, footer
