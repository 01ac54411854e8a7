"""``EarlyStopping``: stop training when the monitored quantity has stopped improving."""

from __future__ import annotations

import warnings

from engine.callbacks.monitor import MonitorCallback, check_count, check_real


class EarlyStopping(MonitorCallback):
    """Keras 3's ``keras.callbacks.EarlyStopping``. At the end of epoch e (0-based), with
    ``current = logs[monitor]`` (skipped while e < start_from_epoch or when it is missing):

        wait ← wait + 1
        improvement over best (see MonitorCallback):
            best ← current, best_epoch ← e, best weights ← the model's weights
            wait ← 0 unless a baseline is set and current does not improve on it
        otherwise, if wait ≥ patience and e > 0:
            stopped_epoch ← e, stop training

    With ``restore_best_weights`` the first monitored epoch's weights count as the best
    so far, and ``on_train_end`` puts the best epoch's weights back into the model.

    Defaults: monitor="val_loss", min_delta=0, patience=0, mode="auto", baseline=None,
    restore_best_weights=False, start_from_epoch=0.
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto", baseline=None,
                 restore_best_weights=False, start_from_epoch=0):
        super().__init__(monitor, mode, min_delta=min_delta)
        self.patience = check_count("EarlyStopping", "patience", patience)
        self.verbose = verbose
        self.baseline = None if baseline is None else check_real("EarlyStopping", "baseline", baseline)
        self.wait = 0
        self.stopped_epoch = 0
        self.restore_best_weights = bool(restore_best_weights)
        self.best_weights = None
        self.best_epoch = 0
        self.start_from_epoch = check_count("EarlyStopping", "start_from_epoch", start_from_epoch)

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op(logs)
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs):
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(f"Early stopping conditioned on metric `{self.monitor}` which is not available. "
                          f"Available metrics are: {','.join(list(logs.keys()))}", stacklevel=2)
        return value


class _Watch:
    """The model a ``StopWatch`` hands ``EarlyStopping``: it only needs ``stop_training``."""

    stop_training = False

    def get_weights(self):
        return None


class StopWatch:
    """``EarlyStopping`` watching epoch logs as they come, without stopping anything: where it
    stops (``stopped_epoch``, 0-based, None until it would) and the best epoch so far. The app
    marks both on its loss plot, whether early stopping is on (the run ends there) or off."""

    def __init__(self, monitor: str = "val_loss", patience: int = 0, **kwargs):
        self.stopper = EarlyStopping(monitor=monitor, patience=patience, **kwargs)
        self.stopper.set_model(_Watch())
        self.stopper.on_train_begin()
        self.stopped_epoch: int | None = None

    @property
    def best_epoch(self) -> int | None:
        return self.stopper.best_epoch if self.stopper.best is not None else None

    def observe(self, epoch: int, logs: dict[str, float]) -> None:
        """Epoch ``epoch``'s (0-based) logs; nothing changes once it has stopped."""
        if self.stopped_epoch is None and self.stopper.monitor in logs:
            self.stopper.on_epoch_end(epoch, logs)
            if self.stopper.model.stop_training:
                self.stopped_epoch = epoch


def replay(history: dict[str, list[float]], monitor: str = "val_loss", patience: int = 0,
           **kwargs) -> tuple[int | None, int | None]:
    """Where ``EarlyStopping(monitor, patience, **kwargs)`` would have stopped a run whose epoch logs
    were ``history`` (a ``History.history``): ``(stopped_epoch, best_epoch)``, 0-based; ``stopped_epoch``
    is None if it would not have stopped within these epochs, ``best_epoch`` None if nothing was monitored.
    The same callback does it, epoch by epoch, so it is what a run with early stopping on would do."""
    watch = StopWatch(monitor, patience, **kwargs)
    for epoch in range(len(history.get(monitor, []))):
        watch.observe(epoch, {name: series[epoch] for name, series in history.items() if epoch < len(series)})
        if watch.stopped_epoch is not None:
            break
    return watch.stopped_epoch, watch.best_epoch
