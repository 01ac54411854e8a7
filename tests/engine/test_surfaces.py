"""Loss surfaces: analytic gradients, minima, paths that are the engine's optimizers step by step, the dip's story,
the quadratic's divergence step sizes, and the lecture's batch picture on linreg."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import losses, optimizers, surfaces
from engine.layers import Dense, Input
from engine.model import Sequential
from engine.surfaces import Descent

ANALYTIC = [name for name in surfaces.names() if name != "linreg"]
OPTIMIZERS = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adadelta", "nadam"]


def points(surface, n=12, seed=0):
    rng = np.random.default_rng(seed)
    x0, x1, y0, y1 = surface.box
    return np.column_stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)])


@pytest.mark.parametrize("name", surfaces.names())
def test_gradient_matches_finite_differences(name):
    surface = surfaces.get(name)
    h = 1e-6
    for theta in points(surface):
        g = surface.gradient(theta)
        assert g.dtype == np.float64 and g.shape == (2,)
        fd = np.array([(surface.loss(theta + e) - surface.loss(theta - e)) / (2 * h) for e in np.eye(2) * h])
        np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-6 * (1 + np.abs(fd).max()))


@pytest.mark.parametrize("name", surfaces.names())
def test_value_is_elementwise_and_minima_are_stationary(name):
    surface = surfaces.get(name)
    pts = points(surface, 5)
    grid = surface.value(pts[:, 0].reshape(5, 1), pts[:, 1].reshape(5, 1))
    assert grid.shape == (5, 1)
    np.testing.assert_allclose(grid[:, 0], [surface.loss(p) for p in pts], rtol=1e-13)
    for m in surface.minima:
        assert np.abs(surface.gradient(m)).max() < 1e-9
        assert surface.loss(m) == pytest.approx(surface.minimum_value, abs=1e-12)
        for d in np.eye(2) * 1e-3:  # a minimum, not another stationary point
            assert surface.loss(m + d) > surface.loss(m) and surface.loss(m - d) > surface.loss(m)


def test_known_minima():
    assert surfaces.get("rosenbrock").minimum.tolist() == [1.0, 1.0]
    assert surfaces.get("beale").minimum.tolist() == [3.0, 0.5]
    assert surfaces.get("beale").minimum_value == 0.0
    himmelblau = surfaces.get("himmelblau")
    assert len(himmelblau.minima) == 4 and np.abs(himmelblau.value(*himmelblau.minima.T)).max() < 1e-20
    np.testing.assert_allclose(himmelblau.minima[1], [-2.805118, 3.131312], atol=1e-6)
    assert surfaces.get("saddle").minimum is None and surfaces.get("saddle").minimum_value is None


@pytest.mark.parametrize("name", ANALYTIC)
@pytest.mark.parametrize("opt", OPTIMIZERS)
def test_path_is_the_engine_optimizer_step_by_step(name, opt):
    surface = surfaces.get(name)
    steps = 40
    walk = Descent(surface, optimizers.get(opt, learning_rate=surface.learning_rate), surface.start,
                   steps=steps, tol=0.0).run()
    reference = optimizers.get(opt, learning_rate=surface.learning_rate)
    theta = np.array(surface.start, dtype=np.float64)
    expected = [theta.copy()]
    with np.errstate(all="ignore"):
        for _ in range(walk.step_count):
            reference.apply([surface.gradient(theta)], [theta])
            expected.append(theta.copy())
    assert walk.step_count == steps or walk.status == "diverged"
    assert np.array_equal(np.array(walk.path), np.array(expected), equal_nan=True)  # the same bits
    assert walk.losses == [surface.loss(p) for p in expected]


def test_hand_computed_steps_on_the_quadratic():
    quad = surfaces.get("quadratic", kappa=10)
    sgd = Descent(quad, optimizers.get("sgd", learning_rate=0.1), (1.0, 1.0), steps=2).run()
    # ∇f = (x, 10y): (1, 1) − 0.1·(1, 10) = (0.9, 0); then (0.9 − 0.09, 0) = (0.81, 0)
    np.testing.assert_allclose(sgd.path, [[1, 1], [0.9, 0.0], [0.81, 0.0]], atol=1e-15)
    assert sgd.losses[:2] == [5.5, pytest.approx(0.405)]
    heavy = Descent(quad, optimizers.get("momentum", learning_rate=0.1), (1.0, 1.0), steps=2).run()
    # v1 = −0.1·(1, 10) = (−0.1, −1) → (0.9, 0); v2 = 0.9·v1 − 0.1·(0.9, 0) = (−0.18, −0.9) → (0.72, −0.9)
    np.testing.assert_allclose(heavy.path[2], [0.72, -0.9], atol=1e-15)


def test_dip_sgd_stops_in_the_dip_momentum_rolls_through():
    dip = surfaces.get("dip")
    lr = dip.learning_rate
    sgd = Descent(dip, optimizers.get("sgd", learning_rate=lr), dip.start, steps=dip.steps).run()
    momentum = Descent(dip, optimizers.get("sgd", learning_rate=lr, momentum=0.9), dip.start, steps=dip.steps).run()
    assert sgd.status == "stopped"
    assert np.linalg.norm(sgd.point - dip.local_minimum) < 1e-3  # in the dip, at its bottom
    assert dip.loss(dip.local_minimum) > dip.minimum_value + 0.5  # and the dip is not the global minimum
    assert momentum.status == "reached" and momentum.ended_at <= dip.steps
    assert np.linalg.norm(momentum.point - dip.minimum) <= 1e-3


def test_quadratic_condition_number_and_divergence_step_sizes():
    quad = surfaces.get("quadratic", kappa=10)
    assert quad.condition_number == 10.0
    assert surfaces.get("quadratic", kappa=0.25).condition_number == 4.0
    assert quad.divergence_learning_rate(optimizers.get("sgd")) == pytest.approx(0.2)
    assert quad.divergence_learning_rate(optimizers.get("momentum")) == pytest.approx(0.38)
    assert quad.divergence_learning_rate(optimizers.get("nesterov")) == pytest.approx(2 * 1.9 / (2.8 * 10))
    assert quad.divergence_learning_rate(optimizers.get("adam")) is None
    for name in ("sgd", "momentum", "nesterov"):
        bound = quad.divergence_learning_rate(optimizers.get(name))
        below = Descent(quad, optimizers.get(name, learning_rate=0.97 * bound), quad.start, steps=3000).run()
        above = Descent(quad, optimizers.get(name, learning_rate=1.03 * bound), quad.start, steps=3000).run()
        assert below.status == "reached", name
        assert above.status == "diverged", name


def test_descent_refuses_bad_input():
    quad = surfaces.get("quadratic")
    with pytest.raises(ValueError, match="start"):
        Descent(quad, "sgd", (1.0, math.nan), steps=3)
    with pytest.raises(ValueError, match="steps"):
        Descent(quad, "sgd", (1.0, 1.0), steps=0)
    with pytest.raises(ValueError, match="only linreg"):
        Descent(quad, "sgd", (1.0, 1.0), steps=3, batch_size=1)
    with pytest.raises(ValueError, match="unknown surface 'rosenbrok'; did you mean 'rosenbrock'"):
        surfaces.get("rosenbrok")
    with pytest.raises(ValueError, match="kappa"):
        surfaces.get("quadratic", kappa=-1)
    with pytest.raises(ValueError, match="unknown rosenbrock setting"):
        surfaces.get("rosenbrock", kappa=2)
    assert surfaces.get({"name": "quadratic", "kappa": 3}).kappa == 3


def test_statuses_in_words():
    quad = surfaces.get("quadratic")
    reached = Descent(quad, optimizers.get("sgd", learning_rate=0.1), quad.start, steps=500).run()
    assert reached.status_text() == f"reached the minimum (within 0.001) at step {reached.ended_at}"
    diverged = Descent(quad, optimizers.get("sgd", learning_rate=0.5), quad.start, steps=500).run()
    assert diverged.status_text() == f"diverged at step {diverged.ended_at}"
    stopped = Descent(quad, optimizers.get("sgd", learning_rate=0.001), quad.start, steps=5).run()
    assert stopped.status_text().startswith("stopped after 5 steps, ")
    assert Descent(quad, "sgd", quad.start, steps=5).status_text() == "running · step 0"


# -- linreg: the lecture's batch picture -------------------------------------------------------

def test_linreg_surface_is_the_engine_loss_of_a_linear_unit():
    lin = surfaces.get("linreg")
    model = Sequential([Input(shape=(1,)), Dense(1)])
    model.compile(loss="mse", optimizer="sgd")
    model.build(1, seed=0)
    for w, b in points(lin, 4):
        model.set_weights([np.array([[w]]), np.array([b])])
        assert lin.loss(np.array([w, b])) == pytest.approx(model.evaluate(lin.x, lin.y), rel=1e-13)
    xs = np.column_stack([lin.x[:, 0], np.ones(lin.samples)])
    np.testing.assert_allclose(lin.minimum, np.linalg.solve(xs.T @ xs, xs.T @ lin.y), rtol=1e-12)


def batch_path(lin, opt_name, lr, start, batch_size, steps):
    """The walk done by hand: the engine's mse on each shuffled batch, the chain rule to (w, b), the optimizer."""
    mse = losses.get("mse")
    opt = optimizers.get(opt_name, learning_rate=lr)
    theta = np.array(start, dtype=np.float64)
    rng = np.random.default_rng([lin.seed, 1])  # fit's shuffle
    path, n = [theta.copy()], lin.samples
    while len(path) <= steps:
        order = rng.permutation(n)
        xs, ys = lin.x[order], lin.y[order][:, None]
        for lo in range(0, n, batch_size):
            xb, yb = xs[lo:lo + batch_size], ys[lo:lo + batch_size]
            pred = xb @ theta[:1].reshape(1, 1) + theta[1:]
            _, d = mse.value_and_gradient(yb, pred)
            grad = np.concatenate([(xb.T @ d).ravel(), np.ones(len(xb)) @ d])
            opt.apply([grad], [theta])
            path.append(theta.copy())
            if len(path) > steps:
                break
    return np.array(path)


