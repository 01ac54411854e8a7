"""``build()``: from an ``ExperimentConfig`` to data, a compiled model and a ``Trainer``; ``check()``:
every refusal ``build`` would make, made without building. The loss picks the output layer and the
labels' encoding (``engine.loss_output``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine import batching, budget, datasets, losses, optimizers, schedule_setup
from engine.callbacks import EarlyStopping
from engine.checks import ConfigError, unknown_name_message
from engine.config import ExperimentConfig
from engine.diagnostics_recorder import recorder_values
from engine.layers import Dense, Input
from engine.loss_output import Output, encode_targets, output_for
from engine.model import Sequential
from engine.sample_weights import parse_class_weight, resolve_class_weight
from engine.training import Trainer
from engine.wording import Wording, text_of


@dataclass
class Experiment:
    """A ready-to-train experiment: its data, its compiled model, and how the loss set it up."""

    config: ExperimentConfig
    dataset: object
    x: np.ndarray
    y: np.ndarray
    output: Output
    model: Sequential
    batch_size: int
    train_size: int
    class_weight: dict[int, float] | None
    """The training samples' class weights (``config.class_weight`` resolved), or None."""
    metric: str
    """What ``fit`` reports beside the loss (the ``Layout``'s)."""
    monitors: list[str]
    """What early stopping can watch in this experiment's logs (the ``Layout``'s)."""

    def trainer(self) -> Trainer:
        """A fresh step machine over this experiment's data (the model keeps its weights)."""
        c = self.config
        return Trainer(self.model, self.x, self.y, batch_size=self.batch_size, epochs=c.epochs,
                       validation_split=c.validation_split, shuffle=True, seed=c.seed,
                       class_weight=self.class_weight)

    def callbacks(self) -> list:
        """Keras callbacks the config asks for: ``EarlyStopping(monitor, patience)`` or nothing."""
        c = self.config
        if c.early_stopping is None:
            return []
        return [EarlyStopping(monitor=c.monitor, patience=c.early_stopping)]

    def describe(self) -> list[str]:
        """A few lines a student can read: data, network, loss→output, optimizer, batching."""
        c, ds = self.config, self.dataset
        sizes = "-".join(str(s) for s in (self.x.shape[1], *c.hidden, self.output.units))
        n_val = len(self.x) - self.train_size
        ipe = batching.iterations_per_epoch(self.train_size, self.batch_size)
        last = batching.last_batch_size(self.train_size, self.batch_size)
        mode = batching.batch_mode(self.batch_size, self.train_size)
        opt = self.model.optimizer
        params = ", ".join(f"{k}={v}" for k, v in opt.hyperparameters().items())
        data = {"name": ds.name, "n": len(self.x), "task": ds.task}
        lines = [
            Wording("data      {name} · {n} samples ({train} train / {val} validation) · {task}",
                    train=self.train_size, val=n_val, **data) if n_val else
            Wording("data      {name} · {n} samples · {task}", **data),
            Wording("model     {sizes} ({activation} hidden) · {params} parameters", sizes=sizes,
                    activation=c.activation, params=self.model.count_params()),
            Wording("loss      {output}", output=self.output.describe(self.model.loss.name)),
            Wording("optimizer {optimizer}", optimizer=f"{opt.name}({params})"),
            Wording("batch     {size} ({mode}) → {iterations} iterations per epoch, last batch {last}",
                    size=self.batch_size, mode=mode, iterations=ipe, last=last),
        ]
        if self.class_weight is not None:
            weights = ", ".join(f"{k}: {v:.4g}" for k, v in self.class_weight.items())
            lines.append(Wording("weights   {weights}", weights=f"class_weight {{{weights}}} ({c.class_weight})"))
        if c.early_stopping is not None:
            lines.append(Wording("stopping  {callback}",
                                 callback=f"EarlyStopping(monitor={c.monitor!r}, patience={c.early_stopping})"))
        return lines


