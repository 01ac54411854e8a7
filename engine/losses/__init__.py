"""Losses: the registry (names and Keras aliases) and ``get()``."""

from __future__ import annotations

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
from engine import registry

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


def get(identifier, **kwargs) -> Loss | None:
    """Keras's ``losses.get``: ``None`` → ``None``; a ``Loss`` as it is; a name, alias or class name
    ("mse", "MeanSquaredError"), a ``Loss`` class, ``{"class_name": …, "config": {…}}`` or a
    ``get_config()`` dict → a new loss (kwargs go to its constructor). Anything else: ``ValueError``."""
    return registry.get("loss", identifier, kwargs, base=Loss, table=ALL, aliases=ALIASES)
