"""``SurfaceScreen``: optimizers walking a loss surface from one start, animated; and the network's landscape.

Its parts, one concept a module: ``keys`` (bindings and help rows), ``walks`` (pacing and steering the
walkers), ``edit`` (the KEY=VALUE line), ``network`` (the ``w`` landscape); here the layout, the surface
drawn with its walkers, the status line, leaving, help and palette."""

from __future__ import annotations

import threading
import time
from functools import partial

import numpy as np
from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult, SystemCommand
from textual.reactive import var
from textual.widgets import Static

from engine import ExperimentConfig, landscape, surfaces
from engine import SurfaceSetup
from tui import i18n
from tui.colors import RGB, optimizer_colors
from tui.driver import SPEEDS
from tui.lessons.card import lesson_text
from tui.palette import binding_commands
from tui.surface import keys
from tui.surface.edit import EditLine
from tui.surface.frame import Plane, compose, surface_background
from tui.surface.network import NetworkLandscape
from tui.surface.runs import RunTable, number
from tui.surface.scene import Scene
from tui.settled_screen import SettledScreen
from tui.surface.walks import TICK, WalkControl
from tui.widgets.counters import count, speed_text
from tui.widgets.footer import KeysFooter
from tui.widgets.help_screen import HelpScreen
from tui.widgets.in_order_input import InOrderInput
from tui.widgets.pixels import PixelCanvas
from tui.widgets.scroll_text import ScrollText
from tui.widgets.status import state_markup

MAX_PATH_POINTS = 2000
"""Points per path handed to the drawing (evenly thinned past that; the last is always kept)."""


def thinned(path: list[np.ndarray]) -> np.ndarray:
    """At most ``MAX_PATH_POINTS`` of ``path``, evenly spaced, first and last kept."""
    points = np.asarray(path)
    if len(points) <= MAX_PATH_POINTS:
        return points
    keep = np.unique(np.linspace(0, len(points) - 1, MAX_PATH_POINTS).astype(int))
    return points[keep]


