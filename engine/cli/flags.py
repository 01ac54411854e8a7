"""The experiment flags shared by ``run``, ``race``, ``landscape`` and the app, and the argparse plumbing.

Each flag's type is built on the one set of checks (``engine.checks``); a subcommand's errors are one line."""

from __future__ import annotations

import argparse
import sys
from typing import NamedTuple

from engine import activations, checks, datasets, losses, optimizers, schedule_setup
from engine.batching import check_validation_split, parse_batch_size
from engine.checks import ConfigError
from engine.config import ExperimentConfig, parse_hidden
from engine.sample_weights import class_weight_text, parse_class_weight
from engine.wording import Wording, text_of

DEFAULTS = ExperimentConfig()


class Refusal(argparse.ArgumentTypeError):
    """A flag's value refused, whose ``str()`` (what argparse reports) is the engine's ``Wording`` itself, not a
    plain copy of it: the app can say it in other words."""

    def __str__(self) -> str:
        return self.args[0]


def flag_type(parse):
    """Wrap a ``ConfigError``-raising parser as an argparse ``type``."""
    def convert(text):
        try:
            return parse(text)
        except ValueError as exc:
            raise Refusal(text_of(exc)) from None
    convert.__name__ = parse.__name__
    return convert


def one_line_error(parser: argparse.ArgumentParser):
    """``parser.error`` that prints only ``prog: error: message`` (no usage block), exit 2."""
    def error(message):
        print(f"{parser.prog}: error: {message}", file=sys.stderr)
        sys.exit(2)
    return error


def add_subcommand(sub, name: str, main, **kwargs) -> argparse.ArgumentParser:
    """A subcommand's parser whose errors are one line (exit 2), run as ``main(args, parser)``."""
    parser = sub.add_parser(name, **kwargs)
    parser.error = one_line_error(parser)
    parser.set_defaults(handler=main, parser=parser)
    return parser


def whole(name: str, minimum: int):
    """A whole number ≥ ``minimum`` named ``name`` in its error."""
    def parse(text):
        return checks.parse_whole(name, text, minimum=minimum)
    parse.__name__ = name
    return parse


def positive(name: str, *, allow_zero: bool):
    """A number > 0 (≥ 0 with ``allow_zero``) named ``name`` in its error."""
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
    if datasets.is_csv(text) or "/" in text:
        return text
    return _name("dataset", [*datasets.names(), *datasets.ALIASES])(text)


class Option(NamedTuple):
    """``--opt KEY=VALUE``: the hyperparameter, its value, and the value as typed (a refusal quotes it)."""

    key: str
    value: bool | float
    text: str


def _option(text):
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise ConfigError(Wording("optimizer options look like KEY=VALUE (e.g. beta_1=0.8), got {value}",
                                  value=repr(text)))
    return Option(key.strip(), checks.parse_flag_or_number(key.strip(), value), value)


def refusal_of(exc: BaseException, args) -> str:
    """The one line of ``exc`` (a setup the flags describe, refused), an ``--opt`` value quoted as typed (those of a
    setup file were not typed: as they are)."""
    return checks.options_as_typed(text_of(exc), (option for option in args.opt if isinstance(option, Option)))


def _class_weight(text):
    return class_weight_text(parse_class_weight(text))


