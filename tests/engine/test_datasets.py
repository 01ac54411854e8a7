"""Datasets: shapes and tasks, seeded determinism, exact noise-free structure, bad input, CSV files."""

from __future__ import annotations

import re

import numpy as np
import pytest

from engine import ExperimentConfig, datasets
from engine.datasets import Dataset, DatasetError
from engine.datasets.blobs import centres
from engine.datasets.circles import RADII
from engine.datasets.linear import INTERCEPT, SLOPE
from engine.datasets.moons import CENTRES
from engine.datasets.polynomial import cubic
from engine.datasets.sine import FREQUENCY
from engine.datasets.spiral import RADIUS, TURNS

REGRESSION = ["linear", "sine", "polynomial"]
BINARY = ["moons", "circles", "xor", "spiral", "blobs"]


# -- the registry --------------------------------------------------------------------
def test_names_in_registry_order():
    assert datasets.names() == [*REGRESSION, *BINARY]


@pytest.mark.parametrize("name", [*REGRESSION, *BINARY])
def test_defaults_come_from_the_generator(name):
    config = datasets.defaults(name)
    assert config["n_samples"] == 2000
    assert config["seed"] == 0
    assert config["noise"] > 0
    assert ("classes" in config) == (name in ("spiral", "blobs"))


def test_default_noise_per_dataset():
    noise = {name: datasets.defaults(name)["noise"] for name in datasets.names()}
    assert noise == {"linear": 0.3, "sine": 0.1, "polynomial": 0.1, "moons": 0.2,
                     "circles": 0.2, "xor": 0.2, "spiral": 0.1, "blobs": 0.5}


@pytest.mark.parametrize("name", [*REGRESSION, *BINARY])
def test_describe_is_one_line_with_task_and_default_noise(name):
    line = datasets.describe(name)
    assert "\n" not in line
    task = "regression" if name in REGRESSION else "binary"
    assert task in line
    assert f"noise={datasets.defaults(name)['noise']}" in line


def test_describe_mentions_classes_where_taken():
    assert "classes=2" in datasets.describe("spiral")
    assert "classes" not in datasets.describe("moons")


def test_aliases_resolve_to_the_same_generator():
    assert datasets.get("two_moons").name == "moons"
    assert datasets.get("Cubic").name == "polynomial"
    assert datasets.get(" spirals ").name == "spiral"


def test_get_accepts_an_instance_and_a_config_dict():
    ds = datasets.get("moons", n_samples=10)
    assert datasets.get(ds) is ds
    again = datasets.get({"name": "moons", "n_samples": 10})
    np.testing.assert_array_equal(again.x, ds.x)


# -- every generator: shapes, dtypes, tasks, scale -----------------------------------
@pytest.mark.parametrize("name", REGRESSION)
def test_regression_shapes_and_task(name):
    ds = datasets.get(name, n_samples=300)
    assert ds.x.shape == (300, 1) and ds.x.dtype == np.float64
    assert ds.y.shape == (300,) and ds.y.dtype == np.float64
    assert (ds.task, ds.n_classes, ds.n_features, len(ds), ds.name) == ("regression", 0, 1, 300, name)


@pytest.mark.parametrize("name", BINARY)
def test_binary_shapes_and_task(name):
    ds = datasets.get(name, n_samples=300)
    assert ds.x.shape == (300, 2) and ds.x.dtype == np.float64
    assert ds.y.shape == (300,) and ds.y.dtype == np.int64
    assert (ds.task, ds.n_classes, ds.n_features, ds.name) == ("binary", 2, 2, name)
    assert set(np.unique(ds.y)) == {0, 1}


@pytest.mark.parametrize("name", ["spiral", "blobs"])
@pytest.mark.parametrize("classes", [3, 5])
def test_classes_kwarg_makes_multiclass(name, classes):
    ds = datasets.get(name, classes=classes, n_samples=500)
    assert (ds.task, ds.n_classes) == ("multiclass", classes)
    assert set(np.unique(ds.y)) == set(range(classes))
    assert ds.params["classes"] == classes


@pytest.mark.parametrize("name", [*REGRESSION, *BINARY])
def test_features_are_roughly_standardised(name):
    x = datasets.get(name).x
    assert np.abs(x).max() < 3.5
    assert np.all(x.std(axis=0) > 0.4) and np.all(x.std(axis=0) < 2.0)


