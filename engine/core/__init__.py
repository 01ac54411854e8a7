"""The training core: one stepping machine for a solo run (a heat of one) and a race (heats of K).

``Stack`` holds K networks of one architecture and computes them as one; ``Heat`` steps a stack's
rows through Keras's ``fit`` loop in lockstep; every update reports a ``StepEvent``.
"""

from engine.core.event import StepEvent
from engine.core.heat import Heat, Run
from engine.core.stack import Stack

__all__ = ["Heat", "Run", "Stack", "StepEvent"]
