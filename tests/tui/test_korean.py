"""The whole app in Korean (``--lang ko`` or K): every key's label, every palette entry and help line, the
? help, the counters and state words, refusals, the size note — with each list derived from the app's
own bindings, palette providers, settings and the engine's registries, not typed here."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.binding import Binding

import tui
from engine import ExperimentConfig, datasets, optimizers
from tests.tui.conftest import footer_line, make, resize, screen_text, squash, until
from tests.tui.test_surface_view import assert_statuses_whole, next_frame
from tui import i18n
from tui.app import DescendApp
from tui.main.control_panel import HYPERPARAMETER_LABELS, ControlPanel
from tui.main.field_commands import FieldCommands
from tui.palette import SystemCommands
from tui.race.panel import FIELD_LABELS
from tui.race.screen import RaceScreen
from tui.race.track import X_LABELS
from tui.surface.screen import SurfaceScreen
from tui.textual_private import FooterKey, screen_lines
from tui.widgets.fields import Choice
from tui.widgets.fields import Setting
from tui.widgets.help_screen import HelpScreen, describe
from tui.widgets.size_guard import SizeGuard
from tui.widgets.steps import STEP_NAMES

HANGUL = re.compile(r"[가-힣]")


def words_in(lang: str, label: str) -> str:
    return i18n.words(f"label.{label}", label, lang)


def shows(app, words) -> bool:
    """Whether the screen shows each of ``words`` (the screen read once: 5-8 ms of CPU a read)."""
    text = screen_text(app)
    return all(squash(w) in text for w in words)


def korean(text: str) -> bool:
    return bool(HANGUL.search(str(text)))


def tui_bindings() -> list[tuple[type, Binding]]:
    """Every ``Binding`` a class of tui/ declares (``(class, binding)``), found by importing every module that
    says ``BINDINGS`` (not the others: ``tui.lessons.__main__`` would print the lesson table, ``tui.web_server``
    import aiohttp, 0.15 s of CPU, in a worker that serves nothing)."""
    found = []
    for module in pkgutil.walk_packages(tui.__path__, "tui."):
        if "BINDINGS" not in Path(importlib.util.find_spec(module.name).origin).read_text():
            continue
        loaded = importlib.import_module(module.name)
        for cls in vars(loaded).values():
            if inspect.isclass(cls) and cls.__module__ == loaded.__name__ and "BINDINGS" in vars(cls):
                found += [(cls, b) for b in cls.BINDINGS if isinstance(b, Binding)]
    return found


def test_every_key_of_every_view_has_its_korean_label_and_help_line():
    ko, bindings = i18n.strings("ko"), tui_bindings()
    assert {cls for cls, _ in bindings} >= {DescendApp, RaceScreen, SurfaceScreen, HelpScreen, SizeGuard}
    named = set()
    for cls, binding in bindings:
        if binding.description:  # shown in a footer, the palette or Textual's key panel
            named.add(f"key.{binding.id or binding.action}")
            assert f"key.{binding.id or binding.action}" in ko, (cls.__name__, binding)
        if binding.group is not None:
            named.add(f"key.group-{binding.group.description.lower()}")
    named.add("key.command_palette")  # Textual's own ctrl+p (the footer's ^p hint)
    assert {key for key in ko if key.startswith("key.")} == named  # and no label for a key that is gone
    views = {DescendApp: None, RaceScreen: "race", SurfaceScreen: "surface"}
    for cls, view in views.items():  # what ? help and the palette say each key does
        for binding in cls.BINDINGS:
            if binding.show or view != "surface":  # the surface view's hidden keys: its help's own lines
                i18n.set_language("ko")
                try:
                    assert korean(describe(binding, view)), (cls.__name__, binding.action)
                finally:
                    i18n.set_language("en")


def test_every_setting_generator_and_step_has_its_korean_name():
    """Names (the palette's), labels and section titles (the panel's): notation such as lr, β1, B is shared."""
    ko = i18n.strings("ko")
    hyperparameters = {name for o in optimizers.names() for name in optimizers.get(o).hyperparameters()}
    shown = list(ControlPanel(ExperimentConfig()).compose())
    rows = [row for row in shown if isinstance(row, Setting)]
    assert len(rows) > 15
    for key in [row.key for row in rows] + [f"opt.{name}" for name in hyperparameters]:
        assert f"field.{key}" in ko, key
    row_labels = [row.label for row in rows] + [HYPERPARAMETER_LABELS.get(name, name) for name in hyperparameters] + \
        ["lr curve"]
    for label in row_labels:
        assert cell_len(words_in("ko", label)) <= 10, label  # the panel's label column: 11 cells
    titles = [w.name for w in shown if w.has_class("section")] + list(FIELD_LABELS.values()) + list(X_LABELS.values())
    for label in row_labels + titles:
        assert len(label) <= 2 or f"label.{label}" in ko, label
    for name in datasets.names():
        assert f"dataset.{name}" in ko, name
    for step in {word for pair in STEP_NAMES.values() for word in pair if re.search("[a-z]", word)}:
        assert f"field.step.{step}" in ko, step


def assert_footer_korean(screen, line: str, width: int) -> None:
    """Each key the footer shows is labelled in Korean; Quit (종료) is last and whole; nothing wider than the screen."""
    keys = [key for key in screen.query(FooterKey) if key.description]
    assert keys and all(korean(key.description) for key in keys), [k.description for k in keys]
    assert "종료" in line and cell_len(line.rstrip()) <= width, line
    shown = [key.action for key in keys if not key.has_class("-command-palette")]
    assert shown[-1] in ("quit", "app.quit"), (shown, line)  # after the app's own keys too (L 수업 followed it in the surface view)


def assert_palette_korean(app, screen) -> None:
    """Every palette entry over ``screen`` — its keys, lessons, speeds, Textual's own, the fields — reads Korean."""
    commands = list(app.get_system_commands(screen))
    english = [(c.title, c.help) for c in commands
               if not (korean(c.title) and (korean(c.help) or c.help.startswith("f = ")))]  # a surface's formula
    assert commands and not english, english


