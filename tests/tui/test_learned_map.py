"""What the network learned: the pictures equal the model's predictions; the key, the panels and the
saturated state in the app at 80×24 and 120×40."""

from __future__ import annotations

import numpy as np
import pytest

from engine import ExperimentConfig, build_experiment
from tests.tui.conftest import SMALL, assert_points_between_ticks, resize, screen_text, settle, squash, until
from tui import learned
from tui.widgets.learned_map import picture, snapshot_predict, source_for


def trained(config: ExperimentConfig):
    experiment = build_experiment(config)
    trainer = experiment.trainer()
    trainer.fit(verbose=0)
    return experiment, trainer


@pytest.mark.parametrize("config", [
    ExperimentConfig(samples=300, epochs=3),
    ExperimentConfig(samples=300, epochs=3, dataset="spiral", classes=3, loss="sparse_categorical_crossentropy"),
], ids=["moons", "spiral-3"])
def test_the_plane_is_model_predict_on_the_grid(config):
    experiment, trainer = trained(config)
    source = source_for(experiment, trainer)
    assert source.kind == "plane"
    pic = picture(source, 120, 60)
    box = learned.fit(source.box, 120, 60)
    expected = experiment.model.predict(learned.grid(box, 120, 60)).reshape(60, 120, -1)
    assert np.array_equal(pic.values, expected)
    assert pic.pixels.shape == (60, 120, 3) and pic.pixels.dtype == np.uint8
    # the shading says what predict says: where p > ½ the pixel leans to class 1's colour
    if expected.shape[-1] == 1:
        blue = pic.pixels[..., 2].astype(int) - pic.pixels[..., 0]
        region = (expected[..., 0] > 0.6) | (expected[..., 0] < 0.4)
        assert np.array_equal((blue > 0)[region & ~point_pixels(pic)], (expected[..., 0] > 0.5)[region & ~point_pixels(pic)])


def point_pixels(pic) -> np.ndarray:
    """Pixels that differ from the shading alone (the training points drawn on top)."""
    shading = learned.class_shading(pic.values.reshape(-1, pic.values.shape[-1])).astype(np.uint8)
    return (pic.pixels.reshape(-1, 3) != shading).any(axis=1).reshape(pic.pixels.shape[:2])


def test_the_plane_keeps_the_data_square():
    box = learned.fit((0.0, 4.0, 0.0, 1.0), 40, 40)
    assert box == (0.0, 4.0, -1.5, 2.5)
    pixels = learned.to_pixels(np.array([[0.0, 2.5], [4.0, -1.5]]), box, 40, 40)
    assert pixels.tolist() == [[-0.5, -0.5], [39.5, 39.5]]  # the box's corners are the pixel grid's


def test_binary_shading_by_hand():
    colours = learned.class_shading(np.array([[0.0], [0.5], [1.0], [0.75]]))
    bg, c0, c1 = learned.BACKGROUND, learned.CLASS_COLORS[0], learned.CLASS_COLORS[1]
    assert np.allclose(colours, [bg + (c0 - bg) * 0.6, bg, bg + (c1 - bg) * 0.6, bg + (c1 - bg) * 0.3])


def test_the_curve_is_model_predict_along_x():
    experiment, trainer = trained(ExperimentConfig(samples=200, epochs=2, dataset="sine", loss="mse"))
    source = source_for(experiment, trainer)
    assert source.kind == "curve"
    pic = picture(source, 100, 40)
    xs_all = np.concatenate([trainer.x[:, 0], trainer.validation[0][:, 0]])
    lo, hi = xs_all.min(), xs_all.max()
    xs = lo + (np.arange(100) + 0.5) * (hi - lo) / 100
    assert np.array_equal(pic.values, experiment.model.predict(xs[:, None])[:, 0])
    assert (pic.pixels == learned.CURVE_COLOR).all(axis=-1).sum() >= 100  # the curve is drawn across


def test_more_features_scatter_prediction_against_target(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(120, 3))
    rows = ["a,b,c,t"] + [f"{a},{b},{c},{a + 2 * b - c}" for a, b, c in x]
    path = tmp_path / "three.csv"
    path.write_text("\n".join(rows))
    experiment, trainer = trained(ExperimentConfig(dataset=str(path), loss="mse", epochs=2))
    source = source_for(experiment, trainer)
    assert source.kind == "scatter"
    pic = picture(source, 60, 30)
    assert np.array_equal(pic.values, experiment.model.predict(trainer.x)[:, 0])


