"""``LearningRateScheduler``: set the learning rate at the start of every epoch from a function."""

from __future__ import annotations

import numpy as np

from engine.callbacks.base import Callback


class LearningRateScheduler(Callback):
    """Keras 3's ``keras.callbacks.LearningRateScheduler``.

    At the start of epoch e (0-based): ``lr ← schedule(e, lr)`` (or ``schedule(e)`` when the
    function takes one argument — Keras retries on ``TypeError``); the result must be a
    float (Python or NumPy float32/64; an int is refused, as in Keras). At the end of the
    epoch, ``logs["learning_rate"]`` ← the optimizer's rate, so the history records it.
    """

    def __init__(self, schedule, verbose=0):
        if not callable(schedule):
            raise ValueError(f"LearningRateScheduler needs a function (epoch, lr) -> lr, got {schedule!r}")
        self.schedule = schedule
        self.verbose = verbose

    def _update_optimizer_lr(self, optimizer, epoch) -> float:
        try:
            learning_rate = self.schedule(epoch, float(optimizer.learning_rate))
        except TypeError:  # Keras's fallback for the old one-argument form
            learning_rate = self.schedule(epoch)
        if not isinstance(learning_rate, (float, np.float32, np.float64)):
            raise ValueError(f"The output of the `schedule` function should be a float. Got: {learning_rate}")
        optimizer.learning_rate = float(learning_rate)
        return learning_rate

    def on_epoch_begin(self, epoch, logs=None):
        learning_rate = self._update_optimizer_lr(self.model.optimizer, epoch)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {learning_rate}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = float(self.model.optimizer.learning_rate)
