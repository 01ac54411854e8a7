"""What the network learned, as a picture: RGB pixels for ``PixelCanvas`` (Textual-free).

Three pictures, chosen by the data (``kind``):

    plane    2 input features: the model's output over the input plane, one batched
             ``predict`` on the pixel centres. Binary: P(class 1) shaded from the class-0
             colour (p = 0) through the background (p = ½) to the class-1 colour (p = 1).
             Multi-class: the predicted class's colour, stronger with its confidence
             (max p − 1/K) / (1 − 1/K). Regression: the value on a colour ramp.
    curve    1 input feature, regression: the fitted curve ŷ(x) over the points.
    scatter  otherwise (a CSV with more features): prediction against target, with the
             diagonal ŷ = y (classification: P(true class) against the label, jittered).

Training points are drawn as pixels in their class colour (at most one pixel in
``1 / POINT_SHARE``, an even subsample, so the shading stays visible); validation points as
``+`` marks. ``Picture.values`` keeps the raw predictions the pixels were shaded from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from tui import i18n
from tui.widgets.heatmap import shade
from tui.widgets.pixels import Mark, draw_polyline

BACKGROUND = np.array([30, 33, 40], dtype=np.float64)
"""The map's neutral colour (p = ½, or no confidence)."""
CLASS_COLORS = np.array([(229, 160, 80), (80, 160, 239), (152, 195, 121), (224, 108, 117),
                         (198, 120, 221), (86, 182, 194), (230, 220, 110), (200, 200, 200)], dtype=np.float64)
"""Class k's colour: amber for 0 and blue for 1 (TensorFlow Playground's pair), then the plot palette."""
SHADE = 0.6
"""A region's colour at full confidence: this share of the class colour over the background."""
POINT_SHARE = 1 / 12
"""At most this share of the pixels carry a training point."""
MARK_SHARE = 1 / 16
"""At most this share of the cells carry a validation mark."""
MARGIN = 0.08
"""The plane extends this fraction of the data's range beyond it on every side."""
CURVE_COLOR = (240, 240, 240)
DIAGONAL_COLOR = (90, 95, 105)


@dataclass
class Picture:
    """Pixels ``(H, W, 3)`` uint8, marks, and the predictions they show (``values``)."""

    pixels: np.ndarray
    marks: list[Mark] = field(default_factory=list)
    values: np.ndarray | None = None


def kind(task: str, features: int) -> str:
    """``"plane"``, ``"curve"`` or ``"scatter"`` for a dataset's task and feature count."""
    if features == 2:
        return "plane"
    if features == 1 and task == "regression":
        return "curve"
    return "scatter"


def caption(kind: str, task: str) -> str:
    """A few words on how to read a picture of ``kind`` for ``task`` (the map's subtitle: ≤ 24 characters,
    for a map ~30 columns wide)."""
    if kind == "plane":
        return i18n.t(f"map.plane.{task}" if task in ("binary", "multiclass") else "map.plane.other")
    if kind == "curve":
        return i18n.t("map.curve")
    return i18n.t("map.regression" if task == "regression" else "map.classes")


def bounds(x: np.ndarray) -> tuple[float, float, float, float]:
    """``(x0, x1, y0, y1)``: the data's two feature ranges widened by ``MARGIN`` (never empty)."""
    lo, hi = x.min(axis=0), x.max(axis=0)
    pad = np.maximum(hi - lo, 1e-9) * MARGIN
    return float(lo[0] - pad[0]), float(hi[0] + pad[0]), float(lo[1] - pad[1]), float(hi[1] + pad[1])


def fit(box: tuple[float, float, float, float], width: int, height: int) -> tuple[float, float, float, float]:
    """``box`` widened in one direction so a pixel spans the same distance across and down
    (half-block pixels are square): the data keep their shape, the map shows the model around them."""
    x0, x1, y0, y1 = box
    scale = max((x1 - x0) / width, (y1 - y0) / height)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return cx - scale * width / 2, cx + scale * width / 2, cy - scale * height / 2, cy + scale * height / 2


def grid(box: tuple[float, float, float, float], width: int, height: int) -> np.ndarray:
    """The ``(height · width, 2)`` pixel centres of the plane ``box``, row by row, row 0 at the top (y high)."""
    x0, x1, y0, y1 = box
    xs = x0 + (np.arange(width) + 0.5) * (x1 - x0) / width
    ys = y1 - (np.arange(height) + 0.5) * (y1 - y0) / height
    return np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)


def to_pixels(points: np.ndarray, box: tuple[float, float, float, float], width: int, height: int) -> np.ndarray:
    """Data coordinates ``(n, 2)`` → pixel coordinates ``(n, 2)`` (x right, y down)."""
    x0, x1, y0, y1 = box
    px = (points[:, 0] - x0) / (x1 - x0) * width - 0.5
    py = (y1 - points[:, 1]) / (y1 - y0) * height - 0.5
    return np.stack([px, py], axis=1)


