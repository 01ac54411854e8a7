"""↑ / ↓ on a numeric field: each kind's step rule, and a stepped value taken exactly as a typed one."""

from __future__ import annotations

import pytest

from engine import ConfigError, ExperimentConfig
from tests.tui.conftest import press_together
from tui.widgets.fields import Field, Setting
from tui.widgets.steps import nines, one, stepped, tenfold, tenth


@pytest.mark.parametrize("text,step,direction,shown", [
    ("0.001", tenfold, 1, "0.01"), ("0.001", tenfold, -1, "0.0001"), ("1e-07", tenfold, 1, "1e-06"),
    ("0.9", nines, 1, "0.99"), ("0.99", nines, 1, "0.999"), ("0.999", nines, -1, "0.99"), ("0.9", nines, -1, "0"),
    ("0", nines, 1, "0.9"), ("0", nines, -1, "-9"),
    ("0.2", tenth, 1, "0.3"), ("0.1", tenth, -1, "0"), ("20", one, 1, "21"), ("1", one, -1, "0"),
])
def test_each_rule_steps_as_the_help_says(text, step, direction, shown):
    assert stepped(text, "", step, direction) == shown


def test_a_blank_field_steps_from_its_default_and_a_word_is_refused_in_one_line():
    assert stepped("", "0.2", tenth, 1) == "0.3"  # noise blank: the generator's default
    with pytest.raises(ConfigError, match="'full' is not one"):
        stepped("full", "", one, 1)
    with pytest.raises(ConfigError, match="^0 has no order of magnitude"):
        stepped("0", "", tenfold, 1)


async def arrows_step_a_field_and_apply_it_as_typed(app, pilot) -> None:
    """On momentum at its defaults (lr 0.01, momentum 0.9), 3 epochs, hidden 16,16; run at every size and
    language by ``test_field_keys``, in the app that checks the focus marks."""
    session = app.session
    lr = app.query_one("#set-opt-learning_rate", Field)
    lr.input.focus()
    await pilot.press("up")
    assert lr.input.value == "0.1" and app.config.learning_rate == 0.1
    await press_together(pilot, "down", "down")  # as held: the screen catches up once
    assert app.config.learning_rate == 0.001 and app.session is session  # live: no reset
    momentum = app.query_one("#set-opt-momentum", Field)
    momentum.input.focus()
    await pilot.press("up")
    assert app.config.optimizer_options["momentum"] == 0.99
    # held: 0.99 → 0.9 → 0 → −9, the app answering the steps to 0 after −9 was stepped to (it wrote 0.0 over it,
    await press_together(pilot, "down", "down", "down")  # and the refusal quoted what the field showed then)
    assert app.config.optimizer_options["momentum"] == 0.0  # −9 refused in place, nothing changes
    assert momentum.input.value == "-9" and "momentum" in momentum.reason and "\n" not in momentum.reason
    assert "'-9'" in momentum.reason, momentum.reason  # as stepped to (English and Korean)
    # a value whose row is gone before the app takes it up (the optimizer changed meanwhile) is dropped: refused,
    # it was said at a row not there (NoMatches ended the app)
    app.post_message(Setting.Committed("opt.momentum", -9.0, "set-opt-gone", "-9"))
    await pilot.pause()
    assert app.config.optimizer_options["momentum"] == 0.0 and app.is_running
    epochs = app.query_one("#set-epochs", Field)
    epochs.input.focus()
    await pilot.press("up")
    assert app.config.epochs == 4 and epochs.reason == ""
    seed = app.query_one("#set-seed", Field)
    seed.input.focus()
    await pilot.press("up")
    assert app.config.seed == ExperimentConfig().seed + 1 and app.session is not session  # a reset
    hidden = app.query_one("#set-hidden", Field)
    hidden.input.focus()
    await pilot.press("up")  # not a number: the arrow scrolls the panel, the value stays
    assert hidden.input.value == "16,16" and hidden.reason == ""
    hidden.input.value = "8,8"  # typed, not entered: an answer to another row (a build done) keeps it
    await app.controls.show_config(app.config, app.session.experiment.train_size)
    assert hidden.input.value == "8,8" and app.config.hidden == (16, 16)
    await pilot.press("escape")  # put back: the value in use
    assert hidden.input.value == "16,16"
