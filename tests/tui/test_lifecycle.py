"""An error in the training worker is said and stops the run; quitting leaves no thread behind (in test_race_inside's
80x24 app); SIGTERM, SIGHUP and a dropped terminal end the real program; tui/ reaches only the engine's top level."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import time

from engine import ExperimentConfig
from tests.tui.conftest import SMALL, assert_no_worker_thread
from tests.tui.speed_keys import a_paced_run_makes_at_most_rate_times_seconds_steps_a_change_applies_and_q_returns
from tests.tui.real_program import Program
from tui import i18n
from tui.__main__ import QUIT_GRACE_VARIABLE
from tui.textual_private_pilot import notices

LONG = ExperimentConfig(samples=200, epochs=100_000)


# The app's part is the end of test_race_inside's 80x24 app (an app start fewer: the start is most of a Pilot test's
# CPU): these two are its steps.

async def a_worker_error_stops_the_run_and_says_so_then_a_paced_run_and_q_mid_run(app, pilot) -> tuple[float, int]:
    """The workers run with ``exit_on_error=False``: an error ended the worker silently, the status said
    "running" for ever. Now the run pauses where it stood and a one-line notice names the error. Then, rebuilt on
    a long run, a paced run makes at most rate × seconds steps, and q mid-run (waiting out its pace's period)
    (tests/tui/speed_keys.py). From the main view at 80x24, rebuilt on SMALL for a fresh run; the app ends.
    Returns when q was pressed and the step count the last run started from."""
    assert await app.rebuild(SMALL)
    await an_error_in_the_training_worker_stops_the_run_and_says_so(app, pilot)
    await pilot.press("escape")  # back to the main view
    assert await app.rebuild(LONG)
    return await a_paced_run_makes_at_most_rate_times_seconds_steps_a_change_applies_and_q_returns(app, pilot)


async def q_mid_run_left_no_thread_and_did_not_sleep_out_the_period(app, quit_at: float, before: int) -> None:
    """After the app's block, once q ended it mid-run (``a_worker_error_stops_the_run…``): no worker thread left,
    the paced run's period (100 s) not slept out, its last step the only one, the run not finished."""
    assert not app.is_running
    await assert_no_worker_thread()
    assert time.perf_counter() - quit_at < 50  # did not sleep out the period
    assert app.trainer.step_count - before == 1
    assert app.trainer.step_count < app.trainer.total_steps
    assert app.screen_stack == [] and app.check_action("toggle_run", ()) is False  # as a late footer asks it


async def an_error_in_the_training_worker_stops_the_run_and_says_so(app, pilot) -> None:
    """From a fresh run in the main view; ends in the race view."""
    def boom():
        raise RuntimeError("deliberate, from the test")

    app.trainer.step = boom
    app.clear_notifications()  # a walk's earlier notice (the race's 'each has diverged') fades 6 s after it came
    await pilot.press("n")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert app.status == "paused"
    assert [n.message for n in notices(app)] == [
        "Training stopped on an unexpected error: RuntimeError: deliberate, from the test"]
    await pilot.press("c")
    screen = app.screen
    screen.race.step = boom
    i18n.set_language("ko")  # the line is in the app's language
    try:
        await pilot.press("n")
        await app.workers.wait_for_complete()
        await pilot.pause()
    finally:
        i18n.set_language("en")
    assert screen.status == "paused" and len(notices(app)) == 2
    assert notices(app)[-1].message == \
        "학습이 예기치 않은 오류로 멈췄습니다: RuntimeError: deliberate, from the test"


def test_the_grace_timer_ends_a_hung_quit_with_its_own_status(monkeypatch):
    """The timer a signalled quit starts ends a process whose exit hangs with the status it is given (the app's
    ``HUNG_QUIT_STATUS``, 3), not 0: an orderly quit (test_sigterm_and_sighup_quit_cleanly) is told from it by
    its status. ``os._exit`` recorded instead of called (the process goes on)."""
    from tui import textual_private
    from tui.app import HUNG_QUIT_STATUS
    statuses = queue.Queue()
    monkeypatch.setattr(textual_private.os, "_exit", statuses.put)
    textual_private.end_if_shutdown_hangs(0.01, HUNG_QUIT_STATUS)
    assert statuses.get(timeout=30) == HUNG_QUIT_STATUS != 0


def test_a_dropped_terminal_ends_the_app():
    """A dropped SSH link mid-run: Textual's shutdown waited for ever on its dead output thread in 8 of
    10 tries like these (an orphan process per dropped link); the app must end within its grace. Twice, on a
    200x60 terminal, training flat out."""
    programs = [Program("-m", "tui", "--samples", "200", "--epochs", "100000", "--speed", "max", rows=60, columns=200)
                for _ in range(2)]
    try:
        for program in programs:
            program.training()
            program.hang_up()
            program.wait(10)  # how long the app may outlive its terminal
    finally:
        for program in programs:
            program.end()


def test_sigterm_and_sighup_quit_cleanly():
    """Mid-run, each signal ends the program as q does: status 0, the terminal restored. How soon is the app's own
    bound (``QUIT_GRACE``: a daemon timer ends the process if the orderly exit has not, with status
    ``HUNG_QUIT_STATUS``, so status 0 is the orderly exit), not timed here: the programs get 25 s
    (``DESCEND_QUIT_GRACE``), so status 3 means a hang, not a loaded machine (the quit takes ~0.3 s beside three
    busy loops), and the wait only catches a hang."""
    programs = {sig: Program("-m", "tui", env={QUIT_GRACE_VARIABLE: "25"}) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        for sig, program in programs.items():
            program.training()
            os.kill(program.pid, sig)
            code = program.wait(30)
            program.end()
            assert code == 0, (sig, code)
            assert b"\x1b[?1049l" in program.output  # left the alternate screen: the terminal is restored
    finally:
        for program in programs.values():
            program.end()


NO_TEXTUAL = """
import sys
import engine
assert "textual" not in sys.modules, "import engine"
from tui.__main__ import main
for argv in (["--list-lessons"], ["--help"], ["--epochs", "many"]):
    try:
        main(argv)
    except SystemExit:  # --help: 0; a refused flag: 2
        pass
    assert "textual" not in sys.modules, argv
"""
"""The engine imports no Textual; nor does ``python -m tui`` before it starts the app (--help, --list-lessons and a
refused flag answer without importing it: a third of their time)."""


def test_tui_uses_only_the_engine_top_level_and_the_engine_and_the_flags_no_textual():
    from pathlib import Path
    for path in Path("tui").rglob("*.py"):
        for line in path.read_text().splitlines():
            assert not line.startswith(("from engine.", "import engine.")), f"{path}: {line}"
    out = subprocess.run([sys.executable, "-c", NO_TEXTUAL], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert out.returncode == 0, out.stderr
    assert "iterations" in out.stdout and "usage: python -m tui" in out.stdout  # the lessons, the help
