"""The surface view (``s``): its keys at 80×24 and 120×40, driven as a person would."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from rich.cells import cell_len
from rich.text import Text

from engine import build_experiment, optimizers, surfaces
from tests.tui.conftest import (SMALL, assert_no_worker_thread, make, press_together, resize, screen_text, squash, type_text,
                                until)
from tests.tui.test_building import gated
from tui import i18n
from tui.surface import keys
from tui.surface.runs import number
from tui.surface.screen import SurfaceScreen
from tui.textual_private import FooterKey
from tui.widgets.status import rich_style

SIZES = [(80, 24), (120, 40)]


def shown(view: SurfaceScreen) -> str:
    """The status lines and the walkers' table as text, whitespace removed (cheaper than a whole-screen export)."""
    parts = []
    for widget in (view.query_one("#surface-head"), view.table):
        content = widget.content
        parts.append(content.plain if isinstance(content, Text) else Text.from_markup(str(content)).plain)
    parts.append(view.table.border_subtitle or "")
    return squash(" ".join(parts))


async def next_frame(pilot, view: SurfaceScreen) -> None:
    """Wait until ``view`` has drawn what the keys before it changed: it draws at its next tick (``TICK``, 1/20 s),
    which one pause need not reach on a loaded machine (after n the table still said "ready": 1 failure in 16)."""
    await until(pilot, lambda: not view._dirty)


def assert_statuses_whole(view: SurfaceScreen, word: str) -> None:
    """Every walker's line ends with ``word`` (its status, a walk still going: the view's state) and fits the
    table's width, so nothing of it is cut to "…"."""
    lines = view.table.content.plain.split("\n")[1:]
    assert lines and all(line.endswith(word) for line in lines), lines
    assert max(cell_len(line) for line in lines) <= view.table.content_size.width, lines


def assert_header_over_its_columns(view: SurfaceScreen) -> None:
    """The table's column names stand over their columns (the sgd walker's lr, its point) and the last one,
    status, reads whole within the table's width (it was cut to "sta…" at 60 columns, two cells off)."""
    head, sgd = view.table.content.plain.split("\n")[:2]
    lr = number(view.scene.walks[0].optimizer.learning_rate)
    assert (head.index("lr"), head.index("point")) == (sgd.index(f" {lr} ") + 1, sgd.index("(")), (head, sgd)
    assert head.endswith("status") and cell_len(head) <= view.table.content_size.width, head


async def open_view(pilot) -> SurfaceScreen:
    await pilot.press("s")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SurfaceScreen)
    return screen


