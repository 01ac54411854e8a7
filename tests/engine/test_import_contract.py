"""The engine is reachable without the TUI: importing it never imports Textual; and it asks BLAS for one
thread unless the environment already says how many."""

import os
import subprocess
import sys


def test_import_engine_does_not_import_textual_and_sets_one_blas_thread_by_default():
    code = (
        "import sys, os, engine, engine.cli; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'textual_plotext', 'tui')); "
        "print(bad, os.environ['OPENBLAS_NUM_THREADS'], os.environ['MKL_NUM_THREADS']); sys.exit(1 if bad else 0)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env | {"MKL_NUM_THREADS": "3"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.split() == ["[]", "1", "3"]  # one thread where unset; the environment's own kept
    code = "import os, engine; print(os.environ.get('OPENBLAS_NUM_THREADS'), os.environ.get('MKL_NUM_THREADS'))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={k: v for k, v in env.items() if k != "MKL_NUM_THREADS"} | {"OMP_NUM_THREADS": "4"})
    assert result.stdout.split() == ["None", "None"]  # OMP_NUM_THREADS, read by both libraries: left to it