def test_every_picture_says_how_to_read_it_in_a_few_words():
    captions = {(kind, task): learned.caption(kind, task) for kind in ("plane", "curve", "scatter")
                for task in ("binary", "multiclass", "regression")}
    assert captions["plane", "binary"] == "amber 0 · blue 1 · + val"
    assert captions["scatter", "regression"] == "x: target · y: predicted"
    assert all(len(c) <= 24 for c in captions.values())  # a 120x40 map's border holds it
    from rich.cells import cell_len
    from tui import i18n
    i18n.set_language("ko")
    try:  # in Korean too, a glyph two cells wide
        korean = {key: learned.caption(*key) for key in captions}
        assert korean["plane", "binary"] == "주황 0 · 파랑 1 · + val"
        assert all(cell_len(c) <= 24 for c in korean.values()), korean
    finally:
        i18n.set_language("en")


def test_snapshot_predict_uses_the_weights_it_is_given():
    experiment, trainer = trained(ExperimentConfig(samples=200, epochs=1))
    model = experiment.model
    before = model.params.copy()
    weights = [before]
    predict = snapshot_predict(model, lambda: weights[0])
    x = trainer.x[:5]
    trainer.epochs, trainer.history.status = 2, "running"  # one more epoch moves the live weights
    trainer.run_epoch()
    assert not np.array_equal(model.params, before)
    model_now = model.predict(x)
    old = predict(x)
    weights[0] = model.params.copy()
    assert np.array_equal(predict(x), model_now) and not np.array_equal(old, model_now)


# -- in the app -------------------------------------------------------------------------------
# The main view's m at 80x24 and its map beside the panel at 120x40 are checked at the start of test_race_inside's
# two apps, the learning-rate mark and the saturated run at the start of test_race_view's long race (one app for
# the main view's panels and the race's: the app's start-up is most of a Pilot test's CPU).

def shown(app) -> tuple[bool, bool, bool]:
    return app.learned_map.display, app.why_panel.display, app.inside_panel.display


async def m_cycles_why_map_optimizer_at_80x24(app, pilot) -> None:
    """From the start of an app on SMALL at 80x24, at max speed; ends in the main view, the why panel shown, one
    epoch trained."""
    await pilot.pause()
    assert shown(app) == (False, True, False)
    await pilot.press("e")
    await settle(app, pilot)
    await pilot.press("m")
    await until(pilot, lambda: shown(app) == (True, False, False) and app.learned_map.size.height >= 3)
    app._redraw()
    pic = app.learned_map.last
    assert pic is not None and pic.pixels.shape[0] >= 6  # drawn, with room
    width, height = app.learned_map.pixel_size
    box = learned.fit(app.learned_map.source.box, width, height)
    expected = app.session.experiment.model.predict(learned.grid(box, width, height))
    assert np.array_equal(pic.values.reshape(expected.shape), expected)
    assert "whatthenetworklearned" in screen_text(app)
    await pilot.press("m")
    await pilot.pause()
    assert shown(app) == (False, False, True)
    assert squash("what the optimizer carries") in screen_text(app)
    await until(pilot, lambda: "layer‖g‖" in screen_text(app))  # filled at the app's next redraw tick
    text = screen_text(app)
    assert "layer‖g‖" in text and "Δθ/θlrminlrmedlrmax" in text and "all" in text
    assert not app.inside_panel.plot.display  # no room under the numbers for the step sizes: not shown (was cut)
    await pilot.press("m")
    await pilot.pause()
    assert shown(app) == (False, True, False)


async def map_beside_the_panel_at_120x40(app, pilot) -> None:
    """From the start of an app on SMALL at 120x40, at max speed; ends in the main view at 120x40 (after a resize
    to 80x24 and back), map and why panel shown, one epoch trained."""
    # the first layout gives the counters their height at their width (it gave them 4 lines at no width, then
    # a second layout 3: the map below, drawn in between, came a row short)
    assert app.counters.size.height == len(app.counters.render().split("\n")) == 3, app.counters.size
    await until(pilot, lambda: app.learned_map.last is not None)  # its first frame: at the app's first redraw tick
    assert shown(app) == (True, True, False)
    # drawn at the map's own size from its first frame (it was drawn narrower once, before -wide applied, and
    # stayed so; then a row short, the counters' first layout being a line too tall: Counters.get_content_height)
    untrained = app.learned_map.last.pixels
    assert untrained.shape[1::-1] == app.learned_map.pixel_size, (untrained.shape, app.learned_map.pixel_size)
    await pilot.press("e", "m")
    await settle(app, pilot)
    app._redraw()
    await pilot.pause()  # the screen lays out what the redraw changed (the panel's turned table)
    assert shown(app) == (True, False, True)
    assert app.learned_map.last is not None and app.learned_map.size.width >= 30
    assert app.learned_map.border_subtitle == "amber 0 · blue 1 · + val"  # how to read it
    assert squash("amber 0 · blue 1 · + val") in screen_text(app)
    assert app.learned_map.redraw(force=True) and not app.learned_map.redraw()  # ≤ 4 a second
    assert len(app.step_sizes) == 1  # the first epoch's median step size
    text = screen_text(app)  # the table turned (a column per layer): every quantity fits
    assert all(squash(q) in text for q in ("‖g‖", "‖θ‖", "Δθ/θ", "lr min", "lr med", "lr max", "‖m‖")), text
    assert app.inside_panel.plot.display  # the step sizes under the numbers: room for their curve
    await pilot.press("m")
    await pilot.pause()
    assert shown(app) == (True, True, False)
    await resize(pilot, 80, 24)  # narrow: the why panel alone, as at 80x24 from the start (not the wide row)
    assert shown(app) == (False, True, False)
    await resize(pilot, 120, 40)
    assert shown(app) == (True, True, False)


