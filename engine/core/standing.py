"""How a run stands: its state in words (``status_text``) and its place in a ranking (``rank``).

The one wording and the one ordering: ``fit``'s printed output, the race's leaderboard and JSON,
and the app's views all use these.
"""

from __future__ import annotations

import math

from engine.wording import Wording


class RunStatus:
    """``status``, ``diverged_at`` and ``done`` of anything that keeps a ``history`` (a run, a trainer):
    the ``History`` says how the run stands, these read it."""

    @property
    def status(self) -> str:
        """``"ready"``, ``"running"``, ``"finished"`` or ``"diverged"``."""
        return self.history.status

    @property
    def diverged_at(self) -> tuple[int, int] | None:
        """``(epoch, iteration)``, both 1-based, where it diverged (or ``None``)."""
        return self.history.diverged_at

    @property
    def done(self) -> bool:
        """Finished or diverged: it takes no more steps."""
        return self.history.status in ("finished", "diverged")


def status_text(run) -> str:
    """``ready``, ``running``, ``finished`` or ``diverged at epoch e, iteration i``: the one wording
    of a run's state, for anything with ``status`` and ``diverged_at`` (a ``History``, ``Trainer``,
    ``Contestant``, or a snapshot of one). Its counts are grouped as every counter's (``iteration 1,500``);
    ``diverged_at`` keeps the numbers (the JSON's)."""
    if run.status == "diverged" and run.diverged_at:
        e, i = run.diverged_at
        return Wording("diverged at epoch {epoch}, iteration {iteration}", epoch=f"{e:,}", iteration=f"{i:,}")
    return run.status


def ranks_by_metric(loss_names) -> bool:
    """Whether a race ranks by its metric: when the contestants' losses differ, their values are
    not comparable."""
    return len(set(loss_names)) > 1


def rank(status: str, loss: float | None, best_val_loss: float | None, metric: str,
         metric_value: float | None, by_metric: bool) -> tuple[bool, float]:
    """The sort key of one contestant (smaller ranks higher): diverged last; then its best
    ``val_loss`` (final ``loss`` without validation), or with ``by_metric`` its final metric
    (``metric`` is its history key; accuracies rank higher when larger). No value ranks last.
    """
    if by_metric:
        value = metric_value
        if value is not None and metric.endswith("accuracy"):
            value = -value
    else:
        value = loss if best_val_loss is None else best_val_loss
    return status == "diverged", math.inf if value is None or math.isnan(value) else value
