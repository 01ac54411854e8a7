"""``RunControl``: start, pause and step actions shared by the main view and the race view."""

from __future__ import annotations

import threading

from textual.worker import Worker, WorkerState

from tui import i18n
from tui.background import REFUSAL_SECONDS


class RunControl:
    """Mixin for a view that drives one training worker.

    The host provides ``status`` (a reactive or var), ``driver`` (its ``tui.driver.Driver``),
    ``notify``, ``show_length(epochs)`` (its length field shows a length the run took), ``_finished_note()`` (why
    it cannot run now, or ``None``) and
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

    asked_length: tuple[int, int] | None = None
    """A length in epochs set (``length_asked``) that the run has not said yet it took, and its driver's count of
    changes asked once it was set (a report that has taken as many says the length it took)."""

    def length_asked(self, epochs: int) -> None:
        """``epochs`` were set as the run's length (the driver's ``set_epochs``, now or between two steps)."""
        self.asked_length = (epochs, self.driver.requested)

    def length_taken(self, epochs: int, changes: int | None = None) -> None:
        """The run now lasts ``epochs``: said at once (``changes`` None), or by a report that has taken ``changes``
        of its driver's changes. Fewer epochs set than it has reached cannot undo them (``engine.run_length``): the
        view shows the length it took (``show_length``), so its field, its counter and where it ends agree, and a
        notice says why."""
        if self.asked_length is None or (changes is not None and changes < self.asked_length[1]):
            return
        (asked, _), self.asked_length = self.asked_length, None
        if epochs > asked:
            self.show_length(epochs)
            self.notify(i18n.t("ui.run.shortest", epoch=f"{epochs:,}", asked=f"{asked:,}"), timeout=REFUSAL_SECONDS)

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
