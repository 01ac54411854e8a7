"""The lesson, language and sharing keys, driven as a person would, at 80×24 and 120×40, in English and Korean."""

import csv

import pytest
from textual.widgets import Checkbox, Input

from engine import sharing
from tests.tui.conftest import SMALL, make, press_together, screen_text, settle, squash, type_text, until
from tests.tui.test_korean import help_scrolls_at_once, korean
from tests.tui.test_lessons import every_main_card_shows_what_to_do, every_race_card_shows_what_to_do
from tui import i18n, lessons
from tui.lessons.menu import LessonMenu
from tui.race.screen import RaceScreen
from tui.textual_private import FooterKey, screen_lines


@pytest.fixture
def language():
    """The app is made in the test's language; whatever ``K`` switched to, English again afterwards."""
    yield
    i18n.set_language("en")


@pytest.mark.parametrize("size, languages", [((80, 24), ("en", "ko")), ((120, 40), ("en",)), ((120, 40), ("ko",))],
                         ids=["80x24-en-then-ko", "120x40-en", "120x40-ko"])
async def test_a_race_lesson_a_surface_lesson_then_the_lesson_language_and_sharing_keys(tmp_path, language, size,
                                                                                         languages):
    """The app started on a race lesson shows its race and card; picked from L, a surface lesson opens the
    surface view on its walk with its card, which follows K; then L, K and the sharing keys on a lesson of the
    main view. One app a size and starting language: at 80x24 the walk in English ends in the lessons menu in
    Korean, where the walk in Korean starts by picking the race lesson (an app started in Korean on it: 120x40)."""
    from tui.app import make_app

    app = make_app(lesson=lessons.get("momentum"), cursor_blink=False, lang=languages[0])
    async with app.run_test(size=size) as pilot:
        for lang in languages:
            folder = tmp_path / lang  # each walk's exports
            folder.mkdir()
            app.share_folder = str(folder)
            if lang != languages[0]:  # in the lessons menu the last walk left, in this walk's language
                assert isinstance(app.screen, LessonMenu) and i18n.language() == lang
                await press_together(pilot, *["down"] * (lessons.names().index("momentum")), "enter")
            await a_race_lesson_opens_the_race_view_with_its_card_then_a_surface_lesson_the_surface_view(
                app, pilot, size, lang)
            await pilot.press("escape")  # back to the main view: the surface lesson's card went with its walk
            await pilot.pause()
            assert app.screen is app.screen_stack[0] and app.lesson is None and not app.query_one("#stage").has_class("-card")
            await pilot.press("L")  # its lessons menu (in the other language)
            await pilot.pause()
            assert isinstance(app.screen, LessonMenu) and i18n.language() != lang
            assert squash(lessons.get("iterations").text("title")) in screen_text(app)
            await pilot.press("K")  # in the test's language: the menu says its titles and hint again (they stayed)
            assert i18n.language() == lang
            lesson = await lessons_language_and_sharing_keys(app, pilot, folder, lang)
            await pilot.press("escape", "L")
            assert isinstance(app.screen, LessonMenu)
            await until(pilot, lambda: [k.action for k in app.screen.query(FooterKey)] == ["dismiss_menu", "app.quit"])
            assert i18n.words("key.iteration", "Iteration", i18n.language()) not in screen_lines(app.screen)[-1]  # not n e r
            under = [k.action for k in app.screen_stack[0].query(FooterKey)]  # the view's, covered by the menu's:
            assert "toggle_run" in under and "toggle_why" in under, under  # left as it was, not recomposed unseen
            files = {p.suffix: p for p in folder.iterdir()}
            assert set(files) == {".csv", ".json", ".toml", ".svg"}, files
            rows = list(csv.DictReader(open(files[".csv"])))
            assert len(rows) == 5 and [r["epoch"] for r in rows] == ["1", "2", "3", "4", "5"]
            assert [float(r["loss"]) for r in rows] == app.trainer.history.history["loss"]
            assert sharing.load(files[".toml"]).config == lesson.setup.config
            assert "<svg" in files[".svg"].read_text()[:500]
        await pilot.press("q")  # in the lessons menu q quits, as the footer says (it only closed the menu)
    assert app.return_code == 0  # the app quit (exit), not ended by the test


