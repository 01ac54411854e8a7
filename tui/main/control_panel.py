"""``ControlPanel``: every setting of an experiment (learning-rate schedule, early stopping and class
weights too), with option lists from the engine's registries."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label, Static

from engine import (ExperimentConfig, activations, batching, checks, datasets, losses, optimizers,
                    parse_batch_size, parse_float, parse_hidden, sample_weights, schedule_setup)
from tui import i18n
from tui.widgets.own_focus_style import OwnFocusStyle
from tui.widgets.fields import Choice, Field, Flag, Setting, show_words, words
from tui.widgets.steps import HYPERPARAMETER_STEPS, one, tenfold, tenth
from tui.widgets.status import canonical_loss

HYPERPARAMETER_LABELS = {
    "learning_rate": "lr", "beta_1": "β1", "beta_2": "β2", "epsilon": "ε", "rho": "ρ",
    "initial_accumulator_value": "acc₀", "weight_decay": "decay",
}
"""Short labels in the lecture's notation; any other hyperparameter shows its own name."""

def whole(name: str, minimum: int | None = None):
    """A parser for a whole number (the config's own check gives the range, unless ``minimum``)."""
    return lambda text: checks.parse_whole(name, text, minimum=minimum)


def number(name: str):
    return lambda text: parse_float(name, text)


def optional_number(name: str):
    """Blank means "the default" (``None``)."""
    return lambda text: None if not text.strip() else parse_float(name, text)


def optional_whole(name: str):
    return lambda text: None if not text.strip() else whole(name)(text)


def show(value) -> str:
    """A value as the field shows it."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ",".join(map(str, value)) or "none"
    return str(value)


def show_options(options: dict) -> str:
    """Schedule options as typed: ``warmup_steps=100 boundaries=500,900``."""
    return " ".join(f"{k}={','.join(map(str, v)) if isinstance(v, list) else v}" for k, v in options.items())


def parse_schedule_options(text: str) -> dict:
    """``KEY=VALUE`` pairs separated by spaces (a list value with commas) → the options dict."""
    return dict(schedule_setup.parse_option(part) for part in text.split())


def parse_class_weights(text: str) -> str | None:
    """Blank (every sample weighs 1), ``balanced`` or ``0=1,1=3``, as ``--class-weight`` takes it."""
    text = text.strip()
    return None if not text else sample_weights.class_weight_text(sample_weights.parse_class_weight(text))


def generator_defaults(dataset: str) -> dict:
    """A generator's keyword arguments with their defaults; ``{}`` for a CSV file (nothing to generate)."""
    try:
        return datasets.defaults(dataset)
    except ValueError:
        return {}


def takes_classes(dataset: str) -> bool:
    return "classes" in generator_defaults(dataset)


def dataset_options(current: str) -> list[str | tuple[str, str]]:
    """The generators, plus ``current`` when it is a CSV file (opened with ``--dataset file.csv``)."""
    names: list[str | tuple[str, str]] = list(datasets.names())
    if not generator_defaults(current):
        names.append((f"{Path(current).name} (CSV)", current))
    return names


def shown_dataset(name: str) -> str:
    """The registry name for a generator alias ("two_moons" → "moons"); a CSV path as it is."""
    return datasets.ALIASES.get(name, name)


def section(title: str) -> Static:
    """A section's title (``data``, ``model`` …), in the app's language."""
    return Static(words(title), classes="section", name=title)


