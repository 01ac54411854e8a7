"""``--config``, ``--save-config`` and ``--out``: setup files and exported histories for ``run`` and ``race``.

A setup file's settings become the flags' defaults; the setup the flags make is written back; the history
is exported after training."""

from __future__ import annotations

import argparse
import sys

from engine import sharing
from engine.cli.flags import one_line_error
from engine.export import ExportError, Recorder, check_path


def add_sharing_arguments(parser: argparse.ArgumentParser) -> None:
    """``--config``, ``--save-config`` and ``--out`` (``run`` and ``race``)."""
    g = parser.add_argument_group("sharing")
    g.add_argument("--config", metavar="FILE.toml",
                   help="start from a setup file (python -m tui saves them too); flags given here override it")
    g.add_argument("--save-config", metavar="FILE.toml", help="write the setup these flags make to FILE, then train")
    g.add_argument("--out", metavar="FILE.csv|FILE.json",
                   help="export the history (every update and every epoch); the format follows the extension")
    parser.set_defaults(race_setup=None, surface_setup=None)


def load_setup_defaults(argv: list[str], parser: argparse.ArgumentParser) -> None:
    """If ``argv`` names a ``--config`` file, make its settings the defaults of the subcommand's parser
    (so flags given on the command line override them); a bad file: one line, exit 2."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--config")
    known, _ = pre.parse_known_args(argv)
    if known.config is None:
        return
    try:
        setup = sharing.load(known.config)
    except ValueError as exc:
        one_line_error(parser)(str(exc))
    parser.set_defaults(**setup_defaults(setup))


def setup_defaults(setup) -> dict:
    """A setup as argparse defaults (dest → value), for the CLI and the app."""
    c = setup.config
    defaults = {name: getattr(c, name) for name in (
        "dataset", "samples", "noise", "classes", "hidden", "activation", "loss", "optimizer",
        "learning_rate", "batch_size", "epochs", "validation_split", "seed", "early_stopping", "monitor",
        "class_weight")}
    defaults["schedule"] = c.schedule or "constant"
    defaults["opt"] = list(c.optimizer_options.items())
    defaults["schedule_opt"] = list(c.schedule_options.items())
    defaults["race_setup"] = setup.race
    defaults["surface_setup"] = setup.surface
    if setup.race is not None and setup.race.target_loss is not None:
        defaults["target_loss"] = setup.race.target_loss
    return defaults


def refuse_surface_setup(args, parser) -> None:
    """A surface walk given to ``run`` or ``race``: one line saying where it goes."""
    if args.surface_setup is not None:
        one_line_error(parser)(f"{args.config} holds a surface walk: use python -m engine surface --config {args.config}")


def share(args, setup) -> None:
    """Before training: check the ``--out`` path and write ``--save-config`` (``ValueError`` if unusable)."""
    if args.out:
        check_path(args.out)
    if args.save_config:
        sharing.save(args.save_config, setup)
        print(f"saved the setup to {args.save_config}", file=sys.stderr)


def export(recorder: Recorder, path: str, parser) -> None:
    """Write the recorded history to ``--out`` (an unwritable path: one line, exit 2)."""
    try:
        recorder.write(path)
    except ExportError as exc:
        one_line_error(parser)(str(exc))
    print(f"exported the history to {path}", file=sys.stderr)
