"""What is typed in the surface view's edit line (``tui.surface.edit.apply_edit``), without an app."""

from __future__ import annotations

import pytest

from tui.surface.edit import apply_edit
from tui.surface.scene import Scene


def test_start_is_two_numbers_and_a_bad_one_changes_nothing():
    scene = Scene("quadratic")
    assert apply_edit(scene, 0, "start=-1, 2") is True
    assert scene.start.tolist() == [-1.0, 2.0]
    for text, said in (("start=1", "start must be two numbers X,Y, got '1'"),
                       ("start=1,x", "start must be a finite number, got 'x'")):
        with pytest.raises(ValueError, match=f"^{said}$"):
            apply_edit(scene, 0, text)
        assert scene.start.tolist() == [-1.0, 2.0]


def test_an_option_is_a_flag_or_a_number():
    scene = Scene("quadratic")
    apply_edit(scene, 0, "optimizer=sgd")
    apply_edit(scene, 0, "nesterov=TRUE")
    apply_edit(scene, 0, "momentum=0.5")
    assert scene.walks[0].optimizer.nesterov is True and scene.walks[0].optimizer.momentum == 0.5
    with pytest.raises(ValueError, match="^momentum must be a finite number, got 'yes'$"):
        apply_edit(scene, 0, "momentum=yes")
    for text, said in (("momentum=1.10", "momentum must be in [0, 1], got '1.10'"),  # as typed, not 1.1
                       ("lr=-0.00001", "learning_rate must be a finite number > 0, got '-0.00001'")):  # not -1e-05
        with pytest.raises(ValueError) as refused:
            apply_edit(scene, 0, text)
        assert str(refused.value) == said
    assert scene.walks[0].optimizer.momentum == 0.5


def test_refusals_read_korean():
    """What the edit line and its notification say in Korean (the same refusals, each value as typed)."""
    from engine import text_of
    from tui import i18n
    said = {}
    for text in ("lr", "start=1", "steps=0", "optimizer=adma", "foo=1", "surface=nope", "kappa=2", "kappa=0"):
        scene = Scene("rosenbrock" if text == "kappa=2" else "quadratic")
        with pytest.raises(ValueError) as refused:
            apply_edit(scene, 0, text)
        said[text] = i18n.message(text_of(refused.value), "ko")
    assert said["lr"] == "KEY=VALUE 꼴로 입력하세요 (예: lr=0.05, momentum=0.5, start=-1,2), 입력: 'lr'"
    assert said["start=1"] == "시작점: 두 수 X,Y만 받습니다 (입력: '1')"
    assert said["steps=0"].startswith("스텝 수: 1부터 ") and said["steps=0"].endswith("까지의 정수만 받습니다 (입력: '0')")
    assert said["optimizer=adma"].startswith("알 수 없는 옵티마이저 'adma'; 혹시 'adam'? (가능한 값: sgd, ")
    assert said["foo=1"].startswith("알 수 없는 sgd의 인자 'foo' (가능한 값: learning_rate, ")
    assert said["surface=nope"].startswith("알 수 없는 표면 'nope' (가능한 값: quadratic, ")
    assert said["kappa=2"] == "kappa는 quadratic 표면의 κ입니다; rosenbrock에는 없습니다"
    assert said["kappa=0"].startswith("kappa: ") and said["kappa=0"].endswith("(입력: '0')")  # as typed, not 0.0
