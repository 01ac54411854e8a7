"""Losses: the registry (names and Keras aliases) and ``get()``."""

from __future__ import annotations

from engine.losses.base import EPSILON, Loss
from engine.losses.mean_squared_error import MeanSquaredError
from engine.registry import resolve, unknown_name_message

ALL: dict[str, type[Loss]] = {
    cls.name: cls
    for cls in (MeanSquaredError,)
}
ALIASES: dict[str, str] = {
    "mse": "mean_squared_error",
}


def names() -> list[str]:
    """Canonical loss names, in registry order."""
    return list(ALL)


def get(identifier, **kwargs) -> Loss:
    """A loss from a name or alias (kwargs go to its constructor), a config dict, or an instance."""
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, dict):
        config = dict(identifier)
        return get(config.pop("name"), **config, **kwargs)
    if isinstance(identifier, str):
        cls = resolve("loss", identifier, ALL, ALIASES)
        try:
            return cls(**kwargs)
        except TypeError as exc:
            raise ValueError(f"{cls.name}: {exc}") from None
    raise ValueError(unknown_name_message("loss", identifier, names()))


