"""``python -m tui --serve``: the same app in a web browser, through textual-serve.

Each browser tab gets its own app process (``python -m tui`` with the same flags, minus the
serving ones). The server listens on 127.0.0.1 unless ``--host`` says otherwise: a class on a
network sees it only when the teacher asks for that.
"""

from __future__ import annotations

import shlex
import sys

SERVING_FLAGS = {"--serve": 0, "--host": 1, "--port": 1}
"""The flags that configure the server, with how many values each takes (dropped from the app's command)."""


def app_command(argv: list[str]) -> str:
    """The shell command each browser tab runs: this Python, ``-m tui``, the flags without the serving ones."""
    kept, skip = [], 0
    for word in argv:
        if skip:
            skip -= 1
            continue
        name = word.split("=", 1)[0]
        if name in SERVING_FLAGS:
            skip = 0 if "=" in word else SERVING_FLAGS[name]
            continue
        kept.append(word)
    return shlex.join([sys.executable, "-m", "tui", *kept])


def serve(argv: list[str], *, host: str, port: int) -> None:
    """Serve until interrupted (ctrl+c or SIGTERM); prints the URL first."""
    from textual_serve.server import Server

    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    print(f"descend: serving at {url} (ctrl+c stops)", flush=True)
    Server(app_command(argv), host=host, port=port, title="descend").serve()
