"""Setup files: one experiment (or a race over one field of it) as TOML, saved and loaded as data.

A setup file is what a teacher hands out: ``python -m tui lesson.toml`` opens it,
``python -m engine run --config lesson.toml`` (or ``race --config``) trains it, and the same file
gives the same numbers anywhere — every setting the run depends on is in it, the rest are the
Keras defaults of the things it names. Layout::

    [experiment]                 # ExperimentConfig's fields, by their names
    dataset = "moons"
    hidden = [16, 16]
    batch_size = 32              # or "full" (batch gradient descent)
    learning_rate = 0.01         # optional: absent means the optimizer's Keras default
    [experiment.optimizer_options]
    beta_1 = 0.5
    [race]                       # optional: a race instead of a single run
    field = "optimizer"          # optimizer | learning_rate | loss | batch_size | schedule
    values = ["sgd", "momentum", "adam:learning_rate=0.01"]
    target_loss = 0.3            # optional
    [surface]                    # or a surface walk (engine.surfaces.setup): the surface view opens it
    name = "dip"
    [[surface.walkers]]
    optimizer = "momentum"

It is parsed as data (``tomllib``: no code runs). An unknown key or a value of the wrong kind is
refused with one line naming the key; ranges are checked by ``ExperimentConfig.validate``.
"""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, fields

import tomli_w

from engine import checks, datasets
from engine.config import FULL_BATCH, ConfigError, ExperimentConfig
from engine.export import atomic_write
from engine.race.fields import FIELDS as RACE_FIELDS, parse_values
from engine.registry import unknown_name_message
from engine.surfaces.setup import SurfaceSetup
from engine.wording import Wording, refusal_at, text_of

HEADER = ("# descend setup — open with `python -m tui FILE`, train with "
          "`python -m engine run --config FILE` (or `race --config FILE`, `surface --config FILE`)\n")


class SetupError(ConfigError):
    """A setup file that cannot be used; the message is one line naming the file and the key."""


@dataclass(frozen=True)
class RaceSetup:
    """A race over one field: the values as ``race --<field>s`` takes them, and the target loss."""

    field: str
    values: tuple
    target_loss: float | None = None

    def text(self) -> str:
        """The values as the CLI's comma-separated list (``"sgd,adam:learning_rate=0.01"``)."""
        return ",".join(str(v) for v in self.values)


@dataclass(frozen=True)
class Setup:
    """What a setup file holds: an experiment, and a race over it if ``race`` is set."""

    config: ExperimentConfig
    race: RaceSetup | None = None
    surface: SurfaceSetup | None = None
    """A surface walk (``[surface]``) instead of a run or a race: the surface view opens it."""

    @property
    def kind(self) -> str:
        return "surface" if self.surface else "race" if self.race else "run"


# -- what each key may hold ----------------------------------------------------------------
def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_number(v) -> bool:
    return (_is_int(v) or isinstance(v, float)) and math.isfinite(v)


KINDS = {
    "dataset": ("a name or a .csv path", lambda v: isinstance(v, str)),
    "samples": ("a whole number", _is_int),
    "noise": ("a number", _is_number),
    "classes": ("a whole number", _is_int),
    "hidden": ("a list of whole numbers", lambda v: isinstance(v, list) and all(_is_int(u) for u in v)),
    "activation": ("a name", lambda v: isinstance(v, str)),
    "loss": ("a name", lambda v: isinstance(v, str)),
    "optimizer": ("a name", lambda v: isinstance(v, str)),
    "learning_rate": ("a number", _is_number),
    "optimizer_options": ("a table of numbers and true/false",
                          lambda v: isinstance(v, dict) and all(_is_number(x) or isinstance(x, bool)
                                                                for x in v.values())),
    "batch_size": ('a whole number or "full"', lambda v: _is_int(v) or v == FULL_BATCH),
    "epochs": ("a whole number", _is_int),
    "validation_split": ("a number", _is_number),
    "seed": ("a whole number", _is_int),
    "schedule": ("a name", lambda v: isinstance(v, str)),
    "schedule_options": ("a table of numbers, lists of numbers and true/false",
                         lambda v: isinstance(v, dict) and all(
                             _is_number(x) or isinstance(x, bool)
                             or (isinstance(x, list) and all(_is_number(y) for y in x)) for x in v.values())),
    "early_stopping": ("a whole number", _is_int),
    "monitor": ("a name", lambda v: isinstance(v, str)),
    "class_weight": ('"balanced" or "CLASS=WEIGHT,…"', lambda v: isinstance(v, str)),
}
"""Each ``[experiment]`` key: what it must hold (for the message) and the check."""

