"""The program's exit status: 0 when quit, non-zero (with a readable message) when an unhandled error ends it."""

from __future__ import annotations

import os
from pathlib import Path

from tests.tui.real_program import Program

LAUNCHER = Path(__file__).with_name("crash_launcher.py")
HELD_STEP = Path(__file__).with_name("held_step_launcher.py")


def run_on_a_terminal(argv: list[str], keys: bytes) -> tuple[int, str]:
    """Run ``python argv`` on a pseudo-terminal, type ``keys`` after the first full frame; exit code and output."""
    program = Program(*argv)
    try:
        program.read_until(b"Run/Pause", bound=30)  # the footer: first full frame
        os.write(program.fd, keys)
        code = program.wait(30)
    finally:
        program.end()
    return code, program.output.decode(errors="replace")


def test_an_unhandled_error_ends_the_program_with_a_non_zero_status_and_says_so():
    code, output = run_on_a_terminal([str(LAUNCHER), "--epochs", "2"], b"n")
    assert code == 1, output[-2000:]
    assert "DeliberateCrash" in output and "provoked by the exit-status test" in output  # Textual's traceback
    assert "descend stopped on an unhandled error (exit status 1)" in output


def test_quitting_mid_step_ends_the_program_at_once_with_status_0():
    """A step under way (one of a big network takes seconds) is not waited for: the program ends as q is pressed
    (it waited for the step, the screen already gone)."""
    code, output = run_on_a_terminal([str(HELD_STEP), "--epochs", "2"], b" q")
    assert code == 0, output[-2000:]
    assert "unhandled error" not in output
