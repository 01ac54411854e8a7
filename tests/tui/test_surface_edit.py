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
