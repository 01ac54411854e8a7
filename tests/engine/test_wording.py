"""``Wording``: the English line itself, keeping its template and values through exceptions, copies and pickles."""

from __future__ import annotations

import copy
import pickle

import pytest

from engine import ConfigError, ExperimentConfig, Wording, text_of
from engine.wording import refusal_at


def test_a_wording_is_its_english_and_keeps_template_and_values():
    w = Wording("diverged at epoch {epoch}, iteration {iteration}", epoch=3, iteration=7)
    assert w == "diverged at epoch 3, iteration 7" and isinstance(w, str)
    for kept in (pickle.loads(pickle.dumps(w)), copy.deepcopy(w)):
        assert kept == w and kept.template == w.template and kept.values == {"epoch": 3, "iteration": 7}
    assert type(f"{w}!") is str and type(str(w)) is str  # joined into other text: plain English


def test_a_refusal_keeps_its_wording_through_text_of():
    with pytest.raises(ConfigError) as refused:
        ExperimentConfig(epochs=0).validate()
    said = text_of(refused.value)
    assert said == str(refused.value) == "epochs must be a whole number ≥ 1, got 0"
    assert said.template == "{name} must be {bounds}, got {value}" and said.values["bounds"].values == {"low": 1}
    assert text_of(ValueError("plain")) == "plain" and type(text_of(ValueError("plain"))) is str


def test_refusal_at_says_the_place_then_the_refusal_of_a_text_or_of_the_exception_raised_with_it():
    with pytest.raises(ConfigError) as refused:
        ExperimentConfig(epochs=0).validate()
    for refusal in (refused.value, text_of(refused.value)):
        said = refusal_at("s.toml: experiment.epochs", refusal)
        assert said == "s.toml: experiment.epochs: epochs must be a whole number ≥ 1, got 0"
        assert said.template == "{where}: {refusal}" and said.values["refusal"].template == text_of(refused.value).template
