"""AdamW: Adam with decoupled weight decay on by default (Keras ``'adamw'``)."""

from __future__ import annotations

from engine.optimizers.adam import Adam
from engine.wording import Wording


class AdamW(Adam):
    """Keras 3 AdamW: before Adam's step (see ``Adam``), the base ``apply`` decays the weights

        θ ← θ - θ · weight_decay · lr

    Defaults: learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
    epsilon=1e-7, amsgrad=False. ``weight_decay`` is required (None is refused).
    """

    name = "adamw"

    def __init__(self, learning_rate: float = 0.001, weight_decay: float = 0.004, beta_1: float = 0.9,
                 beta_2: float = 0.999, epsilon: float = 1e-7, amsgrad: bool = False, **kwargs):
        if weight_decay is None:
            raise ValueError(Wording("adamw needs a weight_decay (a finite number ≥ 0), got None"))
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
                         amsgrad=amsgrad, weight_decay=weight_decay, **kwargs)

    def hyperparameters(self):
        base = super().hyperparameters()
        return {"learning_rate": base.pop("learning_rate"), "weight_decay": self.weight_decay, **base}