async def a_learning_rate_change_is_marked_on_the_loss_plot_a_healthy_run_is_just_finished_a_saturated_one_says_so(
        app, pilot) -> None:
    """At 100x30 from the start of an app on SMALL: the mark, r, then a run to its end with nothing to say but
    finished; then a saturated run (rebuilt on its setup) says so in the run state and the optimizer panel. At the
    start of test_race_view's long race (an app start fewer)."""
    await a_learning_rate_change_is_marked_on_the_loss_plot_and_a_healthy_run_is_just_finished(app, pilot)
    assert await app.rebuild(ExperimentConfig(samples=200, epochs=2, optimizer="sgd", learning_rate=1000.0))
    await a_saturated_run_says_so_in_the_run_state_and_the_optimizer_panel(app, pilot)


async def a_learning_rate_change_is_marked_on_the_loss_plot_and_a_healthy_run_is_just_finished(app, pilot) -> None:
    """From the start on the default experiment, the loss plot shown."""
    await pilot.press("e")
    await settle(app, pilot)
    assert await app.apply_setting("opt.learning_rate", 0.01)
    assert app.lr_changes == [1.0]
    app._redraw()
    # the learning-rate change, beside early stopping's best-epoch mark (epoch 1, the only one)
    assert app.loss_plot.marks == [(1.0, (229, 192, 123)), (1.0, (152, 195, 121))]
    await pilot.press("r")
    await pilot.pause()
    assert app.lr_changes == []

    # a healthy run is just finished
    await pilot.press("space")
    await settle(app, pilot)
    assert app.status == "finished" and app.detail is None
    assert "saturated" not in screen_text(app)
    await a_finished_run_resized_wide_draws_the_panels_the_resize_shows(app, pilot)


async def a_finished_run_resized_wide_draws_the_panels_the_resize_shows(app, pilot) -> None:
    """A finished run at 100x30 (narrow: no metric plot, no map) resized to 120x40: the metric plot, shown for
    the first time, draws the run's curves (its axis is not the loss plot's `loss`: it was an empty frame), and
    the map fills its frame (it drew a corner, at the size it had mid-resize, and no more: the run had stopped).
    Ends back at 100x30."""
    assert not app.metric_plot.display and not app.learned_map.display
    await resize(pilot, 120, 40)
    plot, picture_ = app.metric_plot, app.learned_map

    def drawn() -> bool:
        last = picture_.last
        return bool(plot.curves) and last is not None and last.pixels.shape[1::-1] == picture_.pixel_size
    await until(pilot, drawn, why=lambda: (plot.curves, picture_.pixel_size,
                                           picture_.last and picture_.last.pixels.shape))
    assert [c.label for c in plot.curves] == ["train", "validation"]
    assert len(plot.curves[0].xs) == SMALL.epochs
    assert "loss" not in plot.render().plain
    assert_points_between_ticks(plot)  # a training accuracy of 0.514 sat under an axis labelled 0.6 to 0.8
    assert picture_.size.width >= 30
    await resize(pilot, 100, 30)


async def a_saturated_run_says_so_in_the_run_state_and_the_optimizer_panel(app, pilot) -> None:
    """On SGD at lr 1000, ready, the why panel below the plot."""
    await pilot.press("space")
    await settle(app, pilot)
    assert app.status == "finished"
    assert app.detail == "saturated: outputs pinned at the 1e-7 clip"
    assert squash("finished · saturated: outputs pinned at the 1e-7 clip") in screen_text(app)
    await pilot.press("m", "m")  # the optimizer panel says it too, first (it is a few rows high)
    await pilot.pause()
    assert app.inside_panel.display
    await until(pilot, lambda: squash("t 10 · saturated") in screen_text(app))  # filled at the next redraw tick
    text = screen_text(app)
    assert squash("lr 1e3 · t 10 · saturated: outputs pinned at the 1e-7 clip") in text
