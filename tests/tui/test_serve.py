"""``python -m tui --serve``: the real server, on a free loopback port, answers with the app's page."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tui.serve import app_command

ROOT = Path(__file__).parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_server_serves_the_app_page_on_loopback_and_prints_its_url():
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "tui", "--serve", "--port", str(port), "--epochs", "3"],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
    try:
        first_line = server.stdout.readline()
        assert first_line.strip() == f"descend: serving at http://127.0.0.1:{port}/ (ctrl+c stops)"
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    page = response.read().decode()
                    status = response.status
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not answer within 20 s"
                time.sleep(0.2)
        assert status == 200
        assert "<div>descend</div>" in page and "textual.js" in page and f"ws://127.0.0.1:{port}/ws" in page
        with socket.socket() as s:  # bound to loopback only
            s.settimeout(1)
            addresses = {a[4][0] for a in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
            outside = next((a for a in addresses if not a.startswith("127.")), None)
            if outside:
                assert s.connect_ex((outside, port)) != 0
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)


def test_the_served_command_is_the_app_with_the_same_flags_minus_the_serving_ones():
    command = app_command(["--serve", "--port", "9000", "--host=0.0.0.0", "--lesson", "momentum", "--lang", "ko"])
    assert command.endswith("-m tui --lesson momentum --lang ko")
