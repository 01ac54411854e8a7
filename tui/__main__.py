"""``python -m tui`` (and the ``descend`` script): open the playground on an experiment, a setup file or a lesson."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from engine import (ConfigError, Experiment, ExperimentConfig, Wording, add_experiment_arguments, budget, checks,
                    build_experiment, check_experiment, config_from_args, flag_type, footprint, load_dataset,
                    refusal_of, setup_defaults, sharing)
from tui import argparse_private, i18n, lessons, serve
from tui import background
from tui.race.session import line_up, race_values

SPEED_WORDS = ("max",)


def parse_speed(text: str) -> float | None:
    """``--speed``: one of the app's speeds in updates per second, or ``max`` (as fast as it goes)."""
    from tui.driver import SPEEDS

    if text.strip().lower() in SPEED_WORDS:
        return None
    try:
        value = float(text)
    except ValueError:
        value = None
    if value not in SPEEDS:
        names = ", ".join("max" if s is None else f"{s:g}" for s in SPEEDS)
        raise ConfigError(Wording("speed must be one of {names}, got {value}", names=names, value=repr(text)))
    return value


class OneLineParser(argparse.ArgumentParser):
    """Bad flags print one line, ``python -m tui: error: …`` (no usage block), in the language asked for, and
    exit 2."""

    def error(self, message: str):
        print(f"{self.prog}: error: {i18n.message(message)}", file=sys.stderr)
        sys.exit(2)


def language_asked(argv: list[str]) -> str:
    """The ``--lang`` of ``argv`` if it names a language (English otherwise), read before the flags are parsed:
    argparse's own refusals of the other flags are said in it too."""
    for i, word in enumerate(argv):
        flag, equals, value = word.partition("=")
        if len(flag) < 3 or not "--lang".startswith(flag):  # argparse takes --la, --lan as --lang too
            continue
        lang = value if equals else argv[i + 1] if i + 1 < len(argv) else None
        if lang in i18n.LANGUAGES:
            return lang
    return i18n.LANGUAGES[0]


def make_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="python -m tui",
        description="descend: watch a network learn — pick a loss, an optimizer and a batch size, press "
                    "space. The flags set the experiment the app opens on (the same flags as "
                    "`python -m engine run`); everything can be changed in the app too.",
        epilog="keys: space run/pause · n iteration · e epoch · r reset · -/+ speed · l log scale · "
               "c compare optimizers · L lessons · K 한국어/English · ? help · q quit")
    parser.add_argument("setup", nargs="?", metavar="SETUP.toml",
                        help="a setup file to open (saved with w in the app or --save-config); flags override it")
    add_experiment_arguments(parser)
    app = parser.add_argument_group("app")
    app.add_argument("--lesson", metavar="NAME", help="open a built-in lesson (see --list-lessons)")
    app.add_argument("--list-lessons", action="store_true", help="print the lessons, one line each, and exit")
    app.add_argument("--lang", choices=i18n.LANGUAGES, default="en",
                     help="language of the lessons, the why panel and the help (default en)")
    app.add_argument("--speed", type=flag_type(parse_speed), default=argparse.SUPPRESS, metavar="N|max",
                     help="most updates per second: 1, 3, 10, 30, 100, 300 or max (default 300; a lesson has its own)")
    serve.add_serve_arguments(parser)
    parser.set_defaults(race_setup=None, surface_setup=None)
    return parser


def preload_setup(argv: list[str], parser: argparse.ArgumentParser) -> None:
    """A setup file named first (``python -m tui exp.toml …``): its settings become the defaults. An unknown flag
    is refused first: its value would be taken for the setup file (``--out x.csv``: "x.csv: cannot read")."""
    known, unknown = parser.parse_known_args(argv)
    if unknown:
        parser.error(Wording("unrecognized arguments: {value}", value=" ".join(unknown)))  # argparse's words
    if known.setup is not None:
        i18n.set_language(known.lang)  # a refused file says why in the language asked for
        try:
            setup = sharing.load(known.setup)
        except ValueError as exc:
            parser.error(i18n.message(exc))
        parser.set_defaults(**setup_defaults(setup))


