"""``command_line``: the ``python -m engine run|race`` command that trains a setup (``engine.sharing.Setup``),
as a lesson card or a shared file shows it — the same numbers without the app."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING

from engine.config import ExperimentConfig

if TYPE_CHECKING:
    from engine.sharing import Setup

RACE_FLAGS = {"optimizer": "--optimizers", "learning_rate": "--learning-rates", "loss": "--losses",
              "batch_size": "--batch-sizes", "schedule": "--schedules"}


def command_line(setup: Setup) -> str:
    """The ``python -m engine run|race`` command that trains ``setup`` (settings at their defaults left out)."""
    c, default = setup.config, ExperimentConfig()
    words = ["python", "-m", "engine", setup.kind]
    for f in fields(ExperimentConfig):
        value = getattr(c, f.name)
        if value == getattr(default, f.name) or f.name in ("optimizer_options", "schedule_options"):
            continue
        if setup.race and f.name == setup.race.field:
            continue
        text = ",".join(map(str, value)) if f.name == "hidden" else f"{value:g}" if isinstance(value, float) else str(value)
        words += ["--" + f.name.replace("_", "-"), text]
    for key, value in c.optimizer_options.items():
        words += ["--opt", f"{key}={str(value).lower() if isinstance(value, bool) else value}"]
    for key, value in c.schedule_options.items():
        text = ",".join(map(str, value)) if isinstance(value, list) else str(value).lower() \
            if isinstance(value, bool) else str(value)
        words += ["--schedule-opt", f"{key}={text}"]
    if setup.race:
        words += [RACE_FLAGS[setup.race.field], setup.race.text()]
        if setup.race.target_loss is not None:
            words += ["--target-loss", f"{setup.race.target_loss:g}"]
    return " ".join(words)
