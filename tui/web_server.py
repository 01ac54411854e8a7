"""textual-serve's server, with page URLs taken from each request (so ``--host 0.0.0.0`` works from other machines)."""

from __future__ import annotations

import asyncio

from aiohttp import web
from textual_serve.server import Server


class AppServer(Server):
    """textual-serve's ``Server``, quiet on start (``tui.serve`` prints the URL) and right behind any address.

    textual-serve writes absolute URLs into the page (its scripts, the app's websocket), built from
    the host it was given: served on 0.0.0.0, a student's browser would be told to open
    ``ws://0.0.0.0:8000/ws`` — its own machine. Here each page names the address the browser
    used to reach it (its ``Host`` header), so every tab connects back to this server.

    On ctrl+c the open tabs are ended at once (their apps are told to quit): aiohttp would
    otherwise wait up to a minute for each tab's websocket to close by itself.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tabs: set[asyncio.Task] = set()
        """The handlers of the open tabs' websockets."""

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        self.public_url = f"{request.scheme}://{request.host}"  # read by the page template, no await in between
        return await super().handle_index(request)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        tab = asyncio.current_task()
        self.tabs.add(tab)
        try:
            return await super().handle_websocket(request)
        finally:
            self.tabs.discard(tab)

    async def on_startup(self, app: web.Application) -> None:
        """No banner: the caller has printed the URL."""

    async def on_shutdown(self, app: web.Application) -> None:
        """End every open tab: textual-serve closes its websocket and tells its app to quit."""
        for tab in list(self.tabs):
            tab.cancel()
        await asyncio.gather(*self.tabs, return_exceptions=True)
