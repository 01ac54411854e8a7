"""Test-only launcher: ``python -m tui`` (the program, ``main()``) whose first training step never ends, as a
step of a big network takes seconds; ``q`` quits once that step is under way.

Run by tests/tui/test_exit_status.py on a real terminal; nothing else imports it.
"""

import threading

from engine.training import Trainer
from tui.__main__ import main
from tui.app import DescendApp

under_way = threading.Event()


def held(self):
    under_way.set()
    threading.Event().wait()  # for ever: only the process's end stops it


async def quit_once_under_way(self) -> None:
    under_way.wait(10)  # the UI blocks a moment: the step has surely begun when q is handled
    await quit_app(self)


quit_app = DescendApp.action_quit
Trainer.step = held
DescendApp.action_quit = quit_once_under_way

if __name__ == "__main__":
    main()
