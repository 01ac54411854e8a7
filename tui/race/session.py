"""``RaceSession``: a line-up being raced — its ``Race``, the driver that steps it, and the standings it reports.

Textual-free. The race view's worker calls ``session.driver.drive`` in a thread; each report carries
``Standings`` taken in that thread between two steps, so the view never reads the race while it runs.
Words and order are the engine's (``engine.core.status_text`` and ``engine.core.rank``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from engine import (ConfigError, Diagnostics, DiagnosticsRecorder, ExperimentConfig, Wording, checks, core, export, race,
                    sharing)
from tui.colors import optimizer_colors
from tui.driver import Driver, Length, Tick, racing

DEFAULT_LINE_UP = tuple((name, None) for name in race.DEFAULT_OPTIMIZERS)
"""The race view's line-up when none is given: the default optimizers, each at its own default rate."""


@dataclass(frozen=True)
class Standing:
    """Where one contestant stands, as the driving thread saw it between two steps."""

    index: int
    label: str
    metric: str
    """History key of the metric shown: ``val_<metric>`` when there is validation, else ``<metric>``."""
    status: str
    status_text: str
    """``running``, ``finished``, ``diverged at epoch e, iteration i`` — the engine's report's words."""
    epoch: int
    step: int
    examples_seen: int
    seconds: float
    steps_to_target: int | None
    loss: float | None
    """Last epoch's training loss (``None`` before the first epoch ends)."""
    batch_loss: float | None
    """Last update's batch loss."""
    best_val_loss: float | None
    metric_value: float | None
    detail: str | None = None
    """What else the status says: the saturation finding (``saturated: outputs pinned at the 1e-7 clip``);
    ``status_text`` already ends with it."""
    learning_rate: float | None = None
    """The contestant's learning rate now (``None`` for a schedule): the default race gives each
    optimizer its own Keras default, which the leaderboard shows."""


@dataclass(frozen=True, eq=False)
class Standings:
    """Every contestant's standing (race order) and the engine's ranking of them.

    Compared by identity (``eq=False``): each report's is a new state, and its weights are arrays."""

    rows: tuple[Standing, ...] = ()
    order: tuple[int, ...] = ()
    """Contestant indices, best first, as the engine ranks them (``engine.core.rank``)."""
    epoch: int = 0
    """Race epochs completed."""
    diagnostics: tuple[tuple[Diagnostics, ...], ...] = ()
    """Per contestant, the per-epoch diagnostics of its epochs that ended since the last report."""
    weights: tuple[np.ndarray, ...] = ()
    """Per contestant, a copy of its weights (for its map of what it learned)."""
    epochs: int = 0
    """The race's length in epochs (a change of length is made between two steps)."""

    def ranked(self) -> list[Standing]:
        by_index = {s.index: s for s in self.rows}
        return [by_index[i] for i in self.order]


def rate_of(optimizer: str) -> Wording:
    """What a contestant's own learning rate is called in a refusal: ``adam learning rate``."""
    return Wording("{optimizer} {name}", optimizer=optimizer, name="learning rate")


def own_rate(optimizer: str, lr: float | None) -> float | None:
    """A contestant's own learning rate as a line-up takes it: ``None`` (its default) or a number > 0;
    ``ConfigError`` (one line) otherwise."""
    return None if lr is None else checks.number(rate_of(optimizer), lr, low=0, low_open=True)


def line_up(base: ExperimentConfig, field_name: str, values: Sequence) -> list[race.Entry]:
    """The contestants' entries: ``base`` with ``field_name`` varied over ``values``.

    For ``"optimizer"`` the values are ``(name, learning_rate or None)`` pairs: each optimizer
    at its Keras defaults (the main view's optimizer options do not carry over), with its own
    learning rate if given. Other fields, and optimizers with settings of their own (a setup file's
    ``sgd:momentum=0.5``), take the comma-separated text ``race --field`` takes.
    Raises ``ConfigError`` (one line) for anything unusable.
    """
    if field_name == "optimizer" and not isinstance(values, str):
        if not values:
            raise ConfigError(Wording("pick at least one optimizer"))
        result = []
        for name, lr in values:
            own_rate(name, lr)
            config = base.replace(optimizer=name, learning_rate=lr, optimizer_options={})
            result.append(race.Entry(name if lr is None else f"{name} lr={lr:g}", config))
        return result
    text = values if isinstance(values, str) else ",".join(map(str, values))
    return race.entries(base, field_name, race.parse_values(field_name, text))


