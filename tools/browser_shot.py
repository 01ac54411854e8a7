"""``python tools/browser_shot.py URL OUT.png [KEY|sleepS …]``: the served app in headless Chromium, as a PNG.

Drives Debian's ``chromium`` over the DevTools protocol (loopback only, a fresh profile, no
background networking): opens URL (``python -m tui --serve`` prints it), waits for the app, clicks
to focus the terminal, presses the keys (``space``, letters; ``sleep4`` waits 4 s), saves a
screenshot. ``screenshots/browser.png`` was made with ``… http://127.0.0.1:8000/ browser.png space sleep5``.
"""
import asyncio, base64, json, os, subprocess, sys, tempfile, time, urllib.request
import aiohttp

URL, OUT = sys.argv[1], sys.argv[2]
KEYS = sys.argv[3:]
profile = tempfile.mkdtemp(prefix="chromium-")
port = 9333
proc = subprocess.Popen(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                         f"--remote-debugging-port={port}", "--remote-debugging-address=127.0.0.1",
                         "--window-size=1280,800", "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

async def main():
    for _ in range(100):
        try:
            targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=1))
            page = next(t for t in targets if t["type"] == "page")
            break
        except Exception:
            await asyncio.sleep(0.2)
    async with aiohttp.ClientSession() as http, http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
        n = 0
        async def call(method, **params):
            nonlocal n
            n += 1
            await ws.send_json({"id": n, "method": method, "params": params})
            while True:
                msg = json.loads((await ws.receive()).data)
                if msg.get("id") == n:
                    return msg.get("result", {})
        await call("Page.enable")
        await call("Emulation.setDeviceMetricsOverride", width=1280, height=800, deviceScaleFactor=1, mobile=False)
        await call("Page.navigate", url=URL)
        await asyncio.sleep(10)
        for kind in ("mousePressed", "mouseReleased"):  # focus the terminal
            await call("Input.dispatchMouseEvent", type=kind, x=1100, y=60, button="left", clickCount=1)
        await asyncio.sleep(0.5)
        for key in KEYS:
            if key.startswith("sleep"):
                await asyncio.sleep(float(key[5:])); continue
            text = " " if key == "space" else key
            code = "Space" if key == "space" else f"Key{key.upper()}"
            for kind in ("keyDown", "keyUp"):
                await call("Input.dispatchKeyEvent", type=kind, key=text, text=text if kind == "keyDown" else "",
                           code=code, windowsVirtualKeyCode=ord(text.upper()))
            await asyncio.sleep(0.5)
        shot = await call("Page.captureScreenshot", format="png")
        open(OUT, "wb").write(base64.b64decode(shot["data"]))
try:
    asyncio.run(asyncio.wait_for(main(), 90))
finally:
    proc.terminate(); proc.wait(10)
