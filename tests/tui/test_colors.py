"""Tests for tui.colors: the race's contestants stay apart from each other and from train/validation in
256 and 16 colours, as Rich (and so Textual) downgrades them; the views all draw from it."""


import pytest
from rich.color import Color, ColorSystem

from engine import optimizers, race, surfaces
from tui.colors import BATCH, CONTESTANTS, TRAIN, VALIDATION, contestant_color, optimizer_colors, rich_color

STANDARD = ("black red green yellow blue magenta cyan white bright_black bright_red bright_green bright_yellow "
            "bright_blue bright_magenta bright_cyan bright_white").split()


def downgraded(rgb, system: ColorSystem) -> int:
    return Color.from_rgb(*rgb).downgrade(system).number


@pytest.mark.parametrize("system", [ColorSystem.EIGHT_BIT, ColorSystem.STANDARD])
def test_contestants_are_pairwise_distinct_and_apart_from_train_and_validation(system):
    contestants = [downgraded(c, system) for c in CONTESTANTS]
    assert len(set(contestants)) == len(CONTESTANTS)
    pair = {downgraded(TRAIN, system), downgraded(VALIDATION, system)}
    assert len(pair) == 2 and not pair & set(contestants)
    assert downgraded(BATCH, system) not in pair | set(contestants)


def test_in_16_colours_no_curve_is_drawn_in_the_background_or_the_text_colour():
    used = [STANDARD[downgraded(c, ColorSystem.STANDARD)] for c in (TRAIN, VALIDATION, *CONTESTANTS)]
    assert not {"black", "white", "bright_white", "bright_black", "blue"} & set(used), used
    assert used[:2] == ["bright_blue", "bright_yellow"]


def test_the_default_five_come_first_and_the_list_repeats():
    assert contestant_color(0) == CONTESTANTS[0] and contestant_color(len(CONTESTANTS)) == CONTESTANTS[0]
    assert len(CONTESTANTS) >= len(optimizers.names())  # every optimizer of the registry in its own colour
    assert rich_color((1, 2, 3)) == "rgb(1,2,3)"


def test_an_optimizer_has_its_race_colour_in_any_line_up_and_a_repeated_one_takes_a_spare():
    race_colors = dict(zip(race.DEFAULT_OPTIMIZERS, optimizer_colors(race.DEFAULT_OPTIMIZERS)))
    assert list(race_colors.values()) == [contestant_color(i) for i in range(len(race.DEFAULT_OPTIMIZERS))]
    walkers = list(surfaces.DEFAULT_OPTIMIZERS)
    assert optimizer_colors(walkers) == [race_colors[name] for name in walkers]
    assert optimizer_colors(["adam", "sgd"]) == [race_colors["adam"], race_colors["sgd"]]
    same = optimizer_colors(["adam"] * 12)  # a race of learning rates: one optimizer throughout
    assert same[0] == race_colors["adam"] and len(set(same[:len(CONTESTANTS)])) == len(CONTESTANTS)
    assert optimizer_colors(["nadam", "sgd"]) == [CONTESTANTS[1], race_colors["sgd"]]  # sgd's own is taken by sgd
