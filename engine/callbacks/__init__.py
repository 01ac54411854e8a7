"""Keras-style callbacks (``keras.callbacks``): hooks into ``fit``, early stopping, learning-rate control."""

from engine.callbacks.base import Callback
from engine.callbacks.early_stopping import EarlyStopping, StopWatch, replay
from engine.callbacks.lambda_callback import LambdaCallback
from engine.callbacks.learning_rate_scheduler import LearningRateScheduler
from engine.callbacks.monitor import MonitorCallback
from engine.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau

__all__ = ["Callback", "EarlyStopping", "LambdaCallback", "LearningRateScheduler", "MonitorCallback",
           "ReduceLROnPlateau", "StopWatch", "replay"]
