"""Every private name of Textual the app (and its tests) use, in one place.

Textual 8 is what these are tested on (pinned from above in pyproject.toml); a new major
release may move them, and this module is the one to mend.
"""

from __future__ import annotations

import os
import sys
import threading

from textual.widgets._footer import FooterKey, FooterLabel

__all__ = ["FooterKey", "FooterLabel", "end_if_shutdown_hangs", "end_if_still_running", "on_terminal_write", "screen_lines"]


def screen_lines(screen) -> list[str]:
    """The text of every line ``screen`` shows now, as its compositor renders it (tests)."""
    return [strip.text for strip in screen._compositor.render_strips()]


def on_terminal_write(app, callback) -> None:
    """Call ``callback(text)`` with every screen update ``app`` displays, rendered to the terminal
    sequence a real terminal would receive (under ``run_test`` too, where the headless driver skips
    that rendering): what a person would see, and when (benchmarks)."""
    display = app._display

    def tee(screen, renderable) -> None:
        if renderable is not None and hasattr(renderable, "render_segments"):
            callback(renderable.render_segments(app.console))
        display(screen, renderable)
    app._display = tee


def end_if_shutdown_hangs(grace: float) -> None:
    """End the process (exit status 0) ``grace`` seconds from now unless it has ended by then.

    Textual 8's shutdown stops its output thread by queueing to it; when the terminal is gone (a
    dropped SSH link) that thread has died writing to it and the queue is full, so the shutdown waits
    for ever. Call this when a quit is signalled; the daemon timer does not keep a clean exit waiting.
    """
    timer = threading.Timer(grace, os._exit, (0,))
    timer.daemon = True
    timer.start()


def end_if_still_running(thread_name: str, status: int) -> None:
    """After the app has ended: if a thread named ``thread_name`` is still running (a build: ``tui.background``),
    end the process now with ``status``.

    Python's own shutdown would run beside that thread, which keeps computing (and taking the GIL)
    until its build is done: seconds on a loaded machine. Nothing is left to do but flush the output;
    the terminal was restored by the app.
    """
    if any(t.name == thread_name and t.is_alive() for t in threading.enumerate()):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
