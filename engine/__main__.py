"""Entry point for ``python -m engine``."""

import os
import sys

from engine.cli import main

try:
    code = main()
    sys.stdout.flush()  # inside the try: a reader gone (``| head -1``) shows here for short outputs
except BrokenPipeError:  # the reader stopped reading: end quietly with SIGPIPE's status, as Unix tools do
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the interpreter's last flush has nowhere to fail
    code = 128 + 13  # 141: ended by SIGPIPE (13), what a shell shows for `yes | head -1`
sys.exit(code)
