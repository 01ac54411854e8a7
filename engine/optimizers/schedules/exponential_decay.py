"""``ExponentialDecay``: the learning rate shrinks by ``decay_rate`` every ``decay_steps`` steps."""

from __future__ import annotations

from engine.optimizers.schedules.base import RateDecay


class ExponentialDecay(RateDecay):
    """Keras 3's ``ExponentialDecay``:

        p = step / decay_steps            (⌊step / decay_steps⌋ with staircase=True)
        lr(step) = initial_learning_rate · decay_rate ^ p

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: > 0 (Keras's check).
        decay_rate: the factor per ``decay_steps`` steps.
        staircase: decay in whole jumps rather than continuously.
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="ExponentialDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def __call__(self, step) -> float:
        return float(self.initial_learning_rate) * float(self.decay_rate) ** self.progress(step)
