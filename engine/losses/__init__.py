"""Losses: the registry (names and Keras aliases) and ``get()``."""

from __future__ import annotations

import inspect

from engine.losses.base import EPSILON, Loss
from engine.losses.binary_crossentropy import BinaryCrossentropy
from engine.losses.categorical_crossentropy import CategoricalCrossentropy
from engine.losses.hinge import CategoricalHinge, Hinge, SquaredHinge
from engine.losses.huber import Huber
from engine.losses.kl_divergence import KLDivergence
from engine.losses.log_cosh import LogCosh
from engine.losses.mean_absolute_error import MeanAbsoluteError
from engine.losses.mean_squared_error import MeanSquaredError
from engine.losses.poisson import Poisson
from engine.losses.sparse_categorical_crossentropy import SparseCategoricalCrossentropy
from engine.registry import resolve, unknown_name_message

ALL: dict[str, type[Loss]] = {
    cls.name: cls
    for cls in (
        # regression
        MeanSquaredError, MeanAbsoluteError, Huber, LogCosh,
        # probabilistic
        BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
        KLDivergence, Poisson,
        # margin
        Hinge, SquaredHinge, CategoricalHinge,
    )
}
ALIASES: dict[str, str] = {
    # keras.losses.get's short names (Keras 3 ALL_OBJECTS_DICT)
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "bce": "binary_crossentropy",
    "kld": "kl_divergence",
    # Keras's legacy names, and the name a Keras ``Huber()`` gives itself
    "logcosh": "log_cosh",
    "kullback_leibler_divergence": "kl_divergence",
    "huber_loss": "huber",
}

__all__ = ["ALIASES", "ALL", "EPSILON", "Loss", "get", "names", *(cls.__name__ for cls in ALL.values())]


def names() -> list[str]:
    """Canonical loss names, in registry order."""
    return list(ALL)


def get(identifier, **kwargs) -> Loss:
    """A loss from a name or alias (kwargs go to its constructor), a config dict, or an instance."""
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, dict):
        config = dict(identifier)
        if "name" not in config:
            raise ValueError(f"a loss config needs a 'name' (valid: {', '.join(names())})")
        return get(config.pop("name"), **config, **kwargs)
    if isinstance(identifier, str):
        cls = resolve("loss", identifier, ALL, ALIASES)
        accepted = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
        unknown = [k for k in kwargs if k not in accepted]
        if unknown:
            raise ValueError(f"{cls.name}: unexpected argument {unknown[0]!r} "
                             f"(valid: {', '.join(accepted)})")
        return cls(**kwargs)
    raise ValueError(unknown_name_message("loss", identifier, names()))
