"""The private names of Textual the app's widgets, tests, benchmarks and exit use, in one place.

Textual 8 is what these are tested on (pinned from above in pyproject.toml); a new major
release may move them, and this module is the one to mend. The few private names of Python's own the
app's exit uses (``os._exit``, ``atexit._run_exitfuncs``) are fenced here too. Textual's own methods that the
app replaces to do less work per event (layouts, restyles, redraws) are fenced in ``tui/textual_patches/``.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from collections.abc import Callable
from functools import cache

from textual import on
from textual.app import ComposeResult
from textual.widgets import Footer, Select
from textual.widgets._footer import FooterKey, FooterLabel
from textual.widgets._select import SelectCurrent, SelectOverlay

__all__ = ["FooterKey", "FooterLabel", "LazySelect", "compose_keys_at_mount", "end_if_shutdown_hangs", "end_process",
           "help_panel_in_words", "on_terminal_write", "run_key_bindings", "screen_lines"]


class SpaceFreeOverlay(SelectOverlay):
    """A menu's open list: finds entries as letters are typed, and leaves space to the run/pause key.

    Textual leaves a key's bindings out while the focused widget consumes that key as text (an ``Input``
    does; so does a menu's open list, for any printable key).
    """

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        return key != "space" and super().check_consume_key(key, character)

    def action_page_down(self) -> None:
        if self._can_page():
            super().action_page_down()

    def action_page_up(self) -> None:
        if self._can_page():
            super().action_page_up()

    def _can_page(self) -> bool:
        """Whether a page key can move the highlight: ``OptionList`` pages from its line layout, made at its first
        layout with a size; a page key reaching the list as it opened (mounted, not laid out yet) raised
        ``KeyError`` there (found by the randomized key test)."""
        return self.highlighted is None or bool(self.scrollable_content_region)


class LazySelect(Select):
    """A ``Select`` that builds its list the first time it opens.

    Textual's ``Select`` composes its hidden list (an ``OptionList`` of every entry) with it; the control
    panel's seven menus paid for seven lists at every start, most never opened. Until the first open this
    one is the line showing the value (Textual's own ``SelectCurrent``, given its label and its
    ``-has-value`` class before it is first styled); enter, space, ↑ / ↓ or a click mount the list,
    then Textual's ``Select`` opens it as its own. Keys, looks and messages are ``Select``'s.
    """

    @property
    def overlay(self) -> SelectOverlay | None:
        """The list, once it has been opened (``None`` before)."""
        return next(iter(self.query_children(SelectOverlay)), None)

    def compose(self) -> ComposeResult:
        current = SelectCurrent(self.prompt)
        shown = self._value if self._value != self.NULL or self._allow_blank else self._options[0][1]
        if shown != self.NULL:  # as ``_watch_value`` will make it on mount, where it would restyle the line
            current.set_reactive(SelectCurrent.has_value, True)
            current.add_class("-has-value", update=False)
        yield current

    async def build_overlay(self) -> None:
        """Mount the list (once), with the entries and the value highlighted."""
        if self.overlay is not None:
            return
        overlay = SpaceFreeOverlay(type_to_search=self._type_to_search)
        overlay.compact = self.compact  # what ``data_bind`` does in ``Select.compose`` (it binds only there)
        self.watch(self, "compact", lambda compact: setattr(overlay, "compact", compact), init=False)
        await self.mount(overlay)
        super()._setup_options_renderables()
        self._highlight(self.value)

    def _highlight(self, value: object) -> None:
        overlay = self.overlay
        if overlay is None or value == self.NULL:
            return
        overlay.highlighted = next(i for i, (_, v) in enumerate(self._options) if v == value)

    def _setup_options_renderables(self) -> None:
        if self.overlay is not None:
            super()._setup_options_renderables()

    def _watch_value(self, value: object) -> None:
        """``Select``'s, with the list's highlight only once there is a list."""
        self._value = value
        current = next(iter(self.query_children(SelectCurrent)), None)
        if current is None:
            return
        current.update(self.NULL if value == self.NULL else next(p for p, v in self._options if v == value))
        self._highlight(value)
        self.post_message(self.Changed(self, value))

    def relabel(self, options: list[tuple[str, object]]) -> None:
        """The same values under new labels (another language, after K), the value kept and its line redrawn
        (``set_options`` keeps an unchanged value's old label on the line: no watcher runs). No ``Changed``."""
        value = self.value
        with self.prevent(self.Changed):
            self.set_options(options)
            self.value = value
            self._watch_value(value)

    def _watch_prompt(self, prompt: str) -> None:
        if self.overlay is not None or not self.is_mounted:
            super()._watch_prompt(prompt)
            return
        current = self.query_one(SelectCurrent)
        current.placeholder = prompt
        if self._allow_blank and self.value == self.NULL:
            current.update(self.NULL)

    async def action_show_overlay(self) -> None:
        await self.build_overlay()
        super().action_show_overlay()

    @on(SelectCurrent.Toggle)
    async def _build_before_toggle(self, event: SelectCurrent.Toggle) -> None:
        """A click: the list is mounted before ``Select``'s own handler (next in line) opens it."""
        await self.build_overlay()


async def run_key_bindings(app, key: str) -> bool:
    """Run the binding of ``key`` that the focused widget and its ancestors up to the app have (the focused one's
    first, a modal screen's chain stopping at it), as the app does once the key has bubbled up to it (``App._on_key``);
    whether one ran (an action raising ``SkipAction`` passes the key on to the next)."""
    return await app._check_bindings(key)


def compose_keys_at_mount(footer: Footer) -> None:
    """Let ``footer`` compose its keys as it mounts, from its screen's bindings as they are then.

    Textual 8's ``Footer`` composes nothing until its screen first signals a change of its bindings
    (``Footer._bindings_ready``), which comes after the screen's first layout (as its focus is set): every screen
    that opens was laid out and drawn with an empty footer, then laid out and drawn again with its keys."""
    footer.set_reactive(Footer._bindings_ready, True)


def screen_lines(screen) -> list[str]:
    """The text of every line ``screen`` shows now, as its compositor renders it (tests)."""
    return [strip.text for strip in screen._compositor.render_strips()]


def help_panel_in_words(words: Callable) -> object:
    """Textual's help panel (the palette's Keys: the focused widget's help and the active keys) with each key's
    description and tooltip in ``words(binding, text)`` — the app's language — instead of the binding's English. Textual's
    table of keys is private (``BindingsTable``); its rows are kept and each description cell reworded."""
    return _help_panel_classes()[0](words)


@cache
def _help_panel_classes() -> tuple[type, ...]:
    """Made on first use: ``python -m tui`` starts without importing the help panel (Markdown)."""
    from rich.text import Text
    from textual.widgets import HelpPanel, KeyPanel, Markdown
    from textual.widgets._key_panel import BindingsTable

    class WordedTable(BindingsTable):
        def __init__(self, words: Callable, **kwargs) -> None:
            super().__init__(**kwargs)
            self.words = words

        def render_bindings_table(self):
            table = super().render_bindings_table()
            shown = {" ".join(filter(None, (b.description, b.tooltip))): b
                     for _, b, _, _ in self.screen.active_bindings.values()}  # as Textual writes a cell
            for cell in table.columns[-1].cells:
                binding = shown.get(cell.plain) if isinstance(cell, Text) else None
                if binding is not None:
                    cell.plain = self.words(binding, binding.description) if binding.description else ""  # style stays
                    if binding.tooltip:
                        cell.append((" " if binding.description else "") + self.words(None, binding.tooltip), "dim")
            return table

    class WordedKeys(KeyPanel):
        def __init__(self, words: Callable, **kwargs) -> None:
            super().__init__(**kwargs)
            self.words = words

        def compose(self):
            yield WordedTable(self.words, shrink=True, expand=False)

    class WordedHelp(HelpPanel):
        def __init__(self, words: Callable) -> None:
            super().__init__()
            self.words = words

        def compose(self):
            yield Markdown(id="widget-help")
            yield WordedKeys(self.words, id="keys-help")

    return WordedHelp, WordedKeys, WordedTable


def on_terminal_write(app, callback, updates: int | None = None) -> None:
    """Call ``callback(text)`` with every screen update ``app`` displays, rendered to the terminal
    sequence a real terminal would receive (under ``run_test`` too, where the headless driver skips
    that rendering): what a person would see, and when (benchmarks). ``updates``: only the first that many (then
    the app displays as before: tests)."""
    display, seen = app._display, [0]

    def tee(screen, renderable) -> None:
        if renderable is not None and hasattr(renderable, "render_segments"):
            callback(renderable.render_segments(app.console))
            seen[0] += 1
            if seen[0] == updates:
                app._display = display
        display(screen, renderable)
    app._display = tee


def end_if_shutdown_hangs(grace: float, status: int) -> None:
    """End the process with exit status ``status`` ``grace`` seconds from now unless it has ended by then.

    Textual 8's shutdown stops its output thread by queueing to it; when the terminal is gone (a
    dropped SSH link) that thread has died writing to it and the queue is full, so the shutdown waits
    for ever. Call this when a quit is signalled; the daemon timer does not keep a clean exit waiting.
    ``status`` tells this end from the orderly exit (0).
    """
    timer = threading.Timer(grace, os._exit, (status,))
    timer.daemon = True
    timer.start()


def end_process(status: int) -> None:
    """End the process now with ``status``, once the app has ended: after what Python's own exit does that
    anyone could need — the ``atexit`` handlers (logging's flush; a coverage run's save) — and a flush of stdout
    and stderr. The terminal was restored by the app, and every file it wrote was closed as it was written.

    What is skipped is the interpreter's teardown: freeing every module and object one by one, for a process
    that is ending anyway (~1 s of wall time on a loaded machine), and with it the wait for a daemon thread
    still computing (a build: ``tui.background``), which would take the GIL beside that teardown for seconds;
    and ``threading``'s exit, which joins the threads that are not daemons: a training worker's, halted but
    still in a step that nobody will read (seconds for a big network), is all there can be.
    """
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # the terminal is gone (a dropped SSH link), or the stream closed
            pass
    os._exit(status)
