"""How states and engine names are shown, in both views: state styles, the status words, loss and metric names.

The status words themselves (``diverged at epoch e, iteration i``) and the ranking are the engine's
(``engine.core``: ``status_text`` and ``rank``); the worker puts them in its reports, so the views only style them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from engine import losses

STATE_STYLES = {"ready": "bold $text-muted", "running": "bold $success", "paused": "bold $warning",
                "finished": "bold $primary", "diverged": "bold $error", "landscape": "bold $accent",
                "building": "bold $accent", "reached": "$success", "stopped": "$warning"}
"""Each run state's style, in Textual markup (theme variables); ``landscape``: the surface view's network mode;
``building``: a new experiment or race being built in the background; ``reached`` / ``stopped``: how a surface
walker's walk ended (``diverged`` as a run's)."""


def state_markup(state: str, text: str | None = None) -> str:
    """``● <text>`` in the state's style (``text`` defaults to the state's name)."""
    return f"[{STATE_STYLES.get(state, 'bold')}]● {text or state}[/]"


def rich_style(state: str, variables: Mapping[str, str]) -> str:
    """The state's style for Rich (a table cell): theme variables replaced by the theme's colours;
    one Rich cannot take (``$text-muted`` is ``auto 60%``) becomes ``dim``."""
    def colour(match: re.Match) -> str:
        value = variables.get(match.group(1), "")
        return value if re.fullmatch(r"#[0-9A-Fa-f]{6}", value) else "dim"
    return re.sub(r"\$([\w-]+)", colour, STATE_STYLES.get(state, ""))


def canonical_loss(name: str) -> str:
    """The registry name for a loss alias (``mse`` → ``mean_squared_error``); unknown names as given."""
    try:
        return losses.get(name).name
    except ValueError:
        return name


def metric_label(metric: str, *, short: bool = True) -> str:
    """A metric's name as shown: ``root_mean_squared_error`` → ``rmse``; ``val_accuracy`` → ``val acc``
    (``val accuracy`` if not ``short``)."""
    text = metric.replace("root_mean_squared_error", "rmse")
    return (text.replace("accuracy", "acc") if short else text).replace("_", " ")
