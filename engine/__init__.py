"""descend's engine: a Keras-exact NumPy trainer for small multilayer perceptrons.

BLAS runs on one thread unless the environment says otherwise (``OPENBLAS_NUM_THREADS``,
``MKL_NUM_THREADS``, ``OMP_NUM_THREADS``), set here before NumPy is first imported (``python -m engine``, ``python -m tui``;
a program that imported NumPy first keeps its own setting). The networks here are small: BLAS's
threads mostly spin, taking the core the app's screen needs (a 256-256 network, 3 epochs of 20,000
samples on a busy 2-core machine: 27 s with OpenBLAS's threads, 3.4 s on one), and a product whose sum
is split across threads can differ in its last bits with the core count, so the same setup could give
other numbers on another machine.
"""

import os

if "OMP_NUM_THREADS" not in os.environ:  # which both libraries read when their own is unset
    for _variable in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(_variable, "1")

from engine import activations, batching, budget, callbacks, checks, datasets, losses, metrics, optimizers
from engine import sample_weights, schedule_setup
from engine.batching import FULL_BATCH, KERAS_DEFAULT_BATCH, batch_mode, parse_batch_size
from engine.checks import ConfigError
from engine.wording import Wording, text_of
from engine.callbacks import (Callback, EarlyStopping, LambdaCallback, LearningRateScheduler, ReduceLROnPlateau,
                              StopWatch)
from engine.config import ExperimentConfig, parse_float, parse_hidden
from engine.experiment import Experiment
from engine.experiment import build as build_experiment
from engine.experiment import check as check_experiment
from engine.experiment import footprint, load_dataset
from engine.history import History
from engine.layers import Dense, Input
from engine.model import Sequential
from engine.core import StepEvent
from engine.training import Trainer
from engine.diagnostics import Diagnostics, LayerDiagnostics, Spread
from engine.diagnostics_recorder import DiagnosticsRecorder
from engine.saturation import Saturation
from engine import command_line, export, landscape, sharing, surfaces
from engine.surfaces.setup import SurfaceSetup, WalkerSetup  # a surface walk as a setup file
from engine.cli import add_experiment_arguments, config_from_args, flag_type, load_setup_defaults, refusal_of, setup_defaults  # last: the CLI uses the above

__all__ = [
    "FULL_BATCH", "KERAS_DEFAULT_BATCH", "Callback", "ConfigError", "Dense", "EarlyStopping", "Experiment", "ExperimentConfig", "History",
    "Input", "LambdaCallback", "LearningRateScheduler", "ReduceLROnPlateau", "Sequential", "StopWatch", "StepEvent",
    "Trainer", "Wording", "activations", "batch_mode", "batching", "budget", "build_experiment", "check_experiment", "callbacks", "command_line", "footprint", "load_dataset", "checks", "datasets", "export",
    "landscape", "losses", "metrics", "optimizers", "parse_batch_size", "parse_float", "parse_hidden", "sample_weights",
    "flag_type", "load_setup_defaults", "refusal_of", "schedule_setup", "setup_defaults", "sharing", "surfaces", "text_of",
    "Diagnostics", "DiagnosticsRecorder", "LayerDiagnostics", "Saturation", "Spread", "SurfaceSetup", "WalkerSetup",
]
