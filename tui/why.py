"""Why panel texts: one or two sentences per registry name, in the lecture's terms, in the current language.

The words live in ``tui/i18n`` under ``why.loss.NAME``, ``why.optimizer.NAME``, ``why.mode.ID``,
``why.activation.NAME``, ``why.epochs`` and ``why.state.NAME``; a name without a text gives "".
"""

from __future__ import annotations

from engine import batching
from tui import i18n

MODES = {batching.BATCH_GD: "batch_gd", batching.SGD: "sgd", batching.MINI_BATCH: "mini_batch"}
"""``engine.batching.batch_mode``'s names → their keys under ``why.mode``."""


def _text(key: str) -> str:
    return i18n.t(key) if i18n.has(key) else ""


def loss(name: str) -> str:
    return _text(f"why.loss.{name}")


def optimizer(name: str) -> str:
    return _text(f"why.optimizer.{name}")


def mode(name: str) -> str:
    return _text(f"why.mode.{MODES.get(name, name)}")


def activation(name: str) -> str:
    return _text(f"why.activation.{name}")


def state(name: str) -> str:
    return _text(f"why.state.{name}")


def lines(loss_name: str, optimizer_name: str, mode_name: str, activation_name: str, status: str = "") -> list[str]:
    """The texts for the current choices, most telling first."""
    out = [state(status), optimizer(optimizer_name), mode(mode_name), loss(loss_name), _text("why.epochs"),
           activation(activation_name)]
    return [line for line in out if line]
