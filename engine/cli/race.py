"""``python -m engine race``: train K contestants in lockstep and print a leaderboard (or one JSON object)."""

from __future__ import annotations

import argparse

from engine import command_line, losses, optimizers, schedule_setup, sharing
from engine.cli.flags import add_experiment_arguments, add_subcommand, config_from_args, flag_type, positive, refusal_of
from engine.cli.setup_files import add_sharing_arguments, export, refuse_surface_setup, share
from engine.diagnostics_recorder import DiagnosticsRecorder
from engine.export import Recorder
from engine.jsonout import dump_json
from engine.race import DEFAULT_OPTIMIZERS, TARGET_FRACTION, Race, entries, parse_values
from engine.race.report import leaderboard, target_line, to_dict

RACE_FLAGS = {flag[2:].replace("-", "_"): field for field, flag in command_line.RACE_FLAGS.items()}
"""``race`` list flags (argparse dest) → the config field each compares (``command_line.RACE_FLAGS`` read backwards)."""


def add_parser(sub) -> argparse.ArgumentParser:
    """``race`` and its flags: the experiment's, one list of what to race, ``--target-loss``, sharing."""
    race = add_subcommand(
        sub, "race", main, help="train several contestants in lockstep and print a leaderboard",
        description="Train K contestants on the same data, initial weights and batch order; only the "
                    f"compared field differs. Give at most one list (default: --optimizers "
                    f"{','.join(DEFAULT_OPTIMIZERS)}); the other flags set what they share. Each contestant's "
                    "result is exactly that of `run` with its settings.")
    add_experiment_arguments(race)
    race.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    fields = race.add_argument_group("what to race (one of)").add_mutually_exclusive_group()
    fields.add_argument("--optimizers", metavar="LIST",
                        help=f"optimizers, comma-separated, each optionally NAME:KEY=VALUE "
                             f"(e.g. sgd:learning_rate=0.1,adam); choices: {', '.join(optimizers.names())}")
    fields.add_argument("--learning-rates", metavar="LIST",
                        help="learning rates of --optimizer, e.g. 0.001,0.01,0.1")
    fields.add_argument("--losses", metavar="LIST",
                        help=f"losses on the same data, e.g. mse,binary_crossentropy; choices: "
                             f"{', '.join(losses.names())}")
    fields.add_argument("--batch-sizes", metavar="LIST",
                        help="batch sizes, e.g. 1,32,full (SGD, mini-batch, batch gradient descent)")
    fields.add_argument("--schedules", metavar="LIST",
                        help="learning-rate schedules of --optimizer, each optionally NAME:KEY=VALUE (a list value "
                             "with ';'), e.g. constant,step:boundaries=500;900,cosine:warmup_steps=100; choices: "
                             f"{', '.join(schedule_setup.NAMES)}")
    race.add_argument("--target-loss", type=flag_type(positive("target loss", allow_zero=False)), default=None,
                      help="epoch loss to race to (default: half of each contestant's initial loss)")
    add_sharing_arguments(race)
    return race


def main(args, parser) -> int:
    refuse_surface_setup(args, parser)
    chosen = [(RACE_FLAGS[dest], getattr(args, dest)) for dest in RACE_FLAGS if getattr(args, dest) is not None]
    if not chosen and args.race_setup is not None:  # the --config file's race, unless a list flag replaces it
        chosen = [(args.race_setup.field, args.race_setup.text())]
    field, text = chosen[0] if chosen else ("optimizer", ",".join(DEFAULT_OPTIMIZERS))
    base = config_from_args(args)
    if base.early_stopping is not None:
        parser.error("early stopping stops one run: use it with run (a race runs every contestant to the end)")
    try:
        values = parse_values(field, text)
        race = Race(entries(base, field, values), target_loss=args.target_loss)
        share(args, sharing.Setup(base, sharing.RaceSetup(field, sharing.race_values(field, values),
                                                          args.target_loss)))
    except ValueError as exc:
        parser.error(refusal_of(exc, args))  # the race parser's: one line, exit 2
    if not args.json:
        first = race.contestants[0].experiment
        for line in first.describe()[:2]:
            print(line)
        print(f"race      {field.replace('_', ' ')}: {', '.join(c.label for c in race.contestants)}")
        print(target_line(race, args.target_loss, TARGET_FRACTION))
    recorder = Recorder.of_race(race, field, base.to_dict()) if args.out else None
    diagnostics = [DiagnosticsRecorder(c, race.x, race.targets[c.index], iterations_per_epoch=c.iterations_per_epoch,
                                       per_epoch=args.json) for c in race.contestants]
    while not race.done:
        event = race.step()
        for record, step in zip(diagnostics, event.steps):
            if step is not None:
                record.observe(step)
        if recorder:
            recorder.add_race(event)
    if recorder:
        for i, c in enumerate(race.contestants):
            recorder.finish(i, c.status, c.diverged_at)
        export(recorder, args.out, parser)
    if args.json:
        print(dump_json(to_dict(race, field, base, diagnostics)))
    else:
        print()
        for line in leaderboard(race, [r.saturation.detail if r.saturation else None for r in diagnostics]):
            print(line)
    return 0
