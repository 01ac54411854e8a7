"""``LambdaCallback``: a callback made of plain functions."""

from __future__ import annotations

from engine.callbacks.base import Callback

HOOKS = ("on_train_begin", "on_epoch_begin", "on_train_batch_end", "on_epoch_end", "on_train_end")


class LambdaCallback(Callback):
    """A callback from plain functions, e.g. ``LambdaCallback(on_epoch_end=lambda epoch, logs: …)``.

    Each function takes the hook's arguments (see ``Callback``)."""

    def __init__(self, **hooks):
        unknown = set(hooks) - set(HOOKS)
        if unknown:
            raise ValueError(f"unknown callback hooks: {', '.join(sorted(unknown))} (valid: {', '.join(HOOKS)})")
        for name, fn in hooks.items():
            setattr(self, name, fn)
