"""The learning rate over a run, as one line of text: the experiment panel's lr-vs-step curve."""

from __future__ import annotations

from tui import i18n

BLOCKS = "▁▂▃▄▅▆▇█"

FLAT = "━"
"""A constant rate: a flat line at mid height, as the plots' keys draw a line (a row of full blocks
read as an empty text field)."""


def lr_curve(optimizer, total_steps: int, width: int = 16) -> str:
    """``lr(step)`` for steps 0 … total_steps - 1 sampled at ``width`` points, drawn with block
    characters scaled to the largest rate (the lowest block is 0): e.g. ``▁▃▅▇█▇▆▄▂▁`` for a
    warm-up then cosine. A constant rate is a flat line of ``FLAT``."""
    schedule = optimizer.schedule
    if schedule is None or total_steps < 1:
        return FLAT * width
    steps = [round(i * (total_steps - 1) / max(width - 1, 1)) for i in range(width)]
    rates = [float(schedule(s)) for s in steps]
    top = max(rates)
    if not top > 0:
        return BLOCKS[0] * width
    return "".join(BLOCKS[min(max(int(r / top * (len(BLOCKS) - 1) + 0.5), 0), len(BLOCKS) - 1)] for r in rates)


def lr_summary(optimizer, total_steps: int) -> str:
    """``0 → 0.001 → 0`` for a schedule (first, peak, last rate over the run), ``0.001 throughout`` for a constant."""
    schedule = optimizer.schedule
    if schedule is None:
        return i18n.t("panel.throughout", rate=f"{optimizer.learning_rate:g}")
    first, last = float(schedule(0)), float(schedule(max(total_steps - 1, 0)))
    step = max(total_steps // 200, 1)
    peak = max(float(schedule(s)) for s in range(0, max(total_steps, 1), step))
    middle = f" → {peak:.3g}" if peak > max(first, last) else ""
    return f"{first:.3g}{middle} → {last:.3g}"