@pytest.mark.parametrize("name", BINARY)
def test_classes_are_balanced_and_shuffled(name):
    ds = datasets.get(name, n_samples=2001)
    assert sorted(ds.class_counts()) == [1000, 1001]
    tail = ds.y[-200:]   # what validation_split=0.1 would take
    assert 0.3 < tail.mean() < 0.7
    same_as_previous = np.mean(ds.y[1:] == ds.y[:-1])   # 1 if sorted, 0 if alternating
    assert 0.4 < same_as_previous < 0.6


def test_multiclass_validation_tail_sees_every_class():
    ds = datasets.get("spiral", classes=4, n_samples=1000)
    assert list(ds.class_counts()) == [250] * 4
    assert set(ds.y[-100:]) == {0, 1, 2, 3}


@pytest.mark.parametrize("name", REGRESSION)
def test_regression_x_is_not_sorted(name):
    x = datasets.get(name).x[:, 0]
    assert np.any(np.diff(x) < 0) and np.any(np.diff(x) > 0)


def test_one_sample_and_fewer_samples_than_classes_are_allowed():
    assert len(datasets.get("moons", n_samples=1)) == 1
    ds = datasets.get("blobs", classes=5, n_samples=3)
    assert len(ds) == 3 and ds.n_classes == 5 and len(set(ds.y)) == 3


# -- determinism ---------------------------------------------------------------------
@pytest.mark.parametrize("name", [*REGRESSION, *BINARY])
def test_same_seed_same_arrays_different_seed_different(name):
    a, b = datasets.get(name, seed=7), datasets.get(name, seed=7)
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.y, b.y)
    c = datasets.get(name, seed=8)
    assert not np.array_equal(a.x, c.x)


def test_seed_none_draws_fresh_data():
    a, b = datasets.get("moons", seed=None), datasets.get("moons", seed=None)
    assert not np.array_equal(a.x, b.x)


# -- noise=0: the exact structure ------------------------------------------------------
def test_linear_is_exactly_a_line():
    ds = datasets.get("linear", noise=0)
    np.testing.assert_allclose(ds.y, SLOPE * ds.x[:, 0] + INTERCEPT, rtol=0, atol=1e-12)
    assert (SLOPE, INTERCEPT) == (1.5, 0.5)
    assert ds.x.min() >= -2 and ds.x.max() <= 2


def test_sine_is_exactly_a_sine():
    ds = datasets.get("sine", noise=0)
    np.testing.assert_allclose(ds.y, np.sin(FREQUENCY * ds.x[:, 0]), rtol=0, atol=1e-12)


def test_polynomial_is_exactly_the_cubic():
    ds = datasets.get("polynomial", noise=0)
    np.testing.assert_allclose(ds.y, (ds.x[:, 0] ** 3 - 3 * ds.x[:, 0]) / 2, rtol=0, atol=1e-12)
    assert cubic(1.0) == -1.0 and cubic(-1.0) == 1.0 and cubic(2.0) == 1.0


@pytest.mark.parametrize("name", [*REGRESSION, *BINARY])
def test_noise_is_the_std_of_added_gaussian_noise(name):
    clean = datasets.get(name, noise=0, n_samples=20000)
    noisy = datasets.get(name, noise=0.3, n_samples=20000)
    if clean.task == "regression":
        np.testing.assert_array_equal(noisy.x, clean.x)
        added = noisy.y - clean.y
    else:
        np.testing.assert_array_equal(noisy.y, clean.y)
        added = noisy.x - clean.x
    np.testing.assert_allclose(added.std(axis=0), 0.3, atol=0.01)
    np.testing.assert_allclose(added.mean(axis=0), 0.0, atol=0.01)


def test_circles_radii_are_exactly_the_two_radii():
    ds = datasets.get("circles", noise=0)
    r = np.hypot(ds.x[:, 0], ds.x[:, 1])
    np.testing.assert_allclose(r, np.asarray(RADII)[ds.y], rtol=0, atol=1e-12)
    assert RADII == (2.0, 1.0)


def test_moons_lie_on_their_half_circles():
    ds = datasets.get("moons", noise=0)
    offset = ds.x - CENTRES[ds.y]
    np.testing.assert_allclose(np.hypot(offset[:, 0], offset[:, 1]), 1.0, atol=1e-12)
    assert np.all(offset[ds.y == 0, 1] >= 0)    # upper moon bulges up
    assert np.all(offset[ds.y == 1, 1] <= 0)    # lower moon bulges down


