"""Learning-rate schedules (Keras's ``keras.optimizers.schedules``): the registry, ``get``,
``serialize`` and ``deserialize``."""

from __future__ import annotations

import inspect

from engine.optimizers.schedules.base import LearningRateSchedule
from engine.optimizers.schedules.cosine_decay import CosineDecay, CosineDecayRestarts
from engine.optimizers.schedules.exponential_decay import ExponentialDecay
from engine.optimizers.schedules.inverse_time_decay import InverseTimeDecay
from engine.optimizers.schedules.piecewise_constant_decay import PiecewiseConstantDecay
from engine.optimizers.schedules.polynomial_decay import PolynomialDecay
from engine.registry import unknown_name_message
from engine.wording import Wording

ALL: dict[str, type[LearningRateSchedule]] = {
    "exponential_decay": ExponentialDecay,
    "piecewise_constant_decay": PiecewiseConstantDecay,
    "polynomial_decay": PolynomialDecay,
    "inverse_time_decay": InverseTimeDecay,
    "cosine_decay": CosineDecay,
    "cosine_decay_restarts": CosineDecayRestarts,
}
"""Snake-case names; ``get`` also takes the class names (``"CosineDecay"``)."""

__all__ = ["ALL", "CosineDecay", "CosineDecayRestarts", "ExponentialDecay", "InverseTimeDecay",
           "LearningRateSchedule", "PiecewiseConstantDecay", "PolynomialDecay", "deserialize", "get", "names",
           "serialize"]


def names() -> list[str]:
    return list(ALL)


def _class(name) -> type[LearningRateSchedule]:
    by_class = {cls.__name__: cls for cls in ALL.values()}
    if isinstance(name, str):
        if name in by_class:
            return by_class[name]
        key = name.lower().strip().replace("-", "_")
        if key in ALL:
            return ALL[key]
    raise ValueError(unknown_name_message("learning rate schedule", name, names()))


def serialize(schedule: LearningRateSchedule) -> dict:
    """``{"class_name": "CosineDecay", "config": {...}}`` — Keras's form, less its module fields."""
    return {"class_name": type(schedule).__name__, "config": schedule.get_config()}


def deserialize(config: dict) -> LearningRateSchedule:
    """The schedule ``serialize`` described."""
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"a schedule config looks like {{'class_name': ..., 'config': {{...}}}}, got {config!r}")
    return _class(config["class_name"]).from_config(dict(config.get("config", {})))


def get(identifier, **kwargs) -> LearningRateSchedule | None:
    """A schedule from ``None`` (→ None), an instance, a serialized dict, or a name plus its arguments."""
    if identifier is None or isinstance(identifier, LearningRateSchedule):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    cls = _class(identifier)
    _check_arguments(cls, kwargs)
    return cls(**kwargs)


def _check_arguments(cls: type[LearningRateSchedule], kwargs: dict) -> None:
    """Refuse a call ``cls(**kwargs)`` Python would refuse — an unexpected argument first, then the missing ones —
    in Python's own words, as a ``ValueError`` carrying a ``Wording``."""
    parameters = inspect.signature(cls).parameters
    unknown = [k for k in kwargs if k not in parameters]
    if unknown:
        raise ValueError(Wording("{schedule}: got an unexpected keyword argument {argument}", schedule=cls.__name__,
                                 argument=repr(unknown[0])))
    missing = [repr(name) for name, p in parameters.items() if p.default is p.empty and name not in kwargs]
    if len(missing) == 1:
        raise ValueError(Wording("{schedule}: missing 1 required positional argument: {argument}",
                                 schedule=cls.__name__, argument=missing[0]))
    if missing:
        listed = (Wording("{first} and {second}", first=missing[0], second=missing[1]) if len(missing) == 2 else
                  Wording("{names}, and {last}", names=", ".join(missing[:-1]), last=missing[-1]))
        raise ValueError(Wording("{schedule}: missing {count} required positional arguments: {arguments}",
                                 schedule=cls.__name__, count=len(missing), arguments=listed))
