"""Tests for tui.widgets.loss_plot: LossPlot mounted in a small app, and its tick helpers."""

import html
import math
import sys

import numpy as np
import pytest
from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult

from tui.colors import TRAIN, VALIDATION
from tui.widgets.loss_plot import Curve, LossPlot
from tui.widgets.ticks import fmt_y, linear_axis, log_axis
from tests.calls import counted
from tests.tui.conftest import resize


class PlotApp(App):
    def compose(self) -> ComposeResult:
        yield LossPlot()


def text(plot: LossPlot) -> str:
    """What the widget draws, colours stripped (render() runs plotext's build)."""
    return plot.render().plain


def y_tick_labels(plot: LossPlot) -> list[str]:
    return [line.split("┤")[0].strip() for line in text(plot).splitlines() if "┤" in line]


def decaying(n=500, start=10.0, end=1e-3):
    x = np.arange(n, dtype=float)
    return x, start * (end / start) ** (x / (n - 1))


async def test_show_draws_title_labels_legend_andlog_ticks():
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        plot = pilot.app.query_one(LossPlot)
        x, y = decaying()
        plot.show(
            [Curve("train", x, y, TRAIN), Curve("batch", x, y * 2, VALIDATION, style="dots")],
            title="Adam on moons",
            x_label="step",
        )
        await pilot.pause()
        out = text(plot)
        for s in ("Adam on moons", "step", "loss (log)", "train", "batch"):
            assert s in out
        assert y_tick_labels(plot) == ["100", "10", "1", "0.1", "0.01", "1e-3"]  # the batch dots reach 20
        svg = html.unescape(pilot.app.export_screenshot()).replace("\xa0", " ")
        assert "Adam on moons" in svg and "1e-3" in svg


async def test_toggling_log_scale_redraws_from_the_stored_curves():
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        plot = pilot.app.query_one(LossPlot)
        x, y = decaying(end=0.01, start=1.0)
        plot.show([Curve("train", x, y, "red")], title="t", x_label="epoch")
        assert plot.log_scale  # the default: losses span decades
        assert y_tick_labels(plot) == ["1", "0.1", "0.01"]
        plot.log_scale = False
        await pilot.pause()
        assert "loss (log)" not in text(plot) and "loss" in text(plot)
        assert y_tick_labels(plot) == ["1", "0.8", "0.6", "0.4", "0.2", "0"]  # 0.01 above the axis' foot
        plot.log_scale = True
        await pilot.pause()
        assert y_tick_labels(plot)[0] == "1" and "0.01" in y_tick_labels(plot)
        assert "epoch" in text(plot)


@pytest.mark.parametrize("curves", [[], [Curve("train", np.array([]), np.array([]), "red")]])
async def test_empty_curves_draw_an_empty_frame(curves):
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        plot = pilot.app.query_one(LossPlot)
        plot.show(curves, title="waiting for data", x_label="step")
        await pilot.pause()
        out = text(plot)
        assert "waiting for data" in out and "┌" in out and "┘" in out
        assert y_tick_labels(plot) == []


async def test_empty_after_data_drops_the_old_ticks():
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        plot = pilot.app.query_one(LossPlot)
        plot.show([Curve("train", *decaying(), "red")], title="a")
        assert y_tick_labels(plot)
        plot.show([], title="b")
        assert y_tick_labels(plot) == [] and "train" not in text(plot)


async def test_nonfinite_and_nonpositive_values_are_dropped():
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        plot = pilot.app.query_one(LossPlot)
        ys = np.array([np.nan, 1.0, np.inf, 0.1, -np.inf, 0.0, -5.0, 0.01])
        plot.show([Curve("train", np.arange(ys.size), ys, "red")], title="diverged")
        await pilot.pause()
        assert y_tick_labels(plot) == ["1", "0.1", "0.01"]
        plot.log_scale = False
        await pilot.pause()
        labels = y_tick_labels(plot)
        assert labels == ["1", "0", "-1", "-2", "-3", "-4", "-5"]  # -5 .. 1; inf/nan widen nothing
        assert "inf" not in text(plot) and "nan" not in text(plot)


