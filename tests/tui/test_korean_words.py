"""The engine's words in Korean: every ``Wording`` the code writes has its Korean, found by reading the code
(not a copy of the English that could drift), and real refusals and states read right, each value in its slot."""

from __future__ import annotations

import argparse
import ast
import re
from functools import cache
from pathlib import Path

import pytest

import engine
import tui
from engine import ExperimentConfig, Wording, batching, budget, checks, datasets, optimizers, surfaces
from engine.core import status_text
from engine.datasets.csv_file import load_csv
from engine.optimizers import schedules
from engine.wording import text_of
from tui import argparse_private, i18n
from tui.main.control_panel import ControlPanel
from tui.widgets.fields import Choice

HANGUL = re.compile(r"[가-힣]")
ROOTS = [Path(engine.__file__).parent, Path(tui.__file__).parent]


@cache
def nodes(root: Path) -> list[ast.AST]:
    """Every node of every module under ``root``, parsed once for the tests below."""
    return [node for path in sorted(root.rglob("*.py")) for node in ast.walk(ast.parse(path.read_text()))]


def wordings_in_code() -> dict[str, list[set[str] | None]]:
    """Each template a ``Wording(...)`` call of engine/ or tui/ writes, with the names it fills in (``None``
    where they come from ``**values``)."""
    found: dict[str, list[set[str] | None]] = {}
    for node in nodes(ROOTS[0]) + nodes(ROOTS[1]):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Wording":
            names = None if any(k.arg is None for k in node.keywords) else {k.arg for k in node.keywords}
            for text in ast.walk(node.args[0]):  # a literal, or one of two (``a if c else b``)
                if isinstance(text, ast.Constant) and isinstance(text.value, str):
                    found.setdefault(text.value, []).append(names)
    return found


