"""``python -m engine run``: train one experiment headlessly and print its epochs (or one JSON object)."""

from __future__ import annotations

import argparse

from engine import sharing
from engine.callbacks import LambdaCallback
from engine.cli.flags import add_experiment_arguments, add_subcommand, config_from_args, one_line_error, refusal_of
from engine.cli.setup_files import add_sharing_arguments, export, refuse_surface_setup, share
from engine.diagnostics_recorder import DiagnosticsPrinter, DiagnosticsRecorder
from engine.experiment import build
from engine.export import Recorder
from engine.jsonout import dump_json
from engine.training import ProgressPrinter, format_number


def add_parser(sub) -> argparse.ArgumentParser:
    """``run`` and its flags: the experiment's, ``--json``, ``--diagnostics`` and the sharing flags."""
    run = add_subcommand(sub, "run", main, help="train one experiment and print its epochs")
    add_experiment_arguments(run)
    run.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    run.add_argument("--diagnostics", action="store_true",
                     help="under each epoch line: learning rate, gradient norm, update/weight ratio, "
                          "effective step size min / median / max (and momentum, bias corrections)")
    add_sharing_arguments(run)
    return run


def main(args, parser) -> int:
    refuse_surface_setup(args, parser)
    if args.race_setup is not None:
        one_line_error(parser)(f"{args.config} holds a race: use python -m engine race --config {args.config}")
    try:
        experiment = build(config_from_args(args))
        trainer = experiment.trainer()
    except ValueError as exc:
        one_line_error(parser)(refusal_of(exc, args))
    try:
        share(args, sharing.Setup(experiment.config))
    except ValueError as exc:
        one_line_error(parser)(str(exc))
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
        print(f"{status} · {trainer.step_count:,} steps · {rate:,.0f} steps/s")
    return 0
