"""``Commands``: the main view's command palette and its entries (bindings, lessons, speeds), in the app's language.

The palette opens so that fast typing cannot break it (``DescendPalette``); every field is reached by
``FieldCommands``; a race or surface view on top lists its own entries.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import SystemCommand
from textual.command import CommandPalette
from textual.screen import Screen

from tui import i18n, lessons
from tui.driver import SPEEDS
from tui.palette import DescendPalette, binding_commands, listed_for
from tui.race.screen import RaceScreen
from tui.textual_private import help_panel_in_words
from tui.surface.screen import SurfaceScreen
from tui.widgets.counters import speed_text
from tui.widgets.size_guard import SizeGuard


def key_words(binding, text: str) -> str:
    """A key's description (``text``) as the footer names it in the app's language; Textual's own keys' (Focus
    Next, Copy selected text) and tooltips in its ``textual.*`` words."""
    if binding is not None and i18n.label(binding) != binding.description:
        return i18n.label(binding)
    return i18n.words(f"textual.{text}", text)


class Commands:
    """Mixed into ``DescendApp`` before ``App`` (its ``get_system_commands`` extends Textual's)."""

    def action_command_palette(self) -> None:
        """Open the command palette (one that keys typed faster than it reacts cannot break)."""
        if self.use_command_palette and not CommandPalette.is_open(self) and not isinstance(self.screen, SizeGuard):
            self.push_screen(DescendPalette(placeholder=i18n.words("textual.Search for commands…", "Search for commands…"),
                                            id="--command-palette"))

    def action_show_help_panel(self) -> None:
        """The palette's Keys: Textual's panel of the focused widget's help and the active keys, each key named in
        the app's language (as the footer names it)."""
        if not self.screen.query("HelpPanel"):
            self.screen.mount(help_panel_in_words(key_words))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):  # Textual's own (Theme, Quit, Keys …), in the app's language
            yield SystemCommand(i18n.words(f"textual.{command.title}", command.title),
                                i18n.words(f"textual.{command.help}", command.help), command.callback, command.discover)
        own = screen.commands() if isinstance(screen, (RaceScreen, SurfaceScreen)) else self._commands()
        yield from listed_for(screen, own)

    def _commands(self) -> Iterable[SystemCommand]:
        """The main view's palette entries: its bindings, lessons and speeds (every field: ``FieldCommands``)."""
        yield from binding_commands(self, [b for b in self.BINDINGS if b.id != "interrupt" and
                                           b.action not in ("focus_next", "focus_previous", "leave_field")])
        for lesson in lessons.all_lessons():
            yield SystemCommand(i18n.t("palette.lesson", title=lesson.text("title")), lesson.text("lecture"),
                                self._palette_lesson(lesson))
        for speed in SPEEDS:
            yield SystemCommand(i18n.t("palette.speed", speed=speed_text(speed)), i18n.t("palette.speed_help"),
                                self._palette_speed(speed))

    def _palette_lesson(self, lesson: lessons.Lesson):
        async def run() -> None:
            await self.open_lesson(lesson)
        return run

    def _palette_speed(self, speed: float | None):
        def run() -> None:
            self.speed = speed
        return run
