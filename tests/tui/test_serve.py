"""``python -m tui --serve``: the flags (no server needed), then the real server on a free loopback port."""

import asyncio
import contextlib
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import tui.__main__ as entry
from tui import serve

ROOT = Path(__file__).parents[2]
SPIRAL = ["--dataset", "spiral", "--classes", "3", "--loss", "sparse_categorical_crossentropy"]


def tab_app(command: str):
    """A browser tab's app running ``command``. Imported here, as aiohttp in ``tab_then_ctrl_c``: aiohttp and
    textual-serve cost every xdist worker ≈ 0.2 s of CPU to import at collection, and only these tests use them."""
    from textual_serve.download_manager import DownloadManager
    from tui.web_server import TabApp
    return TabApp(command, write_bytes=None, write_str=None, close=None, download_manager=DownloadManager())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(monkeypatch):
    """What ``main`` would serve: (argv, host, port), without starting a server."""
    calls = []
    monkeypatch.setattr(serve, "serve", lambda argv, *, host, port: calls.append((argv, host, port)))
    return calls


def test_loopback_and_port_8000_unless_told(served):
    entry.main(["--serve", *SPIRAL])
    assert served == [(["--serve", *SPIRAL], "127.0.0.1", 8000)]
    args = entry.make_parser().parse_args([])
    assert (args.serve, args.host, args.port) == (False, "127.0.0.1", 8000)


def test_host_and_port_are_taken(served):
    port = free_port()
    entry.main(["--serve", "--host", "127.0.0.1", f"--port={port}"])
    assert served[0][1:] == ("127.0.0.1", port)


@pytest.mark.parametrize("argv, message", [
    (["--port", "0"], "port must be a whole number from 1 to 65535, got '0'"),
    (["--port", "65536"], "port must be a whole number from 1 to 65535, got '65536'"),
    (["--port", "http"], "port must be a whole number from 1 to 65535, got 'http'"),
    (["--host", "bad host"], "cannot serve on host 'bad host'"),
    (["--host", "203.0.113.77"], "cannot serve on 203.0.113.77:"),  # TEST-NET-3, for documentation: not ours
    (["--dataset", "spiral", "--classes", "3"], "binary_crossentropy needs two classes"),  # the app's own checks first
    (["--lesson", "nosuch"], "nosuch"),
])
def test_bad_serving_flags_exit_2_with_one_line_and_serve_nothing(served, capsys, argv, message):
    with pytest.raises(SystemExit) as info:
        entry.main(["--serve", *argv])
    err = capsys.readouterr().err
    assert info.value.code == 2 and served == []
    assert err.count("\n") == 1 and err.startswith("python -m tui: error: ") and message in err


def test_a_port_in_use_exits_2_with_one_line(served, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SystemExit) as info:
            entry.main(["--serve", "--port", str(port)])
    err = capsys.readouterr().err
    assert info.value.code == 2 and served == [] and err.count("\n") == 1
    assert f"cannot serve on 127.0.0.1:{port}: Address already in use" in err


@pytest.mark.parametrize("argv", [
    ["--serve", "--port", "9001", *SPIRAL],
    ["--serve", "--port=9001", "--host=0.0.0.0", "--epochs", "3"],
    ["--ser", "--po", "9001", "--ho", "::1", "--epochs", "3"],  # argparse's unique prefixes
    ["--epochs", "3", "--serve", "--host", "localhost"],
    ["--lesson", "momentum", "--lang", "ko", "--serve", "--port", "9001", "--speed", "30"],
])
def test_each_tab_runs_the_app_with_the_same_flags_minus_the_serving_ones(argv):
    parser = entry.make_parser()
    kept = serve.app_argv(argv)
    assert not any(serve.serving_flag(word) for word in kept)
    given, tab = vars(parser.parse_args(argv)), vars(parser.parse_args(kept))
    for flag in ("serve", "host", "port"):
        given.pop(flag), tab.pop(flag)
    assert tab == given


def test_the_command_is_quoted_word_by_word():
    """textual-serve hands the command to a shell: a hostile value stays one argument."""
    argv = ["--serve", "--dataset", "moons; touch /tmp/owned", "--hidden", "$(id)"]
    command = serve.app_command(argv)
    assert shlex.split(command) == [sys.executable, "-m", "tui", "--dataset", "moons; touch /tmp/owned",
                                    "--hidden", "$(id)"]


async def test_a_tab_app_is_stopped_once_its_process_has_ended(tmp_path):
    """ctrl+c waits for each tab's process, not only for its output: otherwise the server's event loop could
    close before asyncio had seen the app exit ("Event loop is closed" printed after the server's last line).
    This app closes its output as it is told to quit, and ends a moment later."""
    ended = tmp_path / "ended"
    app = tab_app(f"echo __GANGLION__; head -c 1 >/dev/null; exec >&-; sleep 0.3; touch {shlex.quote(str(ended))}")
    await app.start(80, 24)
    await app.stop()
    assert ended.exists()


async def test_a_tab_whose_app_never_quits_is_ended_within_its_graces():
    """ctrl+c (or a browser leaving) waited for ever on an app that did not quit: it is told, then sent SIGTERM,
    then killed. This one reads nothing it is told and ignores SIGTERM."""
    app = tab_app("echo __GANGLION__; trap '' TERM; exec sleep 60")
    app.quit_grace = app.term_grace = 0.2
    await app.start(80, 24)
    stopping = asyncio.ensure_future(app.stop())
    try:
        assert (await asyncio.wait({stopping}, timeout=10))[0], "stop() waits for an app that never quits"
    finally:
        with contextlib.suppress(ProcessLookupError):
            app._process.kill()
    assert app._process.returncode == -signal.SIGKILL


