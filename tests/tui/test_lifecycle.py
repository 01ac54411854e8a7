"""Quitting leaves no thread behind; SIGTERM/SIGHUP quit the real program; progress batching loses nothing."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time

import numpy as np

from engine import ExperimentConfig, build_experiment
from tests.tui.conftest import PACE, assert_no_worker_thread, make
from tui import i18n

LONG = ExperimentConfig(samples=200, epochs=100_000)


async def test_an_error_in_the_training_worker_stops_the_run_and_says_so_then_quit_mid_run_leaves_no_thread():
    """The workers run with ``exit_on_error=False``: an error ended the worker silently, the status said
    "running" for ever. Now the run pauses where it stood and a one-line notice names the error. Then, rebuilt on
    a long run, q mid-run leaves no thread. One app at 80x24."""
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await an_error_in_the_training_worker_stops_the_run_and_says_so(app, pilot)
        await pilot.press("escape")  # back to the main view
        assert await app.rebuild(LONG)
        app.speed = PACE  # paced: Pilot waits after space until the process idles, up to a second flat out
        await pilot.press("space")
        await pilot.pause(0.05)
        assert app.status == "running"
        await pilot.press("q")
    assert not app.is_running
    await assert_no_worker_thread()
    assert app.trainer.step_count < app.trainer.total_steps
    assert app.screen_stack == [] and app.check_action("toggle_run", ()) is False  # as a late footer asks it


async def an_error_in_the_training_worker_stops_the_run_and_says_so(app, pilot) -> None:
    """From the start; ends in the race view."""
    def boom():
        raise RuntimeError("deliberate, from the test")

    app.trainer.step = boom
    await pilot.press("n")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert app.status == "paused"
    assert [n.message for n in app._notifications] == [
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
    assert screen.status == "paused" and len(app._notifications) == 2
    assert list(app._notifications)[-1].message == \
        "학습이 예기치 않은 오류로 멈췄습니다: RuntimeError: deliberate, from the test"


def read_until(fd: int, needle: bytes, bound: float = 15.0) -> bytes:
    """What the program writes to its terminal ``fd`` until ``needle`` shows (the first full frame's footer, the
    status a key set), read as it comes; fails after ``bound`` seconds (imports on a loaded machine)."""
    output, deadline = b"", time.monotonic() + bound
    while needle not in output:
        assert time.monotonic() < deadline, f"{needle!r} not shown within {bound} s: {output[-2000:]!r}"
        if select.select([fd], [], [], 0.1)[0]:
            output += os.read(fd, 65536)
    return output


def _run_and_signal(sig: int) -> tuple[int, bytes, float]:
    pid, fd = pty.fork()
    if pid == 0:  # child: the real program on a real terminal
        os.environ["PYTHONPATH"] = os.getcwd()
        os.environ["TERM"] = "xterm-256color"
        os.execv(sys.executable, [sys.executable, "-m", "tui"])
    output = read_until(fd, b"Run/Pause")  # the footer: first full frame
    os.write(fd, b" ")  # start training so a worker thread is alive
    output += read_until(fd, b"running")
    os.kill(pid, sig)
    sent = time.monotonic()
    status = 0
    while True:
        try:
            if select.select([fd], [], [], 0.1)[0]:
                output += os.read(fd, 65536)
        except OSError:
            pass
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() - sent > 5:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise AssertionError("the app did not exit within 5 s")
    elapsed = time.monotonic() - sent
    try:
        while select.select([fd], [], [], 0.05)[0]:
            output += os.read(fd, 65536)
    except OSError:
        pass
    os.close(fd)
    return os.waitstatus_to_exitcode(status), output, elapsed


def _drop_terminal_mid_run() -> float:
    """The real program on a 200x60 terminal, training flat out; then the terminal goes away (the
    kernel sends SIGHUP and SIGCONT, and every write to it fails). Returns how long the app outlived it."""
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["PYTHONPATH"] = os.getcwd()
        os.environ["TERM"] = "xterm-256color"
        os.execv(sys.executable, [sys.executable, "-m", "tui", "--samples", "200", "--epochs", "100000",
                                  "--speed", "max"])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 60, 200, 0, 0))
    read_until(fd, b"Run/Pause")
    os.write(fd, b" ")
    read_until(fd, b"running")  # training: frames keep coming
    os.close(fd)  # hang-up
    dropped = time.monotonic()
    while not os.waitpid(pid, os.WNOHANG)[0]:
        if time.monotonic() - dropped > 10:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise AssertionError("the app outlived its terminal by 10 s")
        time.sleep(0.05)
    return time.monotonic() - dropped


def test_a_dropped_terminal_ends_the_app():
    """A dropped SSH link mid-run: Textual's shutdown waited for ever on its dead output thread in 8 of
    10 tries like these (an orphan process per dropped link); the app must end within its grace."""
    for _ in range(2):
        assert _drop_terminal_mid_run() < 10


def test_sigterm_and_sighup_quit_cleanly():
    for sig in (signal.SIGTERM, signal.SIGHUP):
        code, output, elapsed = _run_and_signal(sig)
        assert code == 0, (sig, code)
        assert b"\x1b[?1049l" in output  # left the alternate screen: the terminal is restored
        assert elapsed < 2.0, elapsed  # typically well under a second; generous on a loaded machine


def test_tui_uses_only_the_engine_top_level_and_the_engine_no_textual():
    from pathlib import Path
    for path in Path("tui").rglob("*.py"):
        for line in path.read_text().splitlines():
            assert not line.startswith(("from engine.", "import engine.")), f"{path}: {line}"
    out = subprocess.run([sys.executable, "-c", "import engine, sys; assert 'textual' not in sys.modules"],
                         capture_output=True, env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert out.returncode == 0, out.stderr