@pytest.mark.parametrize("batch_size", [200, 32, 1])
def test_linreg_walks_use_each_batch_gradient(batch_size):
    lin = surfaces.get("linreg")
    walk = Descent(lin, optimizers.get("sgd", learning_rate=0.05), lin.start, steps=60, batch_size=batch_size,
                   tol=0.0).run()
    assert walk.step_count == 60
    np.testing.assert_allclose(np.array(walk.path), batch_path(lin, "sgd", 0.05, lin.start, batch_size, 60),
                               rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(walk.losses, [lin.loss(p) for p in walk.path], rtol=0)
    if batch_size == 200:  # batch GD: the full-data gradient, one update per epoch
        full = Descent(lin, optimizers.get("sgd", learning_rate=0.05), lin.start, steps=60, tol=0.0).run()
        np.testing.assert_allclose(walk.path, full.path, rtol=1e-12, atol=1e-14)


def turning(path):
    """Total turning angle along a path (radians)."""
    steps = np.diff(np.asarray(path), axis=0)
    steps = steps[np.linalg.norm(steps, axis=1) > 0]
    angles = np.arctan2(steps[:, 1], steps[:, 0])
    return float(np.abs((np.diff(angles) + np.pi) % (2 * np.pi) - np.pi).sum())


def path_length(path):
    return float(np.linalg.norm(np.diff(np.asarray(path), axis=0), axis=1).sum())


def test_linreg_sgd_is_noisier_than_batch_gd():
    lin = surfaces.get("linreg")
    walks = {b: Descent(lin, optimizers.get("sgd", learning_rate=lin.learning_rate), lin.start, steps=100,
                        batch_size=b, tol=0.0).run() for b in (lin.samples, 32, 1)}
    full, mini, sgd = (turning(walks[b].path) for b in (lin.samples, 32, 1))
    assert full < math.pi / 2  # batch GD: one smooth bend, no zig-zag
    assert sgd > 10 * full and mini > 10 * full
    # how far each walks for how far it gets: SGD wanders most, batch GD goes nearly straight
    detour = {b: path_length(w.path) / np.linalg.norm(w.path[-1] - w.path[0]) for b, w in walks.items()}
    assert detour[lin.samples] < 1.1 < detour[32] < detour[1]
