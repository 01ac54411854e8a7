"""A race as a leaderboard (text rows) or as plain data (for ``race --json``).

How runs rank and how their state reads are ``engine.core.standing``'s (``rank``, ``status_text``),
re-exported here: the CLI, ``fit``'s output and the app all use them."""

from __future__ import annotations

import math

from engine.core.standing import rank, ranks_by_metric, status_text
from engine.race.contestant import Contestant
from engine.race.race import Race

__all__ = ["best_val_loss", "final", "leaderboard", "metric_key", "rank", "ranking_key", "ranks_by_metric",
           "run_dict", "status_text", "target_line", "to_dict"]


def ranking_key(race: Race):
    """How the contestants of ``race`` are ranked (``rank`` on each one's history)."""
    by_metric = ranks_by_metric(c.loss.name for c in race.contestants)

    def key(c: Contestant):
        return rank(c.status, final(c, "loss"), best_val_loss(c), metric_key(c), final(c, metric_key(c)), by_metric)
    return key


def metric_key(c: Contestant) -> str:
    """The history key of the metric shown: ``val_<metric>`` when there is validation."""
    return ("val_" if "val_loss" in c.history.history else "") + c.metric


def final(c: Contestant, key: str) -> float | None:
    values = c.history.history.get(key)
    return values[-1] if values else None


def best_val_loss(c: Contestant) -> float | None:
    values = [v for v in c.history.history.get("val_loss", []) if math.isfinite(v)]
    return min(values) if values else None


def leaderboard(race: Race, details: list[str | None] | None = None) -> list[str]:
    """The table: rank, label, learning rate, final loss, best val loss, metric, steps/examples/seconds to target, status
    (followed by ``details[c.index]`` when given, e.g. the saturation detail)."""
    ranked = sorted(race.contestants, key=ranking_key(race))
    metric = metric_key(race.contestants[0])
    targets = {c.target_loss for c in race.contestants}
    header = ["#", "contestant", "lr", "final loss", "best val loss", metric]
    if len(targets) > 1:
        header.append("target")
    header += ["steps→target", "examples→target", "s→target", "status"]
    rows = []
    for place, c in enumerate(ranked, 1):
        hit = c.reached
        row = [str(place), c.label, _rate(c.optimizer.learning_rate), _num(final(c, "loss")), _num(best_val_loss(c)),
               _num(final(c, metric_key(c)))]
        if len(targets) > 1:
            row.append(_num(c.target_loss))
        row += ["—" if hit is None else f"{hit.step:,}", "—" if hit is None else f"{hit.examples_seen:,}",
                "—" if hit is None else f"{hit.seconds:.3f}",
                status_text(c) + (f" · {details[c.index]}" if details and details[c.index] else "")]
        rows.append(row)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    left = {1, len(header) - 1}
    return [" ".join(cell.ljust(w) if i in left else cell.rjust(w)
                     for i, (cell, w) in enumerate(zip(r, widths))).rstrip() for r in [header, *rows]]


def target_line(race: Race, target_loss: float | None, fraction: float) -> str:
    if target_loss is not None:
        return f"target    loss ≤ {target_loss:g} (epoch training loss)"
    c = race.contestants[0]
    same = len({x.target_loss for x in race.contestants}) == 1
    detail = f" = {c.target_loss:.4f}" if same else ""
    return f"target    epoch loss ≤ {fraction:g} × initial loss{detail}"


def to_dict(race: Race, field: str | None = None, config=None, diagnostics=None) -> dict:
    """``{"config", "field", "runs": [...]}``: the base config the field was varied from (default:
    the first contestant's), the field, and one run per contestant in race order; with
    ``diagnostics`` (a ``DiagnosticsRecorder`` per contestant) each run also has ``diagnostics``
    (one entry per epoch), ``status_detail`` and ``saturation``, as ``run --json``."""
    runs = [run_dict(c) for c in race.contestants]
    for run, record in zip(runs, diagnostics or ()):
        run["status_detail"] = record.saturation.detail if record.saturation else None
        run["saturation"] = record.saturation.to_dict() if record.saturation else None
        run["diagnostics"] = [entry.to_dict() for entry in record.entries]
    return {"config": (config or race.config).to_dict(), "field": field, "runs": runs}


def run_dict(c: Contestant) -> dict:
    hit = c.reached
    return {
        "label": c.label,
        "settings": c.settings,
        "config": c.config.to_dict(),
        "history": c.history.history,
        "status": c.status,
        "diverged_at": list(c.diverged_at) if c.diverged_at else None,
        "iterations_per_epoch": c.iterations_per_epoch,
        "batch_size": c.batch_size,
        "steps": c.step,
        "examples_seen": c.examples_seen,
        "seconds": c.seconds,
        "initial_loss": c.initial_loss,
        "target_loss": c.target_loss,
        "steps_to_target": None if hit is None else hit.step,
        "examples_to_target": None if hit is None else hit.examples_seen,
        "seconds_to_target": None if hit is None else hit.seconds,
        "epochs_to_target": None if hit is None else hit.epoch,
    }


def _num(value) -> str:
    if value is None:
        return "—"
    if not math.isfinite(value):
        return str(value)
    return f"{value:.4f}" if abs(value) < 1e4 else f"{value:.3g}"


def _rate(value) -> str:
    """A learning rate as shown: ``0.01``; a schedule as ``schedule``."""
    return f"{value:g}" if isinstance(value, (int, float)) else "schedule"
