"""A new experiment too big to build in a frame is built in a worker: the screen stays live, a newer change
supersedes an older build, a refused build keeps the experiment in place, and quitting does not wait for it.

The builds here are small (a few ms each: the threshold is lowered, ``SMALL_QUICK_BYTES``) and held by a gate
the test opens: no sleeps, no timings.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading

from engine import ConfigError, ExperimentConfig, budget, sharing
from tui import background
from tui.background import THREAD_NAME, is_quick
from tui.main import building
from tests.calls import counted
from tests.tui.conftest import make, screen_text, settle, squash, type_into, until
from tui.textual_private_pilot import notices

SMALL_QUICK_BYTES = 2 * 2 ** 20
"""A threshold under which the lecture's default experiment (1.4 MB) still builds at once while 9,000 samples
(2.6 MB) and a race of 2,000 (6.7 MB) do not: the tests' big setups build in milliseconds and train an epoch in
a few hundred steps, where the real threshold's ~100,000 samples took thousands."""


def gated(monkeypatch, *places: tuple[object, str], refuse: Exception | None = None) -> tuple[threading.Event, list]:
    """Builds (``module.name(first, …)``) made off the UI thread wait for the returned gate; their first
    arguments are listed as they start. Once let through, each builds, or raises ``refuse`` if given (a setup too
    big to make in a test)."""
    gate, started = threading.Event(), []
    for module, name in places or [(building, "build_session")]:
        def build(first, *args, real=getattr(module, name), **kwargs):
            if threading.current_thread() is not threading.main_thread():
                started.append(first)
                assert gate.wait(30), "the test never opened the gate"
                if refuse is not None:
                    raise refuse
            return real(first, *args, **kwargs)
        monkeypatch.setattr(module, name, build)
    return gate, started


async def test_a_big_setup_is_built_while_the_screen_stays_live(monkeypatch, tmp_path):
    assert not is_quick([ExperimentConfig(samples=100_000)]) and is_quick([ExperimentConfig()])
    monkeypatch.setattr(background, "QUICK_BYTES", SMALL_QUICK_BYTES)  # big from 9,000 samples: built in ms
    gate, started = gated(monkeypatch)
    big = ExperimentConfig(samples=9_000, epochs=3, loss="mse")
    assert not is_quick([big]) and is_quick([ExperimentConfig()])
    app = make(big)  # too big to build before the screen shows: the app opens at once and builds it
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        session, config = app.session, app.config
        await until(pilot, lambda: started)  # the build begins in its thread
        assert app.building == big and started == [big] and config == ExperimentConfig()  # the default in place
        assert "9000" in screen_text(app)  # the panel shows the setup being built, and so do the counters and
        assert "●buildingtheexperiment…·epoch0/3·iteration0/225step" in screen_text(app)  # why: 7,200 train / 32,
        assert "•building9,000samplesofmoons…" in screen_text(app)  # not the default experiment in place (0/20, 0/50)
        await type_into(pilot, app, "set-samples", "10000")
        assert app.building == big.replace(samples=10_000)
        assert app.config == config and app.session is session  # the experiment in place stays until ready
        assert "●buildingtheexperiment…·epoch0/3·iteration0/250step" in screen_text(app)
        assert "building10,000samplesofmoons…" in screen_text(app) and "lastbatch32" in screen_text(app)
        log = app.loss_plot.log_scale
        await pilot.press("escape", "l", "K")  # keys act while it builds: log scale, language
        assert app.loss_plot.log_scale != log and "실험을만드는중…" in screen_text(app)
        assert "moons샘플10,000개를만드는중…" in screen_text(app)
        await pilot.press("K", "space", "c", "s")  # nothing trains, no view opens on the experiment being replaced
        assert app.status == "ready" and app.trainer.step_count == 0 and app.screen is app.screen_stack[0]

        await type_into(pilot, app, "set-samples", "12000")  # supersedes the builds under way …
        assert app.building.samples == 12_000 and [c.samples for c in started] == [9_000]  # … once they ended
        await type_into(pilot, app, "set-epochs", "0")  # refused: the panel still shows the setup being built
        assert app.query_one("#set-epochs").has_class("-refused") and app.controls.config.samples == 12_000
        await type_into(pilot, app, "set-hidden", "50000,50000")  # over the budget: refused, the build goes on
        assert app.query_one("#set-hidden").has_class("-refused") and app.building.samples == 12_000
        app.share_folder = str(tmp_path)
        await pilot.press("escape", "w")  # the setup saved is the one shown, being built
        (saved,) = tmp_path.glob("*.toml")
        assert sharing.load(saved).config == app.building
        gate.set()
        await settle(app, pilot)
        assert [c.samples for c in started] == [9_000, 12_000] and app.building is None
        assert app.config == big.replace(samples=12_000) and len(app.session.experiment.x) == 12_000  # the newest
        await until(pilot, lambda: "buildingtheexperiment" not in screen_text(app) and "●ready" in screen_text(app),
                    why=lambda: screen_text(app))  # the screen catches up with the built setup at its next redraw
        await pilot.press("escape", "n")  # and it runs
        await settle(app, pilot)
        assert app.trainer.step_count == 1 and app.trainer.model.loss.name == "mean_squared_error"

        # a build the engine refuses late (class weights on a regression dataset, found once it is loaded)
        await app.apply_setting("dataset", "sine", row="set-dataset")
        await settle(app, pilot)
        session, config = app.session, app.config
        assert config.dataset == "sine" and not is_quick([config.replace(class_weight="balanced")])
        await pilot.press("escape", "e", "m")  # an epoch of the run in place: its curves, its map
        await settle(app, pilot)
        await until(pilot, lambda: app.loss_plot.curves and app.learned_map.last is not None)
        caption = app.learned_map.border_subtitle
        gate.clear()
        await type_into(pilot, app, "set-class-weight", "balanced")
        await until(pilot, lambda: started[-1].class_weight == "balanced")
        await until(pilot, lambda: not app.loss_plot.curves)  # not the run in place's curves under the new setup's
        assert "building the experiment…" in app.loss_plot.render().plain  # words: what is coming, in the plot,
        assert app.learned_map.last is None and app.learned_map.border_subtitle == "building the experiment…"  # map
        gate.set()
        await settle(app, pilot)
        row = app.query_one("#set-class-weight")
        assert row.has_class("-refused") and row.reason.startswith("class weights need class labels")
        assert app.config == config and app.session is session and app.building is None
        await until(pilot, lambda: app.loss_plot.curves)  # refused: the run in place, its curves again, its map
        assert "building" not in app.loss_plot.render().plain
        await until(pilot, lambda: app.learned_map.last is not None and app.learned_map.border_subtitle == caption)

        gate.clear()  # quitting mid-build: the app ends now, the build's daemon thread cannot hold the process
        await app.apply_setting("samples", 11_000, row="set-samples")
        assert app.building is not None
        await pilot.press("escape", "q")
    assert app.return_code == 0
    builders = [t for t in threading.enumerate() if t.name == THREAD_NAME]
    assert builders and all(t.daemon for t in builders)
    gate.set()


