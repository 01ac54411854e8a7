"""descend's engine: a Keras-exact NumPy trainer for small multilayer perceptrons."""

from engine import activations, callbacks, datasets, losses, metrics, optimizers
from engine.callbacks import Callback, LambdaCallback
from engine.history import History
from engine.layers import Dense, Input
from engine.model import Sequential
from engine.training import StepEvent, Trainer

__all__ = [
    "Callback", "Dense", "History", "Input", "LambdaCallback", "Sequential", "StepEvent", "Trainer",
    "activations", "callbacks", "datasets", "losses", "metrics", "optimizers",
]
