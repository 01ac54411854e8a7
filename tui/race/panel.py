"""``RacePanel``: pick the race's field — optimizers (each with a learning rate), losses, learning rates,
batch sizes or learning-rate schedules."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.actions import SkipAction
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Checkbox, ContentSwitcher, Input, Label, Select, Static

from engine import ConfigError, ExperimentConfig, Wording, checks, losses, optimizers, parse_float, race, text_of
from tui import i18n
from tui.background import REFUSAL_SECONDS
from tui.textual_private import LazySelect
from tui.race.session import own_rate, rate_of
from tui.widgets.fields import words
from tui.widgets.in_order_input import InOrderInput
from tui.widgets.steps import Step, one, stepped, tenfold
from tui.widgets.own_focus_style import OwnFocusStyle
from tui.widgets.status import canonical_loss
from tui.widgets.tick import Tick

FIELD_LABELS = {"optimizer": "optimizers", "learning_rate": "learning rates", "loss": "losses",
                "batch_size": "batch sizes", "schedule": "schedules"}

LIST_DEFAULTS = {"learning_rate": "0.001, 0.01, 0.1, 1", "batch_size": "full, 1, 32",
                 "schedule": "constant, step, cosine:warmup_steps=100"}
"""What the comma-separated lists start with: the lecture's comparisons."""

REGRESSION_LOSSES = ("mean_squared_error", "mean_absolute_error", "huber")
"""The loss line-up offered when the main view fits a real number."""


def optimizer_names() -> list[str]:
    """The registry's optimizers, the default field first (in its order, which is the colours' order)."""
    return [*race.DEFAULT_OPTIMIZERS, *(n for n in optimizers.names() if n not in race.DEFAULT_OPTIMIZERS)]


def default_lr(name: str) -> float:
    return optimizers.get(name).hyperparameters()["learning_rate"]


class StepField(InOrderInput):
    """A number of the race panel whose ↑ / ↓ step it by ``step`` (from the placeholder while blank).

    ``enter_steps``: a step is entered at once (the race's epochs, as the main view's fields); else it is
    taken at line-up, like a typed one (a contestant's learning rate).
    """

    BINDINGS = [Binding("up", "step(1)", "Step up", show=False), Binding("down", "step(-1)", "Step down", show=False)]

    def __init__(self, value: str = "", *, step: Step, enter_steps: bool = False, **kwargs) -> None:
        super().__init__(value, **kwargs)
        self.step = step
        self.enter_steps = enter_steps

    def action_step(self, direction: int) -> None:
        panel = self.query_ancestor(RacePanel)
        try:
            self.value = stepped(self.value, self.placeholder, self.step, direction)
        except ConfigError as exc:  # "0" or a word typed: the panel says why, as at line-up
            panel.refuse(text_of(exc))
            return
        panel.show_reason("")
        if self.enter_steps:
            self.post_message(self.Submitted(self, self.value))