def test_xor_label_is_the_sign_rule():
    ds = datasets.get("xor", noise=0)
    np.testing.assert_array_equal(ds.y, (ds.x[:, 0] * ds.x[:, 1] < 0).astype(np.int64))
    assert np.all(np.abs(ds.x) > 0) and np.all(np.abs(ds.x) <= 2)
    quadrants = set(zip(np.sign(ds.x[:, 0]), np.sign(ds.x[:, 1])))
    assert len(quadrants) == 4


@pytest.mark.parametrize("classes", [2, 3])
def test_spiral_points_lie_on_their_arm(classes):
    ds = datasets.get("spiral", noise=0, classes=classes)
    r = np.hypot(ds.x[:, 0], ds.x[:, 1])
    theta = 2 * np.pi * ds.y / classes + 2 * np.pi * TURNS * r / RADIUS
    np.testing.assert_allclose(ds.x, r[:, None] * np.column_stack([np.cos(theta), np.sin(theta)]),
                               atol=1e-12)
    assert r.max() <= RADIUS


@pytest.mark.parametrize("classes", [2, 4])
def test_blobs_without_noise_sit_on_their_centres(classes):
    ds = datasets.get("blobs", noise=0, classes=classes)
    np.testing.assert_array_equal(ds.x, centres(classes)[ds.y])
    np.testing.assert_allclose(np.hypot(*centres(classes).T), 1.5)


# -- bad input -----------------------------------------------------------------------
@pytest.mark.parametrize("n_samples", [0, -5, 2.5, 50.0, "100", True, None, float("nan")])
def test_bad_n_samples(n_samples):
    with pytest.raises(ValueError, match=r"^moons: n_samples must be a whole number ≥ 1"):
        datasets.get("moons", n_samples=n_samples)


def test_numpy_integers_are_accepted():
    ds = datasets.get("spiral", n_samples=np.int64(50), classes=np.int32(3), seed=np.uint8(1))
    assert (len(ds), ds.n_classes) == (50, 3)


@pytest.mark.parametrize("noise", [-0.1, float("nan"), float("inf"), "0.1", None, True])
def test_bad_noise(noise):
    with pytest.raises(ValueError, match=r"noise must be a finite number ≥ 0"):
        datasets.get("circles", noise=noise)


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_bad_seed(seed):
    with pytest.raises(ValueError, match=r"seed must be a whole number ≥ 0 or None"):
        datasets.get("xor", seed=seed)


@pytest.mark.parametrize("classes", [1, 0, 21, 2.0, "3", True])
def test_bad_classes(classes):
    with pytest.raises(ValueError, match=r"^spiral: classes must be a whole number from 2 to 20"):
        datasets.get("spiral", classes=classes)


def test_classes_on_a_dataset_that_does_not_take_it():
    with pytest.raises(ValueError, match=r"^moons does not take classes= \(only spiral, blobs do\)$"):
        datasets.get("moons", classes=3)


def test_unknown_kwarg_suggests_the_closest():
    with pytest.raises(ValueError, match=r"moons: unknown argument 'nosie'; did you mean 'noise'\?"
                                         r" \(valid: n_samples, noise, seed\)"):
        datasets.get("moons", nosie=0.1)


def test_unknown_name_lists_names_and_suggests():
    with pytest.raises(DatasetError) as info:
        datasets.get("mons")
    message = str(info.value)
    assert "unknown dataset 'mons'" in message and "did you mean 'moons'" in message
    assert all(name in message for name in datasets.names())
    assert "\n" not in message


@pytest.mark.parametrize("bad", [3, ["moons"]])
def test_identifier_of_wrong_type(bad):
    with pytest.raises(ValueError, match="unknown dataset"):
        datasets.get(bad)


def test_describe_and_defaults_reject_unknown_names():
    with pytest.raises(ValueError, match="did you mean 'spiral'"):
        datasets.describe("spirl")
    with pytest.raises(ValueError, match="unknown dataset"):
        datasets.defaults("nope")


def test_config_dict_without_name():
    with pytest.raises(ValueError, match=r"needs a 'class_name' \(or 'name'\)"):
        datasets.get({"noise": 0.1})


def test_kwargs_with_an_instance_are_rejected():
    with pytest.raises(ValueError, match="cannot apply noise"):
        datasets.get(datasets.get("moons", n_samples=5), noise=0.1)


