"""The surface view's edit line: one ``KEY=VALUE`` applied to its scene, or refused in place with one line.

``apply_edit`` is the rule (what each key changes); ``EditLine`` is the line on the screen."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Input

from engine import ConfigError, Wording, checks, surfaces, text_of
from tui import i18n
from tui.background import REFUSAL_SECONDS
from tui.surface.scene import MAX_STEPS

ALIASES = {"lr": "learning_rate", "k": "kappa", "κ": "kappa"}


def apply_edit(scene, index: int, text: str) -> bool:
    """Apply ``text`` to walker ``index`` of ``scene`` (or to the scene). Returns whether the walks restarted.

    Keys: the walker's hyperparameters (``lr``/``learning_rate``, ``momentum``, ``beta_1``, …: live,
    from the next step), ``optimizer=NAME`` (that walk restarts), and for the scene ``start=X,Y``,
    ``steps=N``, ``kappa=K`` (the quadratic) and ``surface=NAME`` (all walks restart).
    """
    key, sep, value = text.strip().partition("=")
    key, value = ALIASES.get(key.strip().lower(), key.strip().lower()), value.strip()
    if not sep or not key or not value:
        raise ConfigError(Wording("type KEY=VALUE (e.g. lr=0.05, momentum=0.5, start=-1,2), got {value}",
                                  value=repr(text.strip())))
    if key == "optimizer":
        scene.set_optimizer(index, value.lower())
        return True
    if key == "start":
        scene.set_start(*checks.parse_pair("start", value))
        return True
    if key == "steps":
        scene.set_steps(checks.parse_whole("steps", value, minimum=1, maximum=MAX_STEPS))
        return True
    if key == "kappa":
        if not isinstance(scene.surface, surfaces.Quadratic):
            raise ConfigError(Wording("kappa is the quadratic's κ; {surface} has none", surface=scene.surface.name))
        # the quadratic's own bound (κ > 0), checked on the text so the refusal quotes it as typed ('0', not 0.0)
        scene.set_surface("quadratic", kappa=checks.parse_number("kappa", value, low=0, low_open=True))
        return True
    if key == "surface":
        scene.set_surface(value.lower())
        return True
    number = checks.parse_flag_or_number(key, value)
    try:
        scene.set_option(index, key, number)
    except ValueError as exc:  # the optimizer's bounds: said of the text as typed
        raise type(exc)(checks.as_typed(text_of(exc), number, value)) from None
    return False


class EditLine:
    """Mixin for the surface view: ``i`` opens the edit line for the selected walker; enter applies it.

    The host provides ``scene``, ``selected``, ``mode``, ``_edit`` (the ``Input``), ``_canvas`` (focused
    when the line closes), ``_dirty``, ``notify`` and ``_after_restart()``.
    """

    _edit: Input

    def action_edit(self) -> None:
        """Type KEY=VALUE for the selected walker (lr, momentum, β…, optimizer) or the scene (start, steps, kappa)."""
        if self.mode != "surface":
            return
        self._edit.display = True
        self._edit.border_title = i18n.t("surface.edit", number=self.selected + 1, label=i18n.message(self.scene.walks[self.selected].label))
        self._edit.border_subtitle = ""
        self._edit.value = ""
        self._edit.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter on the edit line: apply it and close it, or keep it open with the reason it was refused."""
        if event.input is self._edit and self._apply(event.value):
            self._edit.value = ""
            self._close_edit()

    def _apply(self, text: str) -> bool:
        """Apply one ``KEY=VALUE``; a refused value says why in place and changes nothing."""
        try:
            restarted = apply_edit(self.scene, self.selected, text)
        except ValueError as exc:
            self._edit.border_subtitle = Content(i18n.message(exc))  # plain text: it quotes what was typed
            self.notify(i18n.message(exc), severity="error", timeout=REFUSAL_SECONDS, markup=False)
            return False
        if restarted:
            self._after_restart()
        self._dirty = True
        return True

    def _close_edit(self) -> None:
        self._edit.display = False
        self._canvas.focus()
