"""Test-only launcher: ``python -m tui`` whose ``n`` key raises, so an unhandled error ends the app.

Run by tests/tui/test_exit_status.py on a real terminal; nothing else imports it.
"""

import sys

from tui.__main__ import main
from tui.app import DescendApp


class DeliberateCrash(RuntimeError):
    """The error the exit-status test provokes."""


def crash(self) -> None:
    raise DeliberateCrash("provoked by the exit-status test")


DescendApp.action_step_iteration = crash

if __name__ == "__main__":
    main(sys.argv[1:])
