"""``FieldCommands``: the palette reaches every field of the control panel, listed from the panel's own rows.

    learning rate 0.01      set a field as if typed there (also ``lr 0.01``, ``epochs=50``)
    lr ×10 (0.001 → 0.01)   a field's ↑ / ↓ step (also ``lr x10``, ``lr *10``, ``lr /10``, ``epochs -1``)
    Loss: huber             an entry of a menu (batch presets in the menu's numeric order); a query that
                            starts with a row's name (``batch SGD``) puts that row's entries first
    Amsgrad: on             a tick box
    Set momentum …          go to the field

Nothing here is a second list of settings: the rows, their menus' entries, their parsers and step
rules are the panel's, so a new row (an optimizer's hyperparameter) is in the palette at once.
Everything picked goes the way the panel's own keys go (parse, refusal in place, live or reset).

Entries read in the app's language (Korean: ``학습률 ×10 (0.001 → 0.01)``, ``손실 함수: huber``); a query
may name a field in any of them (``학습률 0.01`` and ``learning rate 0.01`` both set it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from textual.command import DiscoveryHit, Hit, Hits, Provider

from engine import ConfigError, datasets
from tui import i18n, why
from tui.palette import on_screen
from tui.widgets.fields import Choice, Field, Flag, Setting
from tui.widgets.steps import STEP_NAMES, stepped

ENTRY_HELP: dict[str, Callable[[object], str]] = {
    "optimizer": lambda name: why.optimizer(str(name)),
    "loss": lambda name: why.loss(str(name)),
    "dataset": lambda name: dataset_help(str(name)),
}
"""What an entry of these menus means; other menus say what they set."""


def dataset_help(name: str) -> str:
    """A generator's one line (``datasets.describe``) in the app's language; a CSV file's path says so."""
    if name not in datasets.names():
        return i18n.t("palette.field.csv")
    line = datasets.describe(name)
    summary, _, defaults = line.partition("; ")
    return f"{i18n.words(f'dataset.{name}', summary)}; {defaults}"


def long_name(row: Setting) -> str:
    """The setting's own name in words (English, from its key): ``opt.learning_rate`` → "learning rate"."""
    return row.key.split(".")[-1].replace("_", " ") if row.key != "stop.on" else row.label


def name_in(row: Setting, english: str, lang: str | None = None) -> str:
    """The setting's name in ``lang`` (default: the app's; ``field.<key>``), where English says ``english``."""
    return i18n.words(f"field.{row.key}", english, lang)


def called(row: Setting, lang: str | None = None) -> str:
    """"learning rate (lr)", "학습률 (lr)"; "epochs" when the label is the name."""
    name = name_in(row, long_name(row), lang)
    return name if name == row.label else f"{name} ({row.label})"


def names(row: Setting) -> list[str]:
    """What a query may call a row, in any language: its name in words, its label, its name in each other
    language ("learning rate", "lr", "학습률")."""
    others = [i18n.strings(lang).get(f"field.{row.key}") for lang in i18n.LANGUAGES]
    return list(dict.fromkeys([long_name(row), row.label, *(name for name in others if name)]))


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


def named_by(query: str, row: Setting) -> bool:
    """Whether ``query`` is ``row``'s name (학습률, lr, epochs), or starts with it and then says more (``batch SGD``,
    ``loss huber``, ``lr ×10``)."""
    text = query.strip().lower()
    return any(text == name.lower() or (text.startswith(name.lower()) and text[len(name):][:1] in (" ", "=", ":"))
               for name in names(row))


TYPED_STEP = str.maketrans({"x": "×", "X": "×", "*": "×", "/": "÷", "-": "−"})
"""The step signs as typed on a keyboard (``lr x10``, ``lr /10``, ``epochs -1``) and as the entries write them."""