def checked(config: ExperimentConfig, race: sharing.RaceSetup | None) -> Experiment | background.Judged:
    """Every refusal the app would make opening on ``config`` (and on ``race``, its contestants'), made before
    the screen is taken: ``ConfigError``, one line. Returns ``config``'s experiment when it is quick to build
    (the app takes it); a big setup is judged on a few samples (``check_experiment``: a CSV file is read for
    it) and built once the app is open, the screen live: its judgement is returned, for the app to build from
    (neither judged nor read again)."""
    config.validate()  # first: the estimate builds the optimizer, whose refusal (``--opt foo=1``) is a ValueError
    dataset = load_dataset(config) if config.reads_csv else None  # read once, for all
    if background.is_quick([config]):
        start = build_experiment(config, dataset)
    else:
        start = background.Judged(config, check_experiment(config, dataset), dataset)
    if race is not None:
        contestants = [entry.config for entry in line_up(config, race.field, race_values(config, race))]
        for contestant in contestants:
            check_experiment(contestant, dataset)
        budget.check(footprint(contestants, dataset), "this race")  # the K copies together, as the race view does
    return start


def run_to_the_end(app, **kwargs) -> None:
    """``app.run(**kwargs)`` on an event loop of its own, for the program: it returns as soon as the app has
    ended, where ``asyncio.run`` would then wait for every worker thread — a training step under way (halted,
    its thread ends after that step: seconds for a big network, ~15 s measured under load), the screen gone."""
    loop = asyncio.new_event_loop()
    try:
        app.run(loop=loop, **kwargs)
    finally:
        loop.close()  # tells its threads' executor to stop, without waiting for them


QUIT_GRACE_VARIABLE = "DESCEND_QUIT_GRACE"
"""The environment variable that gives a signalled quit other seconds than the app's ``QUIT_GRACE`` (2 s) before
the process is ended with status 3: a test on a loaded machine gives it longer, so status 3 only means a hang."""


def quit_grace_asked() -> float | None:
    """``DESCEND_QUIT_GRACE``'s seconds if it is set (``ConfigError`` unless a finite number > 0), else ``None``."""
    text = os.environ.get(QUIT_GRACE_VARIABLE)
    return None if text is None else checks.parse_number(QUIT_GRACE_VARIABLE, text, low=0, low_open=True)


def main(argv: list[str] | None = None) -> None:
    """Parse the flags, refuse an unusable experiment before the screen is taken (exit 2), run the app.

    SIGTERM and SIGHUP (a dropped SSH link) quit it cleanly like ``q`` (exit 0). An unhandled error
    ends the app with Textual's traceback and exit status 1, never 0: a script or a shell sees it.
    With ``--serve``, the same checks, then a web server whose every browser tab runs this app
    with these flags. Called with no ``argv`` (the program: ``python -m tui``, the ``descend`` script), the
    process ends right after the app has (``run_to_the_end``, then ``end_process``: neither a training step
    under way nor Python's own teardown, ~1 s under load, is waited for).
    """
    program, argv = argv is None, list(sys.argv[1:] if argv is None else argv)
    parser = make_parser()
    i18n.set_language(language_asked(argv))
    with argparse_private.wordings():
        preload_setup(argv, parser)
        args = parser.parse_args(argv)
    i18n.set_language(args.lang)
    if args.list_lessons:
        print("\n".join(lessons.listing()))
        return
    lesson = None
    if args.lesson:
        try:
            lesson = lessons.get(args.lesson)
        except ValueError as exc:
            parser.error(i18n.message(exc))
        config, race = lesson.setup.config, lesson.setup.race
    else:
        config, race = config_from_args(args), args.race_setup
    try:
        start = checked(config, race)
        grace = quit_grace_asked()
    except ConfigError as exc:
        parser.error(i18n.message(refusal_of(exc, args)))  # an --opt value quoted as typed
    if args.serve:
        del start  # each browser tab's app builds its own: the server keeps none
        problem = serve.check_bind(args.host, args.port)
        if problem:
            parser.error(i18n.message(problem))
        serve.serve(argv, host=args.host, port=args.port)
        return
    from tui.app import make_app  # after the flags: --help, --list-lessons and errors never import Textual
    from tui.textual_private import end_process

    kwargs = {"speed": args.speed} if hasattr(args, "speed") else {}  # else the app's (or the lesson's) own
    surface = None if lesson else args.surface_setup
    built = isinstance(start, Experiment)
    app = make_app(config, handle_signals=True, race=race, lesson=lesson, lang=args.lang, surface=surface,
                   experiment=start if built else None, judged=None if built else start, **kwargs)
    if grace is not None:
        app.quit_grace = grace
    run_to_the_end(app) if program else app.run()
    if app.return_code:  # Textual caught an unhandled error, printed its traceback and stopped the app
        print(f"descend stopped on an unhandled error (exit status {app.return_code}); the traceback above "
              "says where.", file=sys.stderr)
    if program:  # python -m tui, the descend script: nothing is left to do but end (no interpreter teardown)
        end_process(app.return_code or 0)
    if app.return_code:
        sys.exit(app.return_code)


if __name__ == "__main__":
    main()