@pytest.mark.parametrize("size", SIZES)
async def test_the_views_keys(size, monkeypatch):
    """s, n, arrows, 1-6, [ ], i (edit field), r, t, b, o, e/l (nothing here), escape — one walk through; then at
    80x24 w maps the main view's network in a new surface view and q quits while a map is built, at 120x40 space
    animates a new surface view to its end."""
    if size == (80, 24):
        from tui.surface import network
        gate, started = gated(monkeypatch, (network, "network_landscape"))
        gate.set()
    app = make()
    async with app.run_test(size=size) as pilot:
        view = await open_view(pilot)
        text = screen_text(app)
        # the step sizes at which SGD and momentum diverge, whole at 80 columns too (κ = 10 is in the formula)
        assert squash("quadratic") in text and squash("diverges above lr: sgd 0.2, momentum 0.38") in text
        assert size[0] < 100 or squash("condition number 10") in text
        for label in ("sgd", "momentum", "rmsprop", "adam"):
            assert label in text
        width, height = view.canvas.pixel_size
        assert width == size[0] - 2 and height >= 16  # the canvas takes the room there is
        assert squash("sgd: ready") in shown(view) and "running" not in shown(view)  # before the first step

        # n: one update of every walker, by the engine's own optimizers
        await pilot.press("n", "n", "n")
        await next_frame(pilot, view)
        quad = surfaces.get("quadratic")
        for walk, name in zip(view.scene.walks, ("sgd", "momentum", "rmsprop", "adam")):
            alone = surfaces.Descent(quad, optimizers.get(name, learning_rate=quad.learning_rate), quad.start,
                                     steps=quad.steps).run(3)
            assert np.array_equal(np.array(walk.path), np.array(alone.path))
        assert view.status == "paused" and squash("step 3/200") in shown(view)
        assert squash("sgd: paused · step 3") in shown(view) and "running" not in shown(view)
        assert_statuses_whole(view, "paused" if size == (80, 24) else "paused · step 3")  # in full where it fits

        # 2 then ]: the selected walker's learning rate ×1.25, live (the walk goes on)
        await pilot.press("2", "right_square_bracket")
        await pilot.pause()
        momentum = view.scene.walks[1]
        assert view.selected == 1 and momentum.optimizer.learning_rate == pytest.approx(0.125)
        assert momentum.step_count == 3

        # i: a hyperparameter typed in, live; a bad value refused in place, nothing changes
        await pilot.press("i")
        await type_text(pilot, "momentum=0.5", "enter")
        await pilot.pause()
        assert momentum.optimizer.momentum == 0.5 and view.scene.walks[1] is momentum
        await pilot.press("i")
        await type_text(pilot, "momentum=2", "enter")
        await pilot.pause()
        assert momentum.optimizer.momentum == 0.5
        edit = view.query_one("#surface-edit")
        assert "momentum must be in [0, 1]" in edit.border_subtitle
        edit.action_end()
        await press_together(pilot, "backspace", *"xyz")  # a burst (as over SSH) edits in the order typed
        assert (edit.value, app.focused) == ("momentum=xyz", edit)
        await pilot.press("escape")

        # arrows: the start moves and the walks start over from it
        await pilot.press("right", "right", "down")
        await next_frame(pilot, view)
        x0, x1, y0, y1 = view.scene.surface.box
        np.testing.assert_allclose(view.scene.start, [-3.5 + 2 * (x1 - x0) / 40, 1.5 - (y1 - y0) / 40])
        assert all(w.step_count == 0 and np.array_equal(w.path[0], view.scene.start) for w in view.scene.walks)
        assert squash("start (-3.1, 1.4)") in shown(view)
        for steps in ("2000", "200"):  # the step counter's thousands grouped as every counter's are
            await pilot.press("i")
            await type_text(pilot, f"steps={steps}", "enter")
            await next_frame(pilot, view)
            assert squash(f"step 0/{int(steps):,}") in shown(view)

        # lr above GD's 2/λmax = 0.2 (flagged), r from the start: diverged, and the screen says so
        await pilot.press("1", "i")
        await type_text(pilot, "lr=0.3", "enter", "r")
        await next_frame(pilot, view)
        sgd = view.scene.walks[0]
        assert sgd.optimizer.learning_rate == 0.3 and sgd.step_count == 0
        assert squash("1 sgd 0.3 !") in shown(view)  # flagged: above the rate at which it diverges
        sgd.run()
        assert sgd.status == "diverged"
        await pilot.press("n")
        await next_frame(pilot, view)
        assert "diverged" in shown(view)
        diverged = view.table.content.split("\n")[1].spans[-1]  # styled as a diverged run is (STATE_STYLES)
        assert str(diverged.style) == rich_style("diverged", app.theme_variables), diverged
        assert_header_over_its_columns(view)
        if size == (80, 24):
            await resize(pilot, 60, 20)
            await next_frame(pilot, view)
            assert_header_over_its_columns(view)
            await resize(pilot, 80, 24)

        # t: the next surface; b: the lecture's batch picture; o: the selected walker's next optimizer
        await pilot.press("t")
        await next_frame(pilot, view)
        assert view.scene.surface.name == "rosenbrock" and squash("(1 − x)² + 100(y − x²)²") in shown(view)
        await pilot.press("b")
        await next_frame(pilot, view)
        assert view.scene.surface.name == "linreg"
        text = screen_text(app)
        for label in ("batch GD (B=200)", "mini-batch (B=32)", "SGD (B=1)"):
            assert squash(label) in text
        await pilot.press("n")
        await next_frame(pilot, view)
        assert_statuses_whole(view, "paused" if size == (80, 24) else "paused · step 1")  # long labels: |∇f| makes room
        if size == (80, 24):  # at 60 columns the point column's spare room gives way too (every status read "…")
            await resize(pilot, 60, 20)
            await next_frame(pilot, view)
            assert_statuses_whole(view, "paused")
            await resize(pilot, 80, 24)
        await pilot.press("o")
        await pilot.pause()
        assert view.scene.walks[0].optimizer.name == optimizers.names()[1]

        # the main view's e and l do nothing here; escape goes back to it
        await pilot.press("e", "l", "escape")
        await pilot.pause()
        assert app.session.trainer.step_count == 0
        assert not isinstance(app.screen, SurfaceScreen)

        if size == (120, 40):
            await space_animates_at_the_views_speed_and_stops_when_done(app, pilot)
        else:
            await w_maps_the_main_views_network_and_q_quits_while_a_map_is_built(app, pilot, gate, started)
    if size == (80, 24):
        assert_the_builds_thread_ends_with_the_app(app, gate)
        await assert_no_worker_thread()  # the landscape's thread stopped with the view


