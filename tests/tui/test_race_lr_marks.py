"""Learning-rate changes made mid-race: ``[`` / ``]`` halve / double every contestant's rate from its
next update (never a diverged contestant's), and each change is a line on the race's loss plot in the
contestant's colour (one shared line where several changed at the same x)."""

from __future__ import annotations

import dataclasses

import numpy as np

from engine import build_experiment
from tests.tui.conftest import SMALL, make, screen_text, settle, squash
from tui.race.plot import SHARED_MARK_COLOR
from tui.race.screen import RaceScreen
from tui.colors import contestant_color


async def test_brackets_scale_every_rate_from_the_next_update_and_mark_it():
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c", "e")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RaceScreen)
        rates = [float(c.optimizer.learning_rate) for c in screen.race.contestants]
        await pilot.press("right_square_bracket")
        assert [(k, xs[:3]) for k, xs in screen.lr_changes] == [(k, (1.0, 5, 160)) for k in range(5)]
        # paused: no report will come before the next step, so the leaderboard shows the doubled rates at once
        assert [s.learning_rate for s in screen.leaderboard.standings.rows] == [2 * r for r in rates]
        await pilot.pause()
        text = screen_text(app)
        assert squash(f"{screen.leaderboard.standings.rows[0].label} {2 * rates[0]:g}") in text
        assert text.count("paused") == 6 and "running" not in text  # the race's and each contestant's state
        await pilot.press("e")
        await settle(app, pilot)
        assert [float(c.optimizer.learning_rate) for c in screen.race.contestants] == [2 * r for r in rates]
        assert [s.learning_rate for s in screen.leaderboard.standings.rows] == [2 * r for r in rates]
        screen._redraw()
        assert screen.plot.marks == [(1.0, SHARED_MARK_COLOR)]  # all five at once: one shared line
        assert squash("│ lr changed") in screen_text(app)
        screen.lr_changes[0] = (0, (1.5, 7, 224, 0.0))  # one apart (as a contestant of another batch size)
        await pilot.press("x")  # the marks follow the x axis: updates
        screen._redraw()
        assert screen.plot.marks == [(7, contestant_color(0)), (5, SHARED_MARK_COLOR)]

        # SGD's second epoch at the doubled rate is a solo run's whose rate doubled after epoch 1
        experiment = build_experiment(SMALL.replace(optimizer="sgd"))
        trainer = experiment.trainer()
        trainer.run_epoch()
        experiment.model.optimizer.learning_rate = 2 * rates[0]
        trainer.run_epoch()
        assert all(np.array_equal(a, b) for a, b in zip(screen.race.contestants[0].get_weights(),
                                                         experiment.model.get_weights()))

        await pilot.press("space")  # to the end; a finished race's rates change for when it trains more
        await settle(app, pilot)
        await pilot.press("left_square_bracket")
        assert len(screen.lr_changes) == 10
        rates = [float(c.optimizer.learning_rate) for c in screen.race.contestants]
        stood = screen.leaderboard.standings
        screen.leaderboard.standings = dataclasses.replace(  # the last report says each has diverged: the view
            stood, rows=tuple(dataclasses.replace(s, status="diverged") for s in stood.rows))  # goes by it
        await pilot.press("left_square_bracket")
        assert len(screen.lr_changes) == 10 and [float(c.optimizer.learning_rate) for c in screen.race.contestants] == rates
        assert "each has diverged" in " ".join(str(n.message) for n in app._notifications)
        await pilot.press("r")  # a reset clears the marks
        await pilot.pause()
        screen._redraw()
        assert screen.lr_changes == [] and screen.plot.marks == []