def step_named(field: Field, text: str) -> int | None:
    """The direction (1 ↑, -1 ↓) of ``field``'s step that ``text`` names (``×10``, ``x10``, ``*10``, ``÷10``,
    ``/10``, ``one 9 more``, ``+1``, ``-1``, in any language), or None (a value to set)."""
    if field.step is None:
        return None
    typed = " ".join(text.split()).casefold()
    typed = {typed, typed.translate(TYPED_STEP), typed.translate(TYPED_STEP).replace(" ", "")}
    for direction, step in zip((1, -1), STEP_NAMES[field.step]):
        if typed & {i18n.words(f"field.step.{step}", step, lang).casefold() for lang in i18n.LANGUAGES}:
            return direction
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

    def entries(self, lang: str | None = None) -> Iterator[tuple[str, str, Callable[[], object]]]:
        """``(title, help, command)`` of every entry, grouped by row, in the panel's order, in ``lang``
        (default: the app's language)."""
        for _, title, help_text, command in self._entries(lang):
            yield title, help_text, command

    def _entries(self, lang: str | None = None) -> Iterator[tuple[Setting, str, str, Callable[[], object]]]:
        """``entries``, each with its row first."""
        for row in self.rows():
            title, name = name_in(row, row.label.capitalize(), lang), name_in(row, long_name(row), lang)
            if isinstance(row, Choice):
                help_of = ENTRY_HELP.get(row.key)
                for label, value in row.options:
                    yield (row, f"{title}: {i18n.message(label, lang)}", help_of(value) if help_of else i18n.t("palette.field.reset", lang, name=name),
                           self._apply(row, value))
            elif isinstance(row, Flag):
                for value, word in ((True, "on"), (False, "off")):
                    yield (row, f"{title}: {i18n.t(f'palette.field.{word}', lang)}", i18n.t("palette.field.flag", lang, name=name),
                           self._apply(row, value))
            elif isinstance(row, Field):
                now = row.input.value or row.placeholder or i18n.t("palette.field.blank", lang)
                yield (row, i18n.t("palette.field.go", lang, name=called(row, lang)),
                       i18n.t("palette.field.go_help", lang, now=now, name=name), self._go_to(row))
                if row.step is not None:
                    for direction, step in zip((1, -1), STEP_NAMES[row.step]):
                        yield (row, *self._step_entry(row, direction, step, lang))

    def _step_entry(self, row: Field, direction: int, step: str,
                    lang: str | None) -> tuple[str, str, Callable[[], object]]:
        """``lr ×10 (0.001 → 0.01)`` (Korean: ``학습률 ×10 …``): the row's ↑ or ↓ step, named ``step`` in English."""
        label, step = name_in(row, row.label, lang), i18n.words(f"field.step.{step}", step, lang)
        try:
            now, new = row.input.value or row.placeholder, stepped(row.input.value, row.placeholder, row.step, direction)
            title = f"{label} {step} ({now} → {new})"
        except ConfigError:  # nothing to step from ("full"): picked, the step says so in place
            title = f"{label} {step}"
        key = "↑" if direction > 0 else "↓"
        return (title, i18n.t("palette.field.step", lang, name=name_in(row, long_name(row), lang), arrow=key),
                self._step(row, direction))

    async def discover(self) -> Hits:
        for title, help_text, command in self.entries():
            yield DiscoveryHit(title, on_screen(self.screen, command), help=help_text)

    def _titled(self) -> Iterator[tuple[Setting, str, list[str], str, Callable[[], object]]]:
        """``(row, title, the entry's title in every language, help, command)`` of every entry: a query may use
        any language's words (학습률 finds the lr field in the English app too)."""
        others = [list(self._entries(lang)) for lang in i18n.LANGUAGES if lang != i18n.language()]
        for index, (row, title, help_text, command) in enumerate(self._entries()):
            yield row, title, [title, *(entries[index][1] for entries in others)], help_text, command

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        group: list[tuple[float, str, str, Callable[[], object]]] = []
        for row, title, titles, help_text, command in self._titled():
            score = max(matcher.match(text) for text in titles)
            if score > 0:
                # a query that is a row's name (학습률, lr, epochs) puts that row's entries first, above a lesson or
                # a help line that merely contains the word
                # or starts with it (batch SGD: the batch menu's SGD above the lesson "Batch GD, SGD and mini-batch")
                bonus = 1.0 if named_by(query, row) else 0.0
                group.append((score + bonus, title, help_text, command))
        found = assignment(query, [row for row in self.rows() if isinstance(row, Field)])
        direction = None if found is None else step_named(*found)
        if direction is not None:  # "lr ×10", "lr x10": the step entry first (not "set lr to ×10")
            field, _ = found
            step = STEP_NAMES[field.step][0 if direction > 0 else 1]
            title, help_text, command = self._step_entry(field, direction, step, None)
            top = max((g[0] for g in group), default=0.0) + 1.0
            group = [g for g in group if g[1] != title]  # listed once, first
            yield Hit(top, matcher.highlight(title), on_screen(self.screen, command), text=title, help=help_text)
        elif found is not None:  # "lr 0.01": the assignment first, above any name that merely matches
            field, text = found
            yield Hit(max((g[0] for g in group), default=0.0) + 1.0, i18n.t("palette.field.set", name=called(field),
                                                                            value=text),
                      on_screen(self.screen, self._set(field, text)), help=i18n.t("palette.field.set_help"))
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
            # a value the field refuses is said in a notice by the field itself (``Field.refuse``)
        return run

    def _step(self, field: Field, direction: int) -> Callable[[], None]:
        def run() -> None:
            field.action_step(direction)
            field.scroll_visible()
            # a value the field refuses is said in a notice by the field itself (``Field.refuse``)
        return run

    def _go_to(self, field: Field) -> Callable[[], None]:
        def run() -> None:
            field.input.focus()
        return run
