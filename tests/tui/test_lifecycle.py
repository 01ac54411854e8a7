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


class Program:
    """``python -m tui ARGS``, the real program, on a pseudo-terminal of its own (``rows`` × ``columns`` if given),
    started at once: a test starts the programs it needs together, so their imports overlap."""

    def __init__(self, *args: str, rows: int = 0, columns: int = 0) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # child: the program on the terminal
            os.environ["PYTHONPATH"] = os.getcwd()
            os.environ["TERM"] = "xterm-256color"
            os.execv(sys.executable, [sys.executable, "-m", "tui", *args])
        os.set_inheritable(self.fd, False)  # a program started next must not hold this terminal open
        if rows:
            fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.output = b""
        self.connected = True
        self.reaped = False  # its pid waited for: free for the system to give to another process

    def read_until(self, needle: bytes, bound: float = 15.0) -> None:
        """Read what the program writes until ``needle`` shows after what was read before (the first full frame's
        footer, the status a key set); fails after ``bound`` seconds (imports on a loaded machine)."""
        start, deadline = len(self.output), time.monotonic() + bound
        while needle not in self.output[start:]:
            assert time.monotonic() < deadline, f"{needle!r} not shown within {bound} s: {self.output[-2000:]!r}"
            if select.select([self.fd], [], [], 0.1)[0]:
                self.output += os.read(self.fd, 65536)

    def training(self) -> None:
        """Once its first full frame shows (the footer), space: training, a worker thread alive, frames coming."""
        self.read_until(b"Run/Pause")
        os.write(self.fd, b" ")
        self.read_until(b"running")

    def wait(self, bound: float) -> int:
        """Its exit status once it ended, reading its terminal meanwhile (while connected); killed and failed if it
        runs ``bound`` seconds more."""
        deadline = time.monotonic() + bound
        while True:
            if self.connected:
                try:
                    if select.select([self.fd], [], [], 0.05)[0]:
                        self.output += os.read(self.fd, 65536)
                except OSError:  # the program closed the terminal
                    pass
            else:
                time.sleep(0.05)
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.reaped = True
                return os.waitstatus_to_exitcode(status)
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"the app did not exit within {bound} s")

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        self.reaped = True

    def hang_up(self) -> None:
        """The terminal goes away (the kernel sends SIGHUP and SIGCONT, and every write to it fails)."""
        os.close(self.fd)
        self.connected = False

    def end(self) -> None:
        """Its terminal read to the end and closed; the program killed if it still runs (a test that failed)."""
        if self.connected:
            try:
                while select.select([self.fd], [], [], 0.05)[0]:
                    self.output += os.read(self.fd, 65536)
            except OSError:
                pass
            self.hang_up()
        if not self.reaped:
            self.kill()


def test_a_dropped_terminal_ends_the_app():
    """A dropped SSH link mid-run: Textual's shutdown waited for ever on its dead output thread in 8 of
    10 tries like these (an orphan process per dropped link); the app must end within its grace. Twice, on a
    200x60 terminal, training flat out."""
    programs = [Program("--samples", "200", "--epochs", "100000", "--speed", "max", rows=60, columns=200)
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
    programs = {sig: Program() for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        for sig, program in programs.items():
            program.training()
            os.kill(program.pid, sig)
            sent = time.monotonic()
            code = program.wait(5)
            elapsed = time.monotonic() - sent
            program.end()
            assert code == 0, (sig, code)
            assert b"\x1b[?1049l" in program.output  # left the alternate screen: the terminal is restored
            assert elapsed < 2.0, elapsed  # typically well under a second; generous on a loaded machine
    finally:
        for program in programs.values():
            program.end()


def test_tui_uses_only_the_engine_top_level_and_the_engine_no_textual():
    from pathlib import Path
    for path in Path("tui").rglob("*.py"):
        for line in path.read_text().splitlines():
            assert not line.startswith(("from engine.", "import engine.")), f"{path}: {line}"
    out = subprocess.run([sys.executable, "-c", "import engine, sys; assert 'textual' not in sys.modules"],
                         capture_output=True, env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert out.returncode == 0, out.stderr
