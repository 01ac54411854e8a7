"""``LearnedMap``: what the network learned (``tui.learned``'s pictures) at the size of the widget.

The owner hands it a ``MapSource`` (how to predict, the data) and calls ``redraw()`` whenever it
likes; a redraw happens at most every ``MIN_INTERVAL`` seconds, and after one costing c seconds
the next waits at least c / ``SHARE`` — one batched forward pass over the pixels plus shading,
so the map never takes more than a small share of the UI thread.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from engine import Dense, Input, Sequential
from tui import learned
from tui.widgets.pixels import PixelCanvas

MIN_INTERVAL = 0.25
"""Seconds between two maps at the least: a few per second."""
SHARE = 0.05
"""At most this share of the UI thread goes to map redraws."""


@dataclass
class MapSource:
    """What a map shows: ``predict`` (features → outputs), the data, its task and picture kind."""

    predict: object
    train: tuple[np.ndarray, np.ndarray]
    validation: tuple[np.ndarray, np.ndarray] | None
    task: str
    kind: str
    box: tuple[float, float, float, float] | None = None
    """The plane's bounds (``kind == "plane"``); share one between maps drawn side by side."""


def clone(model):
    """A new built ``Sequential`` of ``model``'s architecture (its own flat weights)."""
    layers = [Input(shape=(model.input_dim,))]
    layers += [Dense(layer.units, activation=layer.activation, use_bias=layer.use_bias) for layer in model.layers]
    shadow = Sequential(layers)
    shadow.build(model.input_dim)
    return shadow


def snapshot_predict(model, weights=None):
    """``predict`` on a clone of ``model`` that takes its weights at each call from ``weights()``
    (a flat vector, e.g. the copy the last progress report carried; default: the live
    ``model.params``), so a map never mixes weights from two updates within its forward pass."""
    shadow = clone(model)

    def predict(x: np.ndarray) -> np.ndarray:
        np.copyto(shadow.params, model.params if weights is None else weights())
        return shadow.predict(x)
    return predict


def source_for(experiment, trainer, predict=None) -> MapSource:
    # ``predict`` defaults to the live model's (a copy of its weights per call)
    """The ``MapSource`` of an experiment being trained by ``trainer`` (its split, its targets)."""
    task = experiment.dataset.task
    kind = learned.kind(task, trainer.x.shape[1])
    return MapSource(predict or snapshot_predict(experiment.model), (trainer.x, trainer.y), trainer.validation,
                     task, kind, learned.bounds(experiment.x) if kind == "plane" else None)


def picture(source: MapSource, width: int, height: int) -> learned.Picture:
    """``source``'s picture at ``width × height`` pixels."""
    with np.errstate(all="ignore"):
        if source.kind == "plane":
            return learned.plane(source.predict, source.box, width, height, source.train, source.validation,
                                 source.task)
        if source.kind == "curve":
            return learned.curve(source.predict, width, height, source.train, source.validation)
        return learned.scatter(source.predict, width, height, source.train, source.validation, source.task)


class LearnedMap(PixelCanvas):
    """A map of what the network learned, redrawn at a bounded rate."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None,
                 captioned: bool = False):
        super().__init__(name=name, id=id, classes=classes)
        self.captioned = captioned
        """Say how to read the picture in the border's subtitle (``learned.caption``)."""
        self.source: MapSource | None = None
        self.last: learned.Picture | None = None
        """The picture shown (its ``values`` are the predictions)."""
        self.cost = 0.0
        """Seconds the last redraw took."""
        self._due = 0.0
        self._drawn_size = (0, 0)

    def set_source(self, source: MapSource | None) -> None:
        """Show ``source`` from the next redraw on (at once: the old picture is stale)."""
        self.source = source
        self._due = 0.0
        if self.captioned:
            self.border_subtitle = "" if source is None else learned.caption(source.kind, source.task)

    def blank(self, note: str) -> None:
        """Show nothing but ``note`` in the border (a new setup on its way: the source's picture is not of it)."""
        self.show(np.zeros((0, 0, 3), dtype=np.uint8))
        self.last = None
        self.border_subtitle = note

    @property
    def stale(self) -> bool:
        """Whether the picture shown was drawn at another size than the map has now (one drawn mid-resize, or
        before a resize showed the map): it fills a corner, or is cut."""
        return self.last is not None and self._drawn_size != self.pixel_size

    def redraw(self, force: bool = False) -> bool:
        """Draw the map if it is due (or ``force``); True if it drew."""
        if self.source is None or not self.display:
            return False
        width, height = self.pixel_size
        if width <= 0 or height <= 0:
            return False
        now = time.perf_counter()
        if not force and now < self._due and (width, height) == self._drawn_size:
            return False
        self.last = picture(self.source, width, height)
        self.show(self.last.pixels, self.last.marks)
        self.cost = time.perf_counter() - now
        self._due = now + max(MIN_INTERVAL, self.cost / SHARE)
        self._drawn_size = (width, height)
        return True
