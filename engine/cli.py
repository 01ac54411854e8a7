"""``python -m engine``: train headlessly (``run``), race contestants (``race``), list the registries
(``list``), measure (``bench``); ``surface`` and ``landscape`` live in
engine.surfaces.command and engine.landscape.command."""

from __future__ import annotations

import argparse
import sys

from engine import activations, checks, datasets, losses, optimizers, schedule_setup, sharing
from engine.batching import check_validation_split, parse_batch_size
from engine.checks import ConfigError, unknown_name_message
from engine.config import ExperimentConfig, parse_float, parse_hidden
from engine.sample_weights import class_weight_text, parse_class_weight
from engine.experiment import build
from engine.jsonout import dump_json
from engine.export import ExportError, Recorder, check_path
from engine.race import DEFAULT_OPTIMIZERS
from engine.landscape import command as landscape_command
from engine.surfaces import command as surface_command
from engine.callbacks import LambdaCallback
from engine.training import ProgressPrinter, format_number
from engine.diagnostics_recorder import DiagnosticsPrinter, DiagnosticsRecorder

COMMANDS = ("run", "race", "surface", "landscape", "list", "bench")
SUBCOMMANDS_WITH_SETUP = ("run", "race")
DEFAULTS = ExperimentConfig()


def _checked(parse):
    """Wrap a ``ConfigError``-raising parser as an argparse ``type``."""
    def convert(text):
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    convert.__name__ = parse.__name__
    return convert


def _whole(name: str, minimum: int):
    def parse(text):
        return checks.parse_whole(name, text, minimum=minimum)
    parse.__name__ = name
    return parse


def _positive(name: str, *, allow_zero: bool):
    def parse(text):
        return checks.parse_number(name, text, low=0, low_open=not allow_zero)
    parse.__name__ = name
    return parse


def _split(text):
    return check_validation_split(checks.parse_number("validation split", text))


def _name(kind: str, valid):
    def parse(text):
        return checks.name(kind, text, valid)
    parse.__name__ = kind
    return parse


def _dataset(text):
    if text.lower().endswith(".csv") or "/" in text:
        return text
    return _name("dataset", [*datasets.names(), *datasets.ALIASES])(text)


def _option(text):
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise ConfigError(f"optimizer options look like KEY=VALUE (e.g. beta_1=0.8), got {text!r}")
    value = value.strip()
    if value.lower() in ("true", "false"):
        return key.strip(), value.lower() == "true"
    return key.strip(), parse_float(key.strip(), value)


def _class_weight(text):
    return class_weight_text(parse_class_weight(text))


def add_experiment_arguments(parser: argparse.ArgumentParser) -> None:
    """The experiment flags, shared by ``run``, ``race`` and the app; defaults from ``ExperimentConfig``."""
    d = DEFAULTS
    loss_names = [*losses.names(), *losses.ALIASES]
    opt_names = optimizers.names()
    g = parser.add_argument_group("experiment")
    g.add_argument("--dataset", type=_checked(_dataset), default=d.dataset,
                   help=f"a generator ({', '.join(datasets.names())}) or a CSV file (default {d.dataset})")
    g.add_argument("--samples", type=_checked(_whole("samples", 1)), default=d.samples,
                   help=f"samples to generate (default {d.samples})")
    g.add_argument("--noise", type=_checked(_positive("noise", allow_zero=True)), default=None,
                   help="noise level (default: the dataset's own)")
    g.add_argument("--classes", type=_checked(_whole("classes", 2)), default=None,
                   help="classes for blobs/spiral (default 2)")
    g.add_argument("--hidden", type=_checked(parse_hidden), default=d.hidden,
                   help=f"hidden layer sizes, comma-separated (default {','.join(map(str, d.hidden))})")
    g.add_argument("--activation", type=_checked(_name("activation", activations.names())),
                   default=d.activation, help=f"hidden activation: {', '.join(activations.names())}")
    g.add_argument("--loss", type=_checked(_name("loss", loss_names)), default=d.loss,
                   help=f"loss: {', '.join(losses.names())} (default {d.loss})")
    g.add_argument("--optimizer", type=_checked(_name("optimizer", opt_names)), default=d.optimizer,
                   help=f"optimizer: {', '.join(opt_names)} (default {d.optimizer})")
    g.add_argument("--learning-rate", "--lr", type=_checked(_positive("learning rate", allow_zero=False)),
                   default=None, help="learning rate (default: the optimizer's Keras default)")
    g.add_argument("--opt", type=_checked(_option), action="append", default=[], metavar="KEY=VALUE",
                   help="another optimizer hyperparameter, e.g. --opt momentum=0.5 (repeatable)")
    g.add_argument("--batch-size", type=_checked(parse_batch_size), default=d.batch_size,
                   help=f"N or 'full' for batch gradient descent; 1 is SGD (default {d.batch_size})")
    g.add_argument("--epochs", type=_checked(_whole("epochs", 1)), default=d.epochs,
                   help=f"epochs (default {d.epochs})")
    g.add_argument("--validation-split", type=_checked(_split), default=d.validation_split,
                   help=f"fraction held out, taken from the end (default {d.validation_split})")
    g.add_argument("--seed", type=_checked(_whole("seed", 0)), default=d.seed,
                   help=f"seed for data, weights and batch order (default {d.seed})")
    t = parser.add_argument_group("learning-rate schedule, early stopping, class weights (Keras's)")
    t.add_argument("--schedule", type=_checked(schedule_setup.canonical), default=d.schedule, metavar="NAME",
                   help=f"learning-rate schedule: {', '.join(schedule_setup.NAMES)} (default constant); "
                        "its defaults follow the run's length")
    t.add_argument("--schedule-opt", type=_checked(schedule_setup.parse_option), action="append", default=[],
                   metavar="KEY=VALUE", help="a Keras argument of the schedule, e.g. --schedule-opt decay_steps=100, "
                                             "warmup_steps=200 (cosine), boundaries=500,1000 (step) (repeatable)")
    t.add_argument("--early-stopping", type=_checked(_whole("early stopping patience", 0)), default=d.early_stopping,
                   metavar="PATIENCE", help="stop after PATIENCE epochs without improvement (keras EarlyStopping)")
    t.add_argument("--monitor", default=d.monitor,
                   help=f"what early stopping watches: loss, the metric, or val_… (default {d.monitor})")
    t.add_argument("--class-weight", type=_checked(_class_weight), default=d.class_weight, metavar="balanced|0=1,1=3",
                   help="weigh each class's samples: 'balanced' (n / (k·count), as scikit-learn) or CLASS=WEIGHT,…")


