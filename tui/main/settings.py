"""``Settings``: a field's change applied — live for an optimizer's hyperparameters, a new experiment otherwise.

A value the engine refuses shows its one-line reason in place and changes nothing.
"""

from __future__ import annotations

from engine import ConfigError, ExperimentConfig, checks, text_of
from tui.widgets.fields import Setting

DEFAULT_PATIENCE = 5
"""Early stopping's patience in the panel until the user sets one."""


def config_with(config: ExperimentConfig, key: str, value) -> ExperimentConfig:
    """``config`` with one setting changed, as the control panel names it."""
    if key == "opt.learning_rate":
        return config.replace(learning_rate=value)
    if key.startswith("opt."):
        return config.replace(optimizer_options={**config.optimizer_options, key[4:]: value})
    if key == "optimizer":
        return config.replace(optimizer=value, learning_rate=None, optimizer_options={})
    if key == "dataset":
        return config.replace(dataset=value, noise=None)
    if key == "schedule":  # options belong to the schedule they were typed for
        return config.replace(schedule=None if value == "constant" else value, schedule_options={})
    return config.replace(**{key: value})


def config_with_stopping(config: ExperimentConfig, key: str, value, patience: int) -> ExperimentConfig:
    """``config`` after the early-stopping row ``key`` (``stop.on`` / ``stop.patience``) changed."""
    if key == "stop.on":
        return config.replace(early_stopping=patience if value else None)
    return config.replace(early_stopping=value) if config.early_stopping is not None else config


class Settings:
    """Mixed into ``DescendApp``: uses its ``config``, ``patience``, ``session``, ``controls``, ``status``,
    ``_show_experiment`` and ``Building``'s ``building``, ``rebuild`` and ``refuse``."""

    async def on_setting_committed(self, event: Setting.Committed) -> None:
        """A field's value, committed (named for the message: ``@on`` only registers on a Textual class)."""
        event.stop()
        rows = list(self.query(f"#{event.row}").results(Setting)) if event.row else []
        if event.row and not rows:  # its row is gone (another optimizer's rows since it was posted): so is what it set
            return
        for row in rows:
            row.answered()
        await self.apply_setting(event.key, event.value, row=event.row, text=event.text)

    async def apply_setting(self, key: str, value, *, row: str | None = None, text: str | None = None) -> bool:
        """Apply one setting: live for optimizer hyperparameters, a new experiment otherwise (``rebuild``).

        A value the engine refuses shows its one-line reason in place, quoting ``text`` if it was typed (``got
        '0.00001'``, not ``got 1e-05``), and changes nothing. While a new
        experiment is being built, a change applies to the setup being built (and supersedes that build).
        """
        base = self.building or self.config  # the newest setup asked for
        if key == "stop.patience":
            self.patience = value
            self.controls.patience = value
        try:
            if key.startswith("stop."):
                config = config_with_stopping(base, key, value, self.patience).validate()
            else:
                config = config_with(base, key, value).validate()
        except ConfigError as exc:
            refusal = text_of(exc)
            await self.refuse(refusal if text is None else checks.as_typed(refusal, value, text), row)
            return False
        if config == base and key == "stop.patience":  # off: only where it would stop moves
            self._watch_again()
            return True
        in_place = self.building is None
        if key == "epochs" and in_place and self.status != "diverged":  # as the last report said
            self.config = config
            await self.controls.show_config(config, self.session.experiment.train_size)
            self._set_epochs(config.epochs)  # the run goes on (or ends sooner), never starts again
            return True
        live = in_place and key.startswith("opt.") and not (key == "opt.learning_rate" and config.schedule)
        if not live:  # a schedule starts from the rate: rebuilt
            return await self.rebuild(config, row=row)
        self.config = config
        name = key[4:]
        self.session.set_hyperparameter(name, value)  # the stepping thread applies it before its next step
        e = self._last_event  # the last update reported: where the change shows on the loss plot
        if name == "learning_rate":
            self.learning_rate = float(value)  # the rate of the next update (live only without a schedule)
        if name == "learning_rate" and e is not None:
            self.lr_changes.append(e.epoch - 1 + e.iteration / e.iterations_per_epoch)
            self._dirty = True
        self._show_experiment()
        await self.controls.show_config(config, self.session.experiment.train_size)
        return True

    def _set_epochs(self, epochs: int) -> None:
        """The run's length in epochs, as ``Trainer.set_epochs`` sets it: more continue the run (Keras's
        ``fit(initial_epoch=…)``), fewer than it has started end it after the epoch in progress. While it
        trains, the driving thread makes the change before its next step (its reports say the new length, its
        final report the status); else it is made now and says what the run has become."""
        length = self.session.set_epochs(epochs)
        self.length_asked(epochs)
        if length is not None:
            self.run_totals = self.run_totals.lasting(length.epochs)
            if self.status != "running" and length.started:
                self.status = "finished" if length.done else "paused"
            self.length_taken(length.epochs)
        self._show_counts()

    def show_length(self, epochs: int) -> None:
        """The epochs field (and the config a reset rebuilds) say the length the run took (``length_taken``)."""
        self.config = self.config.replace(epochs=epochs)
        self.call_later(self.controls.show_config, self.config)
