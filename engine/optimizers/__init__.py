"""Optimizers: the registry (names, presets) and ``get()``."""

from __future__ import annotations

from engine.optimizers.adadelta import Adadelta
from engine.optimizers.adagrad import Adagrad
from engine.optimizers.adam import Adam
from engine.optimizers.adamw import AdamW
from engine.optimizers.base import Optimizer
from engine.optimizers.nadam import Nadam
from engine.optimizers.rmsprop import RMSprop
from engine.optimizers.sgd import SGD
from engine.registry import unknown_name_message

ALL: dict[str, type[Optimizer]] = {cls.name: cls for cls in (SGD, Adagrad, RMSprop, Adadelta, Adam, AdamW, Nadam)}

PRESETS: dict[str, tuple[str, dict]] = {
    "momentum": ("sgd", {"momentum": 0.9}),
    "nesterov": ("sgd", {"momentum": 0.9, "nesterov": True}),
}
"""Names the seed treats as optimizers of their own: a registered class plus fixed settings."""

__all__ = ["ALL", "PRESETS", "SGD", "Adadelta", "Adagrad", "Adam", "AdamW", "Nadam", "Optimizer", "RMSprop",
           "get", "names"]


def names() -> list[str]:
    """Every name ``get`` accepts as a choice: classes, then presets."""
    return [*ALL, *PRESETS]


def get(identifier, **kwargs) -> Optimizer:
    """An optimizer from a name or preset (kwargs override its defaults), a config dict, or an instance.

    A config dict is what ``get_config()`` returns: its ``"name"`` picks the class or preset.
    Unknown names, arguments or values raise a one-line ``ValueError``.
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        config = {**identifier, **kwargs}
        if "name" not in config:
            raise ValueError(f"an optimizer config needs a 'name' (one of: {', '.join(names())})")
        return get(config.pop("name"), **config)
    if isinstance(identifier, str):
        key = identifier.lower().strip()
        if key in PRESETS:
            base, preset = PRESETS[key]
            return get(base, **{**preset, **kwargs, "name": kwargs.get("name", key)})
        if key in ALL:
            return ALL[key](**kwargs)
    raise ValueError(unknown_name_message("optimizer", identifier, names()))
