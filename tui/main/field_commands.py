"""``FieldCommands``: the palette reaches every field of the control panel, listed from the panel's own rows.

    learning rate 0.01      set a field as if typed there (also ``lr 0.01``, ``epochs=50``)
    lr ×10 (0.001 → 0.01)   a field's ↑ / ↓ step
    Loss: huber             an entry of a menu (batch presets in the menu's numeric order)
    Amsgrad: on             a tick box
    Set momentum …          go to the field

Nothing here is a second list of settings: the rows, their menus' entries, their parsers and step
rules are the panel's, so a new row (an optimizer's hyperparameter) is in the palette at once.
Everything picked goes the way the panel's own keys go (parse, refusal in place, live or reset).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from textual.command import DiscoveryHit, Hit, Hits, Provider

from engine import ConfigError, datasets
from tui import why
from tui.palette import on_screen
from tui.widgets.fields import Choice, Field, Flag, Setting
from tui.widgets.steps import STEP_NAMES, stepped

ENTRY_HELP: dict[str, Callable[[object], str]] = {
    "optimizer": lambda name: why.optimizer(str(name)),
    "loss": lambda name: why.loss(str(name)),
    "dataset": lambda name: datasets.describe(str(name)) if name in datasets.names() else "a CSV file",
}
"""What an entry of these menus means; other menus say what they set."""


def long_name(row: Setting) -> str:
    """The setting's own name in words: ``opt.learning_rate`` → "learning rate"."""
    return row.key.split(".")[-1].replace("_", " ") if row.key != "stop.on" else row.label


def called(row: Setting) -> str:
    """"learning rate (lr)"; "epochs" when the label is the name."""
    return long_name(row) if long_name(row) == row.label else f"{long_name(row)} ({row.label})"


def names(row: Setting) -> list[str]:
    """What a query may call a row: its name in words, then its label ("learning rate", "lr")."""
    return list(dict.fromkeys([long_name(row), row.label]))


def assignment(query: str, fields: list[Field]) -> tuple[Field, str] | None:
    """``(field, text)`` when ``query`` is a field's name then a value (``lr 0.01``, ``epochs=50``)."""
    text = query.strip()
    candidates = sorted(((name, f) for f in fields for name in names(f)), key=lambda c: -len(c[0]))
    for name, field in candidates:
        if text.lower().startswith(name.lower()):
            rest = text[len(name):]
            if rest[:1] in (" ", "=", ":") and rest.strip(" =:"):
                return field, rest.strip(" =:")
    return None


def menu_of(title: str) -> str:
    """The menu an entry belongs to ("Batch" of "Batch: SGD (B = 1)"); an entry of its own otherwise."""
    return title.split(":")[0] if ":" in title else title


class FieldCommands(Provider):
    """Palette entries for the main view's fields (none over another view)."""

    def rows(self) -> list[Setting]:
        if self.screen is not self.app.screen_stack[0]:
            return []
        return [row for row in self.app.controls.query(Setting) if row.display]

    def entries(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        """``(title, help, command)`` of every entry, grouped by row, in the panel's order."""
        for row in self.rows():
            if isinstance(row, Choice):
                title, help_of = row.label.capitalize(), ENTRY_HELP.get(row.key)
                for label, value in row.options:
                    yield (f"{title}: {label}", help_of(value) if help_of else f"{long_name(row)} (a reset)",
                           self._apply(row, value))
            elif isinstance(row, Flag):
                for value, word in ((True, "on"), (False, "off")):
                    yield f"{row.label.capitalize()}: {word}", long_name(row), self._apply(row, value)
            elif isinstance(row, Field):
                now = row.input.value or row.input.placeholder
                yield (f"Set {called(row)} …", f"now {now or 'blank'}: type “{long_name(row)} VALUE”, or "
                       "pick this to go to the field", self._go_to(row))
                if row.step is not None:
                    for direction, name in zip((1, -1), STEP_NAMES[row.step]):
                        yield self._step_entry(row, direction, name)

    def _step_entry(self, row: Field, direction: int, name: str) -> tuple[str, str, Callable[[], object]]:
        try:
            now, new = row.input.value or row.input.placeholder, stepped(row.input.value, row.input.placeholder,
                                                                           row.step, direction)
            title = f"{row.label} {name} ({now} → {new})"
        except ConfigError:  # nothing to step from ("full"): picked, the step says so in place
            title = f"{row.label} {name}"
        key = "↑" if direction > 0 else "↓"
        return title, f"{long_name(row)}, as {key} in the field", self._step(row, direction)

    async def discover(self) -> Hits:
        for title, help_text, command in self.entries():
            yield DiscoveryHit(title, on_screen(self.screen, command), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        group: list[tuple[float, str, str, Callable[[], object]]] = []
        for title, help_text, command in self.entries():
            score = matcher.match(title)
            if score > 0:
                group.append((score, title, help_text, command))
        found = assignment(query, [row for row in self.rows() if isinstance(row, Field)])
        if found is not None:  # "lr 0.01": the assignment first, above any name that merely matches
            field, text = found
            yield Hit(max((g[0] for g in group), default=0.0) + 1.0, f"Set {called(field)} to {text}",
                      on_screen(self.screen, self._set(field, text)),
                      help="as if typed in the field: checked, then applied live or with a reset")
        best: dict[str, float] = {}  # one score per menu: its entries keep the menu's order
        for score, title, _, _ in group:
            best[menu_of(title)] = max(best.get(menu_of(title), 0.0), score)
        for index, (score, title, help_text, command) in enumerate(group):
            yield Hit(best[menu_of(title)] - index * 1e-6, matcher.highlight(title), on_screen(self.screen, command),
                      text=title, help=help_text)

    # -- what the entries do: the panel's own paths -------------------------------------------
    def _apply(self, row: Setting, value) -> Callable[[], object]:
        async def run() -> None:
            row.scroll_visible()
            await self.app.apply_setting(row.key, value, row=row.id)
        return run

    def _set(self, field: Field, text: str) -> Callable[[], None]:
        def run() -> None:
            field.input.value = text
            field.take(text)
            field.scroll_visible()
            if field.reason:
                self.app.notify(field.reason, severity="error", timeout=4, markup=False)
        return run

    def _step(self, field: Field, direction: int) -> Callable[[], None]:
        def run() -> None:
            field.action_step(direction)
            field.scroll_visible()
            if field.reason:
                self.app.notify(field.reason, severity="error", timeout=4, markup=False)
        return run

    def _go_to(self, field: Field) -> Callable[[], None]:
        def run() -> None:
            field.input.focus()
        return run
