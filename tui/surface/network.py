"""``NetworkLandscape``: the surface view's ``w`` mode, the main view's network on its loss landscape.

The network is built and trained, and its loss mapped on a plane through the trained weights, in a
build's daemon thread (``tui.background``) that an exclusive worker awaits: quitting mid-way ends the
process at once, whatever is being built. The training path (or the race's paths) is drawn on the map."""

from __future__ import annotations

import threading

import numpy as np
from rich.cells import cell_len
from rich.text import Text
from textual import work

from engine import ExperimentConfig, build_experiment, landscape, race
from tui import i18n
from tui.background import Background, refusal
from tui.colors import optimizer_colors
from tui.surface.frame import Plane, compose, grid_background
from tui.widgets.status import state_markup

CENTRE_MARKS = {"final weights": "surface.landscape_marks.end", "initial weights": "surface.landscape_marks.start"}
"""The landscape's legend by what its plane is centred on (``Landscape.centre``): which mark stands there."""


def centre_marks(centre: str, width: int) -> str:
    """The legend for a map ``width`` cells wide: in full where it fits its border, else its short form (at 60
    columns it was cut to ``… (the final wei…``)."""
    key = CENTRE_MARKS[centre]
    full = i18n.t(key)
    return full if cell_len(full) <= width - 4 else i18n.t(f"{key}_short")


def network_landscape(config: ExperimentConfig, directions: str, with_race: bool,
                      stop: threading.Event) -> landscape.Landscape:
    """``config``'s network trained (or the default optimizers' race on it) and its loss mapped around the
    trained weights (in any thread: Textual-free). ``landscape.Cancelled`` once ``stop`` is set."""
    if with_race:
        contest = race.Race(race.entries(config, "optimizer", list(race.DEFAULT_OPTIMIZERS)))
        return landscape.race_landscape(contest, directions=directions, should_stop=stop.is_set)
    result, _ = landscape.train_and_map(build_experiment(config), directions=directions, should_stop=stop.is_set)
    return result


def folded(pieces: list[str], width: int) -> list[str]:
    """``pieces`` joined with `` · `` into lines of at most ``width`` cells, each piece whole (one wider than
    ``width`` has a line of its own)."""
    lines: list[str] = []
    for piece in pieces:
        if lines and cell_len(lines[-1] + " · " + piece) <= width:
            lines[-1] += " · " + piece
        else:
            lines.append(piece)
    return lines


def landscape_text(result: landscape.Landscape, width: int) -> Text:
    """Under the map, in the app's language and ``width`` cells: the plane, the loss at its centre and its range,
    the time (each fact whole, on as many lines as they need: at 80 columns one line cut them after the centre),
    and where each path starts and ends."""
    a, b, t = result.alphas, result.betas, i18n.t
    kind = t("surface.kind.random") if result.directions == "random" else \
        t("surface.kind.pca", first=f"{result.explained[0]:.0%}", second=f"{result.explained[1]:.0%}")
    text = Text("\n".join(folded([
        kind, f"α ∈ [{a[0]:.3g}, {a[-1]:.3g}] β ∈ [{b[0]:.3g}, {b[-1]:.3g}]",
        t("surface.centre", centre=i18n.message(result.centre), loss=f"{result.center_loss:.4f}"),
        f"{float(result.grid.min()):.3g}…{float(result.grid.max()):.3g}",
        t("surface.networks", count=result.grid.size, seconds=f"{result.seconds:.2f}")], width)))
    for (label, path), color in zip(result.paths.items(), optimizer_colors(list(result.paths))):
        text.append("\n ━━ ", style=f"bold rgb({color[0]},{color[1]},{color[2]})")
        text.append(f"{label}: ({path[0][0]:.3f}, {path[0][1]:.3f}) → ({path[-1][0]:.3f}, {path[-1][1]:.3f})"
                    + t("surface.over", epochs=len(path) - 1))
    return text


