"""``ExperimentConfig``: one experiment's settings, their defaults, and their validation.

The defaults here are the single source of truth for the CLI (``python -m engine run``)
and the app: both start from ``ExperimentConfig()``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace

from engine import activations, losses, optimizers

FULL_BATCH = "full"
"""``batch_size`` value meaning batch gradient descent: B = number of training samples."""


class ConfigError(ValueError):
    """A setting that cannot be used; the message is one line, fit for a user."""


@dataclass(frozen=True)
class ExperimentConfig:
    """Everything that defines a run. ``None`` means "the default of the chosen thing"."""

    dataset: str = "moons"
    samples: int = 2000
    noise: float | None = None
    classes: int | None = None
    hidden: tuple[int, ...] = (16, 16)
    activation: str = "relu"
    loss: str = "binary_crossentropy"
    optimizer: str = "adam"
    learning_rate: float | None = None
    optimizer_options: dict = field(default_factory=dict)
    batch_size: int | str = 32
    epochs: int = 20
    validation_split: float = 0.2
    seed: int = 0

    def replace(self, **changes) -> "ExperimentConfig":
        return replace(self, **changes)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["hidden"] = list(self.hidden)
        return d

    def optimizer_kwargs(self) -> dict:
        """Keyword arguments for ``optimizers.get``: the options plus the learning rate if set."""
        kwargs = dict(self.optimizer_options)
        if self.learning_rate is not None:
            kwargs["learning_rate"] = self.learning_rate
        return kwargs

    def validate(self) -> "ExperimentConfig":
        """Raise ``ConfigError`` (one line) for the first unusable setting; return self."""
        whole_number("samples", self.samples, minimum=1)
        if self.noise is not None:
            non_negative("noise", self.noise)
        if self.classes is not None:
            whole_number("classes", self.classes, minimum=2)
        if not self.hidden and self.hidden != ():
            raise ConfigError("hidden must be a list of layer sizes")
        for units in self.hidden:
            whole_number("hidden layer size", units, minimum=1)
        batch_size(self.batch_size)
        whole_number("epochs", self.epochs, minimum=1)
        if isinstance(self.validation_split, bool) or not isinstance(self.validation_split, (int, float)) \
                or not 0.0 <= self.validation_split < 1.0:
            raise ConfigError(f"validation split must be in [0, 1), got {self.validation_split!r}")
        whole_number("seed", self.seed, minimum=0)
        if self.learning_rate is not None:
            learning_rate(self.learning_rate)
        try:
            activations.get(self.activation)
            losses.get(self.loss)
            optimizers.get(self.optimizer, **self.optimizer_kwargs())
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        return self


# -- field checks shared by the CLI and the app --------------------------------------------
def whole_number(name: str, value, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(f"{name} must be a whole number ≥ {minimum}, got {value!r}")
    return value


def non_negative(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ConfigError(f"{name} must be a finite number ≥ 0, got {value!r}")
    return float(value)


def learning_rate(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ConfigError(f"learning rate must be a finite number > 0, got {value!r}")
    return float(value)


def batch_size(value) -> int | str:
    if value == FULL_BATCH:
        return value
    return whole_number("batch size", value, minimum=1)


def parse_batch_size(text: str) -> int | str:
    """``"full"`` or a whole number ≥ 1 from user text."""
    text = text.strip().lower()
    if text in (FULL_BATCH, "n", "all"):
        return FULL_BATCH
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(f"batch size must be a whole number ≥ 1 or 'full', got {text!r}") from None
    return batch_size(value)


def parse_hidden(text: str) -> tuple[int, ...]:
    """``"16,16"`` → ``(16, 16)``; ``""`` or ``"none"`` → no hidden layer."""
    text = text.strip()
    if text.lower() in ("", "none", "0"):
        return ()
    sizes = []
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit() or int(part) < 1:
            raise ConfigError(f"hidden layers must be sizes ≥ 1 separated by commas (e.g. 16,16), got {text!r}")
        sizes.append(int(part))
    return tuple(sizes)


def parse_float(name: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {text!r}") from None
    if not math.isfinite(value):
        raise ConfigError(f"{name} must be finite, got {text!r}")
    return value