async def test_nothing_positive_on_log_scale_is_an_empty_frame():
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        plot = pilot.app.query_one(LossPlot)
        plot.show([Curve("train", np.arange(3.0), np.array([0.0, -1.0, np.nan]), "red")], title="zero")
        assert "zero" in text(plot) and y_tick_labels(plot) == []


@pytest.mark.parametrize("log_scale", [True, False])
@pytest.mark.parametrize("ys", [[0.5], [0.3, 0.3, 0.3], [0.5, 0.55]])
async def test_single_points_and_flat_curves_get_a_labelled_axis(log_scale, ys):
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        plot = pilot.app.query_one(LossPlot)
        plot.log_scale = log_scale
        plot.show([Curve("train", np.arange(len(ys)), np.array(ys), "red")], title="few")
        await pilot.pause()
        labels = [float(s) for s in y_tick_labels(plot)]
        assert len(labels) >= 2 and len(set(labels)) == len(labels)
        assert min(labels) <= max(ys) and max(labels) >= min(ys)  # the ticks label the data's range


async def test_max_points_follows_the_width():
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        plot = pilot.app.query_one(LossPlot)
        assert plot.max_points == 2 * plot.size.width == 160
        await resize(pilot, 120, 30)
        assert plot.max_points == 240


async def test_resizing_recomputes_the_ticks():
    async with PlotApp().run_test(size=(100, 40)) as pilot:
        plot = pilot.app.query_one(LossPlot)
        plot.log_scale = False
        plot.show([Curve("train", np.arange(100.0), np.linspace(0.0, 1.0, 100), "red")])
        await pilot.pause()
        tall = len(y_tick_labels(plot))
        await resize(pilot, 100, 12)
        assert 2 <= len(y_tick_labels(plot)) < tall


async def test_large_steps_get_short_x_labels():
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        plot = pilot.app.query_one(LossPlot)
        x = np.linspace(0, 1_000_000, 200)
        plot.show([Curve("train", x, 1 / (1 + x), "red")], x_label="step")
        out = text(plot)
        assert "200k" in out and "1M" in out and "200000" not in out


def test_log_ticks_over_many_decades_are_powers_of_ten_out_to_the_decades_around_the_points():
    lo, hi, ticks, labels = log_axis(math.log10(2e-4), math.log10(30.0))
    assert labels == ["1e-4", "1e-3", "0.01", "0.1", "1", "10", "100"]
    np.testing.assert_allclose(ticks, [-4, -3, -2, -1, 0, 1, 2])
    assert (lo, hi) == (-4, 2)


def test_log_ticks_within_two_decades_add_2_and_5():
    lo, hi, _, labels = log_axis(math.log10(0.015), math.log10(0.6))
    assert labels == ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"] and (lo, hi) == (-2, 0)


def test_log_ticks_within_a_decade_are_linear_values_around_the_points():
    """The main view's first epoch: loss 0.696, val_loss 0.6099 (which sat under an axis labelled 0.65 to 0.75)."""
    lo, hi, _, labels = log_axis(math.log10(0.6099), math.log10(0.6959), rows=8)
    assert labels == ["0.6", "0.65", "0.7"] and (10**lo, 10**hi) == pytest.approx((0.6, 0.7))


def test_linear_ticks_reach_past_the_points_and_stay_a_row_apart():
    """The accuracy plot's first epoch: 0.514 and 0.81 (0.514 sat under an axis labelled 0.6 to 0.8)."""
    assert linear_axis(0.514375, 0.81, fmt_y, 4, rows=12)[3] == ["0.5", "0.6", "0.7", "0.8", "0.9"]
    assert linear_axis(0.514375, 0.81, fmt_y, 4, rows=4)[3] == ["0.4", "0.6", "0.8", "1"]


def test_log_ticks_thin_out_over_forty_decades():
    _, _, _, labels = log_axis(-30.0, 10.0)
    assert 2 <= len(labels) <= 8 and "1" in labels and "1e-30" in labels


