"""The tests' Pilot waits (``pilot_waits_on_busy_widgets_only``, set in conftest) still wait for every widget busy
with a message, and leave idle widgets alone."""

from __future__ import annotations

import asyncio

from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Label, Static

from tui.textual_private_pilot import idle


class Slow(Static):
    """A widget whose handler takes a while (it awaits, as a mount or a worker's answer does)."""

    class Go(Message):
        """Start the slow handler."""

    done = False

    async def on_slow_go(self) -> None:
        await asyncio.sleep(0.05)
        self.done = True


class Labels(App):
    def compose(self) -> ComposeResult:
        yield Slow(id="slow")
        for n in range(20):
            yield Label(str(n))


async def test_a_pause_waits_for_a_busy_widget_and_leaves_idle_ones():
    app = Labels()
    async with app.run_test(size=(40, 10)) as pilot:
        slow, labels = app.query_one(Slow), list(app.query(Label))
        await pilot.pause()
        assert all(idle(label) for label in labels) and idle(slow)
        slow.post_message(Slow.Go())
        await asyncio.sleep(0)
        assert not idle(slow)  # inside its handler, or about to be
        await pilot.pause()
        assert slow.done  # the pause waited for the handler to end (Pilot's own idle check would not: it sleeps)
        assert all(idle(label) for label in labels)