def load_dataset(config: ExperimentConfig):
    """The config's dataset (a generator's name or a CSV path); errors become ``ConfigError``."""
    kwargs = {}
    if not config.reads_csv:
        kwargs = {"n_samples": config.samples, "seed": config.seed}
        if config.noise is not None:
            kwargs["noise"] = config.noise
        if config.classes is not None:
            kwargs["classes"] = config.classes
    try:
        return datasets.get(config.dataset, **kwargs)
    except ValueError as exc:
        raise ConfigError(text_of(exc)) from None


def footprint(configs: list[ExperimentConfig], dataset=None) -> budget.Footprint:
    """What ``configs`` (one experiment, or a race's contestants on shared data) will need, before any of it
    is allocated: a generator's shape comes from a few-sample draw, a loaded ``dataset`` from itself.
    Each run is counted with the diagnostics recorder and the history the app and the CLI keep for it."""
    base = configs[0]
    if dataset is not None:
        return _footprint(configs, dataset, len(dataset))
    return _footprint(configs, _probe(base), base.samples)


def _footprint(configs: list[ExperimentConfig], probe, samples: int) -> budget.Footprint:
    """``footprint`` of ``samples`` samples of ``probe``'s kind (the data itself, or a few samples of it)."""
    base = configs[0]
    train = batching.train_size(samples, base.validation_split) if samples > 1 else samples
    parts = []
    for config in configs:
        output = output_for(losses.get(config.loss), probe)
        optimizer = optimizers.get(config.optimizer, **config.optimizer_kwargs())
        p, _ = budget.network_sizes(probe.n_features, config.hidden, output.units)
        batch = batching.resolve(config.batch_size, train)
        parts.append(budget.estimate(
            samples=samples, features=probe.n_features, outputs=output.units,
            target_columns=output.units if output.targets == "one_hot" else 1, hidden=config.hidden,
            train_size=train, batch_size=batch,
            optimizer_arrays=budget.optimizer_arrays(optimizer), race=len(configs) > 1,
            diagnostics_values=recorder_values(p, batching.iterations_per_epoch(train, batch)),
            updates=config.epochs * batching.iterations_per_epoch(train, batch)))
    return budget.total(parts)


def _probe(config: ExperimentConfig):
    """A few samples from the config's generator: its features, task and classes, not its size."""
    if config.reads_csv:
        return load_dataset(config)  # the loader checks the file against the budget itself
    return load_dataset(config.replace(samples=max(64, 4 * (config.classes or 2))))


@dataclass
class Layout:
    """What ``build`` decides before it makes any array, from a config and its data's kind and size."""

    output: Output
    train_size: int
    batch_size: int
    model: Sequential
    """Compiled, its optimizer on the config's schedule; not built (no weights yet)."""
    class_weight: dict[int, float] | None
    metric: str
    """What ``fit`` reports beside the loss: ``accuracy``, or ``root_mean_squared_error`` for regression."""
    monitors: list[str]
    """What early stopping can watch in the logs."""


def layout(config: ExperimentConfig, dataset, samples: int) -> Layout:
    """``config``'s layout on ``dataset`` (its features, task and classes; a few-sample draw of a generator
    will do) holding ``samples`` samples. Every refusal ``build`` makes after the budget is made here, as a
    ``ConfigError``: a loss that does not fit the data, a split leaving no training samples, a schedule's
    or class weights' values, an early-stopping monitor the logs will not have."""
    loss = losses.get(config.loss)
    output = output_for(loss, dataset)
    split_at = batching.train_size(samples, config.validation_split)
    batch = batching.resolve(config.batch_size, split_at)
    layers = [Input(shape=(dataset.n_features,))]
    layers += [Dense(units, activation=config.activation) for units in config.hidden]
    layers.append(Dense(output.units, activation=output.activation))
    model = Sequential(layers)
    metric = "root_mean_squared_error" if dataset.task == "regression" else "accuracy"
    try:
        model.compile(loss=loss, optimizer=optimizers.get(config.optimizer, **config.optimizer_kwargs()),
                      metrics=[metric])
    except ValueError as exc:
        raise ConfigError(text_of(exc)) from None
    ipe = batching.iterations_per_epoch(split_at, batch)
    schedule = schedule_setup.build(config.schedule, config.schedule_options, model.optimizer.learning_rate,
                                    config.epochs * ipe, ipe)
    if schedule is not None:
        model.optimizer.learning_rate = schedule
    class_weight = class_weights(config, dataset, split_at)
    monitors = monitor_names(metric, split_at < samples)
    if config.early_stopping is not None and config.monitor not in monitors:
        refusal = unknown_name_message("monitor", config.monitor, monitors)
        if config.monitor.startswith("val_") and split_at == samples:
            refusal = Wording("{refusal} (no validation split: set one, or watch loss)", refusal=refusal)
        raise ConfigError(refusal)
    return Layout(output, split_at, batch, model, class_weight, metric, monitors)


