"""One-line setting rows for the control panel: a typed field, a choice list, a flag."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer
from textual.message import Message
from textual.widgets import Checkbox, Input, Label, Select, Static

from engine import ConfigError, text_of
from tui import i18n
from tui.background import REFUSAL_SECONDS
from tui.textual_private import LazySelect
from tui.widgets import steps
from tui.widgets.in_order_input import InOrderInput
from tui.widgets.tick import Tick

Parse = Callable[[str], object]


def words(label: str) -> str:
    """A row's or section's label (``dataset``, ``val split``) in the app's language; notation (``lr``, ``β1``,
    ``B``) reads the same in every language."""
    return i18n.words(f"label.{label}", label)


def show_words(node) -> None:
    """Every label, section title and refusal under ``node`` again, in the app's language (after K)."""
    for widget in node.query(".label, .section"):
        if widget.name:
            widget.update(words(widget.name))
    for flag in node.query(Flag):
        flag.tick.label = on_off(flag.value)
    for choice in node.query(Choice):
        choice.set_options(choice.options)
    for setting in node.query(Setting):
        if setting.refused_text:  # a refusal shown: its words again too
            setting.show_reason(setting.refused_text)


class Setting(Horizontal):
    """A labelled row that posts ``Setting.Committed`` and can show a one-line reason under it."""

    @dataclass
    class Committed(Message):
        """The user committed ``value`` for ``key`` in the row with id ``row``; it bubbles to the app,
        which answers with the config to show (and, if it refused the value, why, at ``row``)."""

        key: str
        """An ``ExperimentConfig`` field, or ``opt.<hyperparameter>``."""
        value: object
        row: str | None
        text: str | None = None
        """What was typed (a text field's): a refusal quotes it (``got '-9'``), not what the field shows by the
        time the app answers (a held arrow's next step)."""

    def __init__(self, key: str, label: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="setting")
        self.key = key
        self.label = label
        self.reason = ""
        """The one-line reason currently shown under the row, whole ("" if none)."""
        self.refused_text = ""
        """``reason`` as the engine wrote it (a ``Wording``: said again in another language after K)."""
        self.on_its_way = 0
        """Values committed that the app has not taken up yet (``answered``): while one is on its way, an answer
        to an earlier one does not write its value over the field's text."""
        self._reason_line: Static | None = None

    def compose_row(self) -> ComposeResult:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        yield Label(words(self.label), classes="label", name=self.label)
        yield from self.compose_row()

    def show_reason(self, text: str, *, scroll: bool = False) -> None:
        """Show why a value was refused (the engine's words, in the app's language); "" clears it.

        ``reason`` is the whole line; the line under the row says it in the few words the panel has room for
        (``i18n.brief``: ``needs 1.7 TiB > 4.0 GiB``), so it stays one line at 80 columns, and whoever refuses
        says the whole line in a notice (``refuse``, the app's ``refuse``). ``scroll``: the row was refused just
        now, its reason is scrolled into view (a kept refusal shown again is not: the field typed in stays in view).

        The reason's line is the row's next sibling, mounted with the first reason: most rows never show
        one, and a row that is a line of its own (no box holding the line and the reason) is a widget
        fewer to build, style and lay out at every start.
        """
        self.refused_text = text
        self.reason = i18n.message(text)
        self.set_class(bool(text), "-refused")
        line, mounted = self._reason_line, None
        if line is None and text:
            line = self._reason_line = Static(classes="reason", markup=False)  # "[" is text
            line.set_class(self.has_focus_within, "-focus-within")
            mounted = self.parent.mount(line, after=self)
        if line is not None:
            brief = i18n.brief(text)
            if line.content != brief:  # an update lays the screen out: every show_config clears every row's reason
                line.update(brief)
            line.display = bool(text)
        if text and scroll:  # a row refused just now is shown where it is said: refused below the panel's fold (the
            self.call_next(self._reason_into_view, mounted)  # palette's B 0 at 80x24) its reason was out of view once
            # the notice had faded. A kept refusal shown again is not: it scrolled the field typed in out of view

    async def _reason_into_view(self, mounted) -> None:
        """Once the reason's line is mounted and laid out, scroll the panel so that the line under the row shows.
        From the row's region: a line just mounted below the fold has none to scroll to (``scroll_visible`` on it
        did nothing)."""
        if mounted is not None:
            await mounted
        self.call_after_refresh(self._reveal_reason)

    def _reveal_reason(self) -> None:
        line = self._reason_line
        panel = next((a for a in self.ancestors if isinstance(a, ScrollableContainer)), None)
        if line is None or not line.display or panel is None:
            return
        if not self.region.height:  # the row itself out of view: Textual's scroll, to the line
            line.scroll_visible(animate=False)
            return
        missing = self.region.bottom + 1 - panel.content_region.bottom  # the rows of it under the fold
        if missing > 0:
            panel.scroll_relative(y=missing, animate=False)

    def refuse(self, text: str) -> None:
        """Refuse a value the row itself could not take (it does not parse): its brief in place, the whole line
        in a notice (as the app says a value it refuses)."""
        self.show_reason(text, scroll=True)
        self.app.notify(self.reason, severity="error", timeout=REFUSAL_SECONDS, markup=False)

    def on_descendant_focus(self) -> None:
        self._mark_reason(True)

    def on_descendant_blur(self) -> None:
        self._mark_reason(False)

    def _mark_reason(self, focused: bool) -> None:
        """The reason's line is shaded with its row while the row has the focus (as a line in it was)."""
        if self._reason_line is not None:
            self._reason_line.set_class(focused, "-focus-within")

    def commit(self, value: object, text: str | None = None) -> None:
        """Post ``Committed`` for ``value`` (typed as ``text``, in a text field) to the app."""
        self.on_its_way += 1
        self.post_message(self.Committed(self.key, value, self.id, text))

    def answered(self) -> None:
        """The app has taken up the oldest value on its way (``Committed``), to answer it."""
        self.on_its_way = max(0, self.on_its_way - 1)

    def show_value(self, value: object) -> None:
        raise NotImplementedError