async def a_race_lesson_opens_the_race_view_with_its_card_then_a_surface_lesson_the_surface_view(
        app, pilot, size, lang: str) -> None:
    """From the start on the ``momentum`` lesson to the surface view on ``momentum-dip`` in the other language."""
    from tui.surface.screen import SurfaceScreen

    lesson = lessons.get("momentum")
    await pilot.pause()
    await pilot.pause()
    assert isinstance(app.screen, RaceScreen)
    assert [c.label for c in app.screen.session.contestants] == ["sgd lr=0.01", "momentum lr=0.01"]
    text = screen_text(app)
    assert squash(lesson.text("title", lang)) in text
    assert squash(lesson.text("do", lang))[:20] in text
    if size == (80, 24):
        assert squash(lesson.text("do", lang)) in text  # whole, under the title
        await every_race_card_shows_what_to_do(app.screen, pilot)
    if size[0] >= 110:  # the field panel shows the lesson's line-up, not the default five
        panel = app.screen.panel
        ticked = [box.id for box in panel.query(Checkbox) if box.id.startswith("race-opt-") and box.value]
        assert ticked == ["race-opt-sgd", "race-opt-momentum"]
        assert [panel.query_one(f"#race-lr-{n}", Input).value for n in ("sgd", "momentum")] == ["0.01", "0.01"]
        assert panel.values() == app.screen.session.values  # enter would line up the same race

    await pilot.press("escape")  # back to the main view: the race's card went with the race (space here trains
    await pilot.pause()  # this experiment alone, not the race it says), the why panel is the main view's own
    assert app.screen is app.screen_stack[0] and app.lesson is None and app.why_panel.border_title == i18n.t("panel.why")
    assert squash(lessons.get("momentum").text("do", lang))[:20] not in squash(app.why_panel.text)
    await pilot.press("L")  # the lessons menu
    await pilot.pause()
    assert isinstance(app.screen, LessonMenu)
    await press_together(pilot, *["down"] * (lessons.names().index("momentum-dip")), "enter")
    await pilot.pause()
    await pilot.pause()
    lesson = lessons.get("momentum-dip")
    assert isinstance(app.screen, SurfaceScreen)
    assert app.screen.scene.surface.name == "dip" and [w.label for w in app.screen.scene.walks] == ["sgd", "momentum"]
    assert squash(lesson.text("title", lang)) in screen_text(app)
    await pilot.press("K")  # the card follows the language
    await pilot.pause()
    other = "ko" if lang == "en" else "en"
    assert squash(lesson.text("title", other)) in screen_text(app)
    # the question's keys (its walker's number, i, momentum=…, enter) lower momentum's momentum, not SGD's
    walks, f = app.screen.scene.walks, lesson.facts
    assert walks[f["walker"] - 1].label == "momentum" and app.screen.selected == 0  # SGD's, unless picked
    before = [w.optimizer.momentum for w in walks]
    await pilot.press(str(f["walker"]), "i")
    await type_text(pilot, f"momentum={f['low_momentum']}", "enter")
    assert [w.optimizer.momentum for w in walks] == [
        f["low_momentum"] if i == f["walker"] - 1 else m for i, m in enumerate(before)] != before


async def lessons_language_and_sharing_keys(app, pilot, tmp_path, lang: str) -> lessons.Lesson:
    """From the lessons menu over the main view in ``lang``: it picks ``underfitting``, K switches its card, the run
    is exported (o w p) and the surface view saves its walk (s W); returns the lesson (the exports are checked once
    the app ended)."""
    other = "ko" if lang == "en" else "en"
    assert isinstance(app.screen, LessonMenu)
    text = screen_text(app)
    assert squash(lessons.get("iterations").text("title", lang)) in text
    assert squash(i18n.t("ui.lessons.title", lang)) in text and squash(i18n.t("ui.lessons.hint", lang)) in text
    await press_together(pilot, *["down"] * (lessons.names().index("underfitting")), "enter")
    await pilot.pause()
    await pilot.pause()
    lesson = lessons.get("underfitting")
    assert app.lesson == lesson and app.config == lesson.setup.config and app.speed == lesson.speed
    assert squash(lesson.text("title", lang)) in squash(app.why_panel.text)
    assert squash(lesson.text("watch", lang)) in squash(app.why_panel.text)
    if app.size == (80, 24):
        await every_main_card_shows_what_to_do(app, pilot)

    await pilot.press("K")  # the other language, the same lesson
    await pilot.pause()
    assert i18n.language() == other
    assert squash(lesson.text("title", other)) in squash(app.why_panel.text)
    assert squash(i18n.t("why.mode.batch_gd", other)) in squash(app.why_panel.text)

    app.speed = None
    await pilot.press("space")
    await settle(app, pilot)
    assert app.status == "finished" and app.trainer.step_count == 5
    await pilot.press("o", "w", "p")
    await pilot.pause()
    run_setup = next(tmp_path.glob("*.toml")).rename(tmp_path / "run.setup")  # aside: the walk's comes next
    await pilot.press("s", "W")  # the surface view saves its walk
    await pilot.pause()
    walk = sharing.load(next(tmp_path.glob("*.toml")))
    assert walk.kind == "surface" and walk.surface == app.screen.scene.setup()
    next(tmp_path.glob("*.toml")).unlink()
    run_setup.rename(run_setup.with_suffix(".toml"))
    return lesson


