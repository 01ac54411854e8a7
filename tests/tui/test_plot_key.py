"""Tests for tui.widgets.plot_key: the one-line key fits its room, shortening labels before dropping entries."""

from tui.widgets.plot_key import KeyEntry, key_cells


def text(cells) -> str:
    return "".join(ch for ch, _ in cells)


def test_the_key_lays_out_swatches_in_colour_and_labels_in_the_frame_colour():
    cells = key_cells([KeyEntry("train", (1, 2, 3)), KeyEntry("batch", (4, 5, 6), "scatter"), KeyEntry("", 7)], 40)
    assert text(cells) == " ━ train  ⠪ batch "
    assert [c for ch, c in cells if c is not None] == [(1, 2, 3), (4, 5, 6)]


def test_long_labels_are_shortened_then_entries_dropped_with_an_ellipsis():
    entries = [KeyEntry(name, 1) for name in ("momentum", "adagrad", "rmsprop", "nesterov")]
    assert text(key_cells(entries, 46)) == " ━ momentum  ━ adagrad  ━ rmsprop  ━ nesterov "
    assert text(key_cells(entries, 45)) == " ━ mome…  ━ adag…  ━ rmsp…  ━ nest… "
    assert text(key_cells(entries, 30)) == " ━ mo…  ━ ad…  ━ rm…  ━ ne… "
    assert text(key_cells(entries, 20)) == " ━ mo…  ━ ad… … "
    assert key_cells(entries, 4) == []


def test_shortened_labels_still_tell_the_curves_apart():
    """The race's five optimizers in a narrow key (80 columns with the field panel open) read ad… twice, a race of
    learning rates lr… four times: each label keeps as many characters as tell it from the others (where that
    makes it no shorter, it stays whole, and the entries that do not fit give way)."""
    optimizers = [KeyEntry(name, 1) for name in ("sgd", "momentum", "adagrad", "rmsprop", "adam")]
    assert text(key_cells(optimizers, 38)) == " ━ sgd  ━ mo…  ━ adag…  ━ rm…  ━ adam "
    rates = [KeyEntry(f"lr={rate}", 1) for rate in ("0.001", "0.01", "0.1", "1")]
    assert text(key_cells(rates, 41)) == " ━ lr=0.001  ━ lr=0.01  ━ lr=0.1  ━ lr=1 "
    assert text(key_cells(rates, 40)) == " ━ lr=0.001  ━ lr=0.01  ━ lr=0.1 … "  # was "lr…" four times
    assert text(key_cells(rates, 14)) == " ━ lr=0.001 … "  # told from the curves left out too
    assert text(key_cells([KeyEntry("sgd", 1), KeyEntry("sgd", 2)], 20)) == " ━ sgd  ━ sgd "  # the same name: as is


def test_a_double_width_label_keeps_the_row_width():
    cells = key_cells([KeyEntry("손실", 1)], 20)
    assert text(cells) == " ━ 손실 " and len(cells) == 8  # 8 cells: the row is as wide as it was