def race_values(base: ExperimentConfig, setup: sharing.RaceSetup):
    """A race setup's values as the race view lines them up: optimizers as (name, learning rate) pairs,
    the base config's learning rate applying to each, as in ``python -m engine race``; the setup's text
    when an optimizer has settings besides its learning rate (``sgd:momentum=0.5``), raced as the CLI does."""
    if setup.field != "optimizer":
        return setup.text()
    pairs = []
    for name, options in race.parse_values("optimizer", setup.text()):
        if set(options) - {"learning_rate"}:
            return setup.text()
        pairs.append((name, options.get("learning_rate", base.learning_rate)))
    return pairs


def _rate(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None


class RaceSession:
    """A ``Race`` of a line-up and its ``Driver``."""

    def __init__(self, base: ExperimentConfig, field_name: str, values: Sequence, target_loss: float | None = None):
        self.base, self.field = base, field_name
        self.values = values if isinstance(values, str) else list(values)
        self.target_loss = target_loss
        """The loss every contestant races to (a setup file's ``target_loss``); ``None``: half its own initial loss."""
        self.entries = line_up(base, field_name, self.values)
        self.race = race.Race(self.entries, target_loss=target_loss)
        self.colors = tuple(optimizer_colors([c.config.optimizer for c in self.race.contestants]))
        """Per contestant (race order), its colour: its optimizer's, the same as in the surface view."""
        self.labels = tuple(c.label for c in self.race.contestants)
        """Per contestant, its label (``adam``, ``lr=0.1``, ``B=32``)."""
        self.epoch_lengths = tuple(c.iterations_per_epoch for c in self.race.contestants)
        """Per contestant, its updates an epoch (a race of batch sizes: one each), fixed as the race is built."""
        self.targets = tuple(c.target_loss for c in self.race.contestants)
        """Per contestant, the loss it races to, fixed as the race is built (the view never reads the race)."""
        self.diagnostics = [DiagnosticsRecorder(c, self.race.x, self.race.targets[c.index],
                                                iterations_per_epoch=c.iterations_per_epoch)
                            for c in self.race.contestants]
        """One per contestant, fed its updates in the driving thread only; reported in ``Standings``."""
        self._diagnostics_sent = [0] * len(self.diagnostics)
        self.recorder = export.Recorder.of_race(self.race, field_name, base.to_dict())
        """Every contestant's updates and epochs (for ``o``, export), fed in the driving thread."""
        self._plain = racing(self.race)
        self.driver = Driver(self._step, len(self.race.contestants), snapshot=self._snapshot,
                             final_status=lambda: "finished" if self.race.done else "paused")
        self._best_val: list[float | None] = [None] * len(self.race.contestants)
        self._val_seen = [0] * len(self.race.contestants)
        self._by_metric = core.ranks_by_metric(c.loss.name for c in self.race.contestants)

    def restarted(self) -> "RaceSession":
        """The same line-up from the start: same seed, same initial weights, same batch order."""
        return RaceSession(self.base, self.field, self.values, self.target_loss)

    def set_epochs(self, epochs: int) -> Length | None:
        """The race's length in epochs (``Race.set_epochs``): more continue it, fewer than it has started end
        it after the epoch in progress; while it trains, the driving thread makes the change before its next
        step (its reports say the new length). A restart keeps the new length. ``ConfigError`` (one line) for a
        length the config refuses. Made now (no drive running): what the race has become."""
        self.base = self.base.replace(epochs=epochs).validate()
        return self._change_length(lambda: self.race.set_epochs(epochs))

    def extend(self, epochs: int) -> Length | None:
        """Race ``epochs`` more epochs (``Race.extend``: every contestant that has not diverged), as ``set_epochs``."""
        return self._change_length(lambda: self.race.extend(epochs))

    def _change_length(self, change) -> Length | None:
        r = self.race
        return self.driver.change_length(change, lambda: Length(r.epochs, r.done, r.race_step > 0))

    @property
    def contestants(self):
        return self.race.contestants

    @property
    def generation(self) -> int:
        return self.driver.generation

    @property
    def done(self) -> bool:
        return self.race.done

    def scale_learning_rates(self, factor: float, standings: Standings) -> tuple[list[int], Standings | None]:
        """Multiply the learning rate of every contestant that has not diverged and is not on a schedule, as
        ``standings`` (the view's last report) says, by ``factor``: applied by the driving thread before its
        next step (a finished race's when it trains more), to those that still have not diverged then.
        Returns their indices, and, when no drive was running (a paused or finished race: the change is made
        now and no report will follow), ``standings`` with each contestant's learning rate as it now is;
        else ``None`` (the drive's next report has them)."""
        scaled = [s.index for s in standings.rows if s.status != "diverged" and s.learning_rate is not None]
        contestants = self.race.contestants

        def change() -> None:
            for k in scaled:
                c = contestants[k]
                if c.status != "diverged":
                    c.optimizer.learning_rate = float(c.optimizer.learning_rate) * factor
        if not scaled or not self.driver.between_steps(change):
            return scaled, None
        rows = tuple(replace(s, learning_rate=float(contestants[s.index].optimizer.learning_rate))
                     if s.index in scaled else s for s in standings.rows)
        return scaled, replace(standings, rows=rows)  # read now: no thread steps the race

    def _step(self, report_due: bool) -> Tick | None:
        tick = self._plain(report_due)
        if tick is not None:
            for event, recorder, run in zip(tick.events, self.diagnostics, self.recorder.runs):
                if event is not None:
                    recorder.observe(event)
                    run.add(event)
        return tick

    def _snapshot(self, last: Sequence) -> Standings:
        """The standings with what each contestant carries: its new per-epoch diagnostics, a copy of
        its weights, and (probed now) whether it is saturated."""
        fresh = []
        for i, (c, recorder) in enumerate(zip(self.race.contestants, self.diagnostics)):
            entries = recorder.entries
            fresh.append(tuple(entries[self._diagnostics_sent[i]:]))
            self._diagnostics_sent[i] = len(entries)
            if c.step:
                recorder.take()  # the saturation probe, for the standing's detail
        standings = self.standings(last)
        return Standings(standings.rows, standings.order, standings.epoch, tuple(fresh),
                         tuple(c.params.copy() for c in self.race.contestants), standings.epochs)

    def standings(self, last: Sequence = ()) -> Standings:
        """Every contestant's standing now (call from the driving thread, or when it is idle);
        ``last``: each contestant's latest update, for its batch loss."""
        rows = tuple(self._standing(c, last[c.index] if c.index < len(last) else None)
                     for c in self.race.contestants)
        by_metric = self._by_metric
        ranked = sorted(rows, key=lambda s: core.rank(s.status, s.loss, s.best_val_loss, s.metric, s.metric_value,
                                                      by_metric))
        return Standings(rows, tuple(s.index for s in ranked), self.race.epoch, epochs=self.race.epochs)

    def _standing(self, c, last) -> Standing:
        history = c.history.history
        metric = ("val_" if "val_loss" in history else "") + c.metric
        losses = history.get("loss")
        metrics = history.get(metric)
        saturation = self.diagnostics[c.index].saturation
        detail = saturation.detail if saturation is not None else None
        status_text = Wording("{state} · {detail}", state=core.status_text(c), detail=detail) if detail else core.status_text(c)
        return Standing(c.index, c.label, metric, c.status, status_text, c.epoch, c.step, c.examples_seen,
                        c.seconds, None if c.reached is None else c.reached.step,
                        losses[-1] if losses else None, None if last is None else last.loss,
                        self._best_val_loss(c), metrics[-1] if metrics else None, detail,
                        _rate(c.optimizer.learning_rate))

    def _best_val_loss(self, c) -> float | None:
        """The lowest finite ``val_loss`` so far (as ``engine.race.report.best_val_loss``), folded in as epochs
        end: the report's own reads the whole history, which grows by one value an epoch."""
        values = c.history.history.get("val_loss", ())
        new = [v for v in values[self._val_seen[c.index]:] if math.isfinite(v)]
        self._val_seen[c.index] = len(values)
        if new:
            best = self._best_val[c.index]
            self._best_val[c.index] = min(new) if best is None else min(best, *new)
        return self._best_val[c.index]
