"""The engine is reachable without the TUI: importing it never imports Textual."""

import subprocess
import sys


def test_import_engine_does_not_import_textual():
    code = (
        "import sys, engine, engine.cli; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'textual_plotext', 'tui')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