# -- the Dataset record --------------------------------------------------------------
def test_dataset_is_frozen_and_its_arrays_read_only():
    ds = datasets.get("moons", n_samples=10)
    with pytest.raises(AttributeError):
        ds.name = "other"
    with pytest.raises(ValueError):
        ds.x[0, 0] = 1.0
    with pytest.raises(ValueError):
        ds.y[0] = 1


def test_dataset_copies_the_callers_arrays():
    x = np.zeros((3, 1))
    ds = Dataset("mine", x, [0.0, 1.0, 2.0], "regression")
    x[0, 0] = 5.0
    assert ds.x[0, 0] == 0.0 and x.flags.writeable
    assert ds.feature_names == ("x1",)


def test_one_hot():
    ds = datasets.get("blobs", classes=3, n_samples=7)
    encoded = ds.one_hot()
    assert encoded.shape == (7, 3) and encoded.dtype == np.float64
    np.testing.assert_array_equal(encoded.argmax(axis=1), ds.y)
    np.testing.assert_array_equal(encoded.sum(axis=1), 1.0)
    with pytest.raises(ValueError, match="regression"):
        datasets.get("linear").one_hot()


@pytest.mark.parametrize("kwargs, words", [
    ({"x": np.zeros(3), "y": np.zeros(3), "task": "regression"}, "2-D"),
    ({"x": np.zeros((3, 1)), "y": np.zeros(2), "task": "regression"}, "shape"),
    ({"x": np.zeros((3, 1)), "y": np.zeros(3), "task": "ranking"}, "unknown task"),
    ({"x": np.zeros((3, 1)), "y": np.zeros(3), "task": "binary", "n_classes": 3}, "n_classes=3"),
    ({"x": np.zeros((3, 1)), "y": np.zeros(3), "task": "multiclass", "n_classes": 2}, "n_classes=2"),
    ({"x": np.zeros((3, 1)), "y": [0, 1, 2], "task": "binary", "n_classes": 2}, "0..1"),
    ({"x": np.zeros((3, 2)), "y": np.zeros(3), "task": "regression", "feature_names": ("a",)}, "feature names"),
])
def test_dataset_rejects_inconsistent_fields(kwargs, words):
    with pytest.raises(DatasetError, match=words):
        Dataset("bad", **kwargs)


def test_repr_is_short():
    assert repr(datasets.get("spiral", classes=3, n_samples=9)) == \
        "Dataset('spiral', task='multiclass', n_classes=3, samples=9, features=2)"


# -- CSV files -----------------------------------------------------------------------
def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_regression_with_last_column_as_target(tmp_path):
    path = write(tmp_path, "size,rooms,price\n50,2,100.5\n80,3,150.25\n120,4,210\n")
    ds = datasets.load_csv(path)
    assert (ds.name, ds.task, ds.n_classes, ds.target_name) == ("data", "regression", 0, "price")
    assert ds.feature_names == ("size", "rooms")
    np.testing.assert_array_equal(ds.x, [[50, 2], [80, 3], [120, 4]])
    np.testing.assert_array_equal(ds.y, [100.5, 150.25, 210.0])
    assert ds.x.dtype == np.float64 and ds.y.dtype == np.float64


def test_csv_target_by_name(tmp_path):
    path = write(tmp_path, "a,label,b\n1.5,1,2\n2.5,0,3\n")
    ds = datasets.load_csv(path, target="label")
    assert ds.feature_names == ("a", "b") and ds.target_name == "label"
    np.testing.assert_array_equal(ds.x, [[1.5, 2.0], [2.5, 3.0]])
    np.testing.assert_array_equal(ds.y, [1, 0])
    assert ds.task == "binary" and ds.params == {"path": str(path), "target": "label"}


def test_csv_binary_relabelled_in_sorted_order(tmp_path):
    path = write(tmp_path, "x,y\n0.1,7\n0.2,-1\n0.3,7\n0.4,-1.0\n")
    ds = datasets.load_csv(path)
    assert (ds.task, ds.n_classes) == ("binary", 2)
    np.testing.assert_array_equal(ds.y, [1, 0, 1, 0])
    assert ds.y.dtype == np.int64 and ds.label_values == (-1.0, 7.0)


