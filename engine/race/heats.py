"""A race's line-up: its entries checked, each built into a ``Contestant``, and the contestants grouped
into ``Heat``s (one per architecture, loss and batch size; ``engine.core.heat``)."""

from __future__ import annotations

from collections.abc import Sequence

from engine.config import ConfigError, ExperimentConfig
from engine.core.heat import Heat
from engine.core.stack import Stack
from engine.experiment import build
from engine.race.contestant import Contestant
from engine.race.fields import SHARED, Entry
from engine.wording import Wording, refusal_at, text_of


def check_entries(entries: Sequence[Entry]) -> ExperimentConfig:
    """The shared config of ``entries`` (the first one's), once each is valid, all share ``SHARED`` and
    their labels are unique; else ``ConfigError`` (one line)."""
    if not entries:
        raise ConfigError(Wording("a race needs at least one contestant"))
    base = entries[0].config
    for e in entries:
        e.config.validate()
        for name in SHARED:
            if getattr(e.config, name) != getattr(base, name):
                raise ConfigError(Wording("{label}: every contestant must share {name} ({value} ≠ {shared})",
                                          label=e.label, name=name, value=repr(getattr(e.config, name)),
                                          shared=repr(getattr(base, name))))
    labels = [e.label for e in entries]
    if len(set(labels)) != len(labels):
        raise ConfigError(Wording("duplicate contestant label {label}",
                                  label=repr(next(x for x in labels if labels.count(x) > 1))))
    return base


def line_up(entries: Sequence[Entry], dataset) -> tuple[list[Contestant], list[Heat]]:
    """Each entry built on ``dataset`` into a ``Contestant`` (in order), and the ``Heat``s that step them:
    one per architecture, loss (and the targets it prepared) and batch size, its members ``by_formula``.
    ``ConfigError`` naming the entry if one cannot be built, or if two would be the same run."""
    contestants: list[Contestant] = []
    heats: dict[tuple, tuple[list[Contestant], object]] = {}  # (members, a trainer of theirs) per heat
    for index, entry in enumerate(entries):
        try:
            experiment = build(entry.config, dataset=dataset)
            trainer = experiment.trainer()
        except ValueError as exc:
            message = text_of(exc)
            raise ConfigError(message if message.startswith(entry.label) else refusal_at(entry.label, message)) from None
        c = Contestant(index, entry, experiment, trainer)
        for other in contestants:
            if other.settings == c.settings or (other.batch_size != c.batch_size and
                                                min(other.batch_size, trainer.n) == min(c.batch_size, trainer.n)
                                                and {**other.settings, "batch_size": 0} == {**c.settings, "batch_size": 0}):
                raise ConfigError(Wording("{first} and {second} would be the same run: every contestant needs "
                                          "different settings", first=other.label, second=c.label))
        contestants.append(c)
        model = experiment.model
        key = (tuple((la.units, repr(la.activation.get_config()), la.use_bias) for la in model.layers),
               repr(model.loss.get_config()), experiment.output.targets, trainer.batch_size)
        heats.setdefault(key, ([], trainer))[0].append(c)
    stacked = []
    for members, trainer in heats.values():
        members = by_formula(members)
        stacked.append(Heat(members, Stack.of([m.model for m in members]), trainer))
    return contestants, stacked


def by_formula(members: list[Contestant]) -> list[Contestant]:
    """``members`` with those whose optimizers share a formula (``Optimizer.formula_key``) side by side,
    in order of first appearance: a heat steps a run of such rows as one (``engine.optimizers.rows``)."""
    keys = [m.optimizer.formula_key() for m in members]
    keys = [m.index if key is None else key for m, key in zip(members, keys)]  # None: a formula of its own
    first: dict = {}
    for key in keys:
        first.setdefault(key, len(first))
    return [m for _, m in sorted(zip(keys, members), key=lambda pair: first[pair[0]])]