def subsample(n: int, most: int) -> np.ndarray:
    """At most ``most`` indices out of ``n``, evenly spread."""
    if n <= most:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, max(most, 1)).astype(np.int64))


def labels_of(y: np.ndarray) -> np.ndarray:
    """Integer class labels from 0/1 columns, one-hot rows or integers."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        return np.argmax(y, axis=1)
    return np.rint(y.reshape(len(y))).astype(np.int64)


def class_shading(outputs: np.ndarray) -> np.ndarray:
    """``(n, units)`` predicted probabilities → ``(n, 3)`` float colours (see the module docstring)."""
    if outputs.shape[1] == 1:
        p = np.clip(outputs[:, 0], 0.0, 1.0)
        strength = np.abs(2 * p - 1)[:, None] * SHADE
        colour = np.where((p >= 0.5)[:, None], CLASS_COLORS[1], CLASS_COLORS[0])
    else:
        k = outputs.shape[1]
        winner = np.argmax(outputs, axis=1)
        confidence = (outputs[np.arange(len(outputs)), winner] - 1 / k) / (1 - 1 / k)
        strength = np.clip(confidence, 0.0, 1.0)[:, None] * SHADE
        colour = CLASS_COLORS[winner % len(CLASS_COLORS)]
    return BACKGROUND + (colour - BACKGROUND) * strength


def _points(box, width: int, height: int, points: np.ndarray, colours: np.ndarray, val_points: np.ndarray,
            val_colours: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[Mark]]:
    """Where the training points go (pixel rows, columns, colours; an even subsample) and the
    validation points' marks, on a ``width × height`` picture of ``box``."""
    keep = subsample(len(points), int(width * height * POINT_SHARE))
    xy = np.rint(to_pixels(points[keep], box, width, height)).astype(np.int64)
    inside = (xy[:, 0] >= 0) & (xy[:, 0] < width) & (xy[:, 1] >= 0) & (xy[:, 1] < height)
    marks = []
    keep_val = subsample(len(val_points), int(width * (height // 2) * MARK_SHARE))
    vxy = np.rint(to_pixels(val_points[keep_val], box, width, height)).astype(np.int64)
    for (x, y), colour in zip(vxy.tolist(), val_colours[keep_val].tolist()):
        marks.append(Mark(x, y, "+", tuple(int(c) for c in colour)))
    return xy[inside, 1], xy[inside, 0], colours[keep][inside], marks


def _overlay(pixels: np.ndarray, box, points: np.ndarray, colours: np.ndarray, val_points: np.ndarray,
             val_colours: np.ndarray) -> list[Mark]:
    """Training points into ``pixels`` (in place), validation points as marks."""
    rows, columns, point_colours, marks = _points(box, pixels.shape[1], pixels.shape[0], points, colours,
                                                  val_points, val_colours)
    pixels[rows, columns] = point_colours
    return list(marks)


_PLANES: dict[tuple, tuple] = {}
"""A plane's fixed layers — its pixel centres and where the points go — per (box, size, task), with
the data arrays they were made from: between two maps of a run only the predictions change."""
PLANES_KEPT = 8


def _plane_layers(box, width: int, height: int, train, validation, task: str):
    tx, ty = train if train is not None else (np.zeros((0, 2)), np.zeros(0))
    vx, vy = validation if validation is not None else (np.zeros((0, 2)), np.zeros(0))
    key = (box, width, height, task)
    kept = _PLANES.get(key)
    if kept is not None and all(a is b for a, b in zip(kept[0], (tx, ty, vx, vy))):
        return kept[1]
    if task == "regression":
        tc, vc = np.full((len(tx), 3), 235.0), np.full((len(vx), 3), 235.0)
    else:
        tc, vc = CLASS_COLORS[labels_of(ty) % len(CLASS_COLORS)], CLASS_COLORS[labels_of(vy) % len(CLASS_COLORS)]
    layers = grid(box, width, height), _points(box, width, height, tx, _bright(tc), vx, _bright(vc))
    if len(_PLANES) >= PLANES_KEPT:
        del _PLANES[next(iter(_PLANES))]
    _PLANES[key] = ((tx, ty, vx, vy), layers)
    return layers


def _bright(colours: np.ndarray) -> np.ndarray:
    """Point colours: the class colour lifted towards white, to stand out on its own region."""
    return np.clip(colours + (255 - colours) * 0.35, 0, 255).astype(np.uint8)


def plane(predict, box, width: int, height: int, train, validation=None, task: str = "binary") -> Picture:
    """The model's output over the plane ``box`` (widened by ``fit``) at ``width × height`` pixels,
    points on top.

    Args:
        predict: features ``(n, 2)`` → outputs ``(n, units)`` (``model.predict``), called once.
        train, validation: ``(x, y)`` pairs (y as the loss aligned it), or None.
    """
    box = fit(box, width, height)
    centres, (rows, columns, colours, marks) = _plane_layers(box, width, height, train, validation, task)
    outputs = np.asarray(predict(centres), dtype=np.float64)
    if task == "regression":
        pixels = shade(outputs[:, 0].reshape(height, width), levels=8)
    else:
        pixels = class_shading(outputs).reshape(height, width, 3).astype(np.uint8)
    pixels[rows, columns] = colours
    return Picture(pixels, list(marks), outputs.reshape(height, width, -1))


def curve(predict, width: int, height: int, train, validation=None) -> Picture:
    """The fitted curve ŷ(x) over the points (1 feature, regression), one ``predict`` on ``width`` xs."""
    tx, ty = train
    xs_all = tx[:, 0] if validation is None else np.concatenate([tx[:, 0], validation[0][:, 0]])
    ys_all = ty.reshape(-1) if validation is None else np.concatenate([ty.reshape(-1), validation[1].reshape(-1)])
    x0, x1 = float(xs_all.min()), float(xs_all.max())
    xs = x0 + (np.arange(width) + 0.5) * (x1 - x0) / width
    fitted = np.asarray(predict(xs[:, None]), dtype=np.float64)[:, 0]
    y0, y1 = float(ys_all.min()), float(ys_all.max())
    span = max(y1 - y0, 1e-9)
    finite = fitted[np.isfinite(fitted)]
    if len(finite):  # the curve stays in the frame, unless it is far off (then the points stay readable)
        y0, y1 = max(min(y0, float(finite.min())), y0 - span), min(max(y1, float(finite.max())), y1 + span)
    pad = max(y1 - y0, 1e-9) * MARGIN
    box = (x0, x1, y0 - pad, y1 + pad)
    pixels = np.broadcast_to(BACKGROUND.astype(np.uint8), (height, width, 3)).copy()
    colours = np.broadcast_to(CLASS_COLORS[1], (len(tx), 3))
    vx = np.zeros((0, 2)) if validation is None else np.stack([validation[0][:, 0], validation[1].reshape(-1)], 1)
    marks = _overlay(pixels, box, np.stack([tx[:, 0], ty.reshape(-1)], 1), _bright(colours), vx,
                     _bright(np.broadcast_to(CLASS_COLORS[0], (len(vx), 3))))
    draw_polyline(pixels, to_pixels(np.stack([xs, fitted], 1), box, width, height), CURVE_COLOR)
    return Picture(pixels, marks, fitted)


def scatter(predict, width: int, height: int, train, validation=None, task: str = "regression") -> Picture:
    """Prediction against target for every sample (training as pixels, validation as marks)."""
    def pairs(x, y):
        out = np.asarray(predict(x), dtype=np.float64)
        if task == "regression":
            return np.stack([np.asarray(y, dtype=np.float64).reshape(-1), out[:, 0]], 1)
        labels = labels_of(y)
        probs = out[:, 0] if out.shape[1] == 1 else out[np.arange(len(out)), labels]
        if out.shape[1] == 1:
            probs = np.where(labels == 1, probs, 1 - probs)
        jitter = (np.arange(len(labels)) * 0.618034) % 1 * 0.6 - 0.3
        return np.stack([labels + jitter, probs], 1)
    points = pairs(*train)
    val = pairs(*validation) if validation is not None else np.zeros((0, 2))
    both = np.concatenate([points, val])
    lo, hi = both.min(axis=0), both.max(axis=0)
    if task == "regression":
        lo[:], hi[:] = min(lo.min(), both[:, 1].min()), max(hi.max(), both[:, 1].max())
    pad = np.maximum(hi - lo, 1e-9) * MARGIN
    box = (float(lo[0] - pad[0]), float(hi[0] + pad[0]), float(lo[1] - pad[1]), float(hi[1] + pad[1]))
    pixels = np.broadcast_to(BACKGROUND.astype(np.uint8), (height, width, 3)).copy()
    if task == "regression":
        ends = np.array([[box[0], box[0]], [box[1], box[1]]])
        draw_polyline(pixels, to_pixels(ends, box, width, height), DIAGONAL_COLOR)
    marks = _overlay(pixels, box, points, _bright(np.broadcast_to(CLASS_COLORS[1], (len(points), 3))), val,
                     _bright(np.broadcast_to(CLASS_COLORS[0], (len(val), 3))))
    return Picture(pixels, marks, points[:, 1])
