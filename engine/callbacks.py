"""Keras-style callbacks: hooks the training loop calls, and a way to stop it."""

from __future__ import annotations


class Callback:
    """Override any hook. ``self.model.stop_training = True`` ends ``fit`` after the current step.

    ``on_train_batch_end`` receives the ``StepEvent`` of the update as its ``logs``
    (epoch, iteration, step, examples seen, batch loss, …).
    """

    model = None

    def set_model(self, model) -> None:
        self.model = model

    def on_train_begin(self) -> None: ...

    def on_epoch_begin(self, epoch: int) -> None: ...

    def on_train_batch_end(self, batch: int, logs) -> None: ...

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None: ...

    def on_train_end(self, history) -> None: ...


class LambdaCallback(Callback):
    """A callback from plain functions, e.g. ``LambdaCallback(on_epoch_end=lambda e, logs: …)``."""

    def __init__(self, **hooks):
        unknown = set(hooks) - {"on_train_begin", "on_epoch_begin", "on_train_batch_end",
                                "on_epoch_end", "on_train_end"}
        if unknown:
            raise ValueError(f"unknown callback hooks: {', '.join(sorted(unknown))}")
        for name, fn in hooks.items():
            setattr(self, name, fn)
