"""``LessonMenu``: pick a lesson (``L`` or the palette); it dismisses with the lesson's name, or ``None``."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui import i18n, lessons
from tui.widgets.footer import KeysFooter


class LessonMenu(ModalScreen[str | None]):
    """The lessons in the lecture's order, titles in the current language; enter opens, escape closes, q quits
    the app (as the footer says), K switches the language (the titles are said again in it)."""

    BINDINGS = [
        Binding("escape", "dismiss_menu", "Close", id="close-lessons"),
        Binding("q", "app.quit", "Quit", id="quit"),  # a modal screen hides the app's bindings
        Binding("K", "app.language", "한/EN", show=False, id="language"),
    ]

    def compose(self) -> ComposeResult:
        options = [Option(label, id=name) for name, label in self._titles()]
        with Vertical(id="lessons-box"):
            yield Static(self._title(), id="lessons-title")
            yield OptionList(*options, id="lessons-list")
            yield Static(i18n.t("ui.lessons.hint"), id="lessons-hint")
        yield KeysFooter(optional=[])  # its own keys: the view's below do nothing while it is open

    @staticmethod
    def _titles() -> list[tuple[str, Text]]:
        """Each lesson's name and its numbered title, in the current language."""
        return [(lesson.name, Text.assemble((f"{number:2}. ", "dim"), lesson.text("title")))
                for number, lesson in enumerate(lessons.all_lessons(), 1)]

    @staticmethod
    def _title() -> str:
        return f"[b]{i18n.t('ui.lessons.title')}[/b]"

    def show_words(self) -> None:
        """The title, the lessons' titles and the hint in the app's language (after K), the highlight kept."""
        self.query_one("#lessons-title", Static).update(self._title())
        listing = self.query_one(OptionList)
        for name, label in self._titles():
            listing.replace_option_prompt(name, label)
        self.query_one("#lessons-hint", Static).update(i18n.t("ui.lessons.hint"))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.is_active:  # a second enter queued behind the first must not pop the view below
            self.dismiss(event.option.id)

    def action_dismiss_menu(self) -> None:
        if self.is_active:
            self.dismiss(None)
