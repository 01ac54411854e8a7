"""``MonitorCallback``: watching one logged quantity for improvement (early stopping, plateaus)."""

from __future__ import annotations

import operator
import warnings

from engine import checks
from engine import metrics as metrics_module
from engine.callbacks.base import Callback

MODES = ("auto", "min", "max")


def check_count(owner: str, name: str, value) -> int:
    """A whole number ≥ 0 (patience, cooldown, start_from_epoch), else a one-line ``ValueError``."""
    return checks.whole_number(f"{owner}: {name}", value, minimum=0, error=ValueError)


def check_real(owner: str, name: str, value) -> float:
    """A finite number (returned as given), else a one-line ``ValueError``."""
    checks.number(f"{owner}: {name}", value, error=ValueError)
    return value


class MonitorCallback(Callback):
    """Keras 3's ``MonitorCallback``: is the monitored value better than a reference?

        min mode:  improvement ⇔ current + |min_delta| < reference
        max mode:  improvement ⇔ current - |min_delta| > reference
        no reference yet (None): always an improvement

    ``mode="auto"`` decides on the first epoch's end: ``loss`` / ``val_loss`` are minimised;
    another name must be a compiled metric (found in the logs), whose direction decides
    (accuracies up, errors down); otherwise ``ValueError``, as in Keras. An unknown mode
    warns and falls back to auto, as in Keras.
    """

    def __init__(self, monitor="val_loss", mode="auto", baseline=None, min_delta=0):
        if mode not in MODES:
            warnings.warn(f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto mode.", stacklevel=3)
            mode = "auto"
        if not isinstance(monitor, str) or not monitor:
            raise ValueError(f"{type(self).__name__}: monitor must be a logged name such as 'val_loss', "
                             f"got {monitor!r}")
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(check_real(type(self).__name__, "min_delta", min_delta))
        self.monitor_op = None

    def _set_monitor_op(self, logs) -> None:
        if self.mode == "min":
            self.monitor_op = operator.lt
        elif self.mode == "max":
            self.monitor_op = operator.gt
        else:
            name = self.monitor.removeprefix("val_")
            if name == "loss":
                self.monitor_op = operator.lt
            elif name in (logs or {}):
                metric = metrics_module.get(name, output_units=1)
                self.monitor_op = operator.gt if metric.direction == "up" else operator.lt
            if self.monitor_op is None:
                raise ValueError(
                    f"{type(self).__name__} callback received monitor={self.monitor}, but Keras isn't able to "
                    "automatically determine whether that metric should be maximized or minimized. Pass "
                    "`mode='max'` in order to monitor based on the highest metric value, or pass `mode='min'` "
                    "in order to use the lowest value.")
        if self.monitor_op is operator.lt:
            self.min_delta *= -1

    def _is_improvement(self, monitor_value, reference_value) -> bool:
        if reference_value is None:
            return True
        return bool(self.monitor_op(monitor_value - self.min_delta, reference_value))
