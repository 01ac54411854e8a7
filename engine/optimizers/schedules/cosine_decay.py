"""``CosineDecay`` (with linear warm-up) and ``CosineDecayRestarts`` (SGDR)."""

from __future__ import annotations

import math

from engine import checks
from engine.optimizers.schedules.base import LearningRateSchedule, check_number, check_steps


def cosine_factor(fraction: float, alpha: float) -> float:
    """``(1 - α) · ½ (1 + cos(π · fraction)) + α``: 1 at fraction 0, α at fraction 1."""
    return (1 - alpha) * (0.5 * (1.0 + math.cos(math.pi * fraction))) + alpha


class CosineDecay(LearningRateSchedule):
    """Keras 3's ``CosineDecay``, with an optional linear warm-up first.

    Without warm-up (``warmup_target=None``), with T = decay_steps:

        s = min(step, T)
        lr(step) = initial_learning_rate · ((1 - α) · ½ (1 + cos(π s / T)) + α)

    With warm-up to ``warmup_target`` over W = warmup_steps, s = min(step, W + T):

        s < W:   lr = (warmup_target - initial_learning_rate) · s / W + initial_learning_rate
        s ≥ W:   lr = warmup_target · ((1 - α) · ½ (1 + cos(π (s - W) / T)) + α)

    Defaults: alpha=0.0, warmup_target=None, warmup_steps=0.
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay", warmup_target=None,
                 warmup_steps=0):
        self.initial_learning_rate = check_number(name, "initial_learning_rate", initial_learning_rate)
        self.decay_steps = check_steps("decay_steps", decay_steps)
        self.alpha = check_number(name, "alpha", alpha)
        self.name = name
        checks.number(f"{name}: warmup_steps", warmup_steps, low=0, error=ValueError)
        self.warmup_steps = warmup_steps
        self.warmup_target = None if warmup_target is None else check_number(name, "warmup_target", warmup_target)

    def __call__(self, step) -> float:
        initial, decay_steps = float(self.initial_learning_rate), float(self.decay_steps)
        alpha = float(self.alpha)
        step = float(step)
        if self.warmup_target is None:
            return initial * cosine_factor(min(step, decay_steps) / decay_steps, alpha)
        target, warmup_steps = float(self.warmup_target), float(self.warmup_steps)
        step = min(step, decay_steps + warmup_steps)
        if step < warmup_steps:
            return (target - initial) * (step / warmup_steps) + initial
        return target * cosine_factor((step - warmup_steps) / decay_steps, alpha)

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "alpha": self.alpha, "name": self.name, "warmup_target": self.warmup_target,
                "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """Keras 3's ``CosineDecayRestarts`` (SGDR, Loshchilov & Hutter): cosine decays that restart.

    Period i lasts ``first_decay_steps · t_mul^i`` steps and starts at ``m_mul^i`` times the
    initial rate. With f = step / first_decay_steps:

        t_mul = 1:  i = ⌊f⌋,  f ← f - i
        otherwise:  i = ⌊log(1 - f (1 - t_mul)) / log t_mul⌋
                    f ← (f - (1 - t_mul^i) / (1 - t_mul)) / t_mul^i
        lr(step) = initial_learning_rate · ((1 - α) · m_mul^i · ½ (1 + cos(π f)) + α)

    Defaults: t_mul=2.0, m_mul=1.0, alpha=0.0.
    """

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0,
                 name="SGDRDecay"):
        self.initial_learning_rate = check_number(name, "initial_learning_rate", initial_learning_rate)
        self.first_decay_steps = check_steps("first_decay_steps", first_decay_steps)
        checks.number(f"{name}: t_mul", t_mul, low=0, low_open=True, error=ValueError)
        self.t_mul = t_mul
        self.m_mul = check_number(name, "m_mul", m_mul)
        self.alpha = check_number(name, "alpha", alpha)
        self.name = name

    def __call__(self, step) -> float:
        t_mul, alpha = float(self.t_mul), float(self.alpha)
        fraction = float(step) / float(self.first_decay_steps)
        if t_mul == 1.0:
            restart = math.floor(fraction)
            fraction -= restart
        else:
            restart = math.floor(math.log(1.0 - fraction * (1.0 - t_mul)) / math.log(t_mul))
            done = (1.0 - t_mul ** restart) / (1.0 - t_mul)
            fraction = (fraction - done) / t_mul ** restart
        decayed = 0.5 * float(self.m_mul) ** restart * (1.0 + math.cos(math.pi * fraction))
        return float(self.initial_learning_rate) * ((1 - alpha) * decayed + alpha)

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "first_decay_steps": self.first_decay_steps,
                "t_mul": self.t_mul, "m_mul": self.m_mul, "alpha": self.alpha, "name": self.name}