class FieldInput(InOrderInput):
    """A field's text box, whose enter (take the typed text) the footer shows: in a text field the app's letter keys
    type, so the footer had nothing to offer but the palette. Its keys apply in the order typed (``InOrderInput``)."""

    BINDINGS = [Binding("enter", "submit", "Take", id="take")]


class Field(Setting):
    """A text field parsed on enter or on leaving it; a parse error is shown in place.

    A numeric field has a ``step`` rule (``tui.widgets.steps``): ↑ / ↓ step its value, which is then
    taken exactly as if typed and entered.
    """

    BINDINGS = [Binding("up", "step(1)", "Step up", show=False),
                Binding("down", "step(-1)", "Step down", show=False),
                Binding("escape", "put_back", "Put back", tooltip="Put back the value in use")]

    def __init__(self, key: str, label: str, value: str, parse: Parse, *, placeholder: str = "",
                 step: steps.Step | None = None, id: str | None = None) -> None:
        super().__init__(key, label, id=id)
        self.parse = parse
        self.committed_text = value
        self.placeholder = placeholder
        """What the empty field stands for, whole (it shows it cut to its width: ``show_placeholder``)."""
        self.step = step

    def compose_row(self) -> ComposeResult:
        field = FieldInput(self.committed_text, placeholder=self.placeholder, compact=True, select_on_focus=False)
        field.cursor_blink = getattr(self.app, "cursor_blink", True)
        yield field

    def show_placeholder(self, text: str) -> None:
        """``text`` is what the empty field stands for (a default, an example: ``e.g. warmup_steps=100``)."""
        self.placeholder = text
        self._fit_placeholder()

    def on_resize(self) -> None:
        self._fit_placeholder()

    def _fit_placeholder(self) -> None:
        """The field shows its placeholder ending in … where it is narrower: Textual wraps a placeholder at its
        spaces and shows the first line, so at 80 columns an example read only 'e.g.' (Korean '예:')."""
        width = self.input.content_size.width - 1  # the cursor's cell after it
        shown = Text(self.placeholder)
        if 0 < width < shown.cell_len:
            shown.truncate(width, overflow="ellipsis")
        self.input.placeholder = shown.plain

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @on(Input.Submitted)
    @on(Input.Blurred)
    def _commit(self, event: Input.Submitted | Input.Blurred) -> None:
        event.stop()
        self.take(event.value, again=isinstance(event, Input.Submitted))

    refused_input: str | None = None
    """The text whose refusal the row shows (``None``: none shown), refused by the row or by the app."""

    def take(self, text: str, *, again: bool = False) -> None:
        """Parse ``text`` and commit it if it changed (or mends a refusal); else say why, in place. The text whose
        refusal is shown is taken again only ``again`` (enter: another row may have mended it since — a refusal
        stays while other rows change); leaving the row does not (enter, then leaving, said it twice)."""
        if self.has_class("-refused") and text == self.refused_input and not again:
            return
        if not self.has_class("-refused") and text == self.committed_text:
            return
        try:
            value = self.parse(text)
        except ConfigError as exc:
            self.refuse(text_of(exc))
            return
        self.show_reason("")
        self.committed_text = text
        self.commit(value, text)

    def action_step(self, direction: int) -> None:
        """↑ (+1) / ↓ (−1): the value one step on, taken as typed; a field that is not a number lets the
        arrow scroll the panel."""
        if self.step is None:
            raise SkipAction()
        try:
            text = steps.stepped(self.input.value, self.placeholder, self.step, direction)
        except ConfigError as exc:
            self.refuse(text_of(exc))
            return
        self.input.value = text
        self.take(text)

    def action_put_back(self) -> None:
        """escape: the value in use back in the field, what was typed and not entered dropped (a refusal shown
        too: it said why the typed text was not used), then escape goes on (the main view's leaves the field; had
        it left first, leaving would have taken the typed text)."""
        self.input.value = self.committed_text
        self.show_reason("")
        raise SkipAction()

    def show_value(self, value: str) -> None:
        """``value`` is in use: the field shows it, unless its text changed since it was committed — a value of
        its own still on its way to the app (held ↓: the answer to the step to 0 came after the step to -9, and
        wrote 0.0 over it), or text typed and not yet entered while the value in use stays (another row's answer).
        A field showing a refusal is the panel's to keep (``ControlPanel.show_config``)."""
        typed = self.input.value != self.committed_text and value == self.committed_text
        self.committed_text = value
        if self.on_its_way or (typed and not self.has_class("-refused")):
            return
        self.input.value = value
        self.show_reason("")

    def show_reason(self, text: str, *, scroll: bool = False) -> None:
        super().show_reason(text, scroll=scroll)
        self.refused_input = self.input.value if text else None


