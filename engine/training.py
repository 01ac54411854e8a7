"""``Trainer``: Keras's ``fit`` as a step machine — one iteration at a time, pausable anywhere."""

from __future__ import annotations

import math
import sys
import time
from typing import TYPE_CHECKING

import numpy as np

from engine import batching, budget, checks, run_length
from engine.batching import fit_batch_size, validation_split_index
from engine.callbacks import Callback
from engine.core.event import StepEvent
from engine.core.heat import Heat, Run
from engine.core.standing import RunStatus, status_text
from engine.history import History
from engine.sample_weights import check_sample_weight, class_weight_to_sample_weights

if TYPE_CHECKING:
    from engine.model import Sequential


class Trainer(RunStatus):
    """Runs Keras's ``fit`` loop for ``model`` one update at a time.

    ``step()`` performs one iteration and returns a ``StepEvent`` (``None`` once the
    run has ended); ``run_epoch()`` finishes the current epoch; ``fit()`` runs to the
    end like ``model.fit``. Between any two calls the caller may pause, change a
    hyperparameter (``model.optimizer.learning_rate = …`` applies from the next step),
    or stop. Counters: ``epoch`` (completed epochs), ``iteration`` (completed
    iterations in the current epoch), ``step_count``, ``examples_seen``; state: ``status``,
    ``diverged_at``, ``done`` (as ``history`` says).

    The step itself is the training core's: the run is a ``Heat`` of one (the model's own
    one-row ``Stack``), exactly what a race runs for each group of contestants.
    """

    def __init__(self, model: Sequential, x, y, *, batch_size: int | None = None, epochs: int = 1,
                 validation_split: float = 0.0, validation_data=None, shuffle: bool = True,
                 class_weight=None, sample_weight=None, initial_epoch: int = 0, seed: int | None = None):
        model.require_compiled()
        checks.whole_number("epochs", epochs, minimum=1, error=ValueError)
        self.batch_size = fit_batch_size(batch_size)
        x = model.as_features(x)
        y = np.asarray(y)
        if len(x) != len(y):
            raise ValueError(f"x has {len(x)} samples but y has {len(y)}")
        if len(x) == 0:
            raise ValueError("no samples to train on")
        if not np.all(np.isfinite(x)):
            raise ValueError("x contains NaN or infinite values")
        if class_weight is not None and sample_weight is not None:
            raise ValueError("Arguments `sample_weight` and `class_weight` cannot be specified at the same time.")
        if sample_weight is not None:
            sample_weight = check_sample_weight(sample_weight, len(x))
        split_at = validation_split_index(len(x), validation_split) if validation_split else len(x)
        if validation_split:  # Keras slices x, y and sample_weight at the same point
            validation_data = (x[split_at:], y[split_at:]) + (
                () if sample_weight is None else (sample_weight[split_at:],))
            sample_weight = None if sample_weight is None else sample_weight[:split_at]
        x, y = np.ascontiguousarray(x[:split_at]), y[:split_at]  # C order: the core's products call BLAS on it as it is
        if class_weight is not None:  # training samples only, from their labels (Keras's data adapter)
            sample_weight = class_weight_to_sample_weights(y, class_weight)
        budget.check_model([layer.units for layer in model.layers], x.shape[1], model.optimizer,
                           samples=len(x) + _validation_size(validation_data), train_size=len(x),
                           batch_size=self.batch_size, target_columns=y.shape[1] if y.ndim > 1 else 1)
        if not model.built or (model.fresh and seed is not None):
            model.build(x.shape[1], seed=seed)
        model.fresh = False
        self.model = model
        self.x = x
        self.y = model.loss.prepare(y, np.zeros((len(y), model.output_units)))
        self.sample_weight = sample_weight
        """``(N,)`` weights of the training samples (from ``sample_weight`` or ``class_weight``), or None."""
        self.validation = None
        if validation_data is not None:
            self.validation = self.validation_arrays(validation_data)
        sparse = getattr(model.loss, "targets", "") == "integer"
        self.metrics = model.resolve_metrics(sparse)
        self.epochs = int(epochs)
        self.shuffle = bool(shuffle)
        self.seed = seed
        self.n = len(x)
        self.iterations_per_epoch = batching.iterations_per_epoch(self.n, self.batch_size)
        self.last_batch_size = batching.last_batch_size(self.n, self.batch_size)
        self.run = Run(model, self)
        """The run's state in the training core (counters, ``history``)."""
        self.history: History = self.run.history
        self.run.epoch = int(initial_epoch)
        self.history.status = "ready" if self.run.epoch < self.epochs else "finished"
        self.seconds = 0.0
        self._heat = Heat([self.run], model.stack, self)
        self._events: list[StepEvent | None] = [None]
        self._rng = np.random.default_rng(None if seed is None else [seed, 1])
        self._xs = self.x

    def validation_arrays(self, validation_data) -> tuple:
        """``(x, y)`` or ``(x, y, sample_weight)`` ready for the model (``y`` prepared for the loss)."""
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
            raise ValueError("validation_data must be (x, y) or (x, y, sample_weight)")
        vx, vy, *vw = validation_data
        vx = self.model.as_features(vx)
        if len(vx) != len(vy):
            raise ValueError(f"validation x has {len(vx)} samples but y has {len(vy)}")
        arrays = (vx, self.model.loss.prepare(vy, np.zeros((len(vx), self.model.output_units))))
        if vw and vw[0] is not None:
            arrays += (check_sample_weight(vw[0], len(vx), "validation sample_weight"),)
        return arrays

    # -- state -------------------------------------------------------------------------
    @property
    def epoch(self) -> int:
        """Completed epochs."""
        return self.run.epoch

    @property
    def iteration(self) -> int:
        """Completed iterations in the current epoch."""
        return self.run.iteration

    @property
    def step_count(self) -> int:
        """Updates so far."""
        return self.run.step

    @property
    def examples_seen(self) -> int:
        return self.run.examples_seen

    @property
    def total_steps(self) -> int:
        return self.epochs * self.iterations_per_epoch

    def extend(self, epochs: int) -> None:
        """Train ``epochs`` more epochs: Keras's ``fit(epochs=self.epochs + epochs, initial_epoch=self.epochs)``.

        The model, the optimizer's state and iteration count, the epoch numbering and the batch-order
        stream all carry on, so a run of E epochs extended by F gives bit for bit the numbers of one
        run of E + F epochs. A diverged run cannot continue (``ValueError``); reset it instead.
        """
        checks.whole_number("epochs", epochs, minimum=1, error=ValueError)
        if self.status == "diverged":
            raise ValueError("a diverged run cannot continue: reset it")
        self.set_epochs(self.epochs + int(epochs))

    def set_epochs(self, epochs: int) -> int:
        """Make the run ``epochs`` epochs long, between any two steps (``engine.run_length``): more
        continue it as ``extend`` does; fewer than it has started end it at the end of the epoch in
        progress. Returns the length it now has (``self.epochs``)."""
        self.epochs = run_length.set_length(self.run, epochs)
        return self.epochs

    # -- stepping ----------------------------------------------------------------------
    def batch_order(self) -> np.ndarray:
        """Draw the sample order for the next epoch (identity when not shuffling)."""
        return self._rng.permutation(self.n) if self.shuffle else np.arange(self.n)

    def step(self) -> StepEvent | None:
        """Run one iteration; ``None`` if the run has already ended."""
        if self.done:
            return None
        started = time.perf_counter()
        with np.errstate(all="ignore"):
            event = self._step()
        self.seconds += time.perf_counter() - started
        return event

    def _step(self) -> StepEvent:
        order = None
        if self._heat.iteration == 0 and self.shuffle:
            order = self.batch_order()
            self._xs = self.x.take(order, axis=0)  # x[order], a tenth of the cost
        self._heat.step(self._xs, order, self._events)
        return self._events[0]

    def stop(self) -> None:
        """End the run after the current step, as ``model.stop_training`` ends ``fit``: it is finished."""
        if not self.done:
            self.history.status = "finished"

    def run_epoch(self) -> list[StepEvent]:
        """Finish the current epoch (or run a whole one from its start)."""
        events = []
        while not self.done:
            event = self.step()
            events.append(event)
            if event.epoch_logs is not None:
                break
        return events

    def fit(self, verbose="auto", callbacks: list[Callback] | None = None) -> History:
        """Run to the end (or until a callback sets ``model.stop_training``)."""
        callbacks = list(callbacks or [])
        if verbose == "auto":
            verbose = 1
        if verbose:
            callbacks.append(ProgressPrinter(self))
        model = self.model
        model.stop_training = False
        for cb in callbacks:
            cb.set_model(model)
            cb.on_train_begin()
        logs = None
        started = time.perf_counter()
        with np.errstate(all="ignore"):
            while not self.done and not model.stop_training:
                if self.iteration == 0:
                    for cb in callbacks:
                        cb.on_epoch_begin(self.epoch)
                event = self._step()
                for cb in callbacks:
                    cb.on_train_batch_end(event.iteration - 1, event)
                if event.epoch_logs is not None:
                    logs = event.epoch_logs
                    for cb in callbacks:
                        cb.on_epoch_end(event.epoch - 1, logs)
                    self.history.add_late_keys(logs)
        self.seconds += time.perf_counter() - started
        if not self.done:
            self.history.status = "finished"
        for cb in callbacks:
            cb.on_train_end(logs)
        return self.history


