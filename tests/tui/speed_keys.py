"""The speed setting (- / +): the shown speed, a paced run's step count, a change mid-run, quitting while paced.
Parts of other tests' apps (this module has no test of its own; an app start is most of a Pilot test's CPU):
the keys at the start of test_race_view's long-race app (100x30, opened at the default speed), the paced run at
the end of test_lifecycle's (80x24)."""

from __future__ import annotations

import time

from tests.tui.conftest import screen_text, settle, until


async def minus_and_plus_step_through_the_speeds_the_counters_and_palette_show_it_and_a_reset_keeps_it(
        app, pilot) -> None:
    """From the start at the default speed."""
    assert app.speed == 300 and "speed300/s" in screen_text(app)
    await pilot.press("plus")  # max is one key away
    await pilot.pause()
    assert app.speed is None and "speedmax" in screen_text(app)
    await pilot.press("minus")
    await pilot.pause()
    assert app.speed == 300 and "speed300/s" in screen_text(app)
    await pilot.press("plus", "plus")  # stops at max
    assert app.speed is None
    app.speed = 3
    await pilot.press("minus", "minus")  # stops at the slowest
    await pilot.pause()
    assert app.speed == 1 and "speed1/s" in screen_text(app)
    await pilot.press("equals_sign")  # + without shift
    await pilot.pause()
    assert app.speed == 3 and "speed3/s" in screen_text(app)

    # the speed is in the palette and survives a reset
    titles = {command.title: command for command in app.get_system_commands(app.screen)}
    assert {"Speed: 1/s", "Speed: 30/s", "Speed: max", "Slower", "Faster"} <= titles.keys()
    await titles["Speed: 30/s"].callback()  # entries run on the view they were listed for
    assert app.speed == 30 and app.driver.max_rate == 30
    await pilot.press("r")
    await pilot.pause()
    assert app.driver.max_rate == 30


async def a_paced_run_makes_at_most_rate_times_seconds_steps_a_change_applies_and_q_returns(
        app, pilot) -> tuple[float, int]:
    """On LONG, ready: the app ends. Returns when q was pressed and the step count the last run started from."""
    app.speed = 10  # (the keys: the walk above, in test_race_view's app)
    started = time.perf_counter()
    await pilot.press("space")
    await pilot.pause(0.5)
    await pilot.press("space")
    await settle(app, pilot)
    elapsed = time.perf_counter() - started
    assert app.status == "paused"
    assert 1 <= app.trainer.step_count <= 10 * elapsed + 2, (app.trainer.step_count, elapsed)
    assert app.updates == len(app.batch_loss) == app.trainer.step_count  # every paced step reported

    # changing speed mid-run applies at once, without a reset. Keys are pressed only while the run is slow:
    # Pilot waits for the process to go idle after each key (up to 2 s while a worker computes flat out).
    app.speed = 3
    await pilot.press("space")
    session = app.session
    started, before = time.perf_counter(), app.trainer.step_count
    await pilot.pause(0.4)
    slow = app.trainer.step_count - before
    assert slow <= 3 * (time.perf_counter() - started) + 2, slow
    await pilot.press("plus", "plus")  # 30/s, mid-run
    assert app.speed == 30
    started, before = time.perf_counter(), app.trainer.step_count

    def outrun_3_per_second() -> bool:  # a loaded machine may fall behind 30/s: wait until it outruns 3/s
        fast, elapsed = app.trainer.step_count - before, time.perf_counter() - started
        assert fast <= 30 * elapsed + 2, (fast, elapsed)  # never ahead of the pace
        return fast > 3 * elapsed + 2
    await until(pilot, outrun_3_per_second)
    assert app.session is session and app.status == "running"  # the same run, never reset
    await pilot.press("space")
    await settle(app, pilot)

    # quit while paced leaves no thread and does not sleep out the period: at 1 step in 100 s (below the
    # slowest key, 1/s, so that no load can pass for sleeping it out)
    app.speed = 0.01
    before = app.trainer.step_count
    await pilot.press("space")
    await until(pilot, lambda: app.trainer.step_count > before)  # the worker is now waiting out its period
    assert app.status == "running"
    quit_at = time.perf_counter()
    await pilot.press("q")
    return quit_at, before
