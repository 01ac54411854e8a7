"""The training core's products: a one-row stack's ``np.dot`` gives ``np.matmul``'s bits."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from engine.core.stack import Stack, product
from engine.layers import Dense, Input
from engine.model import Sequential


def awkward(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Normal values over six decades, with ±0.0, ±inf and NaN sprinkled in."""
    a = rng.normal(size=shape) * 10.0 ** rng.integers(-3, 4, size=shape)
    u = rng.uniform(size=shape)
    a[u < 0.1] = 0.0
    a[(u >= 0.1) & (u < 0.2)] = -0.0
    a[u > 0.98] = np.inf
    a[(u > 0.96) & (u <= 0.98)] = -np.inf
    a[(u > 0.95) & (u <= 0.96)] = np.nan
    return a


@pytest.mark.parametrize("batch, fan_in, units", list(itertools.product([1, 2, 7], [1, 2, 5], [1, 3])))
def test_the_one_row_products_have_matmuls_bits(batch, fan_in, units):
    # the four products of a layer, in the layouts the core hands them (C order, transposes F order)
    rng = np.random.default_rng(batch * 100 + fan_in * 10 + units)
    for _ in range(20):
        a, w, dz = awkward(rng, (batch, fan_in)), awkward(rng, (fan_in, units)), awkward(rng, (batch, units))
        for x, y, inner in [(a, w, fan_in), (a.T, dz, batch), (np.ones(batch), dz, batch), (dz, w.T, units)]:
            with np.errstate(all="ignore"):  # inf · 0
                expected = np.matmul(x, y)
                assert product(1, inner)(x, y, out=np.empty(expected.shape)).tobytes() == expected.tobytes()


def test_product_is_dot_only_for_one_row_and_an_inner_dimension_above_one():
    assert product(1, 2) is np.dot
    assert product(1, 1) is np.matmul and product(3, 16) is np.matmul


@pytest.mark.parametrize("batch, features", [(1, 2), (5, 1), (5, 2)])
def test_a_one_row_stack_has_the_gradients_of_a_row_of_two(batch, features):
    # batch 1 (SGD) and one feature put inner dimensions of 1 in play; a one-unit layer closes it
    model = Sequential([Input(shape=(features,)), Dense(4, activation="relu"), Dense(1, activation="sigmoid")])
    model.compile(loss="binary_crossentropy", optimizer="sgd")
    model.build(features, seed=1)
    pair = Stack.of([model, model])
    rng = np.random.default_rng(batch + features)
    for _ in range(20):
        x = rng.normal(size=(batch, features))
        y = rng.integers(0, 2, size=(batch, 1)).astype(float)
        (loss,), _ = model.stack.gradients(x, y, model.loss)
        losses, _ = pair.gradients(x, y, model.loss)
        assert losses == [loss, loss]
        assert pair.grads[0].tobytes() == model.stack.grads[0].tobytes() == pair.grads[1].tobytes()