async def space_animates_at_the_views_speed_and_stops_when_done(app, pilot) -> None:
    """From the main view (the surface view opens anew)."""
    view = await open_view(pilot)
    assert view.speed == 30  # the main view runs flat out: the surface view starts watchable
    await type_text(pilot, "+" * 7)  # faster, seven times: 100/s, 300/s, max, then max stays
    await until(pilot, lambda: "max" in shown(view))  # shown on the view's next tick
    assert view.speed is None
    await pilot.press("space")
    for _ in range(100):
        await pilot.pause(0.05)
        if view.status == "finished":
            break
    assert view.status == "finished" and view.scene.done
    assert all(w.status in ("reached", "stopped") for w in view.scene.walks)


async def w_maps_the_main_views_network_and_q_quits_while_a_map_is_built(app, pilot, gate: threading.Event,
                                                                       started: list) -> None:
    """From the main view at 80x24 (the surface view opens anew), its network's builds gated (the gate open);
    the app ends."""
    view = await open_view(pilot)
    await pilot.press("w")
    await app.workers.wait_for_complete()
    await until(pilot, lambda: view.landscape is not None)  # the worker's result, handled
    result = view.landscape
    experiment = build_experiment(SMALL)
    experiment.trainer().fit(verbose=0)
    n = experiment.train_size
    assert result.center_loss == experiment.model.evaluate(experiment.x[:n], experiment.y[:n],
                                                           return_dict=True)["loss"]
    await until(pilot, lambda: squash("network landscape") in screen_text(app))  # drawn on the view's next tick
    assert np.array_equal(result.path[-1], np.zeros(2))  # the run ends on the plane's centre: one mark, ●, for both
    await the_footer_shows_only_its_modes_keys(view, pilot)
    await until(pilot, lambda: squash("○ start  ● end of training, the centre (the final weights)") in screen_text(app))
    assert "★" not in screen_text(app)  # the map drawn, with its legend: no mark of its own for the centre
    await pilot.press("t", "n", "space")  # the walks' keys: off here
    await pilot.pause()
    assert view.mode == "landscape" and view.scene.surface.name == "quadratic" and view.scene.step_count == 0
    await pilot.press("d")
    await app.workers.wait_for_complete()
    await until(pilot, lambda: view.landscape is not None)
    assert view.landscape.directions == "pca"
    await until(pilot, lambda: squash("PCA (") in screen_text(app))
    await pilot.press("c")
    await app.workers.wait_for_complete()
    await until(pilot, lambda: view.landscape is not None)
    assert list(view.landscape.paths) == ["sgd", "momentum", "adagrad", "rmsprop", "adam"]
    assert all(np.array_equal(path[0], np.zeros(2)) for path in view.landscape.paths.values())  # ○ on the centre
    await until(pilot, lambda: squash("○ start, the centre (the initial weights)  ● end of training") in screen_text(app))
    assert "★" not in screen_text(app)
    await pilot.press("escape")
    await pilot.pause()
    assert view.mode == "surface" and app.screen is view
    await the_footer_shows_only_its_modes_keys(view, pilot)
    await pilot.press("c", "d")  # the landscape's keys: off on a surface (c is not the main view's race)
    await pilot.pause()
    assert app.screen is view and view.mode == "surface" and view.race_paths and view.directions == "pca"
    await pilot.press("w")  # the landscape shown again, as it was; w goes back as escape does
    assert view.mode == "landscape" and view.landscape is not None
    await pilot.press("w")
    assert view.mode == "surface"

    gate.clear()  # quitting while a landscape is built: the app ends now, its daemon thread cannot hold the process
    await pilot.press("w", "d")
    assert len(started) == 4 and view.landscape is None
    await until(pilot, lambda: squash("training and mapping the loss") in screen_text(app))
    await pilot.press("K")  # while it computes: its note said again in Korean (it stayed in English)
    await until(pilot, lambda: squash(i18n.t("surface.mapping", "ko")) in screen_text(app))
    await pilot.press("K")
    await pilot.press("q")  # as q in the race view: app.action_quit