assert set(KINDS) == {f.name for f in fields(ExperimentConfig)}, "a config field without a setup-file kind"

RACE_KEYS = ("field", "values", "target_loss")


# -- load ----------------------------------------------------------------------------------
def load(path: str | os.PathLike) -> Setup:
    """Read and check a setup file; ``SetupError`` (one line) if it cannot be used.

    A relative CSV path in ``dataset`` is taken relative to the file's own folder.
    """
    path = os.fspath(path)
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as exc:
        raise SetupError(Wording("{where}: cannot read: {reason}", where=path, reason=exc.strerror or exc)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SetupError(Wording("{where}: not a UTF-8 text file", where=path)) from None
    return loads(text, source=path, folder=os.path.dirname(os.path.abspath(path)))


def loads(text: str, *, source: str = "<setup>", folder: str | None = None) -> Setup:
    """Parse a setup from TOML text (``source`` names it in messages)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SetupError(Wording("{where}: not valid TOML: {reason}", where=source, reason=exc)) from None
    return from_data(data, source=source, folder=folder)


def from_data(data: dict, *, source: str = "<setup>", folder: str | None = None) -> Setup:
    """A setup from already-parsed TOML data (``{"experiment": {...}, "race": {...}}``)."""
    _known(source, "", data, ("experiment", "race", "surface"))
    table = data.get("experiment", {})
    if not isinstance(table, dict):
        raise SetupError(Wording("{where}: '{table}' must be a table ([{table}])", where=source, table="experiment"))
    config = _config(source, table, folder)
    surface = data.get("surface")
    if surface is not None:
        if not isinstance(surface, dict) or "race" in data:
            raise SetupError(Wording("{where}: 'surface' must be a table ([surface]), and a setup is a race or "
                                     "a surface", where=source))
        try:
            return Setup(config, surface=SurfaceSetup.from_data(surface, source))
        except ConfigError as exc:
            raise SetupError(text_of(exc)) from None
    race = data.get("race")
    if race is None:
        return Setup(config)
    if not isinstance(race, dict):
        raise SetupError(Wording("{where}: '{table}' must be a table ([{table}])", where=source, table="race"))
    return Setup(config, _race(source, race, config))


def _known(source: str, prefix: str, table: dict, valid) -> None:
    for key in table:
        if key not in valid:
            raise SetupError(refusal_at(source, unknown_name_message("key", prefix + key, [prefix + v for v in valid])))


def _config(source: str, table: dict, folder: str | None) -> ExperimentConfig:
    _known(source, "experiment.", table, KINDS)
    values = {}
    for key, value in table.items():
        kind, ok = KINDS[key]
        if not ok(value):
            raise SetupError(Wording("{name} must be {bounds}, got {value}", name=f"{source}: experiment.{key}",
                                     bounds=kind, value=_show(value)))
        values[key] = value
    if "hidden" in values:
        values["hidden"] = tuple(values["hidden"])
    dataset = values.get("dataset")
    if dataset is not None and datasets.is_csv(dataset) and folder and not os.path.isabs(dataset):
        values["dataset"] = os.path.normpath(os.path.join(folder, dataset))
    elif dataset is not None and dataset.lower() not in [*datasets.names(), *datasets.ALIASES]:
        raise SetupError(refusal_at(f"{source}: experiment.dataset",
                                    unknown_name_message("dataset", dataset, datasets.names())))
    default = ExperimentConfig()
    for key, value in values.items():  # each key on its own, so the message names the right one
        if key in ("optimizer", "learning_rate", "optimizer_options", "schedule", "schedule_options"):
            continue
        _check(source, key, default.replace(**{key: value}))
    for group, options in ((("optimizer", "learning_rate", "optimizer_options"), "optimizer_options"),
                           (("schedule", "schedule_options"), "schedule_options")):
        keys = {k: values[k] for k in group if k in values}  # checked together: options belong to their name
        if keys:
            _check(source, options if options in values else next(iter(keys)), default.replace(**keys))
    config = default.replace(**values)
    _check(source, "experiment", config)
    return config


def _check(source: str, key: str, config: ExperimentConfig) -> None:
    try:
        config.validate()
    except ConfigError as exc:
        where = key if key == "experiment" else f"experiment.{key}"
        raise SetupError(refusal_at(f"{source}: {where}", exc)) from None


def _race(source: str, table: dict, config: ExperimentConfig) -> RaceSetup:
    _known(source, "race.", table, RACE_KEYS)
    field = table.get("field")
    if field not in RACE_FIELDS:
        raise SetupError(refusal_at(f"{source}: race.field", unknown_name_message("race field", field, RACE_FIELDS)))
    values = table.get("values")
    if not isinstance(values, list) or not values \
            or not all(isinstance(v, str) or _is_number(v) for v in values):
        raise SetupError(Wording("{name} must be {bounds}, got {value}", name=f"{source}: race.values",
                                 bounds="a non-empty list of names or numbers", value=_show(values)))
    target = table.get("target_loss")
    if target is not None:
        checks.number(f"{source}: race.target_loss", target, low=0, low_open=True, error=SetupError)
    race = RaceSetup(field, tuple(values), None if target is None else float(target))
    try:
        parse_values(field, race.text())
    except ConfigError as exc:
        raise SetupError(refusal_at(f"{source}: race.values", exc)) from None
    return race


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# -- save ----------------------------------------------------------------------------------
def to_dict(setup: Setup) -> dict:
    """The setup as TOML-ready data: ``None`` settings (the chosen thing's default) left out."""
    c = setup.config
    experiment = {}
    for f in fields(ExperimentConfig):
        value = getattr(c, f.name)
        if value is None or (f.name in ("optimizer_options", "schedule_options") and not value):
            continue
        experiment[f.name] = list(value) if f.name == "hidden" else value
    data = {"experiment": experiment}
    if setup.race:
        race = {"field": setup.race.field, "values": list(setup.race.values)}
        if setup.race.target_loss is not None:
            race["target_loss"] = setup.race.target_loss
        data["race"] = race
    if setup.surface:
        data["surface"] = setup.surface.to_data()
    return data


def dumps(setup: Setup) -> str:
    """The setup as TOML text, with a header saying how to use it."""
    return HEADER + tomli_w.dumps(to_dict(setup))


def save(path: str | os.PathLike, setup: Setup) -> None:
    """Write ``setup`` to ``path`` atomically (a reader never sees half a file).

    A CSV dataset is written relative to the file's folder, as ``load`` reads it.
    """
    dataset = setup.config.dataset
    if setup.config.reads_csv:
        folder = os.path.dirname(os.path.abspath(os.fspath(path)))
        setup = Setup(setup.config.replace(dataset=os.path.relpath(os.path.abspath(dataset), folder)), setup.race,
                      setup.surface)
    atomic_write(path, [dumps(setup)])


def race_values(field: str, values) -> tuple:
    """Race values as ``parse_values`` returns them → TOML-ready values (optimizers as their text)."""
    out = []
    for value in values:
        if field in ("optimizer", "schedule") and isinstance(value, tuple):
            name, options = value
            value = name + "".join(f":{k}={';'.join(map(str, v)) if isinstance(v, list) else v}"
                                   for k, v in (options or {}).items())
        out.append(value)
    return tuple(out)