def words_in_code() -> set[str]:
    """Every string literal of engine/ and tui/ (a state, a setting's name, a menu entry)."""
    return {node.value for root in ROOTS for node in nodes(root) if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def test_every_wording_the_code_writes_has_its_korean_with_the_same_values():
    """A changed English wording is a new template: it fails here until its Korean is written, and the Korean of
    a template the code no longer writes fails here too. Korean fills in exactly the template's values, by name."""
    korean = {key[len("engine."):]: text for key, text in i18n.strings("ko").items() if key.startswith("engine.")}
    written = wordings_in_code()
    for template in argparse_private.ERRORS:  # argparse's, made Wordings as the app parses its flags
        written.setdefault(argparse_private.braced(template), []).append(None)
    assert len(written) > 60
    assert [t for t in written if t not in korean] == []
    for template, calls in written.items():
        assert i18n.fields(korean[template]) == i18n.fields(template), template
        assert all(names is None or names == i18n.fields(template) for names in calls), template
    stale = [t for t in korean if i18n.fields(t) and t not in written]
    assert stale == []
    literals = words_in_code()
    assert [t for t in korean if not i18n.fields(t) and t not in literals and t not in written] == []


def test_every_brief_is_of_a_wording_the_code_writes_and_quotes_only_its_values():
    """A refusal's few words under a panel row (``i18n.brief``) are keyed by the template they shorten: a changed
    English wording fails here until its brief is keyed anew."""
    written = wordings_in_code()
    for lang in i18n.LANGUAGES:
        briefs = {key[len("brief."):]: text for key, text in i18n.strings(lang).items() if key.startswith("brief.")}
        assert len(briefs) >= 4
        for template, text in briefs.items():
            assert template in written, template
            assert i18n.fields(text) <= i18n.fields(template), (lang, template)


def test_argparses_errors_are_its_own_templates_and_become_wordings():
    """Each template the app translates is still one argparse writes (a Python whose argparse words one otherwise
    fails here, not silently in English), and its ``%`` gives a ``Wording`` of the same English."""
    written = set()
    for node in ast.walk(ast.parse(Path(argparse.__file__).read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_", "ngettext"):
            written |= {a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    assert [t for t in argparse_private.ERRORS if t not in written] == []
    made = argparse_private.Template("invalid choice: %(value)r (choose from %(choices)s)") % {"value": "x", "choices": "a, b"}
    assert made == "invalid choice: 'x' (choose from a, b)" and made.template == "invalid choice: {value} (choose from {choices})"
    lone = argparse_private.Template("unrecognized arguments: %s") % "--out x"
    assert (lone, lone.values) == ("unrecognized arguments: --out x", {"value": "--out x"})


def kinds_in_code() -> set[str]:
    """Each kind of name engine/ and tui/ refuse by ``unknown {kind} …``: the literal first argument of
    ``unknown_name_message``, ``checks.name``, ``registry.get`` and the CLI's ``_name``."""
    found = set()
    for node in nodes(ROOTS[0]) + nodes(ROOTS[1]):
        if not isinstance(node, ast.Call) or not node.args or not isinstance(node.args[0], ast.Constant):
            continue
        func = node.func
        called = (getattr(func.value, "id", None), func.attr) if isinstance(func, ast.Attribute) else func.id
        if called in ("unknown_name_message", "_name", ("checks", "name"), ("registry", "get"),
                      ("checks", "unknown_name_message")):
            found.add(node.args[0].value)
    return found


def test_every_kind_of_refused_name_has_its_korean():
    """``unknown loss 'x'`` says "손실 함수" in Korean, while the menu entry ``loss`` (a monitor) stays ``loss``."""
    kinds = kinds_in_code()
    assert {"loss", "optimizer", "lesson", "dataset", "monitor", "race field", "command"} <= kinds
    assert [k for k in kinds if not HANGUL.search(i18n.strings("ko").get(f"kind.{k}", ""))] == []
    m = lambda text: i18n.message(text, "ko")  # noqa: E731
    assert m(refusal(lambda: checks.name("loss", "nope", ["mse"]))) == "알 수 없는 손실 함수 'nope' (가능한 값: mse)"
    assert m("loss") == "loss"
    assert m(refusal(lambda: surfaces.get("dip", bogus=1))).startswith("알 수 없는 dip 설정 'bogus'")


def plot_words_in_code() -> set[str]:
    """Every axis label (``x_label=``/``y_label=``) and curve name (``Curve("train", …)``) tui/ writes as a literal."""
    found = set()
    for node in nodes(ROOTS[1]):
        if isinstance(node, ast.Call):
            named = [k.value for k in node.keywords if k.arg in ("x_label", "y_label")]
            if getattr(node.func, "id", None) == "Curve" and node.args:
                named.append(node.args[0])
            found |= {n.value for n in named if isinstance(n, ast.Constant) and n.value}
    return found


def test_every_axis_label_and_curve_name_has_its_korean():
    """The plots' words (``loss (log)``, ``epoch``, the key's ``train``) in Korean, each found in the code; a
    race contestant's name (``adam``) has none and stays."""
    from tui.race.track import X_LABELS
    from tui.widgets.loss_plot import axis_words
    shown = plot_words_in_code() | set(X_LABELS.values())
    assert {"epoch", "loss", "train", "validation", "target"} <= shown
    i18n.set_language("ko")
    assert [w for w in shown if not HANGUL.search(axis_words(w))] == []
    assert i18n.t("plot.log", label=axis_words("loss")) == "손실 (로그)" and axis_words("adam") == "adam"


def refusal(make) -> str:
    with pytest.raises(ValueError) as refused:
        make()
    return text_of(refused.value)


def test_refusals_and_states_read_korean_each_value_in_its_slot(tmp_path):
    """Real refusals and states from the engine (never a typed copy of their English)."""
    m = lambda text: i18n.message(text, "ko")  # noqa: E731
    assert m(refusal(lambda: ExperimentConfig(epochs=0).validate())) == "에포크: 1 이상의 정수만 받습니다 (입력: 0)"
    assert m(refusal(lambda: optimizers.get("sgd", learning_rate=-1))).endswith("0보다 큰 유한한 수만 받습니다 (입력: -1)")
    assert m(refusal(lambda: batching.parse_batch_size("x"))) == "배치 크기: 1 이상의 정수 또는 'full'만 받습니다 (입력: 'x')"
    assert m(refusal(lambda: checks.parse_pair("start", "1"))) == "시작점: 두 수 X,Y만 받습니다 (입력: '1')"
    assert m(refusal(lambda: checks.whole_number("seed", -1, minimum=0, allow_none=True))) == \
        "시드: 0 이상의 정수 또는 None만 받습니다 (입력: -1)"
    assert m(refusal(lambda: checks.name("optimizer", "adma", optimizers.names()))).startswith(
        "알 수 없는 옵티마이저 'adma'; 혹시 'adam'? (가능한 값: ")
    typed = refusal(lambda: checks.parse_whole("epochs", "ready"))  # a value as typed is never put in words
    assert m(typed) == "에포크: 정수만 받습니다 (입력: 'ready')"
    big = refusal(lambda: budget.check(budget.estimate(samples=1000, features=2, outputs=1, target_columns=1,
                                                        hidden=(100_000, 100_000), train_size=1000, batch_size=32,
                                                        optimizer_arrays=2)))
    assert m(big).startswith("이 설정에는 메모리가 약 ") and "(매개변수 " in m(big) and ", 옵티마이저 상태 " in m(big)
    from engine import race, sample_weights
    assert m(refusal(lambda: race.parse_values("learning_rate", "0.1, 0.10"))) == \
        "경주 목록의 학습률 중복: '0.10' (= '0.1')"
    assert m(refusal(lambda: race.parse_values("batch_size", " "))) == "배치 크기 목록이 비어 있습니다"
    assert m(refusal(lambda: sample_weights.parse_class_weight("0=1,1=x"))) == "클래스 1의 가중치: 0 이상의 유한한 수만 받습니다 (입력: 'x')"
    from engine import export
    assert m(refusal(lambda: export.check_path("run.txt"))) == "내보낼 파일은 .csv나 .json으로 끝나야 합니다 (입력: 'run.txt')"
    assert m(refusal(lambda: engine.check_experiment(ExperimentConfig(dataset="spiral", classes=3)))).startswith(
        "binary_crossentropy에는 클래스 2개가 필요하지만 'spiral'에는 3개가 있습니다 (")
    same = refusal(lambda: race.Race(race.entries(ExperimentConfig(samples=50), "batch_size", [64, "full"])))
    assert m(same) == "B=64와(과) B=full은(는) 같은 학습이 됩니다: 참가자마다 설정이 달라야 합니다"
    from engine import sharing
    assert m(refusal(lambda: sharing.loads("[experiment]\nepochs = 'x'", source="s.toml"))) == \
        "s.toml: experiment.epochs: 정수만 받습니다 (입력: 'x')"
    assert m(refusal(lambda: sharing.loads("[experiment]\nepochs = 0", source="s.toml"))) == \
        "s.toml: experiment.epochs: 에포크: 1 이상의 정수만 받습니다 (입력: 0)"
    wide = tmp_path / "bad.csv"
    wide.write_text("a,b\n1,2\n3,x\n")
    assert m(refusal(lambda: load_csv(wide))) == "bad.csv: 3행, 'b' 열: 수가 아닌 값 'x'"
    assert m(refusal(lambda: load_csv(tmp_path / "none.csv"))).startswith("그런 파일이 없습니다: '")
    assert m(refusal(lambda: datasets.get(str(wide), noise=0.1))) == "CSV 파일은 target=만 받습니다 (입력: noise=)"

    class Run:
        status, diverged_at = "diverged", (3, 7)
    assert m(status_text(Run())) == "발산: 에포크 3, 이터레이션 7" and str(status_text(Run())) == "diverged at epoch 3, iteration 7"
    Run.diverged_at = (2, 1500)  # grouped as every counter, in both languages
    assert (m(status_text(Run())), status_text(Run())) == ("발산: 에포크 2, 이터레이션 1,500", "diverged at epoch 2, iteration 1,500")
    Run.diverged_at = (3, 7)
    walk = surfaces.Descent(surfaces.get("quadratic"), optimizers.get("sgd", learning_rate=1e-6), (1.0, 1.0), steps=2)
    walk.run()
    assert m(walk.status_text()).startswith("2 스텝 뒤 멈춤, 최솟값에서 ")  # the two numbers each in its slot
    assert [m(surfaces.batch_label("sgd", b, 200, 1)) for b in (200, 32, 1)] == ["배치 GD (B=200)", "미니 배치 (B=32)", "SGD (B=1)"]
    assert m(surfaces.batch_label("adam", 32, 200, 2)) == "adam · 미니 배치 (B=32)"  # the surface view's walkers
    assert m("running") == "학습 중" and m("no such wording") == "no such wording"  # the fallback: English as it is
    assert i18n.message(status_text(Run()), "en") == "diverged at epoch 3, iteration 7"
    assert i18n.message(Wording("a wording no language has, {x}", x=1), "ko") == "a wording no language has, 1"


def test_no_registry_name_or_menu_entry_is_translated():
    """Menus show their entries through ``message`` (``mini-batch 32`` → ``미니 배치 32``): a fixed word that is a
    registry's name (the optimizer ``momentum``) or another menu's plain entry (the monitor ``loss``) would rename it."""
    from engine import activations, losses, schedule_setup
    names = {*optimizers.names(), *losses.names(), *activations.names(), *datasets.names(), *schedule_setup.NAMES}
    menus = [c for c in ControlPanel(ExperimentConfig(validation_split=0.2)).compose() if isinstance(c, Choice)]
    entries = {label for c in menus for label, _ in c.options if not isinstance(label, Wording)}
    assert {"loss", "val_loss"} <= entries
    assert not [name for name in names | entries if i18n.message(name, "ko") != name]
    assert i18n.message(batching.choices(200)[5][0], "ko") == "미니 배치 32 (케라스)"


def test_the_surface_view_the_race_line_up_the_fields_steps_and_the_optimizers_refuse_in_korean():
    """The refusals of a setup file's ``[surface]``, the surface edit line, a race's line-up, a field's ↑ ↓ and the
    optimizers' and schedules' own checks, each read Korean with the value as typed."""
    from engine import race, schedule_setup, sharing
    from tui.race.session import line_up
    from tui.surface.edit import apply_edit
    from tui.surface.scene import Scene
    from tui.widgets import steps
    m = lambda text: i18n.message(text, "ko")  # noqa: E731
    setup = lambda text: sharing.loads(text, source="s.toml")  # noqa: E731
    walk = "[surface]\nname = 'quadratic'\n"
    assert m(refusal(lambda: setup(walk + "start = [1]"))) == "s.toml: surface.start: 두 수 [x, y]여야 합니다 (입력: [1])"
    assert m(refusal(lambda: setup(walk + "walkers = []"))).startswith(
        "s.toml: surface.walkers: 비어 있지 않은 표의 목록([[surface.walkers]])이어야 하고")
    assert m(refusal(lambda: setup(walk + "[[surface.walkers]]\noptimizer = 'sgd'\nbatch_size = 2"))) == \
        "s.toml: surface.walkers[0].batch_size: 배치 크기에는 데이터가 필요합니다: 데이터가 있는 표면은 linreg뿐이고, quadratic에는 없습니다"
    assert m(refusal(lambda: setup(walk + "[[surface.walkers]]\noptimizer = 'sgd'\nmomentum = 'x'"))) == \
        "s.toml: surface.walkers[0].momentum: 수나 true/false여야 합니다 (입력: 'x')"
    assert m(refusal(lambda: setup(walk + "kappa = 2"))).startswith("s.toml: 알 수 없는 키 'surface.kappa'; 혹시 ")
    assert m(refusal(lambda: sharing.load("no-such-setup.toml"))) == \
        "no-such-setup.toml: 읽을 수 없습니다: 그런 파일이나 폴더가 없습니다"
    assert [r for r in i18n.OS_REASONS if not HANGUL.search(m(r))] == []  # the system's words, as a refusal quotes them
    scene = Scene("rosenbrock")
    assert m(refusal(lambda: apply_edit(scene, 0, "steps=0"))) == "스텝 수: 1부터 100000까지의 정수만 받습니다 (입력: '0')"
    assert m(refusal(lambda: apply_edit(scene, 0, "kappa=2"))) == "kappa는 quadratic 표면의 κ입니다; rosenbrock에는 없습니다"
    small = ExperimentConfig(samples=50)
    assert m(refusal(lambda: race.Race([race.Entry("a", small), race.Entry("b", small.replace(samples=60))]))) == \
        "b: 참가자가 모두 같은 값을 써야 하는 설정입니다: 샘플 수 (60 ≠ 50)"
    assert m(refusal(lambda: race.Race([race.Entry("a", small), race.Entry("a", small.replace(learning_rate=0.1))]))) == \
        "참가자 이름 'a'이(가) 두 번 있습니다"
    assert m(refusal(lambda: line_up(small, "optimizer", []))) == "옵티마이저를 하나 이상 고르세요"
    assert m(refusal(lambda: race.parse_values("loss", "mse, mean_squared_error"))) == \
        "경주 목록의 손실 함수 중복: 'mean_squared_error' (= 'mse')"  # the field's name, though a menu entry, in words
    assert m(refusal(lambda: line_up(small, "optimizer", [("sgd", -1.0)]))) == "sgd의 학습률: 0보다 큰 유한한 수만 받습니다 (입력: -1.0)"
    assert m(refusal(lambda: steps.stepped("0", "", steps.tenfold, 1))) == "0에서는 자릿수를 올리거나 내릴 수 없습니다: 값을 입력하세요"
    assert m(refusal(lambda: steps.stepped(" ", "", steps.one, 1))) == "↑ ↓는 수를 한 단계씩 바꿉니다; 빈 칸은 수가 아닙니다: 값을 입력하세요"
    assert m(refusal(lambda: steps.stepped("x", "", steps.one, 1))) == "↑ ↓는 수를 한 단계씩 바꿉니다; 'x'은(는) 수가 아닙니다: 값을 입력하세요"
    assert m(refusal(lambda: optimizers.get("sgd", clipnorm=1, clipvalue=1))) == "clipnorm, clipvalue, global_clipnorm 중 하나만 정할 수 있습니다"
    assert m(refusal(lambda: optimizers.get("adamw", weight_decay=None))).startswith("adamw에는 weight_decay(0 이상의 유한한 수)가 필요합니다")
    assert m(refusal(lambda: schedule_setup.build("cosine", {"x": 1}, 0.001, 100, 10))) == "cosine 스케줄: CosineDecay: 받지 않는 인자 'x'"
    assert m(refusal(lambda: schedules.get("cosine_decay", initial_learning_rate=0.1))) == \
        "CosineDecay: 필요한 인자 'decay_steps'이(가) 없습니다"
    assert m(refusal(lambda: schedules.get("exponential_decay"))) == \
        "ExponentialDecay: 필요한 인자 3개가 없습니다: 'initial_learning_rate', 'decay_steps', 'decay_rate'"
    assert m(refusal(lambda: schedules.get("exponential_decay", decay_rate=0.5))).endswith(
        "2개가 없습니다: 'initial_learning_rate', 'decay_steps'")
    assert m(refusal(lambda: schedule_setup.build("step", {"values": True}, 0.001, 100, 10))) == \
        "step 스케줄: PiecewiseConstant: values은(는) 수의 목록이어야 합니다 (입력: True)"
    assert m(refusal(lambda: schedule_setup.build("exponential", {"decay_steps": 0}, 0.001, 100, 10))) == \
        "exponential 스케줄: 인자 `decay_steps`는 0보다 커야 합니다 (입력: decay_steps=0)"
    unordered = {"boundaries": [2, 1], "values": [1, 2, 3]}
    assert m(refusal(lambda: schedule_setup.build("step", unordered, 0.001, 100, 10))) == \
        "step 스케줄: PiecewiseConstant: boundaries는 순서대로 커져야 합니다 (입력: [2, 1])"
    assert m(refusal(lambda: engine.check_experiment(ExperimentConfig(classes=5)))) == \
        "moons은(는) classes=를 받지 않습니다 (받는 데이터셋: spiral, blobs)"
    assert m(refusal(lambda: engine.check_experiment(ExperimentConfig(early_stopping=3, validation_split=0)))).endswith(
        "(검증 데이터가 없습니다: 검증 비율을 정하거나 loss를 지켜보세요)")