def add_experiment_arguments(parser: argparse.ArgumentParser) -> None:
    """The experiment flags, shared by ``run``, ``race`` and the app; defaults from ``ExperimentConfig``."""
    d = DEFAULTS
    loss_names = [*losses.names(), *losses.ALIASES]
    opt_names = optimizers.names()
    g = parser.add_argument_group("experiment")
    g.add_argument("--dataset", type=flag_type(_dataset), default=d.dataset,
                   help=f"a generator ({', '.join(datasets.names())}) or a CSV file (default {d.dataset})")
    g.add_argument("--samples", type=flag_type(whole("samples", 1)), default=d.samples,
                   help=f"samples to generate (default {d.samples})")
    g.add_argument("--noise", type=flag_type(positive("noise", allow_zero=True)), default=None,
                   help="noise level (default: the dataset's own)")
    g.add_argument("--classes", type=flag_type(whole("classes", 2)), default=None,
                   help="classes for blobs/spiral (default 2)")
    g.add_argument("--hidden", type=flag_type(parse_hidden), default=d.hidden,
                   help=f"hidden layer sizes, comma-separated (default {','.join(map(str, d.hidden))})")
    g.add_argument("--activation", type=flag_type(_name("activation", activations.names())),
                   default=d.activation, help=f"hidden activation: {', '.join(activations.names())}")
    g.add_argument("--loss", type=flag_type(_name("loss", loss_names)), default=d.loss,
                   help=f"loss: {', '.join(losses.names())} (default {d.loss})")
    g.add_argument("--optimizer", type=flag_type(_name("optimizer", opt_names)), default=d.optimizer,
                   help=f"optimizer: {', '.join(opt_names)} (default {d.optimizer})")
    g.add_argument("--learning-rate", "--lr", type=flag_type(positive("learning rate", allow_zero=False)),
                   default=None, help="learning rate (default: the optimizer's Keras default)")
    g.add_argument("--opt", type=flag_type(_option), action="append", default=[], metavar="KEY=VALUE",
                   help="another optimizer hyperparameter, e.g. --opt momentum=0.5 (repeatable)")
    g.add_argument("--batch-size", type=flag_type(parse_batch_size), default=d.batch_size,
                   help=f"N or 'full' for batch gradient descent; 1 is SGD (default {d.batch_size})")
    g.add_argument("--epochs", type=flag_type(whole("epochs", 1)), default=d.epochs,
                   help=f"epochs (default {d.epochs})")
    g.add_argument("--validation-split", type=flag_type(_split), default=d.validation_split,
                   help=f"fraction held out, taken from the end (default {d.validation_split})")
    g.add_argument("--seed", type=flag_type(whole("seed", 0)), default=d.seed,
                   help=f"seed for data, weights and batch order (default {d.seed})")
    t = parser.add_argument_group("learning-rate schedule, early stopping, class weights (Keras's)")
    t.add_argument("--schedule", type=flag_type(schedule_setup.canonical), default=d.schedule, metavar="NAME",
                   help=f"learning-rate schedule: {', '.join(schedule_setup.NAMES)} (default constant); "
                        "its defaults follow the run's length")
    t.add_argument("--schedule-opt", type=flag_type(schedule_setup.parse_option), action="append", default=[],
                   metavar="KEY=VALUE", help="a Keras argument of the schedule, e.g. --schedule-opt decay_steps=100, "
                                             "warmup_steps=200 (cosine), boundaries=500,1000 (step) (repeatable)")
    t.add_argument("--early-stopping", type=flag_type(whole("early stopping patience", 0)), default=d.early_stopping,
                   metavar="PATIENCE", help="stop after PATIENCE epochs without improvement (keras EarlyStopping)")
    t.add_argument("--monitor", default=d.monitor,
                   help=f"what early stopping watches: loss, the metric, or val_… (default {d.monitor})")
    t.add_argument("--class-weight", type=flag_type(_class_weight), default=d.class_weight, metavar="balanced|0=1,1=3",
                   help="weigh each class's samples: 'balanced' (n / (k·count), as scikit-learn) or CLASS=WEIGHT,…")


def config_from_args(args) -> ExperimentConfig:
    """The experiment the flags describe."""
    return ExperimentConfig(
        dataset=args.dataset, samples=args.samples, noise=args.noise, classes=args.classes,
        hidden=args.hidden, activation=args.activation, loss=args.loss, optimizer=args.optimizer,
        learning_rate=args.learning_rate, optimizer_options=dict(option[:2] for option in args.opt),
        batch_size=args.batch_size, epochs=args.epochs,
        validation_split=args.validation_split, seed=args.seed,
        schedule=None if args.schedule == "constant" else args.schedule, schedule_options=dict(args.schedule_opt),
        early_stopping=args.early_stopping, monitor=args.monitor, class_weight=args.class_weight,
    )