class RacePanel(OwnFocusStyle, VerticalScroll):
    """The field and its values; enter (or the button) lines the race up. The main view's rule for its fields:
    a refusal shows in place, scrolled into view, and whole in a notice; escape in a field puts back the value
    in use (the race's line-up and length), dropping what was typed and its refusal, then leaves the field."""

    BINDINGS = [Binding("escape", "put_back", "Put back", show=False)]

    @dataclass
    class LineUp(Message):
        """The user asked for a race of ``field`` over ``values`` (as ``tui.race.session.line_up`` takes them)."""

        field: str
        values: object

    @dataclass
    class Epochs(Message):
        """The user set the race's length: more epochs continue it, fewer end it after the epoch in progress."""

        epochs: int

    def __init__(self, base: ExperimentConfig, field: str = "optimizer", values=None, *, id: str | None = None) -> None:
        """``field`` and ``values`` (as ``tui.race.session.line_up`` takes them): the line-up racing now,
        which the panel shows — its optimizers ticked with their learning rates, or its list."""
        super().__init__(id=id)
        self.base = base
        self.line_up = (field, values)
        self._reason = ""
        self._wording = ""
        """The refusal shown, as the engine worded it (said again in the other language after K)."""

    def _shown(self):
        """What the panel starts with: per optimizer its learning rate text ("" for its default) if it races;
        the losses ticked; each list's text."""
        field, values = self.line_up
        rates = {name: "" for name in race.DEFAULT_OPTIMIZERS}
        base = canonical_loss(self.base.loss)
        losses_picked = {base, *REGRESSION_LOSSES} if base in REGRESSION_LOSSES else {base, "mean_squared_error",
                                                                                      "hinge"}
        lists = dict(LIST_DEFAULTS)
        if field == "optimizer" and values is not None:
            if isinstance(values, str):  # a setup's list: NAME[:KEY=VALUE…], the base's rate unless lr= is given
                values = [(name, options.get("learning_rate", self.base.learning_rate))
                          for name, options in race.parse_values(field, values)]
            rates = {name: "" if lr is None else f"{lr:g}" for name, lr in values}
        elif field == "loss" and values is not None:
            names = values.split(",") if isinstance(values, str) else values
            losses_picked = {canonical_loss(v.strip()) for v in names}
        elif values is not None:
            lists[field] = values if isinstance(values, str) else ", ".join(map(str, values))
        return rates, losses_picked, lists

    def compose(self) -> ComposeResult:
        blink = getattr(self.app, "cursor_blink", True)
        rates, losses_picked, lists = self._shown()
        yield LazySelect(self._field_names(), value=self.line_up[0], allow_blank=False, compact=True, id="race-field")
        with ContentSwitcher(initial=f"race-{self.line_up[0]}", id="race-values"):
            with Vertical(id="race-optimizer"):
                for name in optimizer_names():
                    with Horizontal(classes="race-pick"):
                        yield Tick(name, name in rates, compact=True, id=f"race-opt-{name}")
                        field = StepField(rates.get(name, ""), placeholder=f"{default_lr(name):g}", step=tenfold,
                                          compact=True, id=f"race-lr-{name}")
                        field.cursor_blink = blink
                        yield Label("lr", classes="race-lr-label")
                        yield field
            with Vertical(id="race-loss"):
                for name in losses.names():
                    yield Tick(name, name in losses_picked, compact=True, id=f"race-loss-{name}")
            for name in LIST_DEFAULTS:
                with Vertical(id=f"race-{name}"):
                    field = InOrderInput(lists[name], compact=True, id=f"race-list-{name}")
                    field.cursor_blink = blink
                    yield field
                    yield Static(i18n.t(f"race.hint.{name}"), classes="race-hint", name=name)
        with Horizontal(id="race-epochs-row"):
            yield Label(words("epochs"), classes="race-epochs-label")
            field = StepField(str(self.base.epochs), step=one, enter_steps=True, compact=True, id="race-epochs")
            field.cursor_blink = blink
            yield field
        yield Button(i18n.t("race.line_up"), id="race-apply", compact=True)
        yield Static(self._reason, id="race-reason", markup=False)  # reasons quote what was typed

    @staticmethod
    def _field_names() -> list[tuple[str, str]]:
        """The field menu's entries, in the app's language."""
        return [(words(FIELD_LABELS[f]), f) for f in race.FIELDS]

    def show_words(self) -> None:
        """The field menu, the hints, the epochs label, the button and a refusal in the app's language (after K;
        a panel not mounted yet composes in it)."""
        if not self.is_mounted:
            return
        self.query_one("#race-field", LazySelect).relabel(self._field_names())
        for hint in self.query(".race-hint").results(Static):
            hint.update(i18n.t(f"race.hint.{hint.name}"))
        self.query_one(".race-epochs-label", Label).update(words("epochs"))
        self.query_one("#race-apply", Button).label = i18n.t("race.line_up")
        self.show_reason(self._wording)

    @property
    def field(self) -> str:
        return str(self.query_one("#race-field", Select).value)

    @property
    def reason(self) -> str:
        """The one-line refusal shown ("" if none)."""
        return self._reason

    def show_reason(self, text: str, *, scroll: bool = False) -> None:
        """Show why a value was refused (the engine's words, in the app's language); "" clears it. A panel
        not mounted yet (the race view mounts it when ``f`` first shows it) shows it once mounted. ``scroll``:
        refused just now, the reason is scrolled into view (under the button, below the fold at 60x20)."""
        self._wording = text
        self._reason = i18n.message(text)
        for line in self.query("#race-reason").results(Static):
            line.update(self._reason)
            if text and scroll:  # once laid out at its new height (a line more or fewer than the last reason)
                self.call_after_refresh(self.call_after_refresh, line.scroll_visible, animate=False)
        self.set_class(bool(text), "-refused")

    def refuse(self, text: str) -> None:
        """A value refused just now: its reason in place, in view, and whole in a notice (as the main view's)."""
        self.show_reason(text, scroll=True)
        self.app.notify(self._reason, severity="error", timeout=REFUSAL_SECONDS, markup=False)

    def in_use(self, field: Input) -> str:
        """What ``field`` says for the race in place: its line-up's rate or list, its length."""
        rates, _, lists = self._shown()
        name = (field.id or "").removeprefix("race-")
        if name == "epochs":
            return str(self.base.epochs)
        if name.startswith("lr-"):
            return rates.get(name[3:], "")
        return lists.get(name.removeprefix("list-"), field.value)

    def action_put_back(self) -> None:
        """escape in a field: the value in use back, what was typed and its refusal dropped; then escape goes
        on (the race view's leaves the field)."""
        focused = self.screen.focused
        if isinstance(focused, Input) and self in focused.ancestors:
            focused.value = self.in_use(focused)
            self.show_reason("")
        raise SkipAction()

    @on(Select.Changed, "#race-field")
    def _switch(self, event: Select.Changed) -> None:
        event.stop()
        self.query_one(ContentSwitcher).current = f"race-{event.value}"
        self.show_reason("")

    @on(Button.Pressed, "#race-apply")
    @on(Input.Submitted)
    def _submit(self, event: Button.Pressed | Input.Submitted) -> None:
        event.stop()
        if isinstance(event, Input.Submitted) and event.input.id == "race-epochs":
            self.submit_epochs(event.value)
        else:
            self.submit()

    def show_epochs(self, epochs: int) -> None:
        """The race's length, as the race took it (a panel not mounted yet shows ``base`` once mounted)."""
        self.base = self.base.replace(epochs=epochs)
        for field in self.query("#race-epochs").results(Input):
            field.value = str(epochs)

    def submit_epochs(self, text: str) -> None:
        """Post ``Epochs`` (the race goes on, or ends sooner — no new line-up), or show why not."""
        try:
            epochs = checks.parse_whole("epochs", text, minimum=1)
        except ConfigError as exc:
            self.refuse(text_of(exc))
            return
        self.post_message(self.Epochs(epochs))

    def values(self) -> object:
        """The chosen values; ``ConfigError`` (one line) for text that is not a number."""
        field = self.field
        if field == "optimizer":
            picks = []
            for name in optimizer_names():
                if self.query_one(f"#race-opt-{name}", Checkbox).value:
                    picks.append((name, self._rate(name, self.query_one(f"#race-lr-{name}", Input).value)))
            return picks
        if field == "loss":
            picked = [name for name in losses.names() if self.query_one(f"#race-loss-{name}", Checkbox).value]
            if not picked:
                raise ConfigError(Wording("pick at least one loss"))
            return picked
        return self.query_one(f"#race-list-{field}", Input).value

    @staticmethod
    def _rate(name: str, text: str) -> float | None:
        """``name``'s learning rate from its field (blank: its default), checked as the line-up checks it and
        refused quoting the text as typed (``got '-0.00001'``, not ``got -1e-05``), as the main view's fields."""
        if not text.strip():
            return None
        lr = parse_float(rate_of(name), text.strip())
        try:
            return own_rate(name, lr)
        except ConfigError as exc:
            raise ConfigError(checks.as_typed(text_of(exc), lr, text)) from None

    def submit(self) -> None:
        """Post ``LineUp`` with the chosen values, or show why they cannot be used."""
        try:
            values = self.values()
        except ConfigError as exc:
            self.refuse(text_of(exc))
            return
        self.post_message(self.LineUp(self.field, values))
