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


class LessonMenu(ModalScreen[str | None]):
    """The lessons in the lecture's order, titles in the current language; enter opens, escape closes."""

    BINDINGS = [Binding("escape,q", "dismiss_menu", "Close", id="close-lessons")]

    def compose(self) -> ComposeResult:
        options = []
        for number, lesson in enumerate(lessons.all_lessons(), 1):
            label = Text.assemble((f"{number:2}. ", "dim"), lesson.text("title"))
            options.append(Option(label, id=lesson.name))
        with Vertical(id="lessons-box"):
            yield Static(f"[b]{i18n.t('ui.lessons.title')}[/b]", id="lessons-title")
            yield OptionList(*options, id="lessons-list")
            yield Static(i18n.t("ui.lessons.hint"), id="lessons-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.is_active:  # a second enter queued behind the first must not pop the view below
            self.dismiss(event.option.id)

    def action_dismiss_menu(self) -> None:
        if self.is_active:
            self.dismiss(None)
