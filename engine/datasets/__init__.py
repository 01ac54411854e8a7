"""Datasets: the registry of seeded 2-D generators, ``get()``, ``describe()`` and the CSV loader."""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable

from engine.datasets import blobs, circles, linear, moons, polynomial, sine, spiral, xor
from engine.datasets.csv_file import is_csv, load_csv
from engine.datasets.dataset import TASKS, Dataset, DatasetError
from engine.datasets.sampling import MAX_CLASSES
from engine import registry
from engine.registry import resolve, unknown_name_message
from engine.wording import Wording, refusal_at, text_of

ALL: dict[str, Callable[..., Dataset]] = {
    fn.__name__: fn
    for fn in (linear.linear, sine.sine, polynomial.polynomial,
               moons.moons, circles.circles, xor.xor, spiral.spiral, blobs.blobs)
}
"""Every generator by name, regression first, in the order the CLI and the app list them."""

ALIASES: dict[str, str] = {
    "cubic": "polynomial",
    "two_moons": "moons",
    "spirals": "spiral",
}

__all__ = ["ALIASES", "ALL", "MAX_CLASSES", "TASKS", "Dataset", "DatasetError",
           "defaults", "describe", "get", "is_csv", "load_csv", "names"]


def names() -> list[str]:
    """Canonical dataset names, in registry order."""
    return list(ALL)


def _generator(name: str) -> Callable[..., Dataset]:
    try:
        return resolve("dataset", name, ALL, ALIASES)
    except ValueError as exc:
        raise DatasetError(text_of(exc)) from None


def defaults(name: str) -> dict:
    """The keyword arguments ``name`` takes, with their defaults: ``{"n_samples": 2000, "noise": 0.2, ...}``."""
    fn = _generator(name)
    return {p.name: p.default for p in inspect.signature(fn).parameters.values()}


def describe(name: str) -> str:
    """One line for a listing, e.g. ``"two interleaving half-circles (binary, 2 features); noise=0.2"``."""
    fn = _generator(name)
    summary = inspect.getmodule(fn).__doc__.split(":", 1)[1].strip().rstrip(".")
    shown = {k: v for k, v in defaults(name).items() if k in ("noise", "classes")}
    return f"{summary}; " + ", ".join(f"{k}={v}" for k, v in shown.items())


def _valid() -> list[str]:
    """The names every unknown-dataset message lists (a name's, as ``registry.canonical`` lists them)."""
    return sorted(set(ALL) | set(ALIASES))


def get(identifier, **kwargs) -> Dataset | None:
    """Keras's ``get`` convention: ``None`` → ``None``; a ``Dataset`` as it is; a registry name (kwargs go
    to its generator), a ``.csv`` path, ``{"class_name": "moons", "config": {…}}`` or ``{"name": …, …}``.

    ``get("spiral", classes=3, noise=0.2, seed=1)`` generates; ``get("data/houses.csv",
    target="price")`` loads a file (``target`` is the only argument a CSV takes). A string
    ending in ``.csv`` is always a path; any other string is a registry name first and
    a path only if no dataset has that name.
    """
    if identifier is None:
        return None
    if isinstance(identifier, Dataset):
        if kwargs:
            raise DatasetError(f"got a ready-made Dataset; cannot apply {', '.join(kwargs)}")
        return identifier
    if isinstance(identifier, dict):
        try:
            name, config = registry.config_parts("dataset", identifier, _valid())
        except ValueError as exc:
            raise DatasetError(text_of(exc)) from None
        return get(name, **config, **kwargs)
    if not isinstance(identifier, (str, os.PathLike)):
        raise DatasetError(unknown_name_message("dataset", identifier, _valid()))
    text = os.fspath(identifier)
    key = text.lower().strip()
    is_name = isinstance(identifier, str) and ALIASES.get(key, key) in ALL
    if is_csv(key) or (not is_name and os.path.isfile(text)):
        unexpected = sorted(set(kwargs) - {"target"})
        if unexpected:
            raise DatasetError(Wording("a CSV file takes only target=, got {arguments}",
                                       arguments=", ".join(f"{a}=" for a in unexpected)))
        return load_csv(text, **kwargs)
    fn = _generator(text)
    accepted = inspect.signature(fn).parameters
    for argument in kwargs:
        if argument == "classes" and argument not in accepted:
            takes = [n for n, g in ALL.items() if "classes" in inspect.signature(g).parameters]
            raise DatasetError(Wording("{dataset} does not take classes= (only {takes} do)", dataset=fn.__name__,
                                          takes=", ".join(takes)))
        if argument not in accepted:
            raise DatasetError(refusal_at(fn.__name__, unknown_name_message("argument", argument, accepted)))
    try:
        return fn(**kwargs)
    except DatasetError as exc:
        raise DatasetError(refusal_at(fn.__name__, exc)) from None
