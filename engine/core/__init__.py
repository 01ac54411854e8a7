"""The training core: one stepping machine for a solo run (a heat of one) and a race (heats of K).

``Stack`` holds K networks of one architecture and computes them as one; ``Heat`` steps a stack's
rows through Keras's ``fit`` loop in lockstep; every update reports a ``StepEvent``; ``status_text``
and ``rank`` say how a run ended and where it places.
"""

from engine.core.event import StepEvent
from engine.core.heat import Heat, Run
from engine.core.stack import Stack
from engine.core.standing import rank, ranks_by_metric, status_text

__all__ = ["Heat", "Run", "Stack", "StepEvent", "rank", "ranks_by_metric", "status_text"]