async def the_footer_shows_only_its_modes_keys(view: SurfaceScreen, pilot) -> None:
    """The walks' keys on a surface, the landscape's (d, c) on the network landscape; back, help, quit on both."""
    mine, others = (keys.LANDSCAPE_ONLY, keys.SURFACE_ONLY) if view.mode == "landscape" else \
        (keys.SURFACE_ONLY, keys.LANDSCAPE_ONLY)

    def shown() -> set[str]:
        return {key.action for key in view.query(FooterKey)}

    await until(pilot, lambda: not shown() & others, why=shown)
    assert {"back", "quit"} | (mine - {"previous_surface", "batch_picture", "reset"}) <= shown(), shown()


def assert_the_builds_thread_ends_with_the_app(app, gate: threading.Event) -> None:
    """After the app quit while a landscape was built: the build's thread is a daemon (it cannot hold the
    process), and released it ends."""
    from tui.background import THREAD_NAME

    assert not app.is_running
    assert app.return_code == 0
    builders = [t for t in threading.enumerate() if t.name == THREAD_NAME]
    assert builders and all(t.daemon for t in builders)
    gate.set()  # released, the build finds the view's stop event set and ends
    for thread in builders:
        thread.join(5)


def test_a_walkers_steps_are_grouped_by_thousands():
    """The table's step column and the statuses group thousands, as every counter does (``1,500``)."""
    from tui.surface.runs import row, short_statuses
    quad = surfaces.get("quadratic")
    walk = surfaces.Descent(quad, optimizers.get("sgd", learning_rate=1e-4), quad.start, steps=2000).run(1500)
    assert " 1,500 " in row(0, walk, (0, 0, 0), selected=False, digits=2, label_width=11, divergence=None).plain
    walk.run()
    assert walk.status == "stopped" and walk.status_text().startswith("stopped after 2,000 steps, ")
    assert short_statuses(walk, "finished")[0] == "■ stopped"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_network_landscapes_legend_reads_whole_at_60_columns(lang):
    """The map's legend in full where it fits its border (80 columns: 78 cells), else its short form: at 60 columns
    it was cut to '○ start  ● end of training, the centre (the final wei…'."""
    from tui.surface.network import CENTRE_MARKS, centre_marks
    i18n.set_language(lang)  # (conftest's english fixture puts English back)
    for centre, key in CENTRE_MARKS.items():
        assert centre_marks(centre, 78) == i18n.t(key)
        shown = centre_marks(centre, 58)  # 60 columns: the English is too long for its border, the Korean fits
        assert shown == i18n.t(f"{key}_short" if lang == "en" else key) and cell_len(shown) <= 54
