"""App-wide messages: what the training worker posts to the UI."""

from __future__ import annotations

from textual.message import Message

from tui.race_session import RaceProgress
from tui.session import Progress


class TrainingProgress(Message):
    """Steps, batch losses and epoch logs since the last report (≤ 30 per second)."""

    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress


class RaceProgressReport(Message):
    """Every contestant's updates, epoch logs and standing since the last report (≤ 10 per second)."""

    def __init__(self, progress: RaceProgress) -> None:
        super().__init__()
        self.progress = progress
