"""``ExperimentConfig``: one experiment's settings, their defaults, and their validation.

The defaults here are the single source of truth for the CLI (``python -m engine run``)
and the app: both start from ``ExperimentConfig()``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from engine import activations, checks, datasets, losses, optimizers, schedule_setup
from engine.batching import FULL_BATCH, KERAS_DEFAULT_BATCH, check_batch_size, check_validation_split, \
    parse_batch_size
from engine.checks import ConfigError, parse_number
from engine.sample_weights import parse_class_weight
from engine.wording import Wording, text_of

__all__ = ["FULL_BATCH", "ConfigError", "ExperimentConfig", "parse_batch_size", "parse_float", "parse_hidden"]


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
    batch_size: int | str = KERAS_DEFAULT_BATCH
    epochs: int = 20
    validation_split: float = 0.2
    seed: int = 0
    schedule: str | None = None
    """Learning-rate schedule (engine.schedule_setup: exponential, step, cosine, …); None: constant."""
    schedule_options: dict = field(default_factory=dict)
    early_stopping: int | None = None
    """EarlyStopping's patience in epochs; None: no early stopping."""
    monitor: str = "val_loss"
    """What early stopping watches: loss, the metric, or their val_ forms."""
    class_weight: str | None = None
    """``"balanced"`` or ``"0=1,1=3"`` (classification only); None: every sample weighs 1."""

    def replace(self, **changes) -> "ExperimentConfig":
        return replace(self, **changes)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["hidden"] = list(self.hidden)
        return d

    @property
    def reads_csv(self) -> bool:
        """Whether the data is a CSV file's (``dataset`` is its path) rather than a generator's."""
        return datasets.is_csv(self.dataset)

    def optimizer_kwargs(self) -> dict:
        """Keyword arguments for ``optimizers.get``: the options plus the learning rate if set."""
        kwargs = dict(self.optimizer_options)
        if self.learning_rate is not None:
            kwargs["learning_rate"] = self.learning_rate
        return kwargs

    def validate(self) -> "ExperimentConfig":
        """Raise ``ConfigError`` (one line) for the first unusable setting; return self."""
        checks.whole_number("samples", self.samples, minimum=1)
        if self.noise is not None:
            checks.number("noise", self.noise, low=0)
        if self.classes is not None:
            checks.whole_number("classes", self.classes, minimum=2)
        if not self.hidden and self.hidden != ():
            raise ConfigError(Wording("hidden must be a list of layer sizes"))
        for units in self.hidden:
            checks.whole_number("hidden layer size", units, minimum=1)
        check_batch_size(self.batch_size)
        checks.whole_number("epochs", self.epochs, minimum=1)
        check_validation_split(self.validation_split)
        checks.whole_number("seed", self.seed, minimum=0)
        if self.learning_rate is not None:
            checks.number("learning rate", self.learning_rate, low=0, low_open=True)
        schedule_setup.build(self.schedule, self.schedule_options, 0.001, 100, 10)  # names, options, values
        checks.whole_number("early stopping patience", self.early_stopping, minimum=0, allow_none=True)
        if not isinstance(self.monitor, str) or not self.monitor.strip():
            raise ConfigError(Wording("monitor must be a logged name such as val_loss, got {value}",
                                      value=repr(self.monitor)))
        if self.class_weight is not None:
            parse_class_weight(self.class_weight)
        try:
            activations.get(self.activation)
            losses.get(self.loss)
            optimizers.get(self.optimizer, **self.optimizer_kwargs())
        except ValueError as exc:
            raise ConfigError(text_of(exc)) from None
        return self


# -- text a user typed -------------------------------------------------------------------------
HIDDEN_NONE = ("", "none")
"""What a user types for a network without hidden layers (input straight to output)."""


def parse_hidden(text: str) -> tuple[int, ...]:
    """``"16,16"`` → ``(16, 16)``; ``""`` or ``"none"`` → no hidden layer.

    Every size is a whole number ≥ 1: a layer of 0 units is an error, as Keras's ``Dense(0)`` is
    ("expected a positive integer"); "no hidden layer" is spelled ``none``.
    """
    text = text.strip()
    if text.lower() in HIDDEN_NONE:
        return ()
    sizes = []
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit() or int(part) < 1:
            raise ConfigError(Wording("hidden layers must be sizes ≥ 1 separated by commas (e.g. 16,16), "
                                      "or none, got {value}", value=repr(text)))
        sizes.append(int(part))
    return tuple(sizes)


def parse_float(name: str, text: str) -> float:
    """Any finite number from user text; ``ConfigError`` otherwise."""
    return parse_number(name, text)
