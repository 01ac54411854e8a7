"""Optimizers: the registry (names, presets) and ``get()``."""

from __future__ import annotations

from engine.optimizers.base import Optimizer
from engine.optimizers.sgd import SGD
from engine.registry import resolve, unknown_name_message

ALL: dict[str, type[Optimizer]] = {cls.name: cls for cls in (SGD,)}

PRESETS: dict[str, tuple[str, dict]] = {
    "momentum": ("sgd", {"momentum": 0.9}),
    "nesterov": ("sgd", {"momentum": 0.9, "nesterov": True}),
}
"""Names the seed treats as optimizers of their own: a registered class plus fixed settings."""


def names() -> list[str]:
    """Every name ``get`` accepts as a choice: classes, then presets."""
    return [*ALL, *PRESETS]


def get(identifier, **kwargs) -> Optimizer:
    """An optimizer from a name or preset (kwargs override its defaults), a config dict, or an instance."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        config = dict(identifier)
        return get(config.pop("name"), **config, **kwargs)
    if isinstance(identifier, str):
        key = identifier.lower().strip()
        if key in PRESETS:
            base, preset = PRESETS[key]
            return get(base, **{**preset, **kwargs, "name": kwargs.get("name", key)})
        cls = resolve("optimizer", identifier, {**ALL, **PRESETS})
        try:
            return cls(**kwargs)
        except TypeError as exc:
            raise ValueError(f"{cls.name}: {exc}") from None
    raise ValueError(unknown_name_message("optimizer", identifier, names()))