def test_log_ticks_reach_the_largest_float_without_overflow():
    top = math.log10(sys.float_info.max)  # 308.25
    for lo, hi in [(-0.3, top), (top - 0.5, top + 0.5), (307.0, 309.0), (-330.0, 309.0)]:
        a, b, ticks, labels = log_axis(lo, hi)
        assert len(ticks) >= 2 and all(math.isfinite(t) for t in ticks), (lo, hi)
        assert a <= lo and b >= hi and all(a - 1e-9 <= t <= b + 1e-9 for t in ticks)
    assert log_axis(-1.0, top)[3][-1] == "1e300"  # a round stride of decades, not every 39th


@pytest.mark.parametrize("log_scale", [True, False])
@pytest.mark.parametrize("ys", [[0.5, 10.0, 1e100, 1e200, 1e308, sys.float_info.max],
                                [1e308, 1e308], [-1e308, 0.0, 1e308]])
async def test_a_diverged_run_up_to_1e308_draws_with_finite_labelled_ticks(log_scale, ys):
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        plot = pilot.app.query_one(LossPlot)
        plot.log_scale = log_scale
        plot.show([Curve("train", np.arange(len(ys), dtype=float), np.array(ys), "red")])
        await pilot.pause()
        labels = [float(s) for s in y_tick_labels(plot)]
        assert len(labels) >= 2 and all(math.isfinite(v) for v in labels)
        shown = [y for y in ys if y > 0] if log_scale else ys
        assert min(labels) <= max(shown) and max(labels) >= min(shown)
        assert any("\u2800" < ch <= "\u28ff" and ch != "⢕" for ch in text(plot))  # the curve (not only its legend)
        if log_scale and len(ys) > 3:  # shorter: fewer ticks, none of them dropped (1e200 1e150 1e50 skipped 1e100)
            for height in (8, 9, 11, 13):
                await resize(pilot, 80, height)
                gaps = np.diff(np.log10([float(s) for s in y_tick_labels(plot)]))
                assert gaps.size and np.all(gaps == gaps[0]), (height, y_tick_labels(plot))


@pytest.mark.parametrize("log_scale", [True, False])
async def test_the_curves_are_the_cells_plotext_draws_and_the_key_sits_on_the_top_border(log_scale):
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        plot = pilot.app.query_one(LossPlot)
        plot.log_scale = log_scale
        x, y = decaying()
        rng = np.random.default_rng(0)
        noisy = y * (1 + rng.random(y.size))
        plot.show([Curve("batch", x, noisy, VALIDATION, style="dots"), Curve("train", x, y, TRAIN)],
                  title="same", x_label="step", marks=[(250.0, (200, 0, 0))])
        ours = plot.render()
        # The reference: plotext itself drawing the same points on the same frame (no labels: no legend).
        f = np.log10 if log_scale else (lambda v: v)
        plot.plt.scatter(x.tolist(), f(noisy).tolist(), color=VALIDATION, marker="braille")
        plot.plt.plot(x.tolist(), f(y).tolist(), color=TRAIN, marker="braille")
        reference = Text.from_ansi(plot.plt.build())
        console = Console(width=80, color_system="truecolor")

        def rows(text: Text) -> list[list[tuple[str, Style]]]:
            return [[(ch, seg.style) for seg in line.render(console) for ch in seg.text] for line in text.split("\n")]

        ours_rows, reference_rows = rows(ours), rows(reference)
        top = next(i for i, line in enumerate(ours.plain.splitlines()) if "┌" in line)
        assert ours_rows[:top] + ours_rows[top + 1:] == reference_rows[:top] + reference_rows[top + 1:]
        assert ours_rows[top] != reference_rows[top]
        key = ours.plain.splitlines()[top]
        assert "⠪ batch  ━ train" in key and key.strip().startswith("┌") and key.rstrip().endswith("┐")
        assert "(200, 0, 0)" not in key and sum("\u2800" < ch <= "\u28ff" for ch in ours.plain) > 100


