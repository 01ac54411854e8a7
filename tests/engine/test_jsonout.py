"""``dump_json``: strict JSON in one pass — non-finite numbers null, NumPy scalars as numbers, a schedule
as Keras's ``{class_name, config}``; ``dump_json_chunks``: the same text, a long list a chunk at a time."""

from __future__ import annotations

import json

import numpy as np
import pytest

from engine.jsonout import Streamed, dump_json, dump_json_chunks
from engine.optimizers.schedules import ExponentialDecay


def test_dump_json_is_strict_and_plain():
    value = {"a": (1.5, float("nan"), float("inf"), -np.inf), "n": np.int64(3), "f": np.float32(0.1),
             "d": np.float64("nan"), "b": np.bool_(True), 2: [None, "x", True],
             "lr": ExponentialDecay(0.1, decay_steps=np.int64(10), decay_rate=0.5)}
    assert dump_json(value) == (
        '{"a": [1.5, null, null, null], "n": 3, "f": 0.10000000149011612, "d": null, "b": true, '
        '"2": [null, "x", true], "lr": {"class_name": "ExponentialDecay", "config": {"initial_learning_rate": 0.1, '
        '"decay_steps": 10, "decay_rate": 0.5, "staircase": false, "name": "ExponentialDecay"}}}')
    with pytest.raises(TypeError, match="cannot serialise"):
        dump_json({"s": {1, 2}})


def test_chunks_are_the_whole_text_byte_for_byte():
    chunks = [[0.5, np.float64("nan")], [], [np.int64(2), float("inf")]]
    value = {"runs": [{"losses": Streamed(lambda: iter(chunks)), "empty": Streamed(lambda: iter([[]]))}]}
    whole = {"runs": [{"losses": [0.5, None, 2, None], "empty": []}]}
    assert "".join(dump_json_chunks(value, indent=1)) == dump_json(whole, indent=1) == json.dumps(whole, indent=1)
