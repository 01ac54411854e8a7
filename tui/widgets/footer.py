"""``KeysFooter``: Textual's compact Footer, in the app's language, that leaves the optional keys to ? help
when they do not all fit."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from tui import i18n
from tui.textual_private import FooterKey, FooterLabel, compose_keys_at_mount

QUIT = ("quit", "app.quit")
"""Quit's action, in a view and in a modal over it (help, the lessons menu): always shown, last."""
PALETTE_HINT = 6
"""Cells the ``▏^p palette`` hint takes at the footer's right end besides its label."""


def group_label(description: str) -> str:
    """A key group's label (``-+ Speed``) in the current language: ``key.group-<its English, lower case>``."""
    return i18n.words(f"key.group-{description.lower()}", description)


class KeysFooter(Footer):
    """A compact ``Footer`` whose keys are labelled in the app's language (``i18n.label``). When its keys
    would not all fit the screen's width, it leaves out the ``^p palette`` hint, then the ``optional``
    actions' bindings, in that order, until the rest fits (what is left out stays in the ? help screen,
    which names ctrl+p), then, only if still too wide, the other keys right to left (? help last): Quit always
    shows whole, in any language, last."""

    def __init__(self, optional: Sequence[str | tuple[str, ...]], *, id: str | None = None) -> None:
        """``optional``: actions to leave out first to last; a tuple's actions go together (``-`` and ``+``)."""
        super().__init__(compact=True, id=id)
        self.optional = [(entry,) if isinstance(entry, str) else tuple(entry) for entry in optional]
        self._left_out: set[str] | None = None
        self._recompose_due = False
        self._shown: tuple | None = None
        compose_keys_at_mount(self)

    def left_out(self) -> set[str]:
        """The optional actions to leave out at the screen's width (``"palette"`` for the hint)."""
        width, out = self.app.size.width, set()
        for entry in [("palette",), *self.optional, *self._last_resort()]:
            if self._needed(out) <= width:
                break
            out.update(entry)
        return out

    def _last_resort(self) -> list[tuple[str]]:
        """Where the essential keys alone are too wide (Korean at 60 columns cut Quit to ``q 종``): the shown
        keys but Quit, right to left, ? help last of them (it lists what is left out), so Quit reads whole."""
        shown = list(dict.fromkeys(b.action for _, b, _, _ in self.screen.active_bindings.values()
                                   if b.show and b.action not in QUIT))
        shown.reverse()
        helps = [action for action in shown if action.endswith("help")]
        return [(action,) for action in shown if action not in helps] + [(action,) for action in helps]

    def _needed(self, out: set[str]) -> int:
        """Cells the footer's keys take without the actions in ``out``."""
        shown, hint = {}, 0
        for _, binding, _, _ in self.screen.active_bindings.values():
            if binding.action == "command_palette":
                hint = PALETTE_HINT + cell_len(i18n.label(binding))
            elif binding.show and binding.action not in out:
                shown.setdefault(binding.action, binding)
        cells, groups = 0 if "palette" in out else hint, set()
        for binding in shown.values():
            key = cell_len(self.app.get_key_display(binding))
            if binding.group is not None and binding.group.description:
                cells += key + (0 if binding.group in groups else cell_len(group_label(binding.group.description)) + 2)
                groups.add(binding.group)
            else:
                cells += key + cell_len(i18n.label(binding)) + 2
        return cells

    def _labels(self) -> dict[tuple[str, str], str]:
        """Each active binding's label, by (key, action) as a ``FooterKey`` knows its binding."""
        return {(b.key, b.action): i18n.label(b) for _, b, _, _ in self.screen.active_bindings.values()}

    def compose(self) -> ComposeResult:
        self._shown = self._shows()  # what a recompose finds unchanged (the keys compose as the footer mounts)
        self._left_out = out = self.left_out()
        self.set_reactive(Footer.show_command_palette, "palette" not in out)
        labels = self._labels()
        group_kept = False  # whether a key of the group being composed is shown (its label follows its keys)
        quit_key = None  # shown last, after the app's own keys (L Lessons, -+ Speed) that follow a view's
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.has_class("-grouped"):
                if widget.action in out:
                    continue
                group_kept = True
            elif isinstance(widget, FooterLabel):  # a group's label: shown with one of its keys
                kept, group_kept = group_kept, False
                if not kept:
                    continue
                widget = FooterLabel(group_label(str(widget.content)))
            elif isinstance(widget, FooterKey) and widget.action in out:
                continue
            if isinstance(widget, FooterKey):
                # the footer's compact, bound on mount, given before it: a key's own default would restyle it
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
                if widget.description:
                    widget.description = labels.get((widget.key, widget.action), widget.description)
                if widget.action in QUIT and not widget.has_class("-grouped"):
                    quit_key = widget
                    continue
            yield widget
        if quit_key is not None:
            yield quit_key

    def _hide_empty_groups(self) -> None:
        """A key group whose keys were all left out would still take a cell."""
        for group in self.query("KeyGroup"):
            group.display = bool(group.children)

    def bindings_changed(self, screen: Screen) -> None:
        """Textual's Footer recomposes after every change of the bindings, however many arrive before the
        first recompose has run (three as a view opens: its focus, its stack, the app's focus); one
        recompose, reading the bindings as they are when it runs, shows them all."""
        if self._recompose_due:
            return
        super().bindings_changed(screen)
        self._recompose_due = self.app.app_focus and self.is_attached and screen is self.screen

    def _shows(self) -> tuple:
        """What a compose would show: the shown bindings (and the palette's, named by the hint), each with
        whether it is enabled and its tooltip, at this width, in this language."""
        bindings = tuple((b, enabled, tooltip) for _, b, enabled, tooltip in self.screen.active_bindings.values()
                         if b.show or b.action == "command_palette")
        return bindings, self.app.size.width, i18n.language()

    async def recompose(self) -> None:
        """Recompose, unless the footer already shows what it would (focus moving between panels and
        fields changes the bindings, mostly ones the footer does not show: ~40 ms of CPU each)."""
        self._recompose_due = False
        if not self.is_attached:  # its screen gone (Textual's recompose does nothing then either)
            return
        if not self.screen.is_current or self._covered():  # a view or a menu on top, its own footer over this one:
            return  # this one is brought up to date when its screen shows again (SettledScreen refreshes the bindings)
        if self._shows() == self._shown:
            return
        await super().recompose()
        self._hide_empty_groups()  # before the layout the mount asked for: one layout, not two

    def _covered(self) -> bool:
        """Whether a screen on top of this footer's (help, the lessons menu, the palette) shows its own footer over this one."""
        top = self.app.screen
        return top is not self.screen and any(footer.display for footer in top.query(Footer))

    def on_mount(self) -> None:
        self._hide_empty_groups()

    def on_resize(self) -> None:
        if self._left_out is not None and self.left_out() != self._left_out:
            self.call_after_refresh(self.recompose)