def config_from_args(args) -> ExperimentConfig:
    return ExperimentConfig(
        dataset=args.dataset, samples=args.samples, noise=args.noise, classes=args.classes,
        hidden=args.hidden, activation=args.activation, loss=args.loss, optimizer=args.optimizer,
        learning_rate=args.learning_rate, optimizer_options=dict(args.opt),
        batch_size=args.batch_size, epochs=args.epochs,
        validation_split=args.validation_split, seed=args.seed,
        schedule=None if args.schedule == "constant" else args.schedule, schedule_options=dict(args.schedule_opt),
        early_stopping=args.early_stopping, monitor=args.monitor, class_weight=args.class_weight,
    )


def refuse_surface_setup(args, parser) -> None:
    """A surface walk given to ``run`` or ``race``: one line saying where it goes."""
    if args.surface_setup is not None:
        _one_line_error(parser)(f"{args.config} holds a surface walk: use python -m engine surface --config {args.config}")


def command_run(args, parser) -> int:
    refuse_surface_setup(args, parser)
    if args.race_setup is not None:
        _one_line_error(parser)(f"{args.config} holds a race: use python -m engine race --config {args.config}")
    try:
        experiment = build(config_from_args(args))
        trainer = experiment.trainer()
    except ValueError as exc:
        _one_line_error(parser)(str(exc))
    try:
        share(args, sharing.Setup(experiment.config))
    except ValueError as exc:
        _one_line_error(parser)(str(exc))
    if not args.json:
        for line in experiment.describe():
            print(line)
    diagnostics = DiagnosticsRecorder(experiment.model, trainer.x, trainer.y, per_epoch=args.json or args.diagnostics,
                                      iterations_per_epoch=trainer.iterations_per_epoch)
    stopping = experiment.callbacks()
    callbacks = [diagnostics] + ([] if args.json else [ProgressPrinter(trainer)]) + stopping
    if args.diagnostics and not args.json:
        callbacks.append(DiagnosticsPrinter(diagnostics))
    recorder = Recorder.of_trainer(trainer, experiment.config.to_dict()) if args.out else None
    if recorder:
        callbacks.append(LambdaCallback(on_train_batch_end=lambda batch, event: recorder.add(event)))
    history = trainer.fit(verbose=0, callbacks=callbacks)
    if recorder:
        recorder.finish(0, history.status, history.diverged_at)
        export(recorder, args.out, parser)
    rate = trainer.step_count / trainer.seconds if trainer.seconds else 0.0
    if args.json:
        print(dump_json({
            "config": experiment.config.to_dict(),
            "output": {"units": experiment.output.units, "activation": experiment.output.activation,
                       "targets": experiment.output.targets},
            "train_samples": experiment.train_size,
            "batch_size": trainer.batch_size,
            "iterations_per_epoch": trainer.iterations_per_epoch,
            "last_batch_size": trainer.last_batch_size,
            "steps": trainer.step_count,
            "examples_seen": trainer.examples_seen,
            "history": history.history,
            "status": history.status,
            "status_detail": diagnostics.saturation.detail if diagnostics.saturation else None,
            "diverged_at": history.diverged_at,
            "seconds": trainer.seconds,
            "steps_per_second": rate,
            "saturation": diagnostics.saturation.to_dict() if diagnostics.saturation else None,
            "diagnostics": [entry.to_dict() for entry in diagnostics.entries],
            "early_stopping": None if not stopping else {
                "monitor": stopping[0].monitor, "patience": stopping[0].patience,
                "stopped_epoch": stopping[0].stopped_epoch + 1 if stopping[0].stopped_epoch else None,
                "best_epoch": stopping[0].best_epoch + 1 if stopping[0].best is not None else None,
                "best": stopping[0].best},
        }))
    else:
        if stopping and stopping[0].stopped_epoch:
            es = stopping[0]
            print(f"Epoch {es.stopped_epoch + 1}: early stopping · best epoch {es.best_epoch + 1} "
                  f"({es.monitor}: {format_number(es.best)})")
        detail = diagnostics.saturation.detail if diagnostics.saturation else None
        status = history.status if detail is None else f"{history.status} · {detail}"
        print(f"{status} · {trainer.step_count} steps · {rate:,.0f} steps/s")
    return 0


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
        _one_line_error(parser)(str(exc))
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