def test_csv_multiclass(tmp_path):
    path = write(tmp_path, "x,y\n0,5\n1,3\n2,9\n3,3\n")
    ds = datasets.load_csv(path)
    assert (ds.task, ds.n_classes) == ("multiclass", 3)
    np.testing.assert_array_equal(ds.y, [1, 0, 2, 0])
    assert ds.one_hot().shape == (4, 3)


def test_csv_twenty_whole_values_classify_twenty_one_regress(tmp_path):
    rows = "".join(f"{i},{i}\n" for i in range(20))
    assert datasets.load_csv(write(tmp_path, "x,y\n" + rows)).task == "multiclass"
    rows += "20,20\n"
    assert datasets.load_csv(write(tmp_path, "x,y\n" + rows)).task == "regression"


def test_csv_fractional_target_is_regression_even_with_few_values(tmp_path):
    ds = datasets.load_csv(write(tmp_path, "x,y\n1,0.5\n2,1.5\n3,0.5\n"))
    assert ds.task == "regression"
    np.testing.assert_array_equal(ds.y, [0.5, 1.5, 0.5])


def test_csv_tolerates_spaces_bom_blank_lines_and_crlf(tmp_path):
    path = tmp_path / "spaced.csv"
    path.write_bytes("\ufeff x , y \r\n 1 , 2.5 \r\n\r\n3,4.5\r\n".encode())
    ds = datasets.load_csv(path)
    assert ds.feature_names == ("x",) and ds.target_name == "y" and ds.name == "spaced"
    np.testing.assert_array_equal(ds.y, [2.5, 4.5])


def test_get_routes_csv_paths(tmp_path):
    path = write(tmp_path, "x,y\n1,2\n2,3.5\n3,1\n", name="Points.CSV")
    assert datasets.get(str(path)).name == "Points"
    assert datasets.get(path, target="x").target_name == "x"
    with pytest.raises(ValueError) as refused:
        datasets.get(str(path), noise=0.1, seed=1)
    assert str(refused.value) == "a CSV file takes only target=, got noise=, seed="  # as typed: not the setting's name


def test_get_loads_an_existing_file_without_csv_suffix(tmp_path):
    path = write(tmp_path, "x,y\n1,2\n2,3.5\n3,1\n", name="points.txt")
    assert datasets.get(str(path)).name == "points"


def test_registry_name_wins_over_a_file_of_the_same_name(tmp_path, monkeypatch):
    write(tmp_path, "x,y\n1,2\n", name="moons")
    monkeypatch.chdir(tmp_path)
    assert datasets.get("moons", n_samples=5).task == "binary"


@pytest.mark.parametrize("text, words", [
    ("", r"^data\.csv is empty$"),
    ("\n\n", r"^data\.csv is empty$"),
    ("x,y\n", r"^data\.csv has a header but no data rows$"),
    ("x,y\n1,2\n", r"target column 'y' is constant"),
    ("x1,x2,y\n1,2,3\n4,5,6\n7,abc,9\n", r"^data\.csv: row 4, column 'x2': 'abc' is not a number$"),
    ("x,y\n1,2\n3,\n", r"^data\.csv: row 3, column 'y' is empty$"),
    ("x,y\n1,2\n3,nan\n", r"^data\.csv: row 3, column 'y': 'nan' is not a finite number$"),
    ("x,y\n-inf,2\n3,4\n", r"^data\.csv: row 2, column 'x': '-inf' is not a finite number$"),
    ("x,y,z\n1,2,3\n4,5\n", r"^data\.csv: row 3 has 2 values but the header has 3 columns$"),
    ("x,y\n1,2,3\n", r"^data\.csv: row 2 has 3 values but the header has 2 columns$"),
    ("y\n1\n2\n", r"^data\.csv: needs at least 2 columns \(features and a target\), found 1$"),
    ("x,x\n1,2\n", r"names column 'x' twice"),
    ("x,,y\n1,2,3\n", r"column 2 of the header has no name"),
    ("1,2\n3,4\n", r"first row should be column names"),
])
def test_csv_errors_are_one_line(tmp_path, text, words):
    with pytest.raises(DatasetError, match=words):
        datasets.load_csv(write(tmp_path, text))


def test_csv_unknown_target_lists_columns(tmp_path):
    path = write(tmp_path, "width,height,label\n1,2,0\n3,4,1\n")
    with pytest.raises(ValueError, match=r"unknown target column 'lable'; did you mean 'label'\? "
                                         r"\(valid: width, height, label\)"):
        datasets.get(path, target="lable")


