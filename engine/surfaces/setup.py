"""``SurfaceSetup``: a surface walk as data — the surface, its start and step budget, each walker — for
setup files (``[surface]``, saved with ``W`` in the surface view, walked by ``python -m engine surface
--config FILE``, opened by ``python -m tui FILE``).

Layout in a setup file::

    [surface]
    name = "quadratic"
    start = [-3.5, 1.5]
    steps = 200
    [surface.params]            # the surface's own settings (quadratic: kappa; linreg: samples, noise, seed)
    kappa = 10.0
    [[surface.walkers]]         # one per walker, in order
    optimizer = "sgd"
    learning_rate = 0.1         # any of the optimizer's hyperparameters
    [[surface.walkers]]
    optimizer = "momentum"
    learning_rate = 0.1
    batch_size = 32             # linreg only: walk with the engine's Trainer at this batch size
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from engine import checks, optimizers
from engine.config import ConfigError
from engine.registry import unknown_name_message
from engine.surfaces import ALL, Descent, LinReg, Surface, batch_label, get, names
from engine.wording import Wording, refusal_at

KEYS = ("name", "start", "steps", "params", "walkers")


@dataclass(frozen=True)
class WalkerSetup:
    """One walker: an optimizer (registry name), its hyperparameters, and on ``linreg`` a batch size."""

    optimizer: str
    options: dict = field(default_factory=dict)
    batch_size: int | None = None


@dataclass(frozen=True)
class SurfaceSetup:
    """A surface, a start point, a step budget and the walkers that step down it in lockstep."""

    name: str
    start: tuple[float, float]
    steps: int
    walkers: tuple[WalkerSetup, ...]
    params: dict = field(default_factory=dict)

    def surface(self) -> Surface:
        return get(self.name, **self.params)

    def walks(self, surface: Surface | None = None) -> list[Descent]:
        """One ``Descent`` per walker on ``surface`` (built from the setup if not given), labelled as the
        surface view labels them (``batch GD (B=200)`` on linreg)."""
        surface = surface or self.surface()
        out = []
        for w in self.walkers:
            label = w.optimizer if w.batch_size is None else batch_label(w.optimizer, w.batch_size, surface.samples, 1)
            out.append(Descent(surface, optimizers.get(w.optimizer, **w.options), self.start, steps=self.steps,
                               batch_size=w.batch_size, label=label))
        return out

    def to_data(self) -> dict:
        """The ``[surface]`` table, TOML-ready."""
        data = {"name": self.name, "start": list(self.start), "steps": self.steps}
        if self.params:
            data["params"] = dict(self.params)
        data["walkers"] = [{"optimizer": w.optimizer, **w.options,
                            **({} if w.batch_size is None else {"batch_size": w.batch_size})} for w in self.walkers]
        return data

    @classmethod
    def from_data(cls, table: dict, source: str = "<setup>") -> "SurfaceSetup":
        """Check a ``[surface]`` table; ``ConfigError`` (one line, naming the key) if it cannot be walked."""
        def fail(key: str, message: str | BaseException):
            raise ConfigError(refusal_at(f"{source}: surface.{key}", message))

        for key in table:
            if key not in KEYS:
                raise ConfigError(refusal_at(source, unknown_name_message("key", "surface." + key,
                                                                          ["surface." + k for k in KEYS])))
        name = table.get("name")
        if not isinstance(name, str) or name.lower() not in ALL:
            fail("name", unknown_name_message("surface", name, names()))
        params = table.get("params", {})
        if not isinstance(params, dict):
            fail("params", Wording("must be a table of the surface's settings, got {value}", value=repr(params)))
        try:
            surface = get(name, **params)
        except ValueError as exc:
            fail("params", exc)
        start = table.get("start", list(surface.start))
        if not (isinstance(start, list) and len(start) == 2 and all(_is_number(v) for v in start)):
            fail("start", Wording("must be two numbers [x, y], got {value}", value=repr(start)))
        steps = table.get("steps", surface.steps)
        try:
            checks.whole_number("steps", steps, minimum=1)
        except ValueError as exc:
            fail("steps", exc)
        walkers = table.get("walkers")
        if not isinstance(walkers, list) or not walkers or not all(isinstance(w, dict) for w in walkers):
            fail("walkers", Wording("must be a non-empty list of tables ([[surface.walkers]]), each with an optimizer"))
        setups = tuple(_walker(w, i, surface, fail) for i, w in enumerate(walkers))
        return cls(name.lower(), (float(start[0]), float(start[1])), int(steps), setups, dict(params))


def _walker(table: dict, index: int, surface: Surface, fail) -> WalkerSetup:
    where = f"walkers[{index}]"
    table = dict(table)
    name = table.pop("optimizer", None)
    if not isinstance(name, str) or name.lower() not in optimizers.names():
        fail(f"{where}.optimizer", unknown_name_message("optimizer", name, optimizers.names()))
    batch_size = table.pop("batch_size", None)
    if batch_size is not None:
        if not isinstance(surface, LinReg):
            fail(f"{where}.batch_size", Wording("a batch size needs data: only linreg has it, not {surface}",
                                                 surface=surface.name))
        try:
            checks.whole_number("batch_size", batch_size, minimum=1, maximum=surface.samples)
        except ValueError as exc:
            fail(f"{where}.batch_size", exc)
    for key, value in table.items():
        if not (_is_number(value) or isinstance(value, bool)):
            fail(f"{where}.{key}", Wording("must be a number or true/false, got {value}", value=repr(value)))
    try:
        optimizers.get(name, **table)
    except ValueError as exc:
        fail(where, exc)
    return WalkerSetup(name.lower(), table, batch_size)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
