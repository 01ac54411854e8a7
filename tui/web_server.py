"""textual-serve's server, with page URLs taken from each request (so ``--host 0.0.0.0`` works from other machines)
and a page that asks nothing of any other host (an offline classroom)."""

from __future__ import annotations

import asyncio
import logging
import mimetypes
import re
from contextlib import suppress

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int


class TabApp(AppService):
    """One tab's app process (textual-serve's ``AppService``), whose ``stop`` returns once the process has ended,
    within a bounded time.

    textual-serve's ``stop`` tells the app to quit and reads its output to the end, but does not wait
    for the process: on ctrl+c the server's event loop could close before asyncio had seen the app
    exit. Its pipes, collected later, then printed ``RuntimeError: Event loop is closed`` at shutdown,
    or asyncio logged "Loop … that handles pid … is closed" after ``descend: server stopped``.
    Nor does it bound the wait: an app that never quits (stuck, or not reading what it is told) held
    the tab, and ctrl+c, for ever. Here it has ``quit_grace`` seconds to quit as told, then
    ``term_grace`` after a SIGTERM, then it is killed.
    """

    quit_grace = 5.0
    """Seconds the app has to quit as told (``q``'s path: it halts training and restores its screen)."""

    term_grace = 3.0
    """Seconds the app has after SIGTERM (``python -m tui`` ends itself within 2 s of one) before SIGKILL."""

    async def stop(self) -> None:
        quitting = asyncio.ensure_future(self._quit())
        if (await asyncio.wait({quitting}, timeout=self.quit_grace))[0]:
            return quitting.result()
        process = self._process  # it did not quit as told: signalled (its output ends with it, and the quit)
        for end, grace in ((process.terminate, self.term_grace), (process.kill, self.term_grace)):
            with suppress(ProcessLookupError):  # it ended meanwhile
                end()
            if (await asyncio.wait({quitting}, timeout=grace))[0]:
                return quitting.result()
        quitting.cancel()  # killed, yet its output is held open (by a process it started): not waited for

    async def _quit(self) -> None:
        """textual-serve's stop (tell the app to quit, read its output to the end), then the process's end."""
        await super().stop()
        if self._process is not None:  # textual-serve keeps the process under this name; it has no public one
            await self._process.wait()


WEB_FONT = re.compile(r'<link[^>]*href="https?://fonts\.googleapis\.com/[^"]*"[^>]*>')
"""textual-serve's page loads Roboto Mono from Google Fonts: an offline classroom's browser waits on it, then
falls back to another font."""

FONT_FILES = {"normal": "fonts/RobotoMono-VariableFont_wght.ttf",
              "italic": "fonts/RobotoMono-Italic-VariableFont_wght.ttf"}
"""The same font, shipped in textual-serve's own static folder (every release since 1.0) and served by its
``/static`` route, which its page never used."""


def local_fonts(page: str, url_for) -> str:
    """``page`` with the Google Fonts stylesheet replaced by the same font served here: ``url_for(file)`` is the
    static route's URL of a file in textual-serve's static folder. The terminal (textual.js) and the page ask for
    ``"Roboto Mono"`` by name; without it, Monaco, Courier New, then the browser's monospace."""
    faces = "".join(f'@font-face {{ font-family: "Roboto Mono"; src: url("{url_for(file)}") format("truetype"); '
                    f"font-weight: 100 700; font-style: {style}; }}\n" for style, file in FONT_FILES.items())
    preload = f'<link rel="preload" href="{url_for(FONT_FILES["normal"])}" as="font" type="font/ttf" crossorigin />'
    return WEB_FONT.sub(lambda _: f"{preload}\n    <style>\n{faces}    </style>", page, count=1)


class AppServer(Server):
    """textual-serve's ``Server``, quiet on start (``tui.serve`` prints the URL) and right behind any address.

    textual-serve writes absolute URLs into the page (its scripts, the app's websocket), built from
    the host it was given: served on 0.0.0.0, a student's browser would be told to open
    ``ws://0.0.0.0:8000/ws`` — its own machine. Here each page names the address the browser
    used to reach it (its ``Host`` header), so every tab connects back to this server.

    The page's font (Roboto Mono) comes from this server too, not from Google Fonts (``local_fonts``).

    Each tab's shell ``exec``s the app (dash would otherwise keep itself between them), so a signal that
    ends a stuck tab (``TabApp.stop``) reaches the app, not only its shell. aiohttp's access log (a line per
    request) stays out of the teacher's terminal; warnings and errors still show.

    On ctrl+c the open tabs are ended at once (their apps are told to quit): aiohttp would
    otherwise wait up to a minute for each tab's websocket to close by itself. The server stops
    only once every tab's app process has ended.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tabs: set[asyncio.Task] = set()
        """The handlers of the tabs, from their app's start until its process has ended."""
        self.reading: set[asyncio.Task] = set()
        """The handlers of the tabs still taking the browser's keys (what ctrl+c interrupts)."""
        mimetypes.add_type("font/ttf", ".ttf")  # the fonts' type, where the system's table lacks it

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        self.public_url = f"{request.scheme}://{request.host}"  # read by the page template, no await in between
        page = await super().handle_index(request)
        static = request.app.router["static"]
        page.text = local_fonts(page.text, lambda file: f"{self.public_url}{static.url_for(filename=file)}")
        return page

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """A tab: its app gets the browser's keys and size until the browser leaves or ctrl+c, then quits and ends.

        textual-serve's own handler, with a ``TabApp`` and two phases: ctrl+c interrupts only the
        reading of the browser's messages, never the app's stopping.
        """
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        app = TabApp(f"exec {self.command}", write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                     close=websocket.close, download_manager=self.download_manager, debug=self.debug)
        tab = asyncio.current_task()
        self.tabs.add(tab)
        try:
            await app.start(to_int(request.query.get("width", "80"), 80), to_int(request.query.get("height", "24"), 24))
            self.reading.add(tab)
            try:
                await self._process_messages(websocket, app)
            except asyncio.CancelledError:
                pass  # ctrl+c (on_shutdown): the tab ends as when its browser leaves
            finally:
                self.reading.discard(tab)
                await app.stop()  # also after a message it could not read
                await websocket.close()
        finally:
            self.tabs.discard(tab)
        return websocket

    def initialize_logging(self) -> None:
        """textual-serve's logging (its hook for this), without aiohttp's access log: a request is not news."""
        super().initialize_logging()
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    async def on_startup(self, app: web.Application) -> None:
        """No banner: the caller has printed the URL."""

    async def on_shutdown(self, app: web.Application) -> None:
        """End every open tab and wait until each one's app process has ended."""
        for tab in list(self.reading):
            tab.cancel()
        await asyncio.gather(*self.tabs, return_exceptions=True)
