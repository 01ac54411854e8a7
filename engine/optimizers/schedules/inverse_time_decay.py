"""``InverseTimeDecay``: the learning rate falls as 1 / (1 + rate · t)."""

from __future__ import annotations

from engine.optimizers.schedules.base import RateDecay


class InverseTimeDecay(RateDecay):
    """Keras 3's ``InverseTimeDecay``:

        p = step / decay_steps            (⌊step / decay_steps⌋ with staircase=True)
        lr(step) = initial_learning_rate / (1 + decay_rate · p)

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: > 0 (Keras's check).
        decay_rate: how fast it falls.
        staircase: decay in whole jumps rather than continuously.
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="InverseTimeDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def __call__(self, step) -> float:
        return float(self.initial_learning_rate) / (1.0 + float(self.decay_rate) * self.progress(step))
