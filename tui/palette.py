"""The command palette: Textual's, safe under fast typing; entries made from a view's bindings, each acting
only on the view it was listed for, and found by their help's words too.

A fast typist's keys reach the palette before it has finished reacting to the ones before.
ctrl+p, ``r``, enter, enter typed back to back: each enter picks an entry, the picks travel up
from the option list as messages, and the first closes the palette. When the second arrived,
Textual's palette dismissed itself again, popping the screen *under* it — the main view
(``ScreenStackError: Can't pop screen``, the app died) or the race view (closed unasked). A search
typed just before escape started a gather that ended after the palette was taken down
(``NoMatches: CommandList``), and pagedown typed as the list appeared paged a list not yet laid out
(``KeyError``). The rules that fix them: a screen only ever removes itself, and a palette off the
top of the stack reacts to nothing more.

An entry runs only on the view it was listed for: if that view is no longer on top when the
entry's turn comes (a queued escape left the race view), it is dropped rather than acting on a
view the user has left.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from typing import Any

from textual import on
from textual.actions import parse as parse_action
from textual.app import SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.command import CommandList, CommandPalette, Hit, Hits
from textual.message import Message
from textual.screen import Screen
from textual.system_commands import SystemCommandsProvider
from textual.widgets import Button, Input, OptionList

from tui import i18n
from tui.widgets.footer import KeysFooter
from tui.widgets.help_screen import describe


class DescendPalette(CommandPalette):
    """Textual's command palette that never pops a screen other than itself."""

    BINDINGS = [Binding("pagedown", "page(1)", "Next page", show=False),
                Binding("pageup", "page(-1)", "Previous page", show=False),
                Binding("escape", "escape", "Close", id="close-palette")]  # the footer's one key: letters type here

    def compose(self):
        """Textual's palette, and a footer of its own keys (the view's below, n e r…, type into the search)."""
        yield from super().compose()
        yield KeysFooter(optional=[])

    def action_page(self, direction: int) -> None:
        """Move the highlight a page down (1) or up (-1) — once the list has a size to page by.

        Textual's ``OptionList`` pages from its line layout, made at its first layout with a size:
        a page key typed right after the list appeared raised ``KeyError`` there.
        """
        commands = self.query_one(CommandList)
        if commands.highlighted is not None and not commands.scrollable_content_region:
            return
        if direction > 0:
            commands.action_page_down()
        else:
            commands.action_page_up()

    @on(Input.Changed)
    @on(Input.Submitted)
    @on(OptionList.OptionHighlighted)
    @on(OptionList.OptionSelected)
    @on(Button.Pressed)
    def _ignore_once_closed(self, message: Message) -> None:
        """Typing or a pick that reaches the palette after it closed (a second enter, a queued key) does nothing.

        Runs before Textual's own handlers (subclass first), which ``prevent_default`` then skips.
        """
        if not self.is_active:
            message.prevent_default()
            message.stop()

    def dismiss(self, result: None = None) -> AwaitComplete:
        """Close the palette if it is the screen on top; otherwise it is already closed: do nothing."""
        if not self.is_active:
            return AwaitComplete.nothing()
        return super().dismiss(result)


def on_screen(screen: Screen, callback: Callable[[], Any]) -> Callable[[], Any]:
    """``callback``, run only while ``screen`` is the one on top (the palette runs entries after it closes)."""
    async def run() -> None:
        if screen.is_active:
            result = callback()
            if inspect.isawaitable(result):
                await result
    return run


def listed_for(screen: Screen, commands: Iterable[SystemCommand]) -> Iterable[SystemCommand]:
    """``commands`` bound to ``screen``: each acts only if ``screen`` is still on top when it runs."""
    for command in commands:
        yield SystemCommand(command.title, command.help, on_screen(screen, command.callback), command.discover)


def binding_commands(node, bindings: Iterable[Binding], view: str | None = None,
                     title: str | None = None) -> Iterable[SystemCommand]:
    """A palette entry per binding of ``node`` (the app or a view), in the app's language: the key's label
    (in the ``title`` words, ``palette.race``: "Race: Reset"), what it does as ? help says it for ``view``,
    and the action itself run with the binding's arguments."""
    for binding in bindings:
        name, params = parse_action(binding.action)[1:]
        label = i18n.label(binding)
        yield SystemCommand(i18n.t(title, name=label) if title else label, describe(binding, view),
                            _call(getattr(node, f"action_{name}"), params))


def _call(action: Callable[..., Any], params: tuple) -> Callable[[], Any]:
    """Run ``action(*params)`` itself, not through its key's checks (``check_action``): run/pause picked from
    the palette runs even where the field left focused is a text field."""
    async def run() -> None:
        result = action(*params)
        if inspect.isawaitable(result):
            await result
    return run


HELP_WORD_SCORE = 10.0
"""An entry found by its help's words ranks here: above a title whose letters are merely scattered through it
(``race`` in "Surfaces" scores about 6), below a title holding the word itself (``reset`` in "Race: Reset", 18)."""


def words_start(text: str, query: str) -> bool:
    """Each word of ``query`` (two letters or more) starts a word of ``text``, in any case and script."""
    words, wanted = re.findall(r"\w+", text.lower()), query.lower().split()
    return bool(wanted) and all(len(w) > 1 and any(word.startswith(w) for word in words) for w in wanted)


class SystemCommands(SystemCommandsProvider):
    """Textual's provider of the app's own entries (bindings, lessons, speeds), that also finds an entry by the
    words of its help: ``race`` finds "Compare" (its help: "Compare: the race view"), ``경주`` its Korean, where
    the title alone offered lessons and "Surfaces", or no match at all. In another language an entry is also
    found by its English words: ``reset`` finds 초기화, as a lecture's English terms are typed."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for (name, help_text, callback), (english, english_help) in self._entries():
            score = matcher.match(name) or matcher.match(english) or \
                (HELP_WORD_SCORE if words_start(f"{help_text} {english_help}", query) else 0)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)

    def _entries(self) -> Iterable[tuple[tuple[str, str, Callable[[], Any]], tuple[str, str]]]:
        """Each entry ``(title, help, callback)`` in the app's language, with its title and help in English."""
        here = [(c.title, c.help or "", c.callback) for c in self.app.get_system_commands(self.screen)]
        if i18n.language() == i18n.LANGUAGES[0]:
            return [(entry, entry[:2]) for entry in here]
        with i18n.speaking(i18n.LANGUAGES[0]):
            english = [(c.title, c.help or "") for c in self.app.get_system_commands(self.screen)]
        return list(zip(here, english, strict=True))
