"""App-wide messages: what the training worker posts to the UI."""

from __future__ import annotations

from textual.message import Message

from tui.session import Progress


class TrainingProgress(Message):
    """Steps, batch losses and epoch logs since the last report (≤ 30 per second)."""

    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress
