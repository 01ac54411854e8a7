"""A new experiment too big to build in a frame is built in a worker: the screen stays live, a newer change
supersedes an older build, a refused build keeps the experiment in place, and quitting does not wait for it.

The builds here are moderately sized (~20 ms each) and held by a gate the test opens: no sleeps, no timings.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading

from engine import ExperimentConfig, budget
from tui.background import THREAD_NAME, is_quick
from tui.main import building
from tests.tui.conftest import make, screen_text, settle
from tests.tui.test_settings import type_into


def gated(monkeypatch, *places: tuple[object, str]) -> tuple[threading.Event, list]:
    """Builds (``module.name(first, …)``) made off the UI thread wait for the returned gate; their first
    arguments are listed as they start."""
    gate, started = threading.Event(), []
    for module, name in places or [(building, "build_session")]:
        def build(first, *args, real=getattr(module, name), **kwargs):
            if threading.current_thread() is not threading.main_thread():
                started.append(first)
                assert gate.wait(30), "the test never opened the gate"
            return real(first, *args, **kwargs)
        monkeypatch.setattr(module, name, build)
    return gate, started


async def test_a_big_setup_is_built_while_the_screen_stays_live(monkeypatch):
    assert not is_quick([ExperimentConfig(samples=100_000)]) and is_quick([ExperimentConfig()])
    gate, started = gated(monkeypatch)
    app = make(ExperimentConfig(samples=200, epochs=3, loss="mse"))
    async with app.run_test(size=(100, 30)) as pilot:
        session, config = app.session, app.config
        await type_into(pilot, app, "set-samples", "100000")
        assert app.building == config.replace(samples=100_000)
        assert app.config == config and app.session is session  # the experiment in place stays until ready
        assert "●buildingtheexperiment…·epoch0/3" in screen_text(app)
        log = app.loss_plot.log_scale
        await pilot.press("escape", "l", "K")  # keys act while it builds: log scale, language
        assert app.loss_plot.log_scale != log and "실험을만드는중…" in screen_text(app)
        await pilot.press("K", "space", "c", "s")  # nothing trains, no view opens on the experiment being replaced
        assert app.status == "ready" and app.trainer.step_count == 0 and app.screen is app.screen_stack[0]

        await type_into(pilot, app, "set-samples", "120000")  # supersedes the build under way …
        assert app.building.samples == 120_000 and [c.samples for c in started] == [100_000]  # … once it has ended
        gate.set()
        await settle(app, pilot)
        assert [c.samples for c in started] == [100_000, 120_000] and app.building is None
        assert app.config.samples == 120_000 and len(app.session.experiment.x) == 120_000  # the newer one
        assert "buildingtheexperiment" not in screen_text(app) and "●ready" in screen_text(app)

        # a build the engine refuses late (class weights on a regression dataset, found once it is loaded)
        await app.apply_setting("dataset", "sine", row="set-dataset")
        await settle(app, pilot)
        session, config = app.session, app.config
        assert config.dataset == "sine" and not is_quick([config.replace(class_weight="balanced")])
        await type_into(pilot, app, "set-class-weight", "balanced")
        await settle(app, pilot)
        row = app.query_one("#set-class-weight")
        assert row.has_class("-refused") and row.reason.startswith("class weights need class labels")
        assert app.config == config and app.session is session and app.building is None

        gate.clear()  # quitting mid-build: the app ends now, the build's daemon thread cannot hold the process
        await app.apply_setting("samples", 110_000, row="set-samples")
        assert app.building is not None
        await pilot.press("escape", "q")
    assert app.return_code == 0
    builders = [t for t in threading.enumerate() if t.name == THREAD_NAME]
    assert builders and all(t.daemon for t in builders)
    gate.set()


async def test_a_big_race_is_built_before_its_view_opens_and_restarts_in_the_background(monkeypatch):
    from tui.main import views
    from tui.race import building as race_building
    from tui.race.screen import RaceScreen
    from tui.race.session import RaceSession

    config = ExperimentConfig(samples=10_000, epochs=2)
    assert is_quick([config]) and not is_quick(race_building.race_configs(config, "optimizer", views.DEFAULT_LINE_UP))
    gate, started = gated(monkeypatch, (views, "RaceSession"), (RaceSession, "restarted"))
    app = make(config)
    async with app.run_test(size=(100, 30)) as pilot:
        with monkeypatch.context() as patch:  # a race over the budget is refused with its line (it crashed the app)
            patch.setattr(budget, "MEMORY_BUDGET", 8 * 2 ** 20)
            await pilot.press("c")
            assert app.screen is app.screen_stack[0] and not app.opening_race and started == []
            assert "this race needs about" in " ".join(str(n.message) for n in app._notifications)
        await pilot.press("c")
        assert app.opening_race and app.screen is app.screen_stack[0] and started == [config]
        assert "●buildingtherace…" in screen_text(app)
        await pilot.press("space")  # the main view does not train while its race is built
        assert app.status == "ready"
        gate.set()
        await settle(app, pilot)
        race = app.screen
        assert isinstance(race, RaceScreen) and not app.opening_race and len(race.session.contestants) == len(views.DEFAULT_LINE_UP)

        gate.clear()
        await pilot.press("n")
        await settle(app, pilot)
        session = race.session
        await pilot.press("r")  # a restart builds the same line-up again, in the background
        await pilot.pause()
        assert race.building and race.session is session and "building the race…" in race._head_text()
        await pilot.press("space")  # the race in place does not run while the new one is built
        assert race.status == "paused" and race.race.race_step == 1
        gate.set()
        await settle(app, pilot)
        assert not race.building and race.session is not session and race.race.race_step == 0
        assert len(started) == 2


def test_a_build_left_running_ends_the_process_at_once_with_the_apps_status():
    """``python -m tui`` calls this after the app: Python's shutdown would otherwise run beside the build."""
    code = ("import threading, time; from tui.background import THREAD_NAME; "
            "from tui.textual_private import end_if_still_running; "
            "threading.Thread(target=time.sleep, args=(60,), name=THREAD_NAME, daemon=True).start(); "
            "print('restored'); end_if_still_running(THREAD_NAME, 3); print('not reached')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert (out.returncode, out.stdout) == (3, "restored\n"), out.stderr
