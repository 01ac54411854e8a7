"""``python -m tui --serve``: the same app in a web browser, through textual-serve.

Each browser tab gets its own app process: ``python -m tui`` with the flags given, minus the
serving ones, passed as one ``shlex.join``-quoted command (textual-serve runs it through the
shell, so every word is quoted). The server listens on 127.0.0.1 unless ``--host`` says
otherwise: a class on a network sees it only when the teacher asks for that.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import socket
import sys

from engine import Wording, checks, flag_type

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
SERVING_FLAGS = {"--serve": 0, "--host": 1, "--port": 1}
"""The flags that configure the server, with how many values each takes (dropped from the app's command)."""


def parse_port(text: str) -> int:
    """``--port``: a whole number 1…65535 (the shared check's words)."""
    return checks.parse_whole("port", text, minimum=1, maximum=65535)


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """``--serve``, ``--host``, ``--port`` in their own group."""
    group = parser.add_argument_group("browser mode")
    group.add_argument("--serve", action="store_true",
                       help="serve the app to web browsers (textual-serve); each tab gets its own app")
    group.add_argument("--host", default=DEFAULT_HOST,
                       help=f"address to serve on (default {DEFAULT_HOST}: this machine only; 0.0.0.0 for a classroom)")
    group.add_argument("--port", type=flag_type(parse_port), default=DEFAULT_PORT, help=f"port to serve on (default {DEFAULT_PORT})")


def serving_flag(word: str) -> str | None:
    """The serving flag ``word`` names (argparse accepts unique prefixes: ``--po 9000``), else None."""
    name = word.split("=", 1)[0]
    if len(name) < 3 or not name.startswith("--"):
        return None
    return next((flag for flag in SERVING_FLAGS if flag.startswith(name)), None)


def app_argv(argv: list[str]) -> list[str]:
    """The flags given, without the serving ones (``--port 9000``, ``--host=0.0.0.0``, ``--serve``)."""
    kept, skip = [], 0
    for at, word in enumerate(argv):
        if word == "--":  # the rest are positional
            return kept + argv[at:]
        if skip:
            skip -= 1
        elif flag := serving_flag(word):
            skip = 0 if "=" in word else SERVING_FLAGS[flag]
        else:
            kept.append(word)
    return kept


def app_command(argv: list[str]) -> str:
    """The command each browser tab runs: this Python, ``-m tui``, the flags without the serving ones, quoted."""
    return shlex.join([sys.executable, "-m", "tui", *app_argv(argv)])


def url_host(host: str) -> str:
    """``host`` as it goes in a URL (an IPv6 address in brackets)."""
    try:
        return f"[{host}]" if ipaddress.ip_address(host).version == 6 else host
    except ValueError:
        return host


def check_bind(host: str, port: int) -> str | None:
    """Why the server could not listen on ``host:port`` (one line), or None if it can."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as exc:
        return Wording("cannot serve on host {host}: {reason}", host=repr(host),
                       reason=str(getattr(exc, "strerror", None) or exc))
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp binds
        try:
            probe.bind(address)
        except OSError as exc:
            return Wording("cannot serve on {address}: {reason}", address=f"{url_host(host)}:{port}",
                           reason=str(exc.strerror or exc))
    return None


def serve(argv: list[str], *, host: str, port: int) -> None:
    """Serve until ctrl+c (or SIGTERM), printing the URL first and a line when stopped."""
    from tui.web_server import AppServer

    url = f"http://{url_host(host)}:{port}/"
    command = app_command(argv)
    print(f"descend: serving at {url} (ctrl+c stops)", flush=True)
    print(f"each browser tab runs: {command}", flush=True)
    AppServer(command, host=host, port=port, title="descend").serve()
    print("descend: server stopped", flush=True)
