"""``python -m engine surface NAME``: several optimizers walk one surface from one start point."""

from __future__ import annotations

import argparse

from engine import checks, optimizers
from engine.config import FULL_BATCH, ConfigError, parse_float
from engine.jsonout import dump_json
from engine.race import parse_values
from engine.registry import unknown_name_message
from engine.surfaces import ALL, TOLERANCE, Descent, LinReg, Quadratic, Surface, get, names
from engine.surfaces.walkers import DEFAULT_OPTIMIZERS, LINREG_BATCH_SIZES, batch_label
from engine.cli.flags import add_subcommand
from engine.wording import text_of


def add_parser(sub) -> argparse.ArgumentParser:
    """``surface`` and its flags."""
    surface = add_subcommand(sub, "surface", main,
                             help="optimizers walking a 2-D loss surface from one start point",
                             description="Each optimizer (the engine's own) walks the surface from --start, one "
                                         "update per step, on the analytic gradient (linreg: each batch's).")
    add_arguments(surface)
    return surface


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", nargs="?", help=f"the surface: {', '.join(names())}")
    parser.add_argument("--config", metavar="FILE.toml",
                        help="walk a setup file's [surface] as it is (saved with W in the surface view)")
    parser.add_argument("--optimizers", metavar="LIST", default=None,
                        help=f"comma-separated, each optionally NAME:KEY=VALUE as in race (default "
                             f"{','.join(DEFAULT_OPTIMIZERS)}; linreg: sgd); choices: {', '.join(optimizers.names())}")
    parser.add_argument("--learning-rates", metavar="LIST", default=None,
                        help="one learning rate per optimizer, or one for all (default: the surface's own)")
    parser.add_argument("--opt", action="append", default=[], metavar="[NAME:]KEY=VALUE",
                        help="a hyperparameter for every optimizer, or for NAME's only (repeatable)")
    parser.add_argument("--start", metavar="X,Y", default=None, help="the start point (default: the surface's own); a negative x as --start=-1,2")
    parser.add_argument("--steps", metavar="S", default=None, help="most updates per optimizer (default: the surface's own)")
    parser.add_argument("--kappa", metavar="K", default=None, help="quadratic only: κ in ½(x² + κy²) (default 10)")
    parser.add_argument("--batch-sizes", metavar="LIST", default=None,
                        help="linreg only: batch sizes to walk with, e.g. full,32,1 (the default)")
    parser.add_argument("--tol", metavar="T", default=None,
                        help=f"distance to a minimum that counts as reaching it (default {TOLERANCE:g})")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")


def parse_steps(text: str) -> int:
    return checks.parse_whole("steps", text, minimum=1)


def parse_rate(text: str) -> float:
    return checks.parse_number("learning rate", text.strip(), low=0, low_open=True)


def parse_option(text: str) -> tuple[str | None, str, object, str]:
    """``[NAME:]KEY=VALUE`` → ``(NAME or None, KEY, value, VALUE as typed)``."""
    target, _, rest = text.rpartition(":")
    key, sep, value = rest.partition("=")
    if not sep or not key.strip():
        raise ConfigError(f"optimizer options look like KEY=VALUE or NAME:KEY=VALUE, got {text!r}")
    key = key.strip()
    return (target.strip().lower() or None), key, checks.parse_flag_or_number(key, value), value


def from_config(args) -> tuple[Surface, list[Descent]]:
    """The surface and walks of ``--config FILE``'s ``[surface]``; ``ConfigError`` (one line) if unusable."""
    from engine import sharing

    if args.name is not None:
        raise ConfigError(f"--config {args.config} names its own surface: give no NAME")
    setup = sharing.load(args.config)
    if setup.surface is None:
        raise ConfigError(f"{args.config} holds no surface walk ([surface]): train it with python -m engine "
                          f"{setup.kind} --config {args.config}")
    surface = setup.surface.surface()
    return surface, setup.surface.walks(surface)


