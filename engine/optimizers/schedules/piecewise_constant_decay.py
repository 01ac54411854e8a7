"""``PiecewiseConstantDecay``: step decay — fixed rates between step boundaries."""

from __future__ import annotations

from engine.optimizers.schedules.base import LearningRateSchedule, check_number
from engine.wording import Wording


class PiecewiseConstantDecay(LearningRateSchedule):
    """Keras 3's ``PiecewiseConstantDecay`` (step decay), with boundaries b and values v:

        lr(step) = v[0]    if step ≤ b[0]
                   v[i]    if b[i-1] < step ≤ b[i]
                   v[-1]   if step > b[-1]

    Args:
        boundaries: strictly increasing step counts.
        values: one more rate than there are boundaries (Keras's check).
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        boundaries, values = _listed(name, "boundaries", boundaries), _listed(name, "values", values)
        if len(boundaries) != len(values) - 1:
            raise ValueError(Wording(
                "The length of boundaries should be 1 less than the length of values. Received: "
                "boundaries={boundaries} of length {boundaries_length}, and values={values} of length {values_length}.",
                boundaries=str(boundaries), boundaries_length=len(boundaries), values=str(values),
                values_length=len(values)))
        for b in boundaries:
            check_number(name, "boundaries", b)
        for v in values:
            check_number(name, "values", v)
        if any(b >= c for b, c in zip(boundaries, boundaries[1:])):
            raise ValueError(Wording("{name}: boundaries must be strictly increasing, got {boundaries}", name=name,
                                     boundaries=str(boundaries)))
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step) -> float:
        step = float(step)
        for boundary, value in zip(self.boundaries, self.values):
            if step <= boundary:
                return float(value)
        return float(self.values[-1])

    def get_config(self) -> dict:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


def _listed(name: str, arg: str, value) -> list:
    """``list(value)``, or a one-line ``ValueError`` if ``value`` is not a sequence (``boundaries=true``)."""
    try:
        return list(value)
    except TypeError:
        raise ValueError(Wording("{name}: {arg} must be a list of numbers, got {value}", name=name, arg=arg,
                                 value=repr(value))) from None
