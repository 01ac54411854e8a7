"""descend's engine: a Keras-exact NumPy trainer for small multilayer perceptrons."""

from engine import activations, callbacks, datasets, losses, metrics, optimizers
from engine.callbacks import Callback, EarlyStopping, LambdaCallback, LearningRateScheduler, ReduceLROnPlateau
from engine.config import FULL_BATCH, ConfigError, ExperimentConfig, parse_batch_size, parse_float, parse_hidden
from engine.experiment import Experiment, batch_mode
from engine.experiment import build as build_experiment
from engine.history import History
from engine.layers import Dense, Input
from engine.model import Sequential
from engine.core import StepEvent
from engine.training import Trainer
from engine.cli import add_experiment_arguments, config_from_args  # last: the CLI uses the above

__all__ = [
    "FULL_BATCH", "Callback", "ConfigError", "Dense", "EarlyStopping", "Experiment", "ExperimentConfig", "History",
    "Input", "LambdaCallback", "LearningRateScheduler", "ReduceLROnPlateau", "Sequential", "StepEvent", "Trainer",
    "activations", "batch_mode", "build_experiment", "callbacks", "datasets", "losses", "metrics",
    "optimizers", "parse_batch_size", "parse_float", "parse_hidden",
]