async def test_the_readmes_25_9_million_samples_open_described_at_80x24(monkeypatch):
    """README: ``python -m tui --samples 25900000`` opens at once, its counters and why panel on that setup."""
    import tui.app

    ended, started = gated(monkeypatch, refuse=ConfigError("not built in this test"))  # held, then 25.9 M never made
    asked = counted(monkeypatch, (background, "is_quick"), (tui.app, "is_quick"))  # whether a setup is quick to
    # build: asked once as the app opens (not again as it starts the build)
    app = make(ExperimentConfig(samples=25_900_000))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "epoch0/20·iteration0/647,500" in text and "building25,900,000samplesofmoons…" in text, text
        await until(pilot, lambda: started)  # the build begins in its thread
        assert started == [ExperimentConfig(samples=25_900_000)] and asked == {"is_quick": 1}
        await app.apply_setting("schedule", "cosine", row="set-schedule")  # its schedule, over its 12,950,000 steps
        assert app.building.schedule == "cosine" and str(app.query_one("#lr-summary").content) == "0.001 → 1.47e-17"
        await pilot.press("q")
    ended.set()


async def test_a_big_race_is_built_before_its_view_opens_and_restarts_in_the_background(monkeypatch, tmp_path):
    from tui.main import views
    from tui.race import building as race_building
    from tui.race import screen
    from tui.race.panel import RacePanel
    from tui.race.screen import RaceScreen
    from tui.race.session import RaceSession
    from tui.widgets.help_screen import HelpScreen

    config = ExperimentConfig(samples=10_000, epochs=2)
    assert is_quick([config]) and not is_quick(race_building.race_configs(config, "optimizer", views.DEFAULT_LINE_UP))
    monkeypatch.setattr(background, "QUICK_BYTES", SMALL_QUICK_BYTES)  # so with 2,000 samples: built in ms
    config = ExperimentConfig(samples=2_000, epochs=2)
    assert is_quick([config]) and not is_quick(race_building.race_configs(config, "optimizer", views.DEFAULT_LINE_UP))
    gate, started = gated(monkeypatch, (views, "RaceSession"), (RaceSession, "restarted"), (screen, "RaceSession"))
    app = make(config)
    async with app.run_test(size=(100, 30)) as pilot:
        with monkeypatch.context() as patch:  # a race over the budget is refused with its line (it crashed the app)
            patch.setattr(budget, "MEMORY_BUDGET", 4 * 2 ** 20)  # the experiment (1.4 MB) fits, the race (6.7 MB) not
            await pilot.press("c")
            assert app.screen is app.screen_stack[0] and not app.opening_race and started == []
            assert "this race needs about" in " ".join(str(n.message) for n in notices(app))
        with monkeypatch.context() as patch:  # memory running out as a quick race is built: refused in one line
            patch.setattr(background, "QUICK_BYTES", 2 ** 40)  # (it crashed the app: only ConfigError was caught)
            patch.setattr(RaceSession, "__init__", lambda *_: (_ for _ in ()).throw(MemoryError()))
            await pilot.press("c")
            assert app.screen is app.screen_stack[0] and not app.opening_race and started == []
            assert "not enough memory to build this setup (make it smaller)" in [n.message for n in notices(app)]
        with monkeypatch.context() as patch:  # a refusal in the background speaks the user's language
            patch.setattr(views, "RaceSession", lambda *_: (_ for _ in ()).throw(MemoryError()))
            await pilot.press("K", "c")
            await until(pilot, lambda: not app.opening_race)
            assert "이 설정을 만들 메모리가 부족합니다 (더 작게 해 주세요)" in [n.message for n in notices(app)]
            await pilot.press("K")
        await pilot.press("c")
        await until(pilot, lambda: started)  # the build begins in its thread
        assert app.opening_race and app.screen is app.screen_stack[0] and started == [config]
        assert "●buildingtherace…" in screen_text(app)
        await pilot.press("space")  # the main view does not train while its race is built
        assert app.status == "ready"
        await pilot.press("question_mark")  # help opened while it builds: the race opens once help closes
        gate.set()
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen) and not app.opening_race
        await pilot.press("escape")
        await pilot.pause()
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
        race.post_message(RacePanel.LineUp("batch_size", "0"))  # refused: the restart under way goes on
        await pilot.pause()
        assert race.panel.reason.startswith("batch size must be") and race.building
        gate.set()
        await settle(app, pilot)
        assert not race.building and race.session is not session and race.race.race_step == 0
        assert len(started) == 2

        await pilot.press("m")  # the contestants' maps under the plot
        await until(pilot, lambda: all(view.last is not None for view in race.inside_view.maps))
        gate.clear()
        race.post_message(RacePanel.LineUp("optimizer", [("sgd", None), ("adam", None)]))  # big too
        await until(pilot, lambda: len(started) == 3)  # its build has begun (in its thread)
        assert race.building
        assert not race.inside_view.display  # the race in place's maps: not shown
        await until(pilot, lambda: not race.plot.curves)  # not the race in place's curves, board or notes: the line-up
        text = screen_text(app)  # coming, each contestant building (it showed the five optimizers racing)
        assert "buildingtherace…" in squash(race.plot.render().plain) and "momentum" not in text, text
        assert "■sgd—————building…││■adam—————building…│" in text
        assert [line.split()[0] for line in str(race.query_one("#race-why-text").render()).splitlines()] == ["sgd", "adam"]
        await pilot.press("K")  # the words in Korean, as the user switches them: the board, the plot's title
        await until(pilot, lambda: "■sgd—————만드는중…││■adam—————만드는중…│" in screen_text(app)
                    and "경주를준비하는중…" in squash(race.plot.render().plain))
        await pilot.press("K")
        app.share_folder = str(tmp_path)
        await pilot.press("w")  # the line-up saved is the one being built, not the race it replaces
        (saved,) = tmp_path.glob("*.toml")
        assert sharing.load(saved).race == sharing.RaceSetup("optimizer", ("sgd", "adam"))
        await pilot.press("r")  # the line-up being built starts from the start: r does not bring back the old one
        race.post_message(RacePanel.Epochs(5))  # and it is the one the new length is for
        await pilot.pause()
        gate.set()
        await settle(app, pilot)
        assert not race.building and [c.label for c in race.session.contestants] == ["sgd", "adam"]
        assert race.session.base.epochs == 5 and race.race.epochs == 5
        await until(pilot, lambda: "■sgd0.01" in screen_text(app) and "building" not in screen_text(app),
                    why=lambda: screen_text(app))  # the race built, ranked, ready: its board and head redrawn
        await until(pilot, lambda: race.inside_view.display and [v.border_title for v in race.inside_view.maps] == ["sgd", "adam"]
                    and all(v.last is not None for v in race.inside_view.maps))