def build_walks(args) -> tuple[Surface, list[Descent]]:
    """The surface and one ``Descent`` per optimizer (× batch size on linreg); ``ConfigError`` if unusable."""
    if args.name is None:
        raise ConfigError(f"name a surface ({', '.join(names())}) or give --config FILE")
    name = args.name.lower()
    if name not in ALL:
        raise ConfigError(unknown_name_message("surface", args.name, names()))
    params = {}
    if args.kappa is not None:
        if name != "quadratic":
            raise ConfigError(f"--kappa sets the quadratic's κ; {name} has none")
        params["kappa"] = parse_float("kappa", args.kappa)
    try:
        surface = get(name, **params)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    linreg = isinstance(surface, LinReg)
    start = checks.parse_pair("start", args.start) if args.start is not None else surface.start
    steps = parse_steps(args.steps) if args.steps is not None else surface.steps
    tol = TOLERANCE if args.tol is None else checks.parse_number("tol", args.tol, low=0)
    chosen = parse_values("optimizer", args.optimizers or ("sgd" if linreg else ",".join(DEFAULT_OPTIMIZERS)))
    rates = [] if args.learning_rates is None else [parse_rate(p) for p in args.learning_rates.split(",")]
    if len(rates) > 1 and len(rates) != len(chosen):
        raise ConfigError(f"--learning-rates gives {len(rates)} rates for {len(chosen)} optimizers")
    options = [parse_option(text) for text in args.opt]
    for target, *_ in options:
        if target is not None and target not in [n for n, _ in chosen]:
            raise ConfigError(f"--opt names {target!r}, which is not in --optimizers")
    if args.batch_sizes is not None and not linreg:
        raise ConfigError(f"--batch-sizes needs data: only linreg has it, not {name}")
    sizes = [None]
    if linreg:
        sizes = parse_values("batch_size", args.batch_sizes) if args.batch_sizes else list(LINREG_BATCH_SIZES)
        sizes = [surface.samples if b == FULL_BATCH else min(int(b), surface.samples) for b in sizes]
    walks = []
    for index, (opt_name, own) in enumerate(chosen):
        kwargs = {"learning_rate": surface.learning_rate}
        kwargs.update({k: v for target, k, v, _ in options if target in (None, opt_name)})
        if rates:
            kwargs["learning_rate"] = rates[index if len(rates) > 1 else 0]
        kwargs.update(own)
        try:
            optimizers.get(opt_name, **kwargs)
        except ValueError as exc:  # an --opt value quoted as typed
            mine = ((key, value, text) for target, key, value, text in options if target in (None, opt_name))
            raise ConfigError(f"{opt_name}: {checks.options_as_typed(text_of(exc), mine)}") from None
        label = opt_name + "".join(f":{k}={v:g}" if isinstance(v, float) else f":{k}={v}" for k, v in own.items())
        for b in sizes:
            walk_label = label if b is None else batch_label(label, b, surface.samples, len(chosen))
            walks.append(Descent(surface, optimizers.get(opt_name, **kwargs), start, steps=steps, batch_size=b,
                                 tol=tol, label=walk_label))
    return surface, walks


def facts(surface: Surface, walks: list[Descent]) -> dict:
    """What the surface's JSON says besides the runs: formula, minima, and on the quadratic its conditioning."""
    minimum = surface.minimum
    out = {
        "surface": surface.name,
        "formula": surface.formula,
        "params": surface.params(),
        "minimum": None if minimum is None else minimum.tolist(),
        "minimum_value": surface.minimum_value,
        "minima": surface.minima.tolist(),
    }
    if isinstance(surface, Quadratic):
        out["condition_number"] = surface.condition_number
        out["divergence_learning_rates"] = {w.label: surface.divergence_learning_rate(w.optimizer) for w in walks}
    return out


def main(args, parser) -> int:
    try:
        surface, walks = from_config(args) if args.config else build_walks(args)
    except ValueError as exc:
        parser.error(str(exc))
    for walk in walks:
        walk.run()
    info = facts(surface, walks)
    if args.json:
        print(dump_json({**info, "start": walks[0].path[0].tolist(), "steps": walks[0].steps,
                         "tolerance": walks[0].tol, "runs": [w.to_dict() for w in walks]}))
        return 0
    for line in describe(surface, info, walks):
        print(line)
    return 0


def describe(surface: Surface, info: dict, walks: list[Descent]) -> list[str]:
    """The text report: the surface, its minimum, then one line per walk."""
    lines = [f"surface   {surface.name}: {surface.formula}"]
    if info["minimum"] is None:
        lines.append("minimum   none (f is unbounded below)")
    else:
        where = ", ".join(f"({x:.4g}, {y:.4g})" for x, y in surface.minima)
        lines.append(f"minimum   f = {info['minimum_value']:.4g} at {where}")
    if "condition_number" in info:
        lines.append(f"condition κ = λmax/λmin = {info['condition_number']:g}")
        for label, rate in info["divergence_learning_rates"].items():
            if rate is not None:
                lines.append(f"          {label} diverges above learning rate {rate:.4g}")
    start = walks[0].path[0]
    lines.append(f"start     ({start[0]:g}, {start[1]:g}) · at most {walks[0].steps} steps")
    lines.append("")
    width = max(len(w.label) for w in walks)
    for w in walks:
        x, y = w.point
        lr = w.optimizer.learning_rate
        lines.append(f"{w.label:<{width}}  lr={lr:<7g} ({x: .4f}, {y: .4f})  f={w.losses[-1]:<10.4g} "
                     f"|∇f|={w.gradient_norm:<9.3g} {w.status_text()}")
    return lines
