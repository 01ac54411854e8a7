"""A run's learning-rate schedule from a name and options, its defaults taken from the run's length.

The CLI (``--schedule NAME --schedule-opt KEY=VALUE``), the race (``--schedules``) and the app
name a schedule and only the options they want to change; the rest follow the run. With
``lr`` the optimizer's learning rate, T the run's updates (epochs × iterations per epoch) and
I the iterations per epoch:

    constant              lr throughout (no schedule)
    exponential           ExponentialDecay(lr, decay_steps=I, decay_rate=0.9): ×0.9 per epoch
    step                  PiecewiseConstantDecay([T/2, 3T/4], [lr, lr/10, lr/100])
    polynomial            PolynomialDecay(lr, decay_steps=T, end_learning_rate=lr/100)
    inverse_time          InverseTimeDecay(lr, decay_steps=I, decay_rate=0.5)
    cosine                CosineDecay(lr, decay_steps=T); with warmup_steps=W: from 0 up to lr
                          over W updates, then cosine over T - W (Keras's warmup_target = lr)
    cosine_restarts       CosineDecayRestarts(lr, first_decay_steps=max(1, T/10))

Any Keras argument given as an option replaces the default (``decay_steps=100``,
``boundaries=500,1000``, ``values=0.1,0.01,0.001``); Keras's checks apply (``decay_steps=0``
is refused).
"""

from __future__ import annotations

from engine import checks
from engine.checks import ConfigError
from engine.optimizers import schedules
from engine.wording import Wording, text_of

NAMES = {"constant": None, "exponential": "exponential_decay", "step": "piecewise_constant_decay",
         "polynomial": "polynomial_decay", "inverse_time": "inverse_time_decay", "cosine": "cosine_decay",
         "cosine_restarts": "cosine_decay_restarts"}
"""Short names (the CLI's, the app's) → the registry's schedule; ``constant`` is none."""
ALIASES = {registry: short for short, registry in NAMES.items() if registry}  # "cosine_decay" → "cosine"


def canonical(name: str | None) -> str:
    """``name`` as one of ``NAMES`` (registry names and ``None`` accepted), or ``ConfigError``."""
    if name is None:
        return "constant"
    return checks.name("schedule", name, NAMES, {**ALIASES, "none": "constant"})


LISTS = ("boundaries", "values")
"""Options Keras takes as lists (``PiecewiseConstantDecay``'s): a list even of one number (``boundaries=500``)."""


def parse_option(text: str) -> tuple[str, object]:
    """``KEY=VALUE`` → ``(key, value)``: a number, true/false, none, or a comma list of numbers (``LISTS``:
    always a list)."""
    key, sep, value = text.partition("=")
    key, value = key.strip(), value.strip()
    if not sep or not key:
        raise ConfigError(Wording("schedule options look like KEY=VALUE (e.g. decay_steps=100), got {value}",
                                  value=repr(text)))
    if value.lower() in ("true", "false"):
        return key, value.lower() == "true"
    if value.lower() == "none":
        return key, None
    if "," in value or ";" in value or key in LISTS:
        return key, [_number(key, part) for part in value.replace(";", ",").split(",")]
    return key, _number(key, value)


def _number(key: str, text: str):
    text = text.strip()
    if text.lstrip("-").isdigit():
        return int(text)
    return checks.parse_number(key, text)


def build(name: str | None, options: dict, learning_rate: float, total_steps: int,
          iterations_per_epoch: int) -> schedules.LearningRateSchedule | None:
    """The schedule ``name`` with ``options`` over a run of ``total_steps`` updates (None: constant);
    a bad name, option or value raises ``ConfigError`` (one line)."""
    short = canonical(name)
    if short == "constant":
        if options:
            raise ConfigError(Wording("the constant learning rate takes no schedule options, got {options}",
                                      options=", ".join(options)))
        return None
    lr, t, i = float(learning_rate), max(int(total_steps), 1), max(int(iterations_per_epoch), 1)
    defaults = {
        "exponential": {"initial_learning_rate": lr, "decay_steps": i, "decay_rate": 0.9},
        "step": {"boundaries": [max(t // 2, 1), max(3 * t // 4, 2)], "values": [lr, lr / 10, lr / 100]},
        "polynomial": {"initial_learning_rate": lr, "decay_steps": t, "end_learning_rate": lr / 100},
        "inverse_time": {"initial_learning_rate": lr, "decay_steps": i, "decay_rate": 0.5},
        "cosine": {"initial_learning_rate": lr, "decay_steps": t},
        "cosine_restarts": {"initial_learning_rate": lr, "first_decay_steps": max(t // 10, 1)},
    }[short]
    if short == "cosine" and options.get("warmup_steps"):
        warmup = options["warmup_steps"]
        defaults = {"initial_learning_rate": 0.0, "warmup_target": lr, "warmup_steps": warmup,
                    "decay_steps": max(t - warmup, 1) if isinstance(warmup, int) else t}
    try:
        return schedules.get(NAMES[short], **{**defaults, **options})
    except ValueError as exc:
        raise ConfigError(Wording("{name} schedule: {refusal}", name=short, refusal=text_of(exc))) from None