def share(args, setup) -> None:
    """Before training: check the ``--out`` path and write ``--save-config`` (``ValueError`` if unusable)."""
    if args.out:
        check_path(args.out)
    if args.save_config:
        sharing.save(args.save_config, setup)
        print(f"saved the setup to {args.save_config}", file=sys.stderr)


def export(recorder: Recorder, path: str, parser) -> None:
    try:
        recorder.write(path)
    except ExportError as exc:
        _one_line_error(parser)(str(exc))
    print(f"exported the history to {path}", file=sys.stderr)


RACE_FLAGS = {"optimizers": "optimizer", "learning_rates": "learning_rate", "losses": "loss",
              "batch_sizes": "batch_size", "schedules": "schedule"}
"""``race`` list flags (argparse dest) → the config field each compares."""


def command_race(args, parser) -> int:
    from engine.race import TARGET_FRACTION, Race, entries, parse_values
    from engine.race.report import leaderboard, target_line, to_dict

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
        parser.error(str(exc))  # the race parser's: one line, exit 2
    if not args.json:
        first = race.contestants[0].experiment
        for line in first.describe()[:2]:
            print(line)
        print(f"race      {field.replace('_', ' ')}: {', '.join(c.label for c in race.contestants)}")
        print(target_line(race, args.target_loss, TARGET_FRACTION))
    recorder = Recorder.of_race(race, field, base.to_dict()) if args.out else None
    targets = {m.index: heat.y for heat in race.heats for m in heat.members}  # as each loss prepared them
    diagnostics = [DiagnosticsRecorder(c, race.x, targets[c.index], iterations_per_epoch=c.iterations_per_epoch,
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


def _one_line_error(parser: argparse.ArgumentParser):
    """``parser.error`` that prints only ``prog: error: message`` (no usage block), exit 2."""
    def error(message):
        print(f"{parser.prog}: error: {message}", file=sys.stderr)
        sys.exit(2)
    return error


def command_list(args, parser) -> int:
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


def command_bench(args, parser) -> int:
    from engine.bench import main as bench_main

    return bench_main(quick=args.quick)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m engine",
        description="descend's engine: train a small network exactly as Keras 3 would, headlessly.")
    sub = parser.add_subparsers(dest="command", metavar="{" + ",".join(COMMANDS) + "}")
    run = sub.add_parser("run", help="train one experiment and print its epochs")
    add_experiment_arguments(run)
    run.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    run.add_argument("--diagnostics", action="store_true",
                     help="under each epoch line: learning rate, gradient norm, update/weight ratio, "
                          "effective step size min / median / max (and momentum, bias corrections)")
    add_sharing_arguments(run)
    run.error = _one_line_error(run)
    run.set_defaults(handler=command_run, parser=run)
    race = sub.add_parser(
        "race", help="train several contestants in lockstep and print a leaderboard",
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
    race.add_argument("--target-loss", type=_checked(_positive("target loss", allow_zero=False)), default=None,
                      help="epoch loss to race to (default: half of each contestant's initial loss)")
    add_sharing_arguments(race)
    race.error = _one_line_error(race)
    race.set_defaults(handler=command_race, parser=race)
    surface = sub.add_parser("surface", help="optimizers walking a 2-D loss surface from one start point",
                             description="Each optimizer (the engine's own) walks the surface from --start, one "
                                         "update per step, on the analytic gradient (linreg: each batch's).")
    surface_command.add_arguments(surface)
    surface.error = _one_line_error(surface)
    surface.set_defaults(handler=surface_command.main, parser=surface)
    landscape = sub.add_parser("landscape", help="train, then map the loss on a plane through the weights",
                               description="Train the experiment (the flags of run) and compute the loss on a "
                                           "grid over a plane through the final weights, the path projected.")
    add_experiment_arguments(landscape)
    landscape_command.add_arguments(landscape)
    landscape.error = _one_line_error(landscape)
    landscape.set_defaults(handler=lambda args, parser: landscape_command.main(config_from_args(args), args, parser),
                           parser=landscape)
    lst = sub.add_parser("list", help="losses, optimizers (with defaults), datasets, activations")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=command_list)
    bench = sub.add_parser("bench", help="print training speed in steps/s")
    bench.add_argument("--quick", action="store_true", help="shorter measurements")
    bench.set_defaults(handler=command_bench)
    parser.subcommands = {"run": run, "race": race}
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
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    return args.handler(args, getattr(args, "parser", parser))  # errors name the subcommand
