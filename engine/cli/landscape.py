"""``python -m engine landscape``: train the experiment (or race several optimizers) and map the loss around it."""

from __future__ import annotations

import argparse

from engine import checks
from engine.config import ConfigError, ExperimentConfig
from engine.experiment import build
from engine.jsonout import dump_json
from engine.landscape.directions import DIRECTIONS
from engine.landscape.landscape import DEFAULT_GRID, Landscape, race_landscape, train_and_map
from engine.cli.flags import add_experiment_arguments, add_subcommand, config_from_args, refusal_of


def add_parser(sub) -> argparse.ArgumentParser:
    """``landscape`` and its flags: the experiment's (as ``run``'s) and the landscape's own."""
    landscape = add_subcommand(sub, "landscape", lambda args, parser: main(config_from_args(args), args, parser),
                               help="train, then map the loss on a plane through the weights",
                               description="Train the experiment (the flags of run) and compute the loss on a "
                                           "grid over a plane through the final weights, the path projected.")
    add_experiment_arguments(landscape)
    add_arguments(landscape)
    return landscape


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The landscape's own flags (the experiment's come from ``run``'s)."""
    g = parser.add_argument_group("landscape")
    g.add_argument("--grid", metavar="N", default=str(DEFAULT_GRID),
                   help=f"grid points per side, ≥ 3 (default {DEFAULT_GRID})")
    g.add_argument("--directions", metavar="KIND", default="random",
                   help="random (filter-normalized, Li et al. 2018; biases held) or pca (of the weight "
                        "trajectory, one snapshot per epoch) (default random)")
    g.add_argument("--optimizers", metavar="LIST", default=None,
                   help="race these optimizers (as in race) and draw all their paths on one plane "
                        "through their shared initial weights")
    g.add_argument("--json", action="store_true", help="print one JSON object instead of text")


def parse_grid(text: str) -> int:
    return checks.parse_whole("grid", text, minimum=3)


def main(config: ExperimentConfig, args, parser) -> int:
    try:
        grid = parse_grid(args.grid)
        if args.directions not in DIRECTIONS:
            raise ConfigError(f"directions must be one of {', '.join(DIRECTIONS)}, got {args.directions!r}")
        if args.optimizers is None:
            experiment = build(config)
            result, history = train_and_map(experiment, directions=args.directions, grid=grid)
            status = {experiment.config.optimizer: history.status}
        else:
            from engine.race import Race, entries, parse_values

            race = Race(entries(config, "optimizer", parse_values("optimizer", args.optimizers)))
            result = race_landscape(race, directions=args.directions, grid=grid)
            status = {c.label: c.status for c in race.contestants}
    except ValueError as exc:
        parser.error(refusal_of(exc, args))
    if args.json:
        print(dump_json({**result.to_dict(), "status": status}))
        return 0
    for line in describe(result, status):
        print(line)
    return 0


def describe(result: Landscape, status: dict[str, str]) -> list[str]:
    """A few lines: the plane, the loss range on it, and where each path starts and ends."""
    a, b = result.alphas, result.betas
    kind = "filter-normalized random directions" if result.directions == "random" else \
        "first two principal components of the path ({:.0%} and {:.0%} of its variance)".format(*result.explained)
    lines = [
        f"plane     {len(b)}×{len(a)} grid, α ∈ [{a[0]:.3g}, {a[-1]:.3g}], β ∈ [{b[0]:.3g}, {b[-1]:.3g}] — {kind}",
        f"centre    {result.centre}: loss {result.center_loss:.4f} on the training data",
        f"loss      {float(result.grid.min()):.4g} … {float(result.grid.max()):.4g} over the "
        f"{result.grid.size} networks of the grid",
    ]
    for label, path in result.paths.items():
        (a0, b0), (a1, b1) = path[0], path[-1]
        lines.append(f"path      {label}: ({a0:.3f}, {b0:.3f}) → ({a1:.3f}, {b1:.3f}) over {len(path) - 1} epochs"
                     f" · {status.get(label, '')}")
    return lines
