"""``Callback``: the hooks Keras's training loop calls (``fit``), and a way to stop it."""

from __future__ import annotations


class Callback:
    """Keras 3's ``keras.callbacks.Callback``: override any hook.

    ``fit`` calls ``set_model`` first, then ``on_train_begin``; per epoch
    ``on_epoch_begin(epoch)``, ``on_train_batch_end(batch, logs)`` after every update and
    ``on_epoch_end(epoch, logs)``; finally ``on_train_end``. Epochs and batches are
    0-based, as in Keras. ``on_epoch_end`` gets the epoch's logs (``loss``, metrics,
    ``val_*``) as a dict that callbacks may add to: the history records what is in it after
    every callback has run (Keras's ``History`` is the last callback). ``on_train_batch_end``
    gets the ``StepEvent`` of the update (epoch, iteration, step, batch loss, …) as its logs.

    Setting ``self.model.stop_training = True`` ends ``fit`` after the current step.
    """

    model = None

    def set_model(self, model) -> None:
        self.model = model

    def on_train_begin(self, logs=None) -> None: ...

    def on_epoch_begin(self, epoch: int, logs=None) -> None: ...

    def on_train_batch_end(self, batch: int, logs=None) -> None: ...

    def on_epoch_end(self, epoch: int, logs=None) -> None: ...

    def on_train_end(self, logs=None) -> None: ...
