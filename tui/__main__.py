"""``python -m tui`` (and the ``descend`` script): open the playground, optionally on a given experiment."""

from __future__ import annotations

import argparse

from engine import ConfigError, add_experiment_arguments, build_experiment, config_from_args


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tui",
        description="descend: watch a network learn — pick a loss, an optimizer and a batch size, press "
                    "space. The flags set the experiment the app opens on (the same flags as "
                    "`python -m engine run`); everything can be changed in the app too.",
        epilog="keys: space run/pause · n iteration · e epoch · r reset · -/+ speed · l log scale · "
               "c compare optimizers · ? help · q quit")
    add_experiment_arguments(parser)
    return parser


def main(argv: list[str] | None = None) -> None:
    """Parse the flags, refuse an unusable experiment before the screen is taken (exit 2), run the app.

    SIGTERM and SIGHUP (a dropped SSH link) quit it cleanly like ``q``.
    """
    parser = make_parser()
    config = config_from_args(parser.parse_args(argv))
    try:
        build_experiment(config)
    except ConfigError as exc:
        parser.error(str(exc))
    from tui.app import make_app  # after the flags: --help and errors never start Textual

    make_app(config, handle_signals=True).run()


if __name__ == "__main__":
    main()
