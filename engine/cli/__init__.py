"""``python -m engine``: the parser and the dispatch to its subcommands.

One module a subcommand (``run``, ``race``, ``surface``, ``landscape``, ``list`` in ``registries``, ``bench``),
each with its flags beside it; the shared experiment flags in ``flags``, the setup files in ``setup_files``."""

from __future__ import annotations

import argparse
import sys

from engine.checks import unknown_name_message
from engine.wording import Wording
from engine.cli import bench, landscape, race, registries, run, surface
from engine.cli.flags import add_experiment_arguments, config_from_args, flag_type, refusal_of
from engine.cli.setup_files import load_setup_defaults, setup_defaults

COMMANDS = ("run", "race", "surface", "landscape", "list", "bench")
SUBCOMMANDS_WITH_SETUP = ("run", "race")

__all__ = ["COMMANDS", "add_experiment_arguments", "config_from_args", "flag_type", "load_setup_defaults", "main",
           "make_parser", "refusal_of", "setup_defaults"]


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m engine",
        description="descend's engine: train a small network exactly as Keras 3 would, headlessly.")
    sub = parser.add_subparsers(dest="command", metavar="{" + ",".join(COMMANDS) + "}")
    parsers = {module: module.add_parser(sub) for module in (run, race, surface, landscape, registries, bench)}
    parser.subcommands = {"run": parsers[run], "race": parsers[race]}
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = make_parser()
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS:
        parser.print_usage(sys.stderr)
        print(f"python -m engine: error: {unknown_name_message('command', argv[0], COMMANDS)}",
              file=sys.stderr)
        return 2
    if argv and argv[0] in SUBCOMMANDS_WITH_SETUP:
        load_setup_defaults(argv[1:], parser.subcommands[argv[0]])
    args, unknown = parser.parse_known_args(argv)
    command = getattr(args, "parser", parser)  # errors name the subcommand, in one line
    if unknown:
        command.error(Wording("unrecognized arguments: {value}", value=" ".join(unknown)))  # argparse's words
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    return args.handler(args, command)