class ControlPanel(OwnFocusStyle, VerticalScroll):
    """The settings: data, model, loss, optimizer (with its hyperparameters), batching, run, and the
    learning-rate schedule (with its lr-vs-step curve), early stopping and class weights."""

    def __init__(self, config: ExperimentConfig, *, train_size: int | None = None, patience: int = 5,
                 monitors: list[str] | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.config = config
        self.train_size = train_size
        """Training samples of the shown experiment: the batch menu names each B's regime on it."""
        self.patience = patience
        """Early stopping's patience, kept while it is off (the loss plot marks where it would stop)."""
        self.monitors = monitors or ["loss", "val_loss"]

    def compose(self) -> ComposeResult:
        c = self.config
        data_defaults = generator_defaults(c.dataset)
        yield section("data")
        yield Choice("dataset", "dataset", dataset_options(c.dataset), shown_dataset(c.dataset), id="set-dataset")
        yield Field("samples", "samples", show(c.samples), whole("samples"), step=one, id="set-samples")
        yield Field("noise", "noise", show(c.noise), optional_number("noise"),
                    placeholder=show(data_defaults.get("noise")), step=tenth, id="set-noise")
        yield Field("classes", "classes", show(c.classes), optional_whole("classes"),
                    placeholder=show(data_defaults.get("classes", 2)), step=one, id="set-classes")
        yield section("model")
        yield Field("hidden", "hidden", show(c.hidden), parse_hidden, placeholder="none", id="set-hidden")
        yield Choice("activation", "activation", activations.names(), activations.get(c.activation).name,
                     id="set-activation")
        yield Choice("loss", "loss", losses.names(), canonical_loss(c.loss), id="set-loss")
        yield section("optimizer")
        yield Choice("optimizer", "optimizer", optimizers.names(), optimizers.get(c.optimizer).name, id="set-optimizer")
        yield Vertical(*self._hyperparameters(c), id="hyperparameters")
        yield section("batching")
        yield Choice("batch_size", "batch", batching.choices(self.train_size), c.batch_size, prompt="mini-batch (custom)",
                     id="set-batch-choice")
        yield Field("batch_size", "B", show(c.batch_size), parse_batch_size, step=one, id="set-batch")
        yield Field("epochs", "epochs", show(c.epochs), whole("epochs"), step=one, id="set-epochs")
        yield Field("validation_split", "val split", show(c.validation_split), number("validation split"),
                    step=tenth, id="set-split")
        yield Field("seed", "seed", show(c.seed), whole("seed"), step=one, id="set-seed")
        yield section("schedule & stopping")
        yield Choice("schedule", "schedule", list(schedule_setup.NAMES), c.schedule or "constant", id="set-schedule")
        yield Field("schedule_options", "options", show_options(c.schedule_options), parse_schedule_options,
                    placeholder=i18n.t("panel.schedule_options"), id="set-schedule-options")
        yield Horizontal(Label(words("lr curve"), classes="label", name="lr curve"),
                         Vertical(Static("", id="lr-curve"), Static("", id="lr-summary")), id="lr-schedule")
        yield Flag("stop.on", "early stop", c.early_stopping is not None, id="set-stop")
        yield Field("stop.patience", "patience", show(self.patience), whole("early stopping patience", 0),
                    step=one, id="set-patience")
        yield Choice("monitor", "monitor", self.monitors, c.monitor, id="set-monitor")
        yield Field("class_weight", "class wt", show(c.class_weight), parse_class_weights,
                    placeholder=i18n.t("panel.class_weight"), id="set-class-weight")

    def on_mount(self) -> None:
        self._show_generator_rows(self.config.dataset)

    def show_words(self) -> None:
        """The labels, section titles and examples in the app's language (after K)."""
        show_words(self)
        self.query_one("#set-schedule-options", Field).show_placeholder(i18n.t("panel.schedule_options"))
        self.query_one("#set-class-weight", Field).show_placeholder(i18n.t("panel.class_weight"))

    def _show_generator_rows(self, dataset: str) -> None:
        """samples and noise only for a generator (not a CSV file); classes only where it takes them."""
        generated = bool(generator_defaults(dataset))
        self.query_one("#set-samples").display = generated
        self.query_one("#set-noise").display = generated
        self.query_one("#set-classes").display = takes_classes(dataset)

    @staticmethod
    def _hyperparameters(config: ExperimentConfig) -> list[Setting]:
        values = optimizers.get(config.optimizer, **config.optimizer_kwargs()).hyperparameters()
        rows: list[Setting] = []
        for name, value in values.items():
            label = HYPERPARAMETER_LABELS.get(name, name)
            key, wid = f"opt.{name}", f"set-opt-{name}"
            if isinstance(value, bool):
                rows.append(Flag(key, label, value, id=wid))
            else:
                rows.append(Field(key, label, show(value), number(label), step=HYPERPARAMETER_STEPS.get(name, tenfold),
                                  id=wid))
        return rows

    async def show_config(self, config: ExperimentConfig, train_size: int | None = None, *,
                          refused: tuple[str, str] | None = None) -> None:
        """Make every row show ``config`` (rebuilding the optimizer's rows if it changed): the app's one
        answer to a ``Setting.Committed``.

        ``train_size`` (the built experiment's) relabels the batch menu when it changed. ``refused``:
        (row id, reason) of a value the app refused — that row says why; a text field keeps what was
        typed (to be mended), a list or flag snaps back to ``config``. One rule for every text field: one that
        shows a refusal keeps it (what was typed, and why not) until it is mended, put back with escape, or
        ``config`` changes its value — another row's answer, taken or refused, leaves it as it is.
        """
        row = None if refused is None else self.query_one(f"#{refused[0]}", Setting)
        kept = [(field, field.input.value, field.refused_text, field.committed_text) for field in self.query(Field)
                if field.has_class("-refused") and field is not row]
        if row is not None:
            kept.append((row, row.input.value if isinstance(row, Field) else None, refused[1], None))
        old, self.config = self.config, config
        if train_size is not None and train_size != self.train_size:
            self.train_size = train_size
            self.query_one("#set-batch-choice", Choice).set_options(batching.choices(train_size))
        self.query_one("#set-dataset", Choice).show_value(shown_dataset(config.dataset))
        self.query_one("#set-samples", Field).show_value(show(config.samples))
        defaults = generator_defaults(config.dataset)
        noise = self.query_one("#set-noise", Field)
        noise.show_value(show(config.noise))
        noise.show_placeholder(show(defaults.get("noise")))
        classes = self.query_one("#set-classes", Field)
        classes.show_value(show(config.classes))
        self._show_generator_rows(config.dataset)
        self.query_one("#set-hidden", Field).show_value(show(config.hidden))
        self.query_one("#set-activation", Choice).show_value(activations.get(config.activation).name)
        self.query_one("#set-loss", Choice).show_value(canonical_loss(config.loss))
        self.query_one("#set-optimizer", Choice).show_value(optimizers.get(config.optimizer).name)
        if (old.optimizer, old.optimizer_kwargs()) != (config.optimizer, config.optimizer_kwargs()):
            box = self.query_one("#hyperparameters", Vertical)
            if old.optimizer != config.optimizer:
                await box.remove_children()
                await box.mount_all(self._hyperparameters(config))
            else:
                values = optimizers.get(config.optimizer, **config.optimizer_kwargs()).hyperparameters()
                for name, value in values.items():
                    row = self.query_one(f"#set-opt-{name}", Setting)
                    row.show_value(value if isinstance(value, bool) else show(value))
        self.query_one("#set-batch-choice", Choice).show_value(config.batch_size)
        self.query_one("#set-batch", Field).show_value(show(config.batch_size))
        self.query_one("#set-epochs", Field).show_value(show(config.epochs))
        self.query_one("#set-split", Field).show_value(show(config.validation_split))
        self.query_one("#set-seed", Field).show_value(show(config.seed))
        self.query_one("#set-schedule", Choice).show_value(config.schedule or "constant")
        self.query_one("#set-schedule-options", Field).show_value(show_options(config.schedule_options))
        self.query_one("#set-stop", Flag).show_value(config.early_stopping is not None)
        if config.early_stopping is not None:
            self.patience = config.early_stopping
        self.query_one("#set-patience", Field).show_value(show(self.patience))
        self.query_one("#set-monitor", Choice).show_value(config.monitor)
        self.query_one("#set-class-weight", Field).show_value(show(config.class_weight))
        for row, text, reason, shown in kept:
            if not row.is_attached or shown is not None and row.committed_text != shown:
                continue  # ``config`` changed its value (a lesson, a setup, the palette): that value shows
            if text is not None:
                row.input.value = text
            row.show_reason(reason, scroll=shown is None)  # scrolled to: the row refused just now, not the kept ones

    def show_schedule(self, curve: str, summary: str, monitors: list[str]) -> None:
        """The lr-vs-step curve of the built experiment, and the names early stopping may watch."""
        for line, text in ((self.query_one("#lr-curve", Static), curve), (self.query_one("#lr-summary", Static), summary)):
            if line.content != text:  # an update lays the screen out; most changes leave the schedule as it was
                line.update(text)
        if monitors != self.monitors:
            self.monitors = monitors
            self.query_one("#set-monitor", Choice).set_options(monitors)
