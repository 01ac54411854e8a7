"""The real network's loss landscape: a plane through its weights (random filter-normalized or PCA directions)."""

from engine.landscape.directions import DIRECTIONS, filter_normalized, principal, project
from engine.landscape.grid import Cancelled, plane_losses
from engine.landscape.landscape import DEFAULT_GRID, Landscape, landscape, race_landscape, train_and_map

__all__ = ["DEFAULT_GRID", "DIRECTIONS", "Cancelled", "Landscape", "filter_normalized", "landscape", "plane_losses",
           "principal", "project", "race_landscape", "train_and_map"]
