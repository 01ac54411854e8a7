"""App-wide messages: what the training worker posts to the view that started it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from tui.report import Report


@dataclass
class Progress(Message):
    """A run's progress since the last report (≤ 10 a second, one in flight, bounded in size).

    The handler calls ``report.received()`` first: the worker sends the next report only then."""

    report: Report
