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
from engine import registry

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


def get(identifier, **kwargs) -> Optimizer | None:
    """Keras's ``optimizers.get``: ``None`` → ``None``; an ``Optimizer`` as it is; a name or preset
    ("adam", "Adam", "momentum"), ``{"class_name": "Adam", "config": {…}}`` or a ``get_config()``
    dict (its ``"name"`` picks the class or preset) → a new optimizer, kwargs overriding its defaults.

    Unknown names, arguments or values raise a one-line ``ValueError``.
    """
    return registry.get("optimizer", identifier, kwargs, base=Optimizer, table={**ALL, **PRESETS},
                        build=_build, listed=names(), classes=False)


def _build(name: str, kwargs: dict) -> Optimizer:
    if name in PRESETS:
        base, preset = PRESETS[name]
        return ALL[base](**{**preset, **kwargs, "name": kwargs.get("name", name)})
    return ALL[name](**kwargs)
