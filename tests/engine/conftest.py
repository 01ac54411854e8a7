"""Helpers for the engine's tests: the CLI run in-process."""

from __future__ import annotations


def run_cli(capsys, *argv):
    """``python -m engine *argv`` in-process: ``(exit code, stdout, stderr)`` (argparse's exits included)."""
    from engine.cli import main

    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err