def test_csv_missing_file(tmp_path):
    missing = tmp_path / "nope.csv"
    with pytest.raises(ValueError, match=r"^no such file: .*nope\.csv'$"):
        datasets.get(str(missing))


def test_csv_directory(tmp_path):
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    with pytest.raises(ValueError, match=r"is a directory, not a CSV file"):
        datasets.load_csv(folder)


def test_csv_not_utf8(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"x,\xe9t\xe9\n1,2\n")
    with pytest.raises(ValueError, match=r"^latin\.csv is not UTF-8 text$"):
        datasets.load_csv(path)


# -- files too large: refused from the header and a line count, before any row is parsed ---------

def wide_header(columns: int) -> str:
    return ",".join(f"c{j}" for j in range(columns))


def test_a_duplicate_at_the_end_of_a_100000_column_header_is_found(tmp_path):
    """The header check is one pass over the columns (it was one index() per column: 5·10⁹ comparisons)."""
    path = write(tmp_path, wide_header(100_000) + ",c0\n" + "1," * 100_000 + "1\n")
    with pytest.raises(ValueError, match=r"^data\.csv: the header names column 'c0' twice$"):
        datasets.load_csv(path)


def test_more_numbers_than_a_csv_may_hold_are_refused_without_reading_the_rows(tmp_path):
    rows = "".join("x," * 99_999 + "x\n" for _ in range(20))  # not numbers: never parsed
    path = write(tmp_path, wide_header(100_000) + "\n" + rows)
    with pytest.raises(ValueError, match=r"^data\.csv: at least 1\d rows × 100,000 columns is more than the "
                                         r"1,000,000 numbers a CSV may hold$"):
        datasets.load_csv(path)


def test_more_rows_than_fit_are_refused_after_counting_a_few_lines(tmp_path):
    path = write(tmp_path, "x1,x2,y\n" + "1,2,0\n3,4,1\n" * 200_000)
    with pytest.raises(ValueError, match=r"^data\.csv: at least 3\d\d,\d\d\d rows × 3 columns is more than the "
                                         r"1,000,000 numbers a CSV may hold$"):
        datasets.load_csv(path)
    assert datasets.csv_file.MAX_CELLS == 1_000_000


def test_a_csv_within_the_limit_loads_every_row(tmp_path):
    path = write(tmp_path, "x1,x2,y\n" + "".join(f"{i},{i % 7},{i % 2}\n" for i in range(1000)) + "\n\n")
    ds = datasets.load_csv(path)
    assert ds.x.shape == (1000, 2) and ds.x[999, 0] == 999 and ds.y[999] == 1


def test_an_unknown_target_in_a_wide_header_lists_a_few_columns(tmp_path):
    path = write(tmp_path, wide_header(5000) + "\n" + "1," * 4999 + "1\n")
    with pytest.raises(ValueError) as info:
        datasets.load_csv(path, target="nope")
    assert "c39, … (5000 in all)" in str(info.value) and "c40" not in str(info.value)


def test_the_cli_refuses_a_too_large_csv_with_one_line(tmp_path, capsys):
    from engine.cli import main

    path = write(tmp_path, wide_header(200_000) + "\n" + "1," * 199_999 + "1\n" + "1," * 199_999 + "0\n"
                 + "1," * 199_999 + "1\n" + "1," * 199_999 + "0\n" + "1," * 199_999 + "1\n" + "1," * 199_999 + "0\n")
    with pytest.raises(SystemExit) as info:
        main(["run", "--dataset", str(path)])
    err = capsys.readouterr().err
    assert info.value.code == 2 and err.count("\n") == 1
    assert re.fullmatch(r"python -m engine run: error: data\.csv: (at least )?\d rows × 200,000 columns is more "
                        r"than the 1,000,000 numbers a CSV may hold\n", err)


def test_a_csv_is_a_name_ending_in_csv_in_any_case_and_a_config_reading_one_says_so():
    assert datasets.is_csv("data/houses.csv") and datasets.is_csv("HOUSES.CSV")
    assert not datasets.is_csv("moons") and not datasets.is_csv("csv") and not datasets.is_csv("houses.csv.txt")
    assert ExperimentConfig(dataset="Houses.Csv").reads_csv and not ExperimentConfig().reads_csv