async def test_the_key_never_covers_the_canvas():
    async with PlotApp().run_test(size=(40, 12)) as pilot:
        plot = pilot.app.query_one(LossPlot)
        x = np.arange(10.0)
        labels = ["sgd", "momentum", "adagrad", "rmsprop", "adam", "target"]
        plot.show([Curve(label, x, np.full(10, 2.0 - i * 0.1), (50 * i, 100, 100)) for i, label in enumerate(labels)])
        lines = text(plot).splitlines()
        top = next(i for i, line in enumerate(lines) if "┌" in line)
        bottom = next(i for i, line in enumerate(lines) if "└" in line)
        assert "━ sgd" in lines[top] and "…" in lines[top]  # shortened to fit, on the border
        assert plot.key_names("sgd") and not plot.key_names("target")  # left out: the race's subtitle names it
        assert len(lines[top]) == 40
        canvas = "".join(line.split("│")[1] for line in lines[top + 1:bottom] if "│" in line)
        assert not any(ch.isalpha() for ch in canvas)  # no label text on the curves


async def test_a_repaint_without_new_data_does_not_rebuild(monkeypatch):
    from tui.widgets import loss_plot
    calls = counted(monkeypatch, (loss_plot, "build_matrix"), (loss_plot, "rasterise"))

    def built_and_drawn() -> tuple[int, int]:
        return calls["build_matrix"], calls["rasterise"]  # plotext frames built, curve layers drawn
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        plot = pilot.app.query_one(LossPlot)
        plot.show([Curve("train", *decaying(), "red")])
        await pilot.pause()
        built, drawn = built_and_drawn()
        assert built >= 1 and drawn >= 1
        plot.refresh()  # e.g. a focus border change
        await pilot.pause()
        pilot.app.export_screenshot()
        assert built_and_drawn() == (built, drawn)
        x, y = decaying()
        y[100:200] *= 2
        plot.show([Curve("train", x, y, "red")])  # a new curve within the same axes: plotext's frame is kept
        await pilot.pause()
        assert built_and_drawn() == (built, drawn + 1)
        plot.show([Curve("train", *decaying(start=20.0), "red")])  # a new y range: a new frame
        await pilot.pause()
        assert built_and_drawn() == (built + 1, drawn + 2)


async def test_x_range_fixes_the_x_axis():
    async with PlotApp().run_test(size=(80, 24)) as pilot:
        plot = pilot.app.query_one(LossPlot)
        plot.log_scale = False
        plot.show([Curve("train", np.arange(1.0, 41.0), np.linspace(0.5, 1.0, 40), "red")], x_range=(0.0, 40.0))
        lines = text(plot).splitlines()
        x_ticks = lines[next(i for i, line in enumerate(lines) if "└" in line) + 1].split()
        assert x_ticks[0] == "0" and x_ticks[-1] == "40"


async def test_a_reference_line_is_drawn_beneath_the_curves_that_share_its_cells():
    async with PlotApp().run_test(size=(60, 16)) as pilot:
        plot = pilot.app.query_one(LossPlot)
        plot.log_scale = False
        x = np.arange(40.0)
        hovering = 1.0 + 0.02 * np.sin(x)  # a loss hovering at the target
        curve, target = (0, 200, 0), (100, 100, 100)

        def cells() -> dict[tuple[int, int], tuple]:
            """Each braille cell's (row, column) → its colour."""
            out = {}
            for r, line in enumerate(plot.render().split("\n")):
                for span in line.spans:
                    for c in range(span.start, span.end):
                        if "\u2800" < line.plain[c] <= "\u28ff":
                            out[r, c] = tuple(Style.parse(str(span.style)).color.triplet)
            return out

        plot.show([Curve("loss", x, hovering, curve)], y_label="loss", x_range=(0.0, 39.0))
        await pilot.pause()
        alone = {cell for cell, rgb in cells().items() if rgb == curve}
        plot.show([Curve("loss", x, hovering, curve), Curve("target", x[[0, -1]], np.ones(2), target, style="reference")],
                  y_label="loss", x_range=(0.0, 39.0))
        await pilot.pause()
        both = cells()
        assert len(alone) > 20 and {cell for cell, rgb in both.items() if rgb == curve} == alone  # no cell lost
        assert target in both.values()  # the target still shows where the curve is not
        assert "━ loss  ━ target" in text(plot) and plot.key_names("target")  # the key keeps the given order