class Choice(Setting):
    """A choice from a registry's names (or given (prompt, value) pairs).

    Every entry does what it says: the list has a blank entry only when given a ``prompt`` naming
    what a value off the list means (the batch menu's "mini-batch (custom)" for a B typed in the B
    field); otherwise a value off the list (an alias) is shown as an entry of its own.
    """

    def __init__(self, key: str, label: str, options: Sequence[str | tuple[str, object]], value: object, *,
                 prompt: str | None = None, id: str | None = None) -> None:
        super().__init__(key, label, id=id)
        self.options = [(o, o) if isinstance(o, str) else o for o in options]
        self.value = value
        self.prompt = prompt
        self._include(value)

    def _include(self, value: object) -> None:
        if self.prompt is None and not any(v == value for _, v in self.options):
            self.options.append((str(value), value))

    def compose_row(self) -> ComposeResult:
        known = any(v == self.value for _, v in self.options)
        blank = self.prompt is not None
        yield LazySelect(self.shown_options(), value=self.value if known else Select.NULL, allow_blank=blank,
                         prompt=i18n.message(self.prompt or ""), compact=True)

    def shown_options(self) -> list[tuple[str, object]]:
        """The entries as the menu shows them: in the app's language where the engine's words have it
        (``mini-batch 32`` → ``미니 배치 32``); registry names as they are."""
        return [(i18n.message(label), value) for label, value in self.options]

    @property
    def select(self) -> Select:
        return self.query_one(Select)

    @on(Select.Changed)
    def _commit(self, event: Select.Changed) -> None:
        event.stop()
        if event.value is Select.NULL or event.value == self.value:
            return
        self.value = event.value
        self.show_reason("")
        self.commit(event.value)

    def show_value(self, value: object) -> None:
        self.value = value
        known = any(v == value for _, v in self.options)
        if not known and self.prompt is None:
            self.set_options(self.options)  # adds the value as an entry of its own, then shows it
            return
        with self.select.prevent(Select.Changed):
            self.select.value = value if known else Select.NULL

    def set_options(self, options: Sequence[str | tuple[str, object]]) -> None:
        """New entries (e.g. relabelled, or in another language), keeping the value shown."""
        self.options = [(o, o) if isinstance(o, str) else o for o in options]
        self._include(self.value)
        with self.select.prevent(Select.Changed):
            self.select.set_options(self.shown_options())
            if self.prompt is not None:  # the blank entry's words too (after K)
                self.select.prompt = i18n.message(self.prompt)
        self.show_value(self.value)


class Flag(Setting):
    """An on/off setting (nesterov, amsgrad, centered, early stopping): a tick box that says "on" or "off"."""

    def __init__(self, key: str, label: str, value: bool, *, id: str | None = None) -> None:
        super().__init__(key, label, id=id)
        self.value = value

    def compose_row(self) -> ComposeResult:
        yield Tick(on_off(self.value), self.value, compact=True)

    @property
    def tick(self) -> Tick:
        return self.query_one(Tick)

    @on(Checkbox.Changed)
    def _commit(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.tick.label = on_off(event.value)
        if event.value != self.value:
            self.value = event.value
            self.commit(event.value)

    def show_value(self, value: bool) -> None:
        self.value = value
        tick = self.tick
        with tick.prevent(Checkbox.Changed):
            tick.value = value
        if tick.label.plain != on_off(value):  # a new label lays the screen out (every show_config shows every flag)
            tick.label = on_off(value)


def on_off(value: bool) -> str:
    """A tick box's word, in the app's language: on / off (켬 / 끔)."""
    return i18n.t("palette.field.on" if value else "palette.field.off")
