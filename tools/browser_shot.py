"""The served app in headless Chromium, keys pressed, saved as a PNG (screenshots/browser.png).

    python -m tui --serve --port 8000 &
    python -m tools.browser_shot http://127.0.0.1:8000/ screenshots/browser.png space wait:4

Drives Debian's ``chromium`` over the DevTools protocol on loopback: a fresh profile, no
background networking, a 1280×800 window. Opens the URL, waits for the app to draw, clicks the
terminal to focus it, then for each word presses that key (``space``, ``n``, ``+``…) or waits
(``wait:SECONDS``), and saves a screenshot. Not a test dependency: the CI never needs a browser.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import itertools
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

import aiohttp

CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--window-size=1280,800", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0"]
WIDTH, HEIGHT = 1280, 800
KEY_CODES = {" ": ("Space", 32), "+": ("Equal", 187), "-": ("Minus", 189), "?": ("Slash", 191)}
NAMED_KEYS = {"tab": ("Tab", "\t", "Tab", 9), "enter": ("Enter", "\r", "Enter", 13), "up": ("ArrowUp", "", "ArrowUp", 38),
              "down": ("ArrowDown", "", "ArrowDown", 40)}
"""Keys named by a word: (DOM key, text typed, code, virtual key code)."""


def debugger_port(profile: Path, within: float = 20) -> int:
    """The port Chromium chose for DevTools (it writes it into the profile)."""
    deadline = time.monotonic() + within
    marker = profile / "DevToolsActivePort"
    while time.monotonic() < deadline:
        if marker.exists() and marker.read_text().strip():
            return int(marker.read_text().split()[0])
        time.sleep(0.1)
    raise TimeoutError("chromium did not open its DevTools port")


class Page:
    """One tab, driven by DevTools commands (``await page.call("Page.navigate", url=…)``)."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse):
        self.ws, self.ids = ws, itertools.count(1)

    async def call(self, method: str, **params) -> dict:
        sent = next(self.ids)
        await self.ws.send_json({"id": sent, "method": method, "params": params})
        while True:
            reply = await self.ws.receive_json(timeout=30)
            if reply.get("id") == sent:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    async def press(self, key: str) -> None:
        if key in NAMED_KEYS:
            name, text, code, number = NAMED_KEYS[key]
        else:
            name = text = " " if key == "space" else key
            code, number = KEY_CODES.get(text, (f"Key{text.upper()}", ord(text.upper())))
        await self.call("Input.dispatchKeyEvent", type="keyDown", key=name, text=text, code=code,
                        windowsVirtualKeyCode=number)
        await self.call("Input.dispatchKeyEvent", type="keyUp", key=name, code=code, windowsVirtualKeyCode=number)

    async def click(self, x: int, y: int) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            await self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)


async def shoot(url: str, out: Path, steps: list[str], port: int, settle: float) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://127.0.0.1:{port}/json/list") as response:
            tab = next(t for t in await response.json() if t["type"] == "page")
        async with http.ws_connect(tab["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            page = Page(ws)
            await page.call("Emulation.setDeviceMetricsOverride", width=WIDTH, height=HEIGHT,
                            deviceScaleFactor=1, mobile=False)
            await page.call("Page.navigate", url=url)
            await asyncio.sleep(settle)  # the page loads, opens the websocket, the app starts and draws
            await page.click(WIDTH // 2, HEIGHT // 2)
            for step in steps:
                if step.startswith("wait:"):
                    await asyncio.sleep(float(step[5:]))
                else:
                    await page.press(step)
                    await asyncio.sleep(0.3)
            shot = await page.call("Page.captureScreenshot", format="png")
    out.write_bytes(base64.b64decode(shot["data"]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.browser_shot", description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the address python -m tui --serve printed (loopback only)")
    parser.add_argument("out", type=Path, help="the PNG to write")
    parser.add_argument("steps", nargs="*", help="keys to press (space, n, +…) and wait:SECONDS pauses")
    parser.add_argument("--settle", type=float, default=8, help="seconds for the app to start and draw (default 8)")
    args = parser.parse_args(argv)
    if urlparse(args.url).hostname not in ("127.0.0.1", "localhost"):
        parser.error("the browser only visits loopback addresses (http://127.0.0.1:PORT/)")
    with tempfile.TemporaryDirectory(prefix="descend-chromium-") as profile:
        browser = subprocess.Popen([*CHROMIUM, f"--user-data-dir={profile}", "about:blank"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            port = debugger_port(Path(profile))
            asyncio.run(asyncio.wait_for(shoot(args.url, args.out, args.steps, port, args.settle), 120))
        finally:
            browser.terminate()
            browser.wait(timeout=10)
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