def class_weights(config: ExperimentConfig, dataset, train_size: int) -> dict[int, float] | None:
    """``config.class_weight`` resolved on the labels of ``dataset``'s first ``train_size`` samples (the
    training split), or None; ``ConfigError`` for a regression dataset or a weight that does not fit."""
    if config.class_weight is None:
        return None
    if dataset.task == "regression":
        raise ConfigError(Wording("class weights need class labels, but {dataset} is a regression dataset",
                                  dataset=repr(dataset.name)))
    return resolve_class_weight(parse_class_weight(config.class_weight), np.asarray(dataset.y)[:train_size],
                                dataset.n_classes, repr(dataset.name))


def monitor_names(metric: str, validation: bool) -> list[str]:
    """What early stopping can watch: the loss and ``metric``, and their ``val_`` twins with ``validation``."""
    names = ["loss", metric]
    return names + [f"val_{n}" for n in names] if validation else names


def check(config: ExperimentConfig, dataset=None) -> Layout:
    """Every refusal ``build(config, dataset)`` makes, made without building: on a few-sample draw of a
    generator, so a setup of millions of samples is judged in milliseconds (a CSV file is loaded: at most a
    million numbers, a second or two). ``ConfigError`` (one line); else ``build`` will not refuse (short of
    running out of the machine's memory), and the ``Layout`` it will have is returned (its sizes, metric,
    compiled model; weights and class weights of the draw, not of the data)."""
    return _checked(config, dataset)[1]


def _checked(config: ExperimentConfig, dataset) -> tuple[datasets.Dataset | None, Layout]:
    """``check``'s one path, ``build``'s first steps: validate ``config``, read a CSV file once, and judge the
    setup on its rows or, with ``dataset`` ``None``, on a few samples of a generator's (whose data is not made:
    ``None`` is returned for it)."""
    config.validate()
    if dataset is None and config.reads_csv:
        dataset = load_dataset(config)  # once: checked and built from the same rows
    if dataset is None:
        probe, samples = _probe(config), config.samples
    else:
        probe, samples = dataset, len(dataset)
    budget.check(_footprint([config], probe, samples))
    return dataset, layout(config, probe, samples)


def build(config: ExperimentConfig, dataset=None) -> Experiment:
    """Validate ``config`` and assemble its experiment (``dataset`` may be passed in to reuse it).

    A setup over the memory or work budget (``engine.budget``), or one ``layout`` refuses, is refused
    before its data or model are allocated (``check``): a generator's on a few samples of it, then, once
    its data is made, on what only the data can say (a counts loss on negative targets, the class
    weights of its own labels). Each step is made once: one validation, one layout.
    """
    dataset, made = _checked(config, dataset)
    if dataset is None:  # a generator's: judged on a few samples, now made whole
        dataset = load_dataset(config)
        output_for(made.model.loss, dataset)
        made.class_weight = class_weights(config, dataset, made.train_size)
    x = np.asarray(dataset.x, dtype=np.float64)
    y = encode_targets(dataset, made.output)
    made.model.build(x.shape[1], seed=config.seed)
    return Experiment(config, dataset, x, y, made.output, made.model, made.batch_size, made.train_size,
                      made.class_weight, made.metric, made.monitors)
