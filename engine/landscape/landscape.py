"""``Landscape``: the real network's loss over a plane through its weights, with the training path on it."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from engine import checks
from engine.callbacks import LambdaCallback
from engine.config import ConfigError
from engine.core.standing import status_text
from engine.landscape.directions import DIRECTIONS, filter_normalized, principal, project
from engine.landscape.grid import Cancelled, axis, plane_losses
from engine.model import Sequential
from engine.wording import Wording

DEFAULT_GRID = 31
RANDOM_EXTENT = 1.0
"""Random directions span α, β ∈ [−1, 1] (Li et al.'s range: a step of 1 moves every filter by its own norm)."""
MARGIN = 1.25
"""PCA planes reach this much past the farthest point of the path."""


@dataclass
class Landscape:
    """The loss on a grid over the plane ``centre + α d1 + β d2``, and paths projected onto it.

    ``grid[i][j]`` is the loss at ``(alphas[j], betas[i])``: rows follow the second direction.
    ``paths`` maps each run's label to its ``(E + 1, 2)`` coordinates: the start, then one point
    per epoch. ``center_loss`` is the loss at the centre (α = β = 0) on the training data.
    """

    grid: np.ndarray
    alphas: np.ndarray
    betas: np.ndarray
    center_loss: float
    paths: dict[str, np.ndarray]
    directions: str
    centre: str
    """What the plane is centred on: ``"final weights"`` (one run) or ``"initial weights"`` (a race)."""
    explained: list[float] | None = None
    """PCA only: the share of the path's variance along each direction."""
    seconds: float = 0.0
    """Wall time of the grid's losses."""
    extra: dict = field(default_factory=dict)

    @property
    def path(self) -> np.ndarray:
        """The first run's path."""
        return next(iter(self.paths.values()))

    def to_dict(self) -> dict:
        """The CLI's JSON: grid, alphas, betas, center_loss, path, directions (and the details)."""
        return {
            "grid": self.grid.tolist(),
            "alphas": self.alphas.tolist(),
            "betas": self.betas.tolist(),
            "center_loss": self.center_loss,
            "path": self.path.tolist(),
            "paths": {label: p.tolist() for label, p in self.paths.items()},
            "directions": self.directions,
            "centre": self.centre,
            "explained_variance": self.explained,
            "grid_seconds": self.seconds,
            **self.extra,
        }


def check_grid(grid) -> int:
    return checks.whole_number("grid", grid, minimum=3)


def check_directions(directions: str) -> str:
    if directions not in DIRECTIONS:
        raise ConfigError(Wording("directions must be one of {names}, got {value}", names=", ".join(DIRECTIONS),
                                  value=repr(directions)))
    return directions


def flat(weights: list[np.ndarray]) -> np.ndarray:
    """Keras-order arrays → one ``(P,)`` vector laid out as ``Sequential.params``."""
    return np.concatenate([w.ravel() for w in weights])


def landscape(model: Sequential, x, y, trajectories: dict[str, np.ndarray], *, centre: np.ndarray,
              centre_name: str, directions: str = "random", grid: int = DEFAULT_GRID, seed: int = 0,
              should_stop=None) -> Landscape:
    """The loss around ``centre`` on a plane chosen by ``directions``, with every trajectory projected.

    Args:
        model: built and compiled (architecture and loss).
        x, y: the data the loss is taken on (the training data).
        trajectories: label → ``(E + 1, P)`` weights, start first, one per epoch.
        centre: ``(P,)`` the plane's centre.
        directions: ``"random"`` (filter-normalized at ``centre``, ``seed``) or ``"pca"`` (of all
            trajectories' offsets from the centre).
        grid: points per side (odd → the centre is on the grid).
        should_stop: optional callable checked as the work goes; ``Cancelled`` is raised when it is true.
    """
    grid, directions = check_grid(grid), check_directions(directions)
    explained = None
    if directions == "random":
        rng = np.random.default_rng([seed, 2])
        shapes = [w.shape for w in model.get_weights()]
        weights, offset = [], 0
        for shape in shapes:
            size = int(np.prod(shape))
            weights.append(centre[offset:offset + size].reshape(shape))
            offset += size
        d1, d2 = filter_normalized(weights, rng), filter_normalized(weights, rng)
    else:
        d1, d2, share = principal(np.vstack(list(trajectories.values())), centre)
        explained = share.tolist()
    paths = {label: project(t, centre, d1, d2) for label, t in trajectories.items()}
    reach = np.max(np.abs(np.vstack(list(paths.values()))), axis=0)
    if directions == "random":
        extent_a = extent_b = max(RANDOM_EXTENT, MARGIN * float(reach.max()))
    else:
        extent_a, extent_b = (max(MARGIN * float(r), 1e-3) for r in reach)
    alphas, betas = axis(extent_a, grid), axis(extent_b, grid)
    started = time.perf_counter()
    losses = plane_losses(model, x, y, centre, d1, d2, alphas, betas, should_stop)
    seconds = time.perf_counter() - started
    saved = model.params.copy()
    model.params[...] = centre
    center_loss = float(model.evaluate(x, y, return_dict=True)["loss"])
    model.params[...] = saved
    return Landscape(losses, alphas, betas, center_loss, paths, directions, centre_name, explained, seconds)


def train_and_map(experiment, *, directions: str = "random", grid: int = DEFAULT_GRID, should_stop=None):
    """Train ``experiment`` as ``run`` does, keeping the weights after every epoch; then its landscape
    centred on the final weights. Returns ``(Landscape, History)``."""
    check_grid(grid)
    check_directions(directions)
    model = experiment.model
    trainer = experiment.trainer()
    snapshots = [model.params.copy()]
    keep = LambdaCallback(on_epoch_end=lambda epoch, logs: snapshots.append(model.params.copy()))
    callbacks = [keep]
    if should_stop is not None:
        def check(batch, event):
            if should_stop():
                model.stop_training = True
        callbacks.append(LambdaCallback(on_train_batch_end=check))
    history = trainer.fit(verbose=0, callbacks=callbacks)
    if should_stop is not None and should_stop():
        raise Cancelled("the landscape was cancelled")
    if history.status == "diverged":
        raise ConfigError(Wording("the run {status}: there is no landscape around non-finite weights",
                                  status=status_text(history)))
    result = landscape(model, trainer.x, trainer.y, {experiment.config.optimizer: np.array(snapshots)},
                       centre=model.params.copy(), centre_name="final weights", directions=directions, grid=grid,
                       seed=experiment.config.seed, should_stop=should_stop)
    return result, history


def race_landscape(race, *, directions: str = "pca", grid: int = DEFAULT_GRID, should_stop=None) -> Landscape:
    """Run ``race`` to the end, keeping every contestant's weights after every race epoch, and map all
    paths on one shared plane centred on their shared initial weights."""
    check_grid(grid)
    check_directions(directions)
    first = race.contestants[0]
    if len({(c.experiment.model.count_params(), c.loss.name) for c in race.contestants}) > 1:
        raise ConfigError(Wording("one landscape needs one architecture and one loss: race optimizers, learning "
                                  "rates or batch sizes, not losses"))
    trajectories = {c.label: [flat(c.get_weights())] for c in race.contestants}
    while not race.done:
        if should_stop is not None and should_stop():
            raise Cancelled("the landscape was cancelled")
        race.run_epoch()
        for c in race.contestants:
            if c.status != "diverged" and len(trajectories[c.label]) <= race.epochs:
                trajectories[c.label].append(flat(c.get_weights()))
    experiment = first.experiment
    n = experiment.train_size
    return landscape(experiment.model, experiment.x[:n], experiment.y[:n], {k: np.array(v) for k, v in trajectories.items()},
                     centre=trajectories[first.label][0], centre_name="initial weights", directions=directions, grid=grid,
                     seed=race.config.seed, should_stop=should_stop)
