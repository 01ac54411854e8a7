"""``RunControl``: start, pause and step actions shared by the main view and the race view."""

from __future__ import annotations

import threading

from textual.worker import Worker, WorkerState

from tui import i18n


class RunControl:
    """Mixin for a view that drives one training worker.

    The host provides ``status`` (a reactive or var), ``driver`` (its ``tui.driver.Driver``),
    ``notify``, ``_finished_note()`` (why it cannot run now, or ``None``) and
    ``_launch(until, stop, run_id)``, which starts the worker on the driver and returns it. Each start gets a fresh stop ``Event`` (the previous worker is told to stop)
    and a new run id, so a report from an older run can be told apart.
    """

    _stop: threading.Event
    _run_id: int

    def _init_run_control(self) -> None:
        self._stop = threading.Event()
        self._run_id = 0
        self._worker: Worker | None = None

    def _start(self, until: str) -> None:
        note = self._finished_note()
        if note:
            self.notify(note, timeout=3)
            return
        self._stop.set()
        self._stop = threading.Event()
        self._run_id += 1
        self.status = "running"
        self._worker = self._launch(until, self._stop, self._run_id)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The training worker ended on an error: ``exit_on_error=False`` keeps the app up, so the run stops
        where it is and the error is said in one line (the status said "running" for ever, and nothing else)."""
        if event.state is WorkerState.ERROR and event.worker is self._worker:
            self.status = "paused"
            error = event.worker.error
            self.notify(i18n.t("ui.run.worker_error", kind=type(error).__name__, error=error),
                        severity="error", timeout=10, markup=False)

    def halt(self) -> None:
        """Ask the worker to stop after its current step."""
        self._stop.set()

    def action_toggle_run(self) -> None:
        """Start training, or pause it."""
        if self.status == "running":
            self.halt()
            self.status = "paused"
        else:
            self._start("end")

    def action_step_iteration(self) -> None:
        """Run exactly one iteration: one update (of every contestant, in a race)."""
        self._start("iteration")

    def action_step_epoch(self) -> None:
        """Run to the end of the current epoch."""
        self._start("epoch")