def test_the_program_ends_at_once_with_the_apps_status_after_atexit_and_output():
    """``python -m tui`` calls ``end_process`` after the app: a build's daemon thread left running does not hold
    the process, nor a worker's thread still in a training step, the atexit handlers run and buffered output is
    written, the interpreter's teardown is skipped."""
    code = ("import atexit, threading, time; from tui.background import THREAD_NAME; "
            "from tui.textual_private import end_process; "
            "threading.Thread(target=time.sleep, args=(60,), name=THREAD_NAME, daemon=True).start(); "
            "threading.Thread(target=time.sleep, args=(600,)).start(); "
            "atexit.register(print, 'atexit ran'); "
            "print('restored'); end_process(3); print('not reached')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": os.getcwd()})
    assert (out.returncode, out.stdout) == (3, "restored\natexit ran\n"), out.stderr


async def test_a_setup_file_on_a_race_opens_it_once_its_big_experiment_is_built(monkeypatch):
    """``python -m tui FILE.toml`` with a race and a big experiment: the app opens at once, the race after."""
    from tui.app import make_app
    from tui.main import views
    from tui.race.screen import RaceScreen

    monkeypatch.setattr(background, "QUICK_BYTES", 0)  # every setup is big: small ones here, built in a few ms
    gate, started = gated(monkeypatch, (building, "build_session"), (views, "RaceSession"))
    big = ExperimentConfig(samples=200, epochs=2)
    app = make_app(big, cursor_blink=False, speed=None, race=sharing.RaceSetup("optimizer", ("sgd", "adam")))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await until(pilot, lambda: started)  # the build begins in its thread
        assert app.building == big and started == [big] and app.screen is app.screen_stack[0]
        assert "building the experiment…" in app.building_note()
        await pilot.press("c", "space", "r")  # no race, no run, of the experiment being replaced; no second build
        assert app.screen is app.screen_stack[0] and app.status == "ready" and started == [big]
        gate.set()
        await settle(app, pilot)  # the experiment is in place, then its race is built (in the background too)
        await settle(app, pilot)
        race = app.screen
        assert isinstance(race, RaceScreen) and started == [big, big] and race.session.base == big
        assert race.session.values == [("sgd", None), ("adam", None)] and app.config == big
        await a_race_built_under_help_is_dropped_by_a_newer_request(app, pilot, gate, started)


