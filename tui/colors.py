"""The plots' colours, in one place: the main view's train/validation pair and the race's contestants.

Every colour is an RGB triple legible on a dark surface, chosen so that it stays itself when the
terminal has fewer colours. Textual (through Rich) downgrades an RGB colour to the nearest of the
256-colour cube, or of the 16 ANSI colours (``rich.color.Color.downgrade``); the 16 are the ones a
user's terminal theme paints, so each colour here downgrades to a different one of them:

    train        bright blue       validation   bright yellow     batch, target   bright black (grey)
    contestants  bright cyan, bright red, bright green, bright magenta, yellow (orange),
                 magenta, cyan, green, red

so the contestants are told apart from each other and from the train/validation pair in 16 and 256
colours alike (a test checks both). An optimizer keeps its colour in every view: ``optimizer_colors``
gives each one the colour of its place in the race's default line-up (sgd cyan, momentum red, adagrad
green, rmsprop violet, adam orange), for the race's leaderboard, plots and small maps and for the
surface view's walkers alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import cycle

from engine import race

RGB = tuple[int, int, int]

TRAIN: RGB = (90, 170, 245)
"""Training loss/metric: blue (bright blue in 16 colours)."""

VALIDATION: RGB = (235, 195, 120)
"""Validation loss/metric: amber (bright yellow in 16 colours)."""

BATCH: RGB = (110, 120, 130)
"""Per-update batch loss dots, and reference lines such as the race's target: grey."""

CONTESTANTS: tuple[RGB, ...] = (
    (85, 195, 205),  # cyan             -> bright cyan
    (240, 90, 110),  # red              -> bright red
    (140, 210, 110),  # green           -> bright green
    (200, 120, 220),  # violet          -> bright magenta
    (215, 130, 35),  # orange           -> yellow
    (180, 70, 200),  # purple           -> magenta
    (40, 170, 140),  # teal             -> cyan
    (75, 170, 75),  # deep green        -> green
    (190, 40, 75),  # crimson           -> red
)
"""The race's contestants in line-up order (the default five first: SGD, momentum, Adagrad, RMSprop, Adam)."""


def contestant_color(index: int) -> RGB:
    """The colour of the race's ``index``-th contestant (the list repeats past its end)."""
    return CONTESTANTS[index % len(CONTESTANTS)]


def optimizer_colors(names: Sequence[str]) -> list[RGB]:
    """The colours of a line-up of optimizers (registry names, e.g. a race's contestants or the surface
    view's walkers): each optimizer takes the colour of its place in the race's default line-up
    (``race.DEFAULT_OPTIMIZERS``), so rmsprop is violet wherever it runs; an optimizer already given its
    colour (a race of learning rates: one optimizer throughout) or outside that line-up takes the
    first colour no one in ``names`` has, so the line-up's colours stay distinct while they last.
    """
    own = {name: CONTESTANTS[i] for i, name in enumerate(race.DEFAULT_OPTIMIZERS)}
    claimed = {own[name] for name in set(names) if name in own}
    spare = cycle([c for c in CONTESTANTS if c not in claimed])  # never empty: 5 of the 9 are claimable
    colors, given = [], set()
    for name in names:
        if name in own and name not in given:
            colors.append(own[name])
            given.add(name)
        else:
            colors.append(next(spare))
    return colors


def rich_color(rgb: RGB) -> str:
    """``rgb`` as a Rich/Textual colour string, ``rgb(r,g,b)``."""
    return "rgb({},{},{})".format(*rgb)
