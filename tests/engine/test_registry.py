"""One ``get()`` convention, Keras's, for losses, optimizers, metrics, activations and datasets."""

from __future__ import annotations

import pytest

from engine import activations, datasets, losses, metrics, optimizers

KINDS = {
    # kind: (module, a name, an alias or other spelling of it, its class name, the class)
    "loss": (losses, "mean_squared_error", "MSE", "MeanSquaredError", losses.MeanSquaredError),
    "optimizer": (optimizers, "rmsprop", " RMSprop ", "RMSprop", optimizers.RMSprop),
    "metric": (metrics, "root_mean_squared_error", "rmse", "RootMeanSquaredError", metrics.RootMeanSquaredError),
    "activation": (activations, "leaky_relu", "LEAKY_RELU", "LeakyReLU", activations.LeakyReLU),
}


@pytest.mark.parametrize("kind", KINDS)
def test_none_gives_none_except_activations_which_give_linear(kind):
    module = KINDS[kind][0]
    if module is activations:
        assert type(activations.get(None)) is activations.Linear  # keras.activations.get(None) is linear
    else:
        assert module.get(None) is None
    assert datasets.get(None) is None


@pytest.mark.parametrize("kind", KINDS)
def test_an_instance_is_returned_as_it_is(kind):
    module, name, *_ = KINDS[kind]
    thing = module.get(name)
    assert module.get(thing) is thing
    ds = datasets.get("moons", n_samples=10)
    assert datasets.get(ds) is ds


@pytest.mark.parametrize("kind", KINDS)
def test_a_name_an_alias_and_the_class_name_give_the_same_class(kind):
    module, name, alias, class_name, cls = KINDS[kind]
    for identifier in (name, alias, class_name):
        assert type(module.get(identifier)) is cls, identifier
    assert module.get(name) is not module.get(name)  # a new object each time


@pytest.mark.parametrize("kind", ["loss", "metric", "activation"])
def test_a_class_is_instantiated_as_keras_does(kind):
    module, *_, cls = KINDS[kind]
    assert type(module.get(cls)) is cls


def test_an_optimizer_class_is_refused_as_keras_does():
    with pytest.raises(ValueError, match="unknown optimizer"):
        optimizers.get(optimizers.Adam)


@pytest.mark.parametrize("module, config, check", [
    (losses, {"class_name": "Huber", "config": {"delta": 2.5}}, lambda x: x.delta == 2.5),
    (losses, {"class_name": "BinaryCrossentropy", "config": {"from_logits": True}}, lambda x: x.from_logits),
    (optimizers, {"class_name": "Adam", "config": {"learning_rate": 0.01, "beta_1": 0.8}},
     lambda x: (x.learning_rate, x.beta_1) == (0.01, 0.8)),
    (optimizers, {"module": "keras.optimizers", "class_name": "SGD", "config": {"momentum": 0.5},
                  "registered_name": None}, lambda x: x.momentum == 0.5),
    (metrics, {"class_name": "BinaryAccuracy", "config": {}}, lambda x: isinstance(x, metrics.BinaryAccuracy)),
    (activations, {"class_name": "LeakyReLU", "config": {"negative_slope": 0.1}}, lambda x: x.negative_slope == 0.1),
    (activations, {"class_name": "relu", "config": None}, lambda x: isinstance(x, activations.ReLU)),
    (datasets, {"class_name": "moons", "config": {"n_samples": 10, "seed": 3}}, lambda x: len(x) == 10),
])
def test_kerass_serialized_form(module, config, check):
    assert check(module.get(config))


@pytest.mark.parametrize("module, make", [
    (losses, lambda: losses.get("huber", delta=3.0)),
    (optimizers, lambda: optimizers.get("momentum", learning_rate=0.1)),
    (activations, lambda: activations.get("elu", alpha=0.5)),
    (activations, lambda: activations.get("relu")),
])
def test_get_config_round_trips_in_both_forms(module, make):
    thing = make()
    config = thing.get_config()
    assert module.get(config).get_config() == config
    keras_form = {"class_name": type(thing).__name__, "config": config}  # with its "name", as Keras's carries
    made = module.get(keras_form)
    assert type(made) is type(thing) and made.get_config() == config


def test_kerass_serialized_form_keeps_the_name_where_the_class_takes_one():
    """Keras's ``get_config()`` carries the object's name; a class taking one (through ``**kwargs`` too, as the
    optimizers pass it to their base) keeps it, one taking none (an activation) ignores it."""
    assert optimizers.get({"class_name": "Adam", "config": {"name": "slow", "learning_rate": 0.01}}).name == "slow"
    assert losses.get({"class_name": "MeanSquaredError", "config": {"name": "fit"}}).name == "fit"
    assert isinstance(activations.get({"class_name": "ReLU", "config": {"name": "re_lu"}}), activations.ReLU)


@pytest.mark.parametrize("module, kind", [(losses, "loss"), (optimizers, "optimizer"), (metrics, "metric"),
                                          (activations, "activation"), (datasets, "dataset")])
def test_anything_else_is_a_value_error_listing_the_valid_names(module, kind):
    first = None
    for bad in ("nonsense", 42, ["x"]):
        with pytest.raises(ValueError) as info:
            module.get(bad)
        message = str(info.value)
        assert f"unknown {kind}" in message and "valid:" in message and "\n" not in message
        assert all(name in message for name in module.names())
        listed = message[message.index("valid:"):]
        first = first or listed
        assert listed == first  # one list, string or not
    with pytest.raises(ValueError, match=r"needs a 'class_name' \(or 'name'\)"):
        module.get({"config": {}})


def test_unexpected_arguments_are_one_line_errors():
    with pytest.raises(ValueError, match=r"relu: unexpected argument 'alpha' \(it takes none\)"):
        activations.get("relu", alpha=1.0)
    with pytest.raises(ValueError, match=r"elu: unexpected argument 'slope' \(valid: alpha\)"):
        activations.get({"class_name": "ELU", "config": {"slope": 1.0}})
    with pytest.raises(ValueError, match="cannot apply learning_rate"):
        optimizers.get(optimizers.get("sgd"), learning_rate=0.1)


def test_accuracy_needs_the_models_output_to_resolve():
    assert type(metrics.get("accuracy", output_units=1)) is metrics.BinaryAccuracy
    assert type(metrics.get("acc", output_units=3, sparse_targets=True)) is metrics.SparseCategoricalAccuracy
    with pytest.raises(ValueError, match="pass output_units"):
        metrics.get("accuracy")
