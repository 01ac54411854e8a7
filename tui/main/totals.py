"""``Totals``: the run's lengths the counters show — epochs, iterations per epoch, the last batch, the batch mode.

Textual-free. The main view keeps its own ``Totals``: made from an experiment as it is put in place (before any
worker trains it), from a config while its experiment is still being built (the counters then describe the
setup on its way, not the one it replaces), and given a new length by the reports (``Snapshot.epochs``) or
by a change applied while nothing trains — the view never reads the live trainer for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from engine import ConfigError, Experiment, ExperimentConfig, batching, check_experiment


@dataclass(frozen=True)
class Totals:
    """What a run of ``epochs`` epochs over ``train_size`` samples in batches of B adds up to (``None``: not
    known until the data is read — a CSV file being loaded)."""

    epochs: int
    train_size: int | None
    batch_size: int | None
    metric: str = "metric"
    """What the epochs report beside the loss (``accuracy``, ``root_mean_squared_error``); ``metric`` while
    the data is not known."""
    plan: object = field(default=None, compare=False)
    """A setup on its way: the layout ``check_experiment`` judged it by (its optimizer on its schedule, the
    monitors early stopping may watch); ``None`` for a built one, or one whose data is not read yet."""

    @property
    def iterations(self) -> int | None:
        """``⌈N / B⌉``, the updates of an epoch."""
        return None if self.train_size is None else batching.iterations_per_epoch(self.train_size, self.batch_size)

    @property
    def last_batch(self) -> int | None:
        """``N − (⌈N/B⌉ − 1)·B``, each epoch's last batch."""
        return None if self.train_size is None else batching.last_batch_size(self.train_size, self.batch_size)

    @property
    def mode(self) -> str:
        """The lecture's name for B (batch GD, SGD, mini-batch); empty while N is not known."""
        return "" if self.train_size is None else batching.batch_mode(self.batch_size, self.train_size)

    def lasting(self, epochs: int) -> "Totals":
        """The same run, ``epochs`` long."""
        return replace(self, epochs=epochs)


def of_experiment(experiment: Experiment) -> Totals:
    """A built experiment's totals, for a run as long as its config says."""
    return Totals(experiment.config.epochs, experiment.train_size, experiment.batch_size, experiment.metric)


def of_config(config: ExperimentConfig, planned=None) -> Totals:
    """The totals ``config``'s experiment will have once built: from ``planned`` (the layout ``check_experiment``
    gave it) if given, else a generator's from the config and a few samples of it (``check_experiment``,
    milliseconds); a CSV file's are known only once it is read."""
    if planned is None and config.reads_csv:
        return Totals(config.epochs, None, None)
    try:
        planned = planned or check_experiment(config)
    except ConfigError:  # refused by the build on its way, which will say so
        return Totals(config.epochs, None, None)
    return Totals(config.epochs, planned.train_size, planned.batch_size, planned.metric, planned)