class SurfaceScreen(WalkControl, EditLine, NetworkLandscape, SettledScreen[None]):
    """Several optimizers from one start over a shaded surface with contours; ``w``: the network's landscape."""

    AUTO_FOCUS = "#surface-canvas"

    BINDINGS = keys.BINDINGS

    status: var[str] = var("ready")
    """The walks: ready, running, paused, finished (or "landscape" in the network mode)."""

    mode: var[str] = var("surface")
    """What the view shows: ``"surface"`` (the walks) or ``"landscape"`` (``w``: the network's); each mode's keys
    (``keys.SURFACE_ONLY``, ``keys.LANDSCAPE_ONLY``) are off in the other, and its footer shows only its own."""

    def __init__(self, config: ExperimentConfig, speed: float | None = 30, *, lesson=None,
                 setup: SurfaceSetup | None = None) -> None:
        super().__init__()
        self.lesson = lesson
        """A surface lesson: its card shows under the walkers, its walk is set up on mount."""
        self.walk_setup = setup
        """A setup file's walk, set up on mount (``W`` saves the walk shown as one)."""
        self.config = config
        """The main view's experiment: the network whose landscape ``w`` draws."""
        self.scene = Scene()
        self.speed = speed if speed in SPEEDS else 30
        self.selected = 0
        self.directions = "random"
        self.race_paths = False
        self.landscape: landscape.Landscape | None = None
        self.landscape_note = ""
        self._stop = threading.Event()
        self._background_key = None
        self._background = None
        self._credit = 0.0
        self._last_tick = time.monotonic()
        self._dirty = True

    # -- layout ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        self._head = Static(id="surface-head")
        self._canvas = PixelCanvas(id="surface-canvas")
        self._canvas.can_focus = True
        self._table = RunTable(id="surface-runs")
        self._edit = InOrderInput(placeholder="lr=0.05 · momentum=0.5 · optimizer=adam · start=-1,2 · steps=500 · kappa=20",
                           id="surface-edit")
        yield self._head
        yield self._canvas
        yield self._edit
        yield self._table
        if self.lesson is not None:
            yield ScrollText(id="surface-lesson", text_id="surface-lesson-text")  # tab, then ↑/↓, reads it all
        yield KeysFooter(optional=["lessons", "batch_picture", "help", "reset", "step"])  # (60 columns: q Quit last)

    @property
    def canvas(self) -> PixelCanvas:
        return self._canvas

    @property
    def table(self) -> RunTable:
        return self._table

    def on_mount(self) -> None:
        self._edit.display = False
        self._table.border_title = i18n.t("surface.walkers")
        if self.lesson is not None:
            self.show_walkers(self.lesson.surface["name"], self.lesson.surface.get("optimizers"))
            self.show_lesson()
        elif self.walk_setup is not None:
            self.scene.apply(self.walk_setup)
            self._after_restart()
        self.set_interval(TICK, self._tick)
        self._redraw()

    def watch_mode(self) -> None:
        """The footer shows the new mode's keys; the lesson's card, which is about the walks, shows with them only
        (over the network's landscape it took the map's rows: at 80x24 the map was 2 rows tall)."""
        self.refresh_bindings()
        for card in self.query("#surface-lesson"):
            card.display = self.mode == "surface"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The other mode's keys are off: out of the footer, and pressed they reach ``keys.BINDINGS``'s fallbacks."""
        off = keys.SURFACE_ONLY if self.mode == "landscape" else keys.LANDSCAPE_ONLY
        return action not in off

    def on_resize(self) -> None:
        self._dirty = True

    def watch_status(self) -> None:
        """The status line and the walkers' statuses say the new state at the next frame (pausing draws nothing
        else)."""
        self._dirty = True

    def _redraw(self) -> None:
        self._dirty = False
        self._head.update(self._head_text())
        width, height = self._canvas.pixel_size
        if width < 2 or height < 2:
            return
        if self.mode == "landscape":
            self._draw_landscape(width, height)
        else:
            self._draw_surface(width, height)

    def _draw_surface(self, width: int, height: int) -> None:
        scene = self.scene
        plane = Plane(scene.surface.box, width, height)
        key = ("surface", id(scene.surface), width, height)
        if key != self._background_key:
            self._background, self._background_key = surface_background(scene.surface, plane), key
        # the first walker drawn last, on top (on linreg: batch GD's smooth line over SGD's scatter)
        colors = self.walker_colors
        paths = [(thinned(w.path), colors[i]) for i, w in reversed(list(enumerate(scene.walks)))]
        pixels, marks = compose(self._background, plane, paths, start=scene.start, minima=scene.surface.minima)
        self._canvas.show(pixels, marks)
        self._canvas.border_title = scene.surface.name
        self._canvas.border_subtitle = i18n.t("surface.marks")
        self._table.border_title = i18n.t("surface.walkers")
        self._table.show(scene.walks, colors, self.selected, scene.divergence_rates(), self.status)

    @property
    def walker_colors(self) -> list[RGB]:
        """Per walker, its colour: its optimizer's, the same as in the race (``optimizer_colors``)."""
        return optimizer_colors([w.name for w in self.scene.walkers])

    def _head_text(self) -> str:
        if self.mode == "landscape":
            return self._landscape_head()
        scene, t = self.scene, i18n.t
        width = self._head.content_region.width or 10**6
        state = state_markup(self.status, i18n.message(self.status))
        head = f"{state} · [b]{scene.surface.name}[/b] · {t('surface.step', step=count(scene.step_count), steps=count(scene.steps))}"
        speed, start = speed_text(self.speed), t("surface.start", x=f"{scene.start[0]:.3g}", y=f"{scene.start[1]:.3g}")
        # never cut mid-way (60 columns ended "start (-3.5, 1…"): the speed goes first, then the start
        head = next((line for line in (f"{head} · {speed} · {start}", f"{head} · {start}")
                     if Text.from_markup(line).cell_len <= width), head)
        detail = i18n.message(scene.surface.formula)
        if isinstance(scene.surface, surfaces.Quadratic):
            rates = [f"{i18n.message(w.label)} {number(r)}" for w, r in zip(scene.walks, scene.divergence_rates()) if r is not None]
            condition = t("surface.condition", number=f"{scene.surface.condition_number:g}")
            diverges = t("surface.diverges", rates=", ".join(rates)) if rates else ""
            # where the line would be cut (80 columns), the condition number goes (κ is in the formula), then (60
            # columns) the step sizes at which SGD and momentum diverge
            detail = next((line for line in (detail + condition + diverges, detail + diverges)
                           if cell_len(line) <= width), detail)
        return f"{head}\n[dim]{detail}[/]"

    def show_words(self) -> None:
        """Every word of the view in the current language (after ``K``), whether or not the walks still move: the
        head line, the legend, the walkers (or the landscape's lines) and the lesson's card, drawn at once."""
        self.show_lesson()
        self._redraw()

    def show_lesson(self) -> None:
        """The lesson's card in the current language (after ``K`` switches it, too)."""
        if self.lesson is not None:
            card = self.query_one("#surface-lesson", ScrollText)
            card.border_title = i18n.t("ui.lessons.card")
            card.update(lesson_text(self.lesson.text("title"), self.lesson.lines()))

    def action_save_setup(self) -> None:
        """Save this walk — surface, start, steps, each walker's settings — as a setup file (python -m tui FILE)."""
        self.app.action_save_setup()

    # -- leaving -----------------------------------------------------------------------------
    def action_back(self) -> None:
        """Leave the edit field or the lesson's card being read, then the network landscape, then the view."""
        if self._edit.display:
            self._close_edit()
        elif self.focused is not None and self.focused.id == "surface-lesson":
            self._canvas.focus()
        elif self.mode == "landscape":
            self.mode = "surface"
            self._dirty = True
        else:
            self._stop.set()
            if self.is_active:  # only ever remove this view, never the one below it
                self.dismiss()

    def action_nothing(self) -> None:
        """The main view's epoch, log and panel keys: nothing to do in this view."""

    def action_help(self) -> None:
        """Show the surface view's keys."""
        self.app.push_screen(HelpScreen([b for b in self.BINDINGS if b.show], keys.help_rows, view="surface"))

    async def action_quit(self) -> None:
        """Stop the walks and the landscape's worker, then quit as every view does (``app.action_quit``: every
        training worker halted, the terminal restored)."""
        self._stop.set()
        await self.app.action_quit()

    def on_unmount(self) -> None:
        self._stop.set()

    def commands(self):
        """Palette entries: every surface, and the view's actions."""
        for name in surfaces.names():
            yield SystemCommand(i18n.t("palette.surface", name=name), i18n.message(surfaces.get(name).formula),
                                partial(self.show_surface, name))
        yield from binding_commands(self, [b for b in self.BINDINGS if b.show], view="surface")
