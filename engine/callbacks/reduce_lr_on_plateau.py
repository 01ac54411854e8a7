"""``ReduceLROnPlateau``: multiply the learning rate by ``factor`` when progress stalls."""

from __future__ import annotations

import warnings

import numpy as np

from engine.callbacks.monitor import MonitorCallback, check_count, check_real


class ReduceLROnPlateau(MonitorCallback):
    """Keras 3's ``keras.callbacks.ReduceLROnPlateau``. At the end of epoch e, first
    ``logs["learning_rate"]`` ← the optimizer's current rate (so the history has it), then
    with ``current = logs[monitor]``:

        in cooldown:   cooldown_counter ← cooldown_counter - 1, wait ← 0
        improvement:   best ← current, wait ← 0
        else if not in cooldown:
            wait ← wait + 1
            wait ≥ patience and lr > float32(min_lr):
                lr ← max(lr · factor, min_lr), cooldown_counter ← cooldown, wait ← 0

    Defaults: monitor="val_loss", factor=0.1, patience=10, mode="auto", min_delta=1e-4,
    cooldown=0, min_lr=0.0. ``factor ≥ 1`` is refused (Keras's check).
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto", min_delta=1e-4,
                 cooldown=0, min_lr=0.0, **kwargs):
        super().__init__(monitor, mode, min_delta=min_delta)
        check_real("ReduceLROnPlateau", "factor", factor)
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0. Received factor={factor}")
        self.factor = factor
        self.min_lr = check_real("ReduceLROnPlateau", "min_lr", min_lr)
        self.patience = check_count("ReduceLROnPlateau", "patience", patience)
        self.verbose = verbose
        self.cooldown = check_count("ReduceLROnPlateau", "cooldown", cooldown)
        self.cooldown_counter = 0
        self.wait = 0

    def _reset(self):
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0

    def _reduce_optimizer_lr(self, optimizer, epoch) -> bool:
        old_lr = float(optimizer.learning_rate)
        if old_lr > np.float32(self.min_lr):  # Keras compares with min_lr as a float32
            new_lr = max(old_lr * self.factor, self.min_lr)
            optimizer.learning_rate = new_lr
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new_lr}.")
            return True
        return False

    def on_train_begin(self, logs=None):
        self._reset()

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op(logs)
        logs = logs if logs is not None else {}
        logs["learning_rate"] = float(self.model.optimizer.learning_rate)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(f"Learning rate reduction is conditioned on metric `{self.monitor}` which is not "
                          f"available. Available metrics are: {','.join(list(logs.keys()))}.", stacklevel=2)
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience and self._reduce_optimizer_lr(self.model.optimizer, epoch):
                self.cooldown_counter = self.cooldown
                self.wait = 0

    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0
