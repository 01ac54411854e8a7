"""What a race can compare, and how a list of values becomes the contestants' configs.

A contestant is an ``Entry``: a label and a complete ``ExperimentConfig`` — the config a solo
``python -m engine run`` would take to give the very same result. A field race starts from one
base config and changes one field per entry:

    optimizer      "sgd", "adam", … or "sgd:learning_rate=0.1:momentum=0.5" (lr= works too)
    learning_rate  0.001, 0.01, …      (the base config's optimizer)
    loss           "mse", "binary_crossentropy", …  (each loss picks its own output layer)
    batch_size     1, 32, "full"
    schedule       "constant", "step", "cosine:warmup_steps=100", … (engine.schedule_setup's names,
                   options as NAME:KEY=VALUE; the base config's optimizer and learning rate)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from engine import checks, losses, optimizers, schedule_setup
from engine.config import ConfigError, ExperimentConfig, parse_batch_size
from engine.registry import unknown_name_message
from engine.wording import Wording, refusal_at, text_of

FIELDS = ("optimizer", "learning_rate", "loss", "batch_size", "schedule")
"""The fields a race can compare, one per race."""

DEFAULT_OPTIMIZERS = ("sgd", "momentum", "adagrad", "rmsprop", "adam")
"""The default field: the lecture's five optimizers, each at its Keras default learning rate."""

SHARED = ("dataset", "samples", "noise", "classes", "hidden", "activation", "epochs",
          "validation_split", "seed")
"""Config fields every contestant must share: same data, same network, same init, same batch order."""

_OPTION_ALIASES = {"lr": "learning_rate"}


@dataclass(frozen=True)
class Entry:
    """One contestant to be: its label and the complete config of its solo run."""

    label: str
    config: ExperimentConfig


def parse_values(field: str, text: str) -> list:
    """Comma-separated user text → the values of ``field``; ``ConfigError`` (one line) if unusable.

    Optimizers come back as ``(name, options)`` pairs; learning rates as floats; losses as
    the text (lower-case); batch sizes as ints or ``"full"``.
    """
    if field not in FIELDS:
        raise ConfigError(unknown_name_message("race field", field, FIELDS))
    parts = [p.strip() for p in text.split(",")]
    if not text.strip():
        raise ConfigError(Wording("the list of {items} is empty", items=_plural(field)))
    if any(not p for p in parts):
        raise ConfigError(Wording("empty entry in the list of {items}: {value}", items=_plural(field),
                                  value=repr(text)))
    values = [_parse_one(field, p) for p in parts]
    _reject_duplicates(field, parts, [_key(field, v) for v in values])
    return values


def _parse_one(field: str, text: str):
    if field == "optimizer":
        name, *options = text.split(":")
        name = name.strip().lower()
        if name not in optimizers.names():
            raise ConfigError(unknown_name_message("optimizer", name, optimizers.names()))
        kwargs, typed = {}, []
        for option in options:
            key, sep, value = option.partition("=")
            key = _OPTION_ALIASES.get(key.strip().lower(), key.strip().lower())
            if not sep or not key:
                raise ConfigError(Wording("optimizer settings look like NAME:KEY=VALUE (e.g. sgd:learning_rate=0.1), "
                                          "got {value}", value=repr(text)))
            kwargs[key] = checks.parse_flag_or_number(key, value)
            typed.append((key, kwargs[key], value))
        try:
            optimizers.get(name, **kwargs)
        except ValueError as exc:  # a value quoted as typed (got '1.10', not got 1.1)
            raise ConfigError(refusal_at(text, checks.options_as_typed(text_of(exc), typed))) from None
        return name, kwargs
    if field == "learning_rate":
        return checks.parse_number("learning rate", text, low=0, low_open=True)
    if field == "schedule":
        name, *options = text.split(":")
        name = schedule_setup.canonical(name.strip())
        kwargs = dict(schedule_setup.parse_option(option) for option in options)
        schedule_setup.build(name, kwargs, 0.001, 100, 10)  # names and values checked now
        return name, kwargs
    if field == "loss":
        try:
            losses.get(text)
        except ValueError as exc:
            raise ConfigError(text_of(exc)) from None
        return text.lower()
    return parse_batch_size(text)


def _key(field: str, value):
    if field in ("optimizer", "schedule"):
        name, kwargs = value
        return name, tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items()))
    if field == "loss":
        return losses.get(value).name
    return value


def _reject_duplicates(field: str, parts: list[str], keys: list) -> None:
    seen = {}
    for part, key in zip(parts, keys):
        if key in seen:
            words = {"kind": field.replace("_", " "), "value": repr(part)}  # a kind: "loss" is said 손실 함수
            raise ConfigError(Wording("duplicate {kind} {value} (same as {other}) in the race list",
                                      other=repr(seen[key]), **words) if seen[key] != part else
                              Wording("duplicate {kind} {value} in the race list", **words))
        seen[key] = part


def entries(base: ExperimentConfig, field: str, values: list) -> list[Entry]:
    """One ``Entry`` per value: ``base`` with ``field`` changed.

    Values are as ``parse_values`` returns them; an optimizer may also be given as its text
    (``"adam"``, ``"sgd:momentum=0.5"``).
    """
    if not values:
        raise ConfigError(Wording("the list of {items} is empty", items=_plural(field)))
    result = []
    for value in values:
        if field == "optimizer":
            name, kwargs = value if isinstance(value, tuple) else _parse_one(field, value)
            options = {**base.optimizer_options, **{k: v for k, v in kwargs.items() if k != "learning_rate"}}
            config = base.replace(optimizer=name, optimizer_options=options,
                                  learning_rate=kwargs.get("learning_rate", base.learning_rate))
            label = name + "".join(f":{k}={_short(v)}" for k, v in kwargs.items())
        elif field == "learning_rate":
            config = base.replace(learning_rate=float(value))
            label = f"lr={_short(value)}"
        elif field == "loss":
            config = base.replace(loss=value)
            label = value
        elif field == "batch_size":
            config = base.replace(batch_size=value)
            label = f"B={value}"
        elif field == "schedule":
            name, kwargs = value if isinstance(value, tuple) else _parse_one(field, value)
            config = base.replace(schedule=None if name == "constant" else name, schedule_options=kwargs)
            label = name + "".join(f":{k}={_short(v)}" for k, v in kwargs.items())
        else:
            raise ConfigError(unknown_name_message("race field", field, FIELDS))
        result.append(Entry(label, config))
    return result


def _short(value) -> str:
    if isinstance(value, list):
        return ";".join(_short(v) for v in value)
    if isinstance(value, float) and math.isfinite(value):
        return f"{value:g}"
    return str(value)


def _plural(field: str) -> str:
    return {"optimizer": "optimizers", "learning_rate": "learning rates", "loss": "losses",
            "batch_size": "batch sizes", "schedule": "schedules"}.get(field, field)