async def test_an_app_starts_in_its_own_language_and_the_surface_and_race_helps_read_it(language):
    """The app, started in Korean on the batch-paths lesson, opens the surface view's batch picture, and the
    helps of the surface and race views read Korean."""
    from tui.app import make_app

    app = make_app(lesson=lessons.get("batch-paths"), cursor_blink=False, lang="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await the_batch_paths_lesson_opens_the_surface_views_batch_picture(app, pilot)
        await the_surface_help_says_what_its_keys_do_there_in_korean(app, pilot)
        await pilot.press("K")  # 한국어 → English → back to 한국어, in the help: it says its keys again in each
        text = screen_text(app)  # scrolled to its end: the hint and the last rows show
        assert squash(i18n.t("help.hint", "en")) in text and not korean(text), text
        assert str(app.screen.query_one("#help-title").content) == f"[b]{i18n.t('help.title', 'en')}[/b]"
        hint = app.screen.query_one("#help-hint")
        assert hint.size.height == 1, hint.size  # whole on one line at 80 columns, in both languages
        await pilot.press("K")
        assert i18n.language() == "ko" and squash(i18n.t("help.hint", "ko")) in screen_text(app)
        assert hint.size.height == 1, hint.size  # with 모든 (any) as in English: ctrl+p finds any action by name
        await pilot.press("escape", "escape")  # the help closed, back to the main view
        await the_race_help_says_what_its_keys_do_there_in_korean(app, pilot)
        await pilot.press("q")  # in the help q quits, as its hint and the footer say (it only closed the help)
    assert app.return_code == 0  # the app quit (exit), not ended by the test


async def test_an_app_not_left_in_the_last_ones_language_trains_more_epochs_and_races_showing_learning_rates(
        language, tmp_path):
    """The language is the app's setting, not left over from the last app of the process (tests, browser tabs):
    made in Korean first (as the test above does), an app made in English reads English. It opens on a setup
    file's race and saves it and its history; back in the main view it trains more epochs on a finished run,
    and its race's leaderboard shows each contestant's learning rate."""
    from tui.app import make_app

    i18n.set_language("ko")  # what the last app of the process left (the app above, when it ran first)
    setup = sharing.Setup(SMALL, sharing.RaceSetup("batch_size", (1, 32, "full")))
    app = make_app(setup.config, race=setup.race, cursor_blink=False, speed=None)
    app.share_folder = str(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await the_app_opens_on_a_setup_files_race_and_saves_it(app, pilot, setup, tmp_path)
        await pilot.press("escape")  # the main view, on the setup's SMALL (3 epochs)
        await pilot.pause()
        assert i18n.language() == "en"
        await a_finished_run_trains_more_epochs_and_the_race_shows_learning_rates(app, pilot)


async def the_app_opens_on_a_setup_files_race_and_saves_it(app, pilot, setup: sharing.Setup, tmp_path) -> None:
    """From the start of an app made on ``setup`` (SMALL, a race of batch sizes), at max speed."""
    await pilot.pause()
    await pilot.pause()
    race_view = app.screen
    assert [c.label for c in race_view.session.contestants] == ["B=1", "B=32", "B=full"]
    await pilot.press("space")
    await settle(app, pilot)
    assert race_view.session.done
    await pilot.press("w", "o")
    await pilot.pause()
    saved = sharing.load(next(tmp_path.glob("*.toml")))
    assert saved == setup
    rows = list(csv.DictReader(open(next(tmp_path.glob("*.csv")))))
    for c in race_view.session.contestants:  # every update of every contestant, its epochs' losses
        mine = [r for r in rows if r["run"] == c.label]
        assert len(mine) == c.step and [float(r["loss"]) for r in mine if r["loss"]] == c.history.history["loss"]


async def a_finished_run_trains_more_epochs_and_the_race_shows_learning_rates(app, pilot) -> None:
    """From the main view on SMALL (3 epochs), ready, at max speed, no lesson."""
    from engine import build_experiment

    assert "Mini-batch: ⌈N/B⌉ updates per epoch" in app.why_panel.text
    await pilot.press("space")  # space on a finished run trains more epochs as one longer run
    await settle(app, pilot)
    assert app.status == "finished" and app.trainer.epoch == 3
    await pilot.press("space")  # train more: 3 more epochs, no reset
    await settle(app, pilot)
    assert app.status == "finished" and app.trainer.epoch == 6 and app.trainer.epochs == 6
    assert "epoch6/6" in screen_text(app)
    longer = build_experiment(SMALL.replace(epochs=6)).trainer()
    longer.fit(verbose=0)
    assert app.trainer.history.history == longer.history.history
    assert len(app.session.recorder.runs[0]) == longer.step_count  # the export has every update of both parts
    assert await app.apply_setting("epochs", 8)  # raising epochs extends the run too
    assert app.trainer.epochs == 8 and app.trainer.epoch == 6 and app.status == "paused"
    await pilot.press("space")
    await settle(app, pilot)
    assert app.trainer.epoch == 8

    await pilot.press("c")  # the race leaderboard shows each contestant's learning rate
    await pilot.pause()
    await pilot.pause()
    rows = {s.label: s.learning_rate for s in app.screen.leaderboard.standings.rows}
    assert rows == {"sgd": 0.01, "momentum": 0.01, "adagrad": 0.001, "rmsprop": 0.001, "adam": 0.001}
    text = screen_text(app)
    assert "lr" in text and "adagrad0.001" in text and "momentum0.01" in text


async def test_the_default_speed_runs_the_default_experiment_in_a_few_seconds():
    from engine import ExperimentConfig, build_experiment
    from tui.app import DEFAULT_SPEED, make_app

    trainer = build_experiment(ExperimentConfig()).trainer()
    assert 3 <= trainer.total_steps / DEFAULT_SPEED <= 10
    assert make_app().speed == DEFAULT_SPEED


@pytest.mark.parametrize("name", [lesson.name for lesson in lessons.all_lessons() if lesson.view == "race"])
def test_a_race_lesson_races_in_the_app_exactly_the_contestants_its_claims_are_checked_on(name):
    """The app's race of a race lesson (``race_values`` → ``RaceSession``, as ``open_lesson`` lines it up) has
    the configs ``test_lesson_claims`` checks: the same optimizers and learning rates, no options added."""
    from engine.race import entries, parse_values
    from tui.main.views import race_values
    from tui.race.session import RaceSession

    lesson = lessons.get(name)
    config, r = lesson.setup.config, lesson.setup.race
    session = RaceSession(config, r.field, race_values(config, r), r.target_loss)
    claimed = entries(config, r.field, parse_values(r.field, r.text()))
    assert [c.config for c in session.contestants] == [e.config for e in claimed]
    if "lr" in lesson.facts:
        assert {c.optimizer.learning_rate for c in session.contestants} == {lesson.facts["lr"]}


def test_a_setup_files_optimizer_settings_and_target_reach_the_app_race():
    """``sgd:momentum=0.5`` keeps its momentum, ``target_loss`` its target (both were dropped)."""
    from engine import ExperimentConfig, sharing
    from engine.race import entries, parse_values
    from tui.main.views import race_values
    from tui.race.session import RaceSession
    from tui.share import race_setup

    config = ExperimentConfig(samples=200, epochs=2, learning_rate=0.05)
    setup = sharing.RaceSetup("optimizer", ("sgd", "sgd:momentum=0.5", "adam:learning_rate=0.01"), target_loss=0.4)
    session = RaceSession(config, setup.field, race_values(config, setup), setup.target_loss)
    claimed = entries(config, "optimizer", parse_values("optimizer", setup.text()))
    assert [c.config for c in session.contestants] == [e.config for e in claimed]
    assert session.contestants[1].optimizer.momentum == 0.5 and session.contestants[2].optimizer.learning_rate == 0.01
    assert all(c.target_loss == 0.4 for c in session.contestants)
    assert race_setup(session) == setup and race_setup(session.restarted()) == setup


async def the_batch_paths_lesson_opens_the_surface_views_batch_picture(app, pilot) -> None:
    """From the start of an app made on the batch-paths lesson."""
    from tui.surface.screen import SurfaceScreen

    lesson = lessons.get("batch-paths")
    await pilot.pause()
    await pilot.pause()
    assert isinstance(app.screen, SurfaceScreen) and app.screen.scene.surface.name == "linreg"
    assert [w.label for w in app.screen.scene.walks] == ["batch GD (B=200)", "mini-batch (B=32)", "SGD (B=1)"]
    assert squash(lesson.text("title")) in screen_text(app)
    screen = app.screen  # w: the network's landscape, without the card (about the walks): the map takes its rows
    card, canvas = screen.query_one("#surface-lesson"), screen.query_one("#surface-canvas")
    rows, card_rows = canvas.size.height, card.outer_size.height
    await pilot.press("w")
    await until(pilot, lambda: canvas.size.height > rows)
    assert screen.mode == "landscape" and not card.display and canvas.size.height >= rows + card_rows > rows + 3
    await pilot.press("escape")  # back to the walks, the card again
    await until(pilot, lambda: card.display and canvas.size.height == rows)
    assert screen.mode == "surface"


async def the_surface_help_says_what_its_keys_do_there_in_korean(app, pilot) -> None:
    """space races on in the race view but walks in the surface view: each help has its own words, all Korean, and
    scrolls with end as it opens. From the surface view of a Korean app (80x24); its help left open."""
    await pilot.press("question_mark")
    await pilot.pause()
    text = screen_text(app)
    assert squash(i18n.t("help.surface.toggle_run", "ko")) in text and squash(i18n.t("help.surface.arrows", "ko")) in text
    assert squash(i18n.t("help.action.toggle_run", "ko")) not in text and "Movethestartpoint" not in text
    await help_scrolls_at_once(app, pilot, ("end",))


async def the_race_help_says_what_its_keys_do_there_in_korean(app, pilot) -> None:
    """From the main view of a Korean app (80x24): the race view's help, in its own words, scrolled with end as it
    opens."""
    await pilot.press("c", "question_mark")
    await pilot.pause()
    text = screen_text(app)
    assert squash(i18n.t("help.race.toggle_run", "ko")) in text and squash(i18n.t("help.race.speed", "ko")) in text
    await help_scrolls_at_once(app, pilot, ("end",))


async def test_a_surface_setup_file_opens_the_surface_view_and_W_saves_the_walk_shown(tmp_path):
    from engine import ExperimentConfig, sharing
    from engine.surfaces.setup import SurfaceSetup, WalkerSetup
    from tui.app import make_app
    from tui.surface.screen import SurfaceScreen

    walk = SurfaceSetup("quadratic", (-2.0, 1.0), 60, (WalkerSetup("sgd", {"learning_rate": 0.1}),
                                                             WalkerSetup("adam", {"learning_rate": 0.3})),
                                 {"kappa": 4.0})
    app = make_app(ExperimentConfig(samples=200), surface=walk, cursor_blink=False)
    app.share_folder = str(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SurfaceScreen) and screen.scene.setup() == walk  # as the file says
        assert [w.label for w in screen.scene.walks] == ["sgd", "adam"] and screen.scene.surface.kappa == 4.0
        await pilot.press("right_square_bracket", "W")  # the first walker's lr ×1.25, then save
        await pilot.pause()
    saved = sharing.load(next(tmp_path.glob("*.toml")))
    assert saved.kind == "surface" and saved.surface.walkers[0].options == {"learning_rate": 0.125}
    assert saved.surface.walkers[1:] == walk.walkers[1:] and saved.surface.params == {"kappa": 4.0}


def test_two_saves_in_one_second_keep_both_files(tmp_path):
    from tui.share import ShareActions

    sharer = ShareActions()
    sharer.share_folder = str(tmp_path)
    first = sharer._share_path(".toml")
    open(first, "w").close()
    second = sharer._share_path(".toml")
    assert second != first and second.endswith(".toml") and not (tmp_path / second).exists()
