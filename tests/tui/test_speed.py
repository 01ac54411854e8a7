"""The speed setting (- / +): the shown speed, a paced run's step count, a change mid-run, quitting while paced."""

from __future__ import annotations

import threading
import time

from engine import ExperimentConfig, build_experiment
from tui.textual_private import screen_lines
from tests.tui.conftest import SMALL, assert_no_worker_thread, make, screen_text, settle

LONG = ExperimentConfig(samples=200, epochs=100_000)


async def test_minus_and_plus_step_through_the_speeds_and_the_counters_show_it():
    from tui.app import make_app

    app = make_app(SMALL, cursor_blink=False)  # the default speed, as python -m tui opens
    async with app.run_test(size=(100, 30)) as pilot:
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


async def test_a_paced_run_makes_at_most_rate_times_seconds_steps():
    app = make(LONG)
    async with app.run_test(size=(100, 30)) as pilot:
        app.speed = 10  # (the keys are tested above)
        started = time.perf_counter()
        await pilot.press("space")
        await pilot.pause(0.5)
        await pilot.press("space")
        await settle(app, pilot)
        elapsed = time.perf_counter() - started
        assert app.status == "paused"
        assert 1 <= app.trainer.step_count <= 10 * elapsed + 2, (app.trainer.step_count, elapsed)
        assert app.updates == len(app.batch_loss) == app.trainer.step_count  # every paced step reported


async def test_changing_speed_mid_run_applies_at_once_without_a_reset():
    app = make(LONG)
    async with app.run_test(size=(100, 30)) as pilot:
        # Keys are pressed only while the run is slow: Pilot waits for the process to go idle
        # after each key (up to 2 s while a worker computes flat out).
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
        await pilot.pause(0.5)
        fast = app.trainer.step_count - before
        assert 3 * (time.perf_counter() - started) + 2 < fast <= 30 * (time.perf_counter() - started) + 2, fast
        assert app.session is session and app.status == "running"  # the same run, never reset
        await pilot.press("space")
        await settle(app, pilot)


async def test_quit_while_paced_leaves_no_thread():
    app = make(LONG)
    async with app.run_test(size=(100, 30)) as pilot:
        app.speed = 1
        await pilot.press("space")
        await pilot.pause(0.1)  # the worker is now waiting out its 1 s period
        assert app.status == "running"
        quit_at = time.perf_counter()
        await pilot.press("q")
    await assert_no_worker_thread()
    assert time.perf_counter() - quit_at < 1.0  # did not sleep out the period
    assert app.trainer.step_count <= 2


async def test_speed_is_in_the_palette_and_survives_a_reset():
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        titles = {command.title: command for command in app.get_system_commands(app.screen)}
        assert {"Speed: 1/s", "Speed: 30/s", "Speed: max", "Slower", "Faster"} <= titles.keys()
        await titles["Speed: 30/s"].callback()  # entries run on the view they were listed for
        assert app.speed == 30 and app.driver.max_rate == 30
        await pilot.press("r")
        await pilot.pause()
        assert app.driver.max_rate == 30


async def test_the_footer_keeps_quit_and_leaves_what_does_not_fit_to_help():
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        footer = await last_line(app, pilot, "Quit")
        for shown in ("Run/Pause", "Iteration", "Epoch", "Reset", "y Why", "L Lessons", "Help", "Quit"):
            assert shown in footer, footer
        assert "Speed" not in footer and "palette" not in footer  # in ? help, which names ctrl+p
        await pilot.resize_terminal(120, 40)
        footer = await last_line(app, pilot, "Compare")
        for shown in ("Log y", "Compare", "Speed", "y Why", "L Lessons", "Quit"):
            assert shown in footer, footer
        await pilot.resize_terminal(150, 40)
        footer = await last_line(app, pilot, "palette")
        for shown in ("Map/why/optimizer", "Speed", "L Lessons", "Quit", "palette"):
            assert shown in footer, footer


async def last_line(app, pilot, awaited: str) -> str:
    """The screen's last line once it shows ``awaited`` (the footer composes after a refresh; on a
    loaded machine that can take more than one pause), or as it is after a few seconds."""
    for _ in range(60):
        await pilot.pause(0.05)
        footer = screen_lines(app.screen)[-1]
        if awaited in footer:
            break
    return footer
