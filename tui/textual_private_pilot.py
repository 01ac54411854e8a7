"""The Textual private names only the tests use (tests/tui/conftest.py): Pilot's waits, made to skip idle widgets.

A fence of its own beside ``tui/textual_private.py``: the app never imports it (test_private_fence checks), so
what it patches changes how the tests wait, never what the app does. Tested on Textual 8 (pinned from above
in pyproject.toml).
"""

from __future__ import annotations

import asyncio

__all__ = ["dimmed_below", "handlers", "idle", "notices", "pilot_waits_on_busy_widgets_only"]


def dimmed_below(screen) -> tuple[list, list]:
    """What the see-through ``screen`` shows of the screen below it, as lines (``Strip``): as it drew it last (the
    screen's own content, which ``tui.textual_patches.dim_what_changed_below`` keeps), and as Textual's own
    ``BackgroundScreen`` renders it now, the whole screen below composed and dimmed anew."""
    from textual.renderables.background_screen import BackgroundScreen
    from textual.visual import RichVisual, Visual

    below = screen.app._background_screens[-1]
    width, height = screen.size
    textual = RichVisual(screen, BackgroundScreen(below, screen.styles.background))
    return (list(screen._render_cache.lines),
            Visual.to_strips(screen, textual, width, height, screen.visual_style))


def handlers(pump, message, method_name: str):
    """The handlers Textual calls for ``message`` sent to ``pump``, in order, as (class, bound method) pairs, as it
    calls them (Textual 8's ``MessagePump._get_dispatch_methods``, a generator: a handler that prevents the default
    between two stops the classes after)."""
    return pump._get_dispatch_methods(method_name, message)


def idle(pump) -> bool:
    """Whether ``pump`` (a widget, a screen, the app) waits for its next message with none queued: its task is
    the one waiting on its queue (Textual 8's ``_queue.Queue``, one ``asyncio.Event``), and nothing is due to
    run after its current message. A pump still starting, closing, or inside a handler is not idle."""
    queue = pump._message_queue
    return queue.empty() and bool(queue.ready_event._waiters) and not pump._next_callbacks


def notices(app) -> list:
    """The notices ``app`` holds, oldest first (Textual 8's ``App._notifications``: each a ``Notification``
    with its ``message``, ``severity`` and ``timeout``), shown or still to fade; Textual has no public way to
    read them."""
    return list(app._notifications)


def pilot_waits_on_busy_widgets_only() -> None:
    """Pilot's every ``press`` and ``pause`` waits until each widget of the screen has handled the messages
    queued before it (``Pilot._wait_for_screen``): it queues a callback on every widget and waits for all of
    them. A widget idle with an empty queue has nothing queued, so the wait is over for it at once; here the
    callback goes only to widgets that are not idle (``idle``), which is the same condition. For the main
    view's ~140 widgets Textual's wait costs ~8 ms of CPU at each ``press`` and ``pause`` (a task switch and a
    handler per widget), two thirds of a typed key's; this one ~0.5 ms. For the tests (tests/tui/conftest.py);
    the app and the benchmarks keep Textual's. Idempotent.
    """
    from textual.pilot import Pilot, WaitForScreenTimeout

    if getattr(Pilot._wait_for_screen, "busy_only", False):
        return

    async def wait_for_screen(pilot: Pilot, timeout: float = 30.0) -> bool:
        """Textual 8's ``Pilot._wait_for_screen``, with ``idle`` pumps left out."""
        try:
            screen = pilot.app.screen
        except Exception:
            return False
        count, done = 0, asyncio.Event()

        def one_done() -> None:
            nonlocal count
            count -= 1
            if count == 0:
                done.set()
        for pump in (pilot.app, *screen.walk_children(with_self=True)):
            if not idle(pump) and pump.call_later(one_done):
                count += 1
        if count:
            waits = [asyncio.create_task(done.wait()), asyncio.create_task(pilot.app._exception_event.wait())]
            _, pending = await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()
            if len(pending) == len(waits):
                raise WaitForScreenTimeout("Timed out while waiting for widgets to process pending messages.")
            return count <= 0
        return True
    wait_for_screen.busy_only = True
    Pilot._wait_for_screen = wait_for_screen
