"""2-D loss surfaces with analytic gradients, and optimizers walking them: the registry and ``get()``."""

from __future__ import annotations

from engine.wording import Wording
from engine.registry import unknown_name_message
from engine.surfaces.beale import Beale
from engine.surfaces.descent import TOLERANCE, Descent
from engine.surfaces.dip import Dip
from engine.surfaces.himmelblau import Himmelblau
from engine.surfaces.linreg import LinReg
from engine.surfaces.quadratic import Quadratic
from engine.surfaces.rosenbrock import Rosenbrock
from engine.surfaces.saddle import Saddle
from engine.surfaces.surface import Surface
from engine.surfaces.walkers import DEFAULT_OPTIMIZERS, LINREG_BATCH_SIZES, batch_label

ALL: dict[str, type[Surface]] = {cls.name: cls for cls in (Quadratic, Rosenbrock, Beale, Himmelblau, Saddle, Dip,
                                                          LinReg)}

__all__ = ["ALL", "DEFAULT_OPTIMIZERS", "LINREG_BATCH_SIZES", "TOLERANCE", "Beale", "Descent", "Dip", "Himmelblau", "LinReg", "Quadratic", "Rosenbrock",
           "Saddle", "Surface", "batch_label", "get", "names"]


def names() -> list[str]:
    return list(ALL)


def get(identifier, **params) -> Surface:
    """A surface from a name (``params`` are its own settings, e.g. ``kappa=4``), a dict with a
    ``"name"``, or an instance. Unknown names or settings raise a one-line ``ValueError``."""
    if isinstance(identifier, Surface):
        return identifier
    if isinstance(identifier, dict):
        config = {**identifier, **params}
        if "name" not in config:
            raise ValueError(f"a surface config needs a 'name' (one of: {', '.join(names())})")
        return get(config.pop("name"), **config)
    key = identifier.lower().strip() if isinstance(identifier, str) else identifier
    if key not in ALL:
        raise ValueError(unknown_name_message("surface", identifier, names()))
    try:
        return ALL[key](**params)
    except TypeError:
        valid = [k for k in ALL[key]().params()] or ["none"]
        bad = next(iter(params))
        raise ValueError(unknown_name_message(Wording("{key} setting", key=key), bad, valid)) from None