def _validation_size(validation_data) -> int:
    """Samples in ``validation_data`` (``(x, y[, w])``; 0 if absent, or malformed: ``validation_arrays`` says so)."""
    if isinstance(validation_data, (tuple, list)) and len(validation_data) in (2, 3):
        return len(validation_data[0])
    return 0


def format_number(value: float) -> str:
    """4 decimals, or 4 significant digits in scientific notation when that would hide the value."""
    if value != 0 and not 1e-3 <= abs(value) < 1e5:
        return f"{value:.4g}" if not math.isfinite(value) else f"{value:.3e}"
    return f"{value:.4f}"


def format_logs(logs: dict[str, float]) -> str:
    """``accuracy: 0.9500 · loss: 0.1234 · val_loss: …`` in Keras's order."""
    return " · ".join(f"{k}: {format_number(v)}" for k, v in logs.items())


class ProgressPrinter(Callback):
    """Prints ``Epoch 3/10 · 63/63 · loss: …`` after every epoch (Keras's verbose output)."""

    def __init__(self, trainer: Trainer, stream=None):
        self.trainer = trainer
        self.stream = stream or sys.stdout

    def on_epoch_end(self, epoch, logs):
        t = self.trainer
        print(f"Epoch {epoch + 1}/{t.epochs} · {t.iterations_per_epoch}/{t.iterations_per_epoch} · "
              f"{format_logs(logs)}", file=self.stream)

    def on_train_end(self, logs=None):
        history = self.trainer.history
        if history.status == "diverged":
            print(status_text(history), file=self.stream)