class NetworkLandscape(Background):
    """Mixin for the surface view: the network's landscape, computed off the UI thread.

    The host provides ``config`` (the main view's experiment), ``mode``, ``status``, ``directions``
    (``"random"`` or ``"pca"``), ``race_paths``, ``landscape`` and ``landscape_note`` (why none is
    shown, in the engine's words; "" while it is computed), ``_stop`` (the computation's cancel event), ``_dirty``,
    ``_head``, ``_canvas``, ``_table`` and the cached ``_background``/``_background_key``.
    """

    def action_landscape(self) -> None:
        """The main view's network: its loss on a plane through the trained weights, the path on it."""
        if self.mode == "landscape":
            self.mode = "surface"
            self._dirty = True
            return
        if self.status == "running":
            self.status = "paused"
        self.mode = "landscape"
        if self.landscape is None:
            self._compute()
        self._dirty = True

    def action_directions(self) -> None:
        """Network landscape: random filter-normalized directions ↔ the path's principal components."""
        if self.mode == "landscape":
            self.directions = "pca" if self.directions == "random" else "random"
            self._compute()

    def action_race_paths(self) -> None:
        """Network landscape: the race's optimizers on one shared plane, or the main view's run alone."""
        if self.mode == "landscape":
            self.race_paths = not self.race_paths
            self._compute()

    def _compute(self) -> None:
        self._stop.set()
        self._stop = threading.Event()
        request = self.builds.request()
        self.landscape = None
        self.landscape_note = ""  # computing: said in the language of the moment (K may switch it meanwhile)
        self._dirty = True
        self._landscape_worker(self.config, self.directions, self.race_paths, self._stop, request)

    @work(exclusive=True, group="landscape", description="network landscape")
    async def _landscape_worker(self, config: ExperimentConfig, directions: str, with_race: bool, stop: threading.Event,
                                request: int) -> None:
        """Await the landscape (the newest request's only), then show it, or why there is none."""
        try:
            result = await self.builds.run(request, lambda: network_landscape(config, directions, with_race, stop))
        except landscape.Cancelled:
            return
        except (ValueError, MemoryError) as exc:  # ConfigError too
            self.landscape_note = refusal(exc)
            self._dirty = True
            return
        if result is not None:
            self.landscape = result
            self.landscape_note = ""
            self._dirty = True

    def _landscape_head(self) -> str:
        t, c = i18n.t, self.config
        state = state_markup("landscape", t("surface.network"))
        what = t("surface.race_of", names=", ".join(race.DEFAULT_OPTIMIZERS)) if self.race_paths else c.optimizer
        pieces = [state, c.dataset, t("surface.hidden", hidden=",".join(map(str, c.hidden))), c.loss, what,
                  t(f"surface.directions.{self.directions}")]
        # one line, never cut mid-word where it can help (80 columns): the directions go first (the lines under the
        # map name them), then the loss, the hidden sizes, the dataset (a race of five is long)
        width = self._head.content_region.width or 10**6
        for left_out in ((), (5,), (5, 3), (5, 3, 2), (5, 3, 2, 1)):
            line = " · ".join(piece for i, piece in enumerate(pieces) if i not in left_out)
            if Text.from_markup(line).cell_len <= width:
                break
        return f"{line}\n[dim]{t('surface.network_keys')}[/]"

    def _draw_landscape(self, width: int, height: int) -> None:
        result = self.landscape
        self._canvas.border_title = i18n.t("surface.network_landscape")
        self._table.border_title = i18n.t("surface.landscape")
        self._table.border_subtitle = ""
        if result is None:
            self._canvas.show(np.zeros((height, width, 3), dtype=np.uint8))
            self._table.update(i18n.message(self.landscape_note) or i18n.t("surface.mapping"))
            return
        a, b = result.alphas, result.betas
        plane = Plane((float(a[0]), float(a[-1]), float(b[0]), float(b[-1])), width, height)
        key = ("landscape", id(result), width, height)
        if key != self._background_key:
            self._background, self._background_key = grid_background(result.grid, plane, log=True), key
        paths = list(zip(result.paths.values(), optimizer_colors(list(result.paths))))  # labels: optimizer names
        # the plane's centre (α = β = 0) is no mark of its own: it is where the run ended (its final weights) or
        # where the race's runs started (their shared initial weights), so ● or ○ is already on it
        pixels, marks = compose(self._background, plane, paths, start=result.path[0])
        self._canvas.show(pixels, marks)
        self._canvas.border_subtitle = centre_marks(result.centre, width)
        self._table.update(landscape_text(result, self._table.content_size.width or self.app.size.width - 4))