async def a_race_built_under_help_is_dropped_by_a_newer_request(app, pilot, gate: threading.Event, started: list) -> None:
    """A race built while help is on top waits for help to close, unless a newer request (a new experiment here,
    as a palette's field command makes) came meanwhile: then the main view stays. Every setup is built off the
    UI thread (``QUICK_BYTES`` 0); the same two-contestant race as the setup file's."""
    from tui.widgets.help_screen import HelpScreen

    await pilot.press("escape")  # back to the main view
    gate.clear()
    await pilot.press("c")
    await until(pilot, lambda: len(started) == 3)  # the race's build begins in its thread
    await pilot.press("question_mark")
    gate.set()
    await until(pilot, lambda: app.ready_race is not None and not app.opening_race)  # built, waiting for help to close
    assert isinstance(app.screen, HelpScreen)
    assert await app.apply_setting("samples", 300)  # a newer request
    await settle(app, pilot)
    await pilot.press("escape")
    await settle(app, pilot)
    assert app.screen is app.screen_stack[0] and app.config.samples == 300 and len(started) == 4


async def test_a_lesson_picked_while_a_setup_file_builds_drops_the_setups_race(monkeypatch):
    """``python -m tui FILE.toml`` (a race, a big experiment), then a lesson picked while it builds: the lesson
    replaces the setup, so the setup's race does not open on the lesson's experiment once it is in place."""
    from tui import lessons
    from tui.app import make_app

    monkeypatch.setattr(background, "QUICK_BYTES", 2 * 2 ** 20)  # a lesson builds at once, 20,000 samples do not
    gate, started = gated(monkeypatch)
    big = ExperimentConfig(samples=20_000, epochs=2)
    app = make_app(big, cursor_blink=False, speed=None, race=sharing.RaceSetup("optimizer", ("sgd", "adam")))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await until(pilot, lambda: started)  # the build begins in its thread
        assert app.building == big and started == [big]
        lesson = lessons.get("mse")
        await app.open_lesson(lesson)  # what picking it from L does: built at once, the big build dropped
        await pilot.pause()
        await pilot.pause()
        await until(pilot, lambda: not app.opening_race)  # a race opened after a refresh is built by then
        await pilot.pause()
        assert app.lesson is lesson and app.config == lesson.setup.config and app.building is None
        assert app.screen is app.screen_stack[0]
    gate.set()
