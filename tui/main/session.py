"""``Session``: the main view's experiment being trained — its ``Trainer``, diagnostics, and the driver that steps it.

Textual-free: the view's worker calls ``session.driver.drive`` in a thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine import Diagnostics, DiagnosticsRecorder, Experiment, core, export
from tui.driver import Driver, Length, Tick, solo


@dataclass(frozen=True, eq=False)
class Snapshot:
    """What a main-view report adds, taken in the driving thread between two steps."""

    status_text: str
    """The run's state in the engine's words (``diverged at epoch e, iteration i``)."""
    diagnostics: list[Diagnostics] = field(default_factory=list)
    """The per-epoch diagnostics of every epoch that ended since the last report."""
    inside: Diagnostics | None = None
    """What the optimizer carries now, per layer, with the saturation probe."""
    params: np.ndarray | None = None
    """A copy of the weights (what the map of what the network learned is drawn from)."""
    learning_rate: float | None = None
    """The rate of the next update (a schedule's value at the optimizer's step count)."""
    epochs: int | None = None
    """The run's length in epochs now (a change of length is made between two steps)."""


class Session:
    """An ``Experiment``, its ``Trainer``, and a ``Driver`` stepping it (the one-contestant case)."""

    def __init__(self, experiment: Experiment):
        self.experiment = experiment
        self.trainer = t = experiment.trainer()
        self.diagnostics = DiagnosticsRecorder(experiment.model, t.x, t.y, iterations_per_epoch=t.iterations_per_epoch)
        """Fed every step in the driving thread only; its numbers reach the UI in each report's ``Snapshot``."""
        self._diagnostics_sent = 0
        self.recorder = export.Recorder.of_trainer(t, experiment.config.to_dict())
        """Every update's batch loss and every epoch's logs (for ``o``, export), fed in the driving thread."""
        self.stoppers = experiment.callbacks()
        """The experiment's ``EarlyStopping`` (if on), fed each epoch's logs in the driving thread."""
        for stopper in self.stoppers:
            stopper.set_model(experiment.model)
            stopper.on_train_begin()
        self.learning_rate = float(t.model.optimizer.learning_rate)
        """The rate of the first update, read as the session is built (before any worker runs)."""
        self.driver = Driver(self._step, final_status=lambda: t.status if t.done else "paused", snapshot=self._snapshot)
        self._plain = solo(t)

    @property
    def generation(self) -> int:
        return self.driver.generation

    def set_hyperparameter(self, name: str, value) -> None:
        """``optimizer.<name> = value``, applied by the driving thread before its next step."""
        optimizer = self.trainer.model.optimizer
        self.driver.between_steps(lambda: setattr(optimizer, name, value))

    def set_epochs(self, epochs: int) -> Length | None:
        """Make the run ``epochs`` epochs long (``Trainer.set_epochs``: more continue it, fewer end it after the
        epoch in progress), between two steps. Made now when no drive runs: what the run has become; else
        ``None``, and the driving thread makes it before its next step (its reports say the new length)."""
        return self._change_length(lambda t: t.set_epochs(epochs))

    def extend(self, epochs: int) -> Length | None:
        """Train ``epochs`` more epochs (``Trainer.extend``, Keras's ``fit(initial_epoch=…)``), as ``set_epochs``."""
        return self._change_length(lambda t: t.extend(epochs))

    def _change_length(self, change) -> Length | None:
        t = self.trainer
        return self.driver.change_length(lambda: change(t), lambda: Length(t.epochs, t.done, t.step_count > 0))

    def _step(self, report_due: bool) -> Tick | None:
        if report_due:
            self.diagnostics.mark()  # a report may follow this step: its update_ratio is this update's
        tick = self._plain(report_due)
        if tick is not None:
            event = tick.events[0]
            self.diagnostics.observe(event)
            if event.epoch_logs is not None and self.stoppers and event.status == "running":
                model = self.experiment.model
                model.stop_training = False
                for stopper in self.stoppers:
                    stopper.on_epoch_end(event.epoch - 1, event.epoch_logs)
                if model.stop_training:  # EarlyStopping ends the run here, as it ends fit
                    self.trainer.stop()
                    event.status = "finished"
                    tick = Tick(tick.events, tick.epoch_done, True)
            self.recorder.runs[0].add(event)
        return tick

    def _snapshot(self, last) -> Snapshot:
        entries = self.diagnostics.entries
        fresh, self._diagnostics_sent = entries[self._diagnostics_sent:], len(entries)
        event, t = last[0], self.trainer
        inside = self.diagnostics.take(event.epoch if event is not None else None) if t.step_count else None
        return Snapshot(core.status_text(t), fresh, inside, t.model.params.copy(),
                        float(t.model.optimizer.learning_rate), t.epochs)
