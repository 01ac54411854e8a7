"""``python -m engine list``: the losses, optimizers (with their Keras defaults), datasets and activations."""

from __future__ import annotations

import argparse

from engine import activations, datasets, losses, optimizers
from engine.cli.flags import add_subcommand
from engine.jsonout import dump_json


def add_parser(sub) -> argparse.ArgumentParser:
    lst = add_subcommand(sub, "list", main, help="losses, optimizers (with defaults), datasets, activations")
    lst.add_argument("--json", action="store_true")
    return lst


def main(args, parser) -> int:
    if args.json:
        print(dump_json(registries(), indent=2))
        return 0
    print("losses (→ output layer, labels):")
    for name, cls in losses.ALL.items():
        aliases = [a for a, target in losses.ALIASES.items() if target == name]
        also = f"  (also: {', '.join(aliases)})" if aliases else ""
        print(f"  {name:34} → {cls.output}, {cls.targets}{also}")
    print("optimizers (Keras defaults):")
    for name in optimizers.names():
        opt = optimizers.get(name)
        params = ", ".join(f"{k}={v}" for k, v in opt.hyperparameters().items())
        print(f"  {name:12} {params}")
    print("datasets:")
    for name in datasets.names():
        print(f"  {name:12} {datasets.describe(name)}")
    print("  any.csv      a CSV file with a header row; the target is the last column")
    print(f"activations: {', '.join(activations.names())}")
    return 0


def registries() -> dict:
    """Every registry as plain data (for ``list --json``)."""
    return {
        "losses": {name: {"output": cls.output, "targets": cls.targets,
                          "aliases": [a for a, t in losses.ALIASES.items() if t == name]}
                   for name, cls in losses.ALL.items()},
        "optimizers": {name: optimizers.get(name).hyperparameters() for name in optimizers.names()},
        "datasets": {name: datasets.describe(name) for name in datasets.names()},
        "activations": activations.names(),
    }