async def view_reads_korean(app, pilot, key: str, view: type, words: tuple[str, ...], width: int) -> None:
    """``key`` opens ``view``: its footer, palette entries and ``words`` on the screen read Korean."""
    await pilot.press(key)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, view)
    assert_footer_korean(screen, await footer_line(screen, pilot, "종료"), width)
    assert_palette_korean(app, screen)
    await until(pilot, lambda: shows(app, words), why=lambda: screen_text(app))


async def help_scrolls_at_once(app, pilot, keys: tuple[str, ...]) -> None:
    """The ? help open over a view at 80x24: its list is taller than the terminal, and ``keys`` (of down, page down,
    end; end last) scroll it as soon as it opens (no tab first), down to the hint under the last key."""
    assert isinstance(app.screen, HelpScreen)
    box = app.screen.query_one("#help-box")
    assert app.focused is box and box.max_scroll_y > 0, (app.focused, box.max_scroll_y)
    targets = {"down": lambda: box.scroll_target_y == 1, "pagedown": lambda: box.scroll_target_y > 1,
               "end": lambda: box.scroll_target_y == box.max_scroll_y}
    for key in keys:
        await pilot.press(key)
        assert targets[key](), (key, box.scroll_target_y)  # where its scroll (animated) goes
    await until(pilot, lambda: box.scroll_y == box.max_scroll_y)
    assert squash(i18n.t("help.hint")) in screen_text(app)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_footer_palette_help_counters_and_views_read_korean(size):
    """One app a size: at 80x24 started with --lang ko, at 120x40 started in English and switched with K."""
    width, _ = size
    app = make(lang="ko" if size == (80, 24) else "en")
    async with app.run_test(size=size) as pilot:
        if size != (80, 24):
            assert await app.apply_setting("batch_size", 200)  # off the batch menu: its blank entry's words show
            await pilot.pause()
            assert "loss(log)" in screen_text(app)  # drawn in English first: K redraws the plot's words
            await pilot.press("K")
            assert i18n.language() == "ko"
            batch = app.query_one("#set-batch-choice", Choice).select  # they stayed in English
            assert batch.prompt == "미니 배치 (직접 입력)" and squash("미니 배치") in screen_text(app)
            assert squash("주황 0 · 파랑 1") in screen_text(app)  # the map's caption, beside the why panel from 110 columns
        line = await footer_line(app.screen, pilot, "종료")
        assert_footer_korean(app.screen, line, width)
        text = screen_text(app)
        assert all(squash(w) in text for w in ("● 준비", "에포크 0/", "이터레이션 0/", "스텝 0", "속도 최대", "실험", "데이터셋",
                                               "손실 함수", "옵티마이저", "설명", "손실 (로그)")), text  # the plot's axis too, after K
        assert_palette_korean(app, app.screen)
        provider = FieldCommands(app.screen)
        fields = [hit async for hit in provider.discover()]
        assert fields and all(korean(h.text) and korean(h.help) for h in fields), \
            [(h.text, h.help) for h in fields if not (korean(h.text) and korean(h.help))]
        found = {hit.text: hit.score async for hit in SystemCommands(app.screen).search("reset")}  # typed in English
        assert found.get("초기화", 0) >= max(found.values()), found
        app.action_show_help_panel()  # the palette's Keys: Textual's panel, every key named in Korean
        await until(pilot, lambda: shows(app, ("l로그눈금", "c비교", "r초기화", "tab다음위젯")), why=lambda: screen_text(app))
        shown = screen_text(app)
        assert not [w for w in ("Reset", "Compare", "Focus", "Quit") if w in shown], shown
        app.action_hide_help_panel()
        await pilot.press("ctrl+p")
        await until(pilot, lambda: "명령찾기" in screen_text(app), why=lambda: screen_text(app))  # the palette's prompt
        line = await footer_line(app.screen, pilot, "esc 닫기")  # its own key: the view's n e r would type here
        assert "이터레이션" not in line, line
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        line = await footer_line(app.screen, pilot, "도움말 닫기")  # its own keys, not the view's below (n e r did nothing)
        assert_footer_korean(app.screen, line, width)
        assert "이터레이션" not in line, line
        shown = squash(" ".join(screen_lines(app.screen)))
        assert squash(i18n.t("help.title")) in shown and squash(i18n.t("help.action.toggle_run")) in shown
        if size == (80, 24):  # the race's and the surface's: test_lesson_keys
            await help_scrolls_at_once(app, pilot, ("down", "pagedown", "end"))
        await pilot.press("escape")
        await view_reads_korean(app, pilot, "c", RaceScreen, ("참가자", "상태", "● 준비", "목표 손실", "순위표"), width)
        if size != (80, 24):  # the race's field panel, from 110 columns
            assert "l 로그 눈금" in screen_lines(app.screen)[-1]  # the main view's name for l (it read 'l 로그')
            text = screen_text(app)
            assert all(squash(w) in text for w in ("참가자 정하기", "에포크")), text
            await pilot.press("K")  # the field panel's menu, epochs label and button too (they stayed in Korean)
            text = screen_text(app)
            assert all(squash(w) in text for w in ("optimizers", "epochs", "line up")) and not korean(text), text
            await pilot.press("K")
            await pilot.press("escape", "n", "m")  # an iteration, then the optimizer panel beside the map
            await until(pilot, lambda: squash("lr 최소") in screen_text(app))
            await pilot.press("K")  # the panel no longer updates (one iteration, paused): K redraws its words
            await pilot.pause()
            shown = screen_text(app)
            assert all(squash(w) in shown for w in ("layer", "all", "lr min", "lr med", "lr max")), shown
            assert not [w for w in ("층", "전체", "최소", "중앙", "최대") if w in shown], shown
            await pilot.press("K", "s")  # the surface view at 120 columns: L 수업 (the app's key) shows, before 종료
            assert isinstance(app.screen, SurfaceScreen)
            assert_footer_korean(app.screen, await footer_line(app.screen, pilot, "수업"), width)
            return
        await pilot.press("escape")
        await view_reads_korean(app, pilot, "s", SurfaceScreen, ("● 준비", "스텝 0/", "시작점", "워커", "최솟값"), width)
        await pilot.press("n")
        await next_frame(pilot, app.screen)
        assert_statuses_whole(app.screen, "일시 정지")  # the longest state word, whole at 80 columns
        await pilot.press("K")  # the walks no longer move (paused): K redraws the head, the walkers and the legend
        text = screen_text(app)
        assert all(squash(w) in text for w in ("● paused", "step 1/", "start (", "walkers", "○ start ★ minimum")), text
        assert not korean(text), text
        await pilot.press("K")
        await pilot.press("escape")
        await resize(pilot, 60, 20)  # the essential keys alone are wider than 60 columns: r gives way, not 종료
        assert_footer_korean(app.screen, await footer_line(app.screen, pilot, "종료"), 60)
        await resize(pilot, 50, 15)
        assert isinstance(app.screen, SizeGuard)
        assert squash("descend에는 최소 60×20의 터미널이 필요합니다; 지금은 50×15입니다.") in screen_text(app)
