"""``SurfaceScreen``: optimizers walking a loss surface from one start, animated; and the network's landscape."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Input, Static

from engine import ExperimentConfig, build_experiment, landscape, optimizers, race, surfaces
from engine import SurfaceSetup
from tui import i18n
from tui.driver import SPEEDS
from tui.surface.edit import apply_edit
from tui.surface.frame import Plane, compose, grid_background, surface_background
from tui.surface.runs import RunTable, number
from tui.lessons.card import lesson_text
from tui.surface.scene import Scene, Walker
from tui.widgets.counters import speed_text
from tui.widgets.footer import KeysFooter
from tui.widgets.help_screen import HelpScreen
from tui.colors import RGB, optimizer_colors
from tui.widgets.pixels import PixelCanvas

TICK = 1 / 20
"""Seconds between animation frames (steps are made and the canvas redrawn at most this often)."""

MAX_STEPS_PER_TICK = 20
"""At speed "max": updates of every walk per frame (400/s), so a walk stays visible as it moves."""

MAX_PATH_POINTS = 2000
"""Points per path handed to the drawing (evenly thinned past that; the last is always kept)."""

STATE_STYLES = {"ready": "bold $text-muted", "running": "bold $success", "paused": "bold $warning",
                "finished": "bold $primary", "landscape": "bold $accent"}


def thinned(path: list[np.ndarray]) -> np.ndarray:
    points = np.asarray(path)
    if len(points) <= MAX_PATH_POINTS:
        return points
    keep = np.unique(np.linspace(0, len(points) - 1, MAX_PATH_POINTS).astype(int))
    return points[keep]


@dataclass
class LandscapeReady(Message):
    """A landscape computed by the worker (``request`` tells a stale one apart)."""

    request: int
    result: landscape.Landscape | None
    error: str | None = None


class SurfaceScreen(Screen[None]):
    """Several optimizers from one start over a shaded surface with contours; ``w``: the network's landscape."""

    AUTO_FOCUS = "#surface-canvas"

    BINDINGS = [
        Binding("space", "toggle_run", "Run/Pause", id="surface-run"),
        Binding("n", "step", "Step", id="surface-step"),
        Binding("r", "reset", "Reset", id="surface-reset"),
        Binding("t", "next_surface", "Surface", id="surface-next"),
        Binding("T", "previous_surface", "Previous surface", show=False, id="surface-previous"),
        Binding("b", "batch_picture", "Batches", id="surface-batches"),
        Binding("i", "edit", "Edit", id="surface-edit-key"),
        Binding("w", "landscape", "Network", id="surface-landscape"),
        Binding("W", "save_setup", "Save setup", show=False, id="surface-save"),
        Binding("up", "move_start(0, 1)", "Start ↑", show=False, id="surface-up"),
        Binding("down", "move_start(0, -1)", "Start ↓", show=False, id="surface-down"),
        Binding("left", "move_start(-1, 0)", "Start ←", show=False, id="surface-left"),
        Binding("right", "move_start(1, 0)", "Start →", show=False, id="surface-right"),
        *[Binding(str(k), f"select({k - 1})", f"Select walker {k}", show=False, id=f"surface-select-{k}")
          for k in range(1, 7)],
        Binding("left_square_bracket", "scale_lr(0.8)", "Lr ÷1.25", show=False, id="surface-lr-down"),
        Binding("right_square_bracket", "scale_lr(1.25)", "Lr ×1.25", show=False, id="surface-lr-up"),
        Binding("o", "cycle_optimizer", "Next optimizer", show=False, id="surface-optimizer"),
        Binding("d", "directions", "Directions (network)", show=False, id="surface-directions"),
        Binding("c", "race_paths", "Race paths (network)", show=False, id="surface-race"),
        Binding("minus", "slower", "Slower", show=False, id="surface-slower"),
        Binding("plus,equals_sign", "faster", "Faster", show=False, id="surface-faster"),
        Binding("escape,s", "back", "Back", id="surface-back"),
        Binding("e,l,m", "nothing", show=False, id="surface-nothing"),  # the main view's keys do nothing here
        Binding("question_mark", "help", "Help", id="surface-help"),
        Binding("q", "quit", "Quit", id="surface-quit"),
    ]

    status: var[str] = var("ready")
    """The walks: ready, running, paused, finished (or "landscape" in the network mode)."""

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
        self.mode = "surface"
        self.directions = "random"
        self.race_paths = False
        self.landscape: landscape.Landscape | None = None
        self.landscape_note = ""
        self._request = 0
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
        self._edit = Input(placeholder="lr=0.05 · momentum=0.5 · optimizer=adam · start=-1,2 · steps=500 · kappa=20",
                           id="surface-edit")
        yield self._head
        yield self._canvas
        yield self._edit
        yield self._table
        if self.lesson is not None:
            yield Static(id="surface-lesson")
        yield KeysFooter(optional=["batch_picture", "help", "reset", "step"])

    @property
    def canvas(self) -> PixelCanvas:
        return self._canvas

    @property
    def table(self) -> RunTable:
        return self._table

    def on_mount(self) -> None:
        self._edit.display = False
        self._table.border_title = "walkers"
        if self.lesson is not None:
            self.show_walkers(self.lesson.surface["name"], self.lesson.surface.get("optimizers"))
            self.show_lesson()
        elif self.walk_setup is not None:
            self.scene.apply(self.walk_setup)
            self._after_restart()
        self.set_interval(TICK, self._tick)
        self._redraw()

    def on_resize(self) -> None:
        self._dirty = True

    # -- animation ---------------------------------------------------------------------------
    def _tick(self) -> None:
        now = time.monotonic()
        dt, self._last_tick = now - self._last_tick, now
        if self.status == "running" and self.mode == "surface":
            if self.speed is None:
                due = MAX_STEPS_PER_TICK
            else:
                self._credit = min(self._credit + self.speed * dt, MAX_STEPS_PER_TICK)
                due = int(self._credit)
                self._credit -= due
            if due:
                self.scene.advance(due)
                self._dirty = True
            if self.scene.done:
                self.status = "finished"
        if self._dirty:
            self._redraw()

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
        self._canvas.border_subtitle = "○ start  ★ minimum  ● walker"
        self._table.border_title = "walkers"
        self._table.show(scene.walks, colors, self.selected, scene.divergence_rates())

    @property
    def walker_colors(self) -> list[RGB]:
        """Per walker, its colour: its optimizer's, the same as in the race (``optimizer_colors``)."""
        return optimizer_colors([w.name for w in self.scene.walkers])

    def _draw_landscape(self, width: int, height: int) -> None:
        result = self.landscape
        self._canvas.border_title = "network landscape"
        self._table.border_title = "landscape"
        self._table.border_subtitle = ""
        if result is None:
            self._canvas.show(np.zeros((height, width, 3), dtype=np.uint8))
            self._table.update(self.landscape_note or "computing…")
            return
        a, b = result.alphas, result.betas
        plane = Plane((float(a[0]), float(a[-1]), float(b[0]), float(b[-1])), width, height)
        key = ("landscape", id(result), width, height)
        if key != self._background_key:
            self._background, self._background_key = grid_background(result.grid, plane, log=True), key
        paths = list(zip(result.paths.values(), optimizer_colors(list(result.paths))))  # labels: optimizer names
        pixels, marks = compose(self._background, plane, paths, start=result.path[0], minima=[np.zeros(2)])
        self._canvas.show(pixels, marks)
        self._canvas.border_subtitle = f"○ start  ★ {result.centre}  ● end of training"
        self._table.update(self._landscape_text(result))

    def _head_text(self) -> str:
        if self.mode == "landscape":
            c = self.config
            what = "race of " + ", ".join(race.DEFAULT_OPTIMIZERS) if self.race_paths else c.optimizer
            state = f"[{STATE_STYLES['landscape']}]● network[/]"
            return (f"{state} · {c.dataset} · hidden {','.join(map(str, c.hidden))} · {c.loss} · {what} · "
                    f"{self.directions} directions\n[dim]d directions · c race paths · w or escape back[/]")
        scene = self.scene
        state = f"[{STATE_STYLES[self.status]}]● {self.status}[/]"
        head = (f"{state} · [b]{scene.surface.name}[/b] · step {scene.step_count}/{scene.steps} · "
                f"{speed_text(self.speed)} · start ({scene.start[0]:.3g}, {scene.start[1]:.3g})")
        detail = scene.surface.formula
        if isinstance(scene.surface, surfaces.Quadratic):
            rates = [f"{w.label} {number(r)}" for w, r in zip(scene.walks, scene.divergence_rates()) if r is not None]
            detail += f" · condition number {scene.surface.condition_number:g}"
            if rates:
                detail += " · diverges above lr: " + ", ".join(rates)
        return f"{head}\n[dim]{detail}[/]"

    def _landscape_text(self, result: landscape.Landscape) -> Text:
        a, b = result.alphas, result.betas
        kind = "random filter-normalized" if result.directions == "random" else \
            "PCA ({:.0%} + {:.0%} of the path)".format(*result.explained)
        text = Text(f"{kind} · α ∈ [{a[0]:.3g}, {a[-1]:.3g}] β ∈ [{b[0]:.3g}, {b[-1]:.3g}] · centre "
                    f"({result.centre}) loss {result.center_loss:.4f} · {float(result.grid.min()):.3g}…"
                    f"{float(result.grid.max()):.3g} · {result.grid.size} networks in {result.seconds:.2f} s")
        for (label, path), color in zip(result.paths.items(), optimizer_colors(list(result.paths))):
            text.append("\n ━━ ", style=f"bold rgb({color[0]},{color[1]},{color[2]})")
            text.append(f"{label}: ({path[0][0]:.3f}, {path[0][1]:.3f}) → ({path[-1][0]:.3f}, {path[-1][1]:.3f})"
                        f" over {len(path) - 1} epochs")
        return text

    # -- the walks ---------------------------------------------------------------------------
    def action_toggle_run(self) -> None:
        """Start the walks, or pause them (a finished set starts over)."""
        if self.mode != "surface":
            return
        if self.status == "running":
            self.status = "paused"
            return
        if self.scene.done:
            self.scene.reset()
        self._credit = 0.0
        self._last_tick = time.monotonic()
        self.status = "running"
        self._dirty = True

    def action_step(self) -> None:
        """One update of every walk."""
        if self.mode != "surface":
            return
        self.scene.advance(1)
        self.status = "finished" if self.scene.done else "paused"
        self._dirty = True

    def action_reset(self) -> None:
        """Every walk back to the start."""
        self.scene.reset()
        self._after_restart()

    def show_walkers(self, surface: str, names: list[str] | None = None) -> None:
        """``surface`` walked by these optimizers, each at the surface's own learning rate (a lesson's setup);
        ``None``: by its own walkers (on ``linreg`` the lecture's three batch sizes)."""
        self.scene.set_surface(surface)
        lr = {"learning_rate": self.scene.surface.learning_rate}
        if names is not None:
            self.scene.walkers = [Walker(name, dict(lr)) for name in names]
        self.scene.reset()
        self._after_restart()

    def show_lesson(self) -> None:
        """The lesson's card in the current language (after ``K`` switches it, too)."""
        if self.lesson is not None:
            card = self.query_one("#surface-lesson", Static)
            card.border_title = i18n.t("ui.lessons.card")
            card.update(lesson_text(self.lesson.text("title"), self.lesson.lines()))

    def _after_restart(self) -> None:
        self.selected = min(self.selected, len(self.scene.walks) - 1)
        if self.status == "finished":
            self.status = "ready"
        self._dirty = True

    def action_move_start(self, dx: int, dy: int) -> None:
        """Move the start point (the walks start over from it)."""
        if self.mode == "surface":
            self.scene.move_start(dx, dy)
            self._after_restart()

    def action_select(self, index: int) -> None:
        """Pick the walker that [ ] o and the edit field change."""
        if index < len(self.scene.walks):
            self.selected = index
            self._dirty = True

    def action_scale_lr(self, factor: float) -> None:
        """The selected walker's learning rate ×1.25 or ÷1.25, from its next step."""
        walk = self.scene.walks[self.selected]
        self._apply(f"learning_rate={float(walk.optimizer.learning_rate) * factor:.6g}")

    def action_cycle_optimizer(self) -> None:
        """The selected walker becomes the next optimizer in the registry (its walk starts over)."""
        names = optimizers.names()
        current = self.scene.walkers[self.selected].name
        self._apply(f"optimizer={names[(names.index(current) + 1) % len(names)]}")

    def _switch(self, step: int) -> None:
        names = surfaces.names()
        self.scene.set_surface(names[(names.index(self.scene.surface.name) + step) % len(names)])
        self.mode = "surface"
        self._after_restart()

    def action_next_surface(self) -> None:
        """The next surface: quadratic, rosenbrock, beale, himmelblau, saddle, dip, linreg."""
        self._switch(1)

    def action_previous_surface(self) -> None:
        """The previous surface."""
        self._switch(-1)

    def action_save_setup(self) -> None:
        """Save this walk — surface, start, steps, each walker's settings — as a setup file (python -m tui FILE)."""
        self.app.action_save_setup()

    def action_batch_picture(self) -> None:
        """The lecture's batch picture: batch GD, mini-batch and SGD on y = wx + b."""
        self.scene.set_surface("linreg")
        self.mode = "surface"
        self._after_restart()

    def action_slower(self) -> None:
        """Fewer updates per second."""
        self.speed = SPEEDS[max(SPEEDS.index(self.speed) - 1, 0)]
        self._dirty = True

    def action_faster(self) -> None:
        """More updates per second."""
        self.speed = SPEEDS[min(SPEEDS.index(self.speed) + 1, len(SPEEDS) - 1)]
        self._dirty = True

    # -- the edit field ----------------------------------------------------------------------
    def action_edit(self) -> None:
        """Type KEY=VALUE for the selected walker (lr, momentum, β…, optimizer) or the scene (start, steps, kappa)."""
        if self.mode != "surface":
            return
        self._edit.display = True
        self._edit.border_title = f"walker {self.selected + 1}: {self.scene.walks[self.selected].label}"
        self._edit.border_subtitle = ""
        self._edit.value = ""
        self._edit.focus()

    @on(Input.Submitted, "#surface-edit")
    def _on_edit(self, event: Input.Submitted) -> None:
        if self._apply(event.value):
            self._edit.value = ""
            self._close_edit()

    def _apply(self, text: str) -> bool:
        """Apply one ``KEY=VALUE``; a refused value says why in place and changes nothing."""
        try:
            restarted = apply_edit(self.scene, self.selected, text)
        except ValueError as exc:
            self._edit.border_subtitle = Content(str(exc))  # plain text: it quotes what was typed
            self.notify(str(exc), severity="error", timeout=4, markup=False)
            return False
        if restarted:
            self._after_restart()
        self._dirty = True
        return True

    def _close_edit(self) -> None:
        self._edit.display = False
        self._canvas.focus()

    # -- the network's landscape -------------------------------------------------------------
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
        self._request += 1
        self.landscape = None
        self.landscape_note = "training and mapping the loss around the weights…"
        self._dirty = True
        self._landscape_worker(self.config, self.directions, self.race_paths, self._stop, self._request)

    @work(thread=True, exclusive=True, exit_on_error=False, group="landscape", description="network landscape")
    def _landscape_worker(self, config: ExperimentConfig, directions: str, with_race: bool, stop: threading.Event,
                          request: int) -> None:
        try:
            if with_race:
                contest = race.Race(race.entries(config, "optimizer", list(race.DEFAULT_OPTIMIZERS)))
                result = landscape.race_landscape(contest, directions=directions, should_stop=stop.is_set)
            else:
                result, _ = landscape.train_and_map(build_experiment(config), directions=directions,
                                                    should_stop=stop.is_set)
        except landscape.Cancelled:
            return
        except ValueError as exc:
            self.post_message(LandscapeReady(request, None, str(exc)))
            return
        self.post_message(LandscapeReady(request, result))

    @on(LandscapeReady)
    def _on_landscape(self, message: LandscapeReady) -> None:
        if message.request != self._request:
            return
        self.landscape = message.result
        self.landscape_note = message.error or ""
        self._dirty = True

    # -- leaving -----------------------------------------------------------------------------
    def action_back(self) -> None:
        """Leave the edit field, then the network landscape, then the view."""
        if self._edit.display:
            self._close_edit()
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
        extra = [(keys, i18n.t(f"help.surface.{name}")) for keys, name in
                 (("arrows", "arrows"), ("1 … 6", "select"), ("[ / ]", "scale_lr"), ("o", "cycle_optimizer"),
                  ("- / +", "speed"), ("d / c", "network"))] + [("W", i18n.t("help.action.save_setup"))]
        self.app.push_screen(HelpScreen([b for b in self.BINDINGS if b.show], extra, view="surface"))

    async def action_quit(self) -> None:
        """Exit, restoring the terminal."""
        self._stop.set()
        self.app.exit()

    def on_unmount(self) -> None:
        self._stop.set()

    def commands(self):
        """Palette entries: every surface, and the view's actions."""
        for name in surfaces.names():
            yield SystemCommand(f"Surface: {name}", surfaces.get(name).formula, self._palette_surface(name))
        for binding in self.BINDINGS:
            if binding.show:
                action = binding.action.split("(")[0]
                doc = (getattr(self, f"action_{action}").__doc__ or "").strip().split("\n")[0]
                yield SystemCommand(binding.description, doc, self._palette(binding.action))

    def _palette_surface(self, name: str):
        def run() -> None:
            self.scene.set_surface(name)
            self.mode = "surface"
            self._after_restart()
        return run

    def _palette(self, action: str):
        async def run() -> None:
            await self.run_action(action)
        return run
