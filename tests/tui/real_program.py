"""``Program``: the real program run on a pseudo-terminal, as a person's terminal runs it, for the tests of how it
starts, quits and ends (test_lifecycle, test_exit_status)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time


class Program:
    """``python ARGV`` (``-m tui …`` or a test's launcher), the real program, on a pseudo-terminal of its own
    (``rows`` × ``columns`` if given), started at once: a test that needs two starts them together, so their
    imports overlap."""

    def __init__(self, *argv: str, rows: int = 0, columns: int = 0, env: dict[str, str] | None = None) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # child: the program on the terminal (``env``: more of its environment)
            os.environ.update(env or {})
            os.environ["PYTHONPATH"] = os.getcwd()
            os.environ["TERM"] = "xterm-256color"
            os.execv(sys.executable, [sys.executable, *argv])
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
        runs ``bound`` seconds more (what it showed last in the message)."""
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
                raise AssertionError(f"the program did not end within {bound} s; it showed: {self.output[-2000:]!r}")

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
