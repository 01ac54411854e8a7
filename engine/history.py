"""``History``: what ``fit`` returns — per-epoch logs plus how the run ended."""

from __future__ import annotations


class History:
    """Keras's ``History``: ``history["loss"]`` etc. are lists with one value per epoch.

    Beyond Keras: ``status`` (``"finished"`` or ``"diverged"``; ``"running"`` while
    a step-by-step run is under way) and ``diverged_at`` (``(epoch, iteration)``,
    both 1-based, or ``None``).
    """

    def __init__(self):
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []
        self.params: dict = {}
        self.status = "ready"
        self.diverged_at: tuple[int, int] | None = None

    def append(self, epoch: int, logs: dict[str, float]) -> None:
        """Record the logs of epoch ``epoch`` (0-based, as Keras numbers them)."""
        self.epoch.append(epoch)
        for key, value in sorted(logs.items()):  # Keras's order: keys sorted by name
            self.history.setdefault(key, []).append(value)

    def add_late_keys(self, logs: dict[str, float]) -> None:
        """Record what callbacks added to the last epoch's logs (Keras's ``History`` runs after
        them, so e.g. ``ReduceLROnPlateau``'s ``learning_rate`` lands in the history)."""
        for key, value in logs.items():
            values = self.history.setdefault(key, [])
            if len(values) < len(self.epoch):
                values.append(value)

    def __repr__(self) -> str:
        return f"History(epochs={len(self.epoch)}, keys={list(self.history)}, status={self.status!r})"