def children(pid: int) -> list[str]:
    """The command lines of ``pid``'s child processes."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            with contextlib.suppress(OSError):
                found.append(Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip())
    return found


async def tab_then_ctrl_c(port: int, server: subprocess.Popen, needles: tuple[str, ...], seconds: float,
                          tabs: list[str]) -> str:
    """Open a tab's websocket as the browser does; once every needle has been drawn (or time is up),
    list the server's child processes in ``tabs``, ctrl+c the server with the tab still open and read
    until it closes the tab. The app's output."""
    import aiohttp  # here, not at the top: see tab_app

    seen = b""
    url = f"ws://127.0.0.1:{port}/ws?width=100&height=30"
    async with aiohttp.ClientSession() as http, http.ws_connect(url) as ws:
        deadline = time.monotonic() + seconds
        stopped = False
        while time.monotonic() < deadline:
            if not stopped and all(needle.encode() in seen for needle in needles):
                tabs += children(server.pid)
                server.send_signal(signal.SIGINT)
                stopped = True
            try:
                message = await ws.receive(timeout=deadline - time.monotonic())
            except asyncio.TimeoutError:
                break
            if message.type == aiohttp.WSMsgType.BINARY:
                seen += message.data
            elif message.type != aiohttp.WSMsgType.TEXT:
                break  # closed by the server
    return seen.decode(errors="replace")


def outside_addresses() -> list[str]:
    """This machine's own non-loopback IPv4 address, if it has a route out (a UDP connect sends nothing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        try:
            udp.connect(("203.0.113.1", 9))
        except OSError:
            return []
        address = udp.getsockname()[0]
    return [] if address.startswith("127.") else [address]


def tab_apps_end(group: int, within: float) -> bool:
    """Whether every process of the server's group (the tabs' apps) is gone within ``within`` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    os.killpg(group, signal.SIGKILL)
    return False


def test_the_real_server_serves_the_app_page_and_a_tab_runs_the_app_with_the_flags():
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "tui", "--serve", "--port", str(port), *SPIRAL],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 15  # imports on a busy machine; then it answers at once
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    status, page = response.status, response.read().decode()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.2)
        assert status == 200
        assert "<div>descend</div>" in page and "textual.js" in page
        assert not elsewhere(page, f"http://127.0.0.1:{port}")  # an offline classroom: nothing from another host
        font = re.search(r'url\("([^"]*/RobotoMono-VariableFont_wght\.ttf)"\)', page).group(1)
        with urllib.request.urlopen(font, timeout=5) as response:  # the font, from here
            assert response.status == 200 and response.read(4) == b"\x00\x01\x00\x00"  # a TrueType file
        assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in page
        for address in outside_addresses():  # bound to loopback only: this machine's other addresses refuse
            with socket.socket() as probe:
                probe.settimeout(1)
                assert probe.connect_ex((address, port)) != 0
        asked = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": "classroom.example:8080"})
        with urllib.request.urlopen(asked, timeout=5) as response:  # a student's browser, by the teacher's address
            page = response.read().decode()
        assert 'data-session-websocket-url="ws://classroom.example:8080/ws"' in page
        assert not elsewhere(page, "http://classroom.example:8080") and "Roboto Mono" in page
        needles = ("experiment", "spiral", "sparse_categ")  # the loss field shows a name's first 17 letters
        tabs: list[str] = []
        screen = asyncio.run(asyncio.wait_for(tab_then_ctrl_c(port, server, needles, 25, tabs), 30))
        assert all(needle in screen for needle in needles)
        assert tabs == [shlex.join([sys.executable, "-m", "tui", *SPIRAL])]  # the app itself, no shell between
        out, _ = server.communicate(timeout=8)  # ctrl+c with a tab open: the server ends it, and itself
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)
    assert server.returncode == 0 and "Traceback" not in out
    assert "GET /" not in out  # no access log: two pages and a websocket were asked for
    assert tab_apps_end(server.pid, within=10), "a tab's app outlived the server"
    lines = out.splitlines()
    assert lines[0] == f"descend: serving at http://127.0.0.1:{port}/ (ctrl+c stops)"
    assert lines[1] == f"each browser tab runs: {shlex.join([sys.executable, '-m', 'tui', *SPIRAL])}"
    assert lines[-1] == "descend: server stopped"
    shown = readme_transcript(f"$ python -m tui --serve {shlex.join(SPIRAL)}")
    assert shown == [lines[0].replace(str(port), "8000"), lines[1].replace(sys.executable, "…/python")]


def elsewhere(page: str, origin: str) -> list[str]:
    """What ``page`` would load from anywhere but ``origin``: every href, src and CSS url() that is neither under it
    nor a path on it (textual-serve's own page asked Google Fonts for its font)."""
    found = re.findall(r"""(?:href|src)\s*=\s*["']([^"']*)""", page) + re.findall(r"""url\(\s*["']?([^"')]*)""", page)
    assert len(found) >= 4, found  # its stylesheet, script and background, the font: the search finds them
    return [url for url in found if not url.startswith(f"{origin}/") and not re.match(r"/(?!/)|data:", url)]


def readme_transcript(command: str) -> list[str]:
    """The lines the README shows under ``command`` in its console block."""
    block = (ROOT / "README.md").read_text().split(f"```console\n{command}\n", 1)[1]
    return block.split("```", 1)[0].splitlines()
