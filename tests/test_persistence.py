"""Saved models: the same predictions in a fresh process, nothing else written
to disk, and a clear warning when another minor version of sklstm loads them."""

import os
import pickle
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline

import sklstm
from sklstm import (
    CompleteWindows,
    ConformalForecaster,
    InconsistentVersionWarning,
    LSTMForecaster,
    NaiveForecaster,
    VarianceStabilizer,
    WindowTransformer,
)

from .conftest import TINY_LSTM

FIT_AND_SAVE = """
import joblib, numpy as np, sys
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler
from sklstm import LSTMForecaster, WindowTransformer, load_airline
y = load_airline().to_numpy()
pipe = make_pipeline(MinMaxScaler(), WindowTransformer(12),
                     LSTMForecaster(units=4, n_layers=1, epochs=2, random_state=0))
pipe.fit(y[:100].reshape(-1, 1), y[:100])
joblib.dump(pipe, sys.argv[1])
np.save(sys.argv[2], pipe.predict(y[100:].reshape(-1, 1)))
"""

LOAD_AND_PREDICT = """
import joblib, numpy as np, sys
from sklstm import load_airline
y = load_airline().to_numpy()
np.save(sys.argv[2], joblib.load(sys.argv[1]).predict(y[100:].reshape(-1, 1)))
"""


def run(script, *args):
    subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *map(str, args)], check=True
    )


def test_same_predictions_across_processes_and_after_loading(tmp_path):
    model = tmp_path / "pipe.joblib"
    run(FIT_AND_SAVE, model, tmp_path / "fitted.npy")
    run(FIT_AND_SAVE, tmp_path / "again.joblib", tmp_path / "refitted.npy")
    run(LOAD_AND_PREDICT, model, tmp_path / "loaded.npy")
    fitted = np.load(tmp_path / "fitted.npy")
    assert np.isfinite(fitted).all()
    np.testing.assert_array_equal(np.load(tmp_path / "refitted.npy"), fitted)
    np.testing.assert_array_equal(np.load(tmp_path / "loaded.npy"), fitted)


SEARCH_FIT_AND_SAVE = """
import os, sys
from pathlib import Path
import joblib, numpy as np
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler
from sklstm import LSTMForecaster, WindowTransformer, load_airline

def files():
    return {str(p) for root in (Path.cwd(), Path.home()) for p in root.rglob("*")}

LSTMForecaster.__name__  # loads Keras, which writes ~/.keras/keras.json on import
before = files()
y = load_airline().to_numpy()
pipe = make_pipeline(MinMaxScaler(), WindowTransformer(12),
                     LSTMForecaster(units=4, n_layers=1, epochs=2, random_state=0))
search = GridSearchCV(pipe, {"windowtransformer__time_step": [6, 12]},
                      cv=TimeSeriesSplit(n_splits=2))
search.fit(y[:100].reshape(-1, 1), y[:100])
y_pred = search.predict(y[100:].reshape(-1, 1))
joblib.dump(search, "search.joblib")
new = sorted(files() - before)
assert new == [str(Path.cwd() / "search.joblib")], new
np.save(sys.argv[1], y_pred)
"""


def test_grid_search_loads_in_a_fresh_process_and_writes_nothing_else(tmp_path):
    """A fitted GridSearchCV saved with joblib predicts the same in a fresh
    process; fit, predict and save write no file but the one saved (no logs/,
    no checkpoints), in the working directory or in HOME."""
    home, cwd = tmp_path / "home", tmp_path / "cwd"
    home.mkdir()
    cwd.mkdir()
    env = {**os.environ, "HOME": str(home)}
    for script, out in [(SEARCH_FIT_AND_SAVE, "fitted"), (LOAD_AND_PREDICT, "loaded")]:
        args = ["search.joblib"] if out == "loaded" else []
        subprocess.run(
            [sys.executable, "-c", script, *args, str(tmp_path / f"{out}.npy")],
            cwd=cwd,
            env=env,
            check=True,
        )
    fitted = np.load(tmp_path / "fitted.npy")
    assert np.isfinite(fitted).all()
    np.testing.assert_array_equal(np.load(tmp_path / "loaded.npy"), fitted)


FITTED = [
    WindowTransformer(3).fit(np.arange(10.0).reshape(-1, 1)),
    NaiveForecaster().fit(
        WindowTransformer(3).fit_transform(np.ones((8, 1))), np.ones(8)
    ),
    CompleteWindows(Ridge()).fit(np.ones((5, 2)), np.arange(5.0)),
    ConformalForecaster(
        make_pipeline(WindowTransformer(2), NaiveForecaster()), cv=2
    ).fit(np.arange(20.0).reshape(-1, 1), np.arange(20.0)),
    VarianceStabilizer().fit(np.exp(np.arange(20.0)).reshape(-1, 2)),
    LSTMForecaster(**TINY_LSTM).fit(
        WindowTransformer(3).fit_transform(np.sin(np.arange(30.0)).reshape(-1, 1)),
        np.sin(np.arange(30.0)),
    ),
]


@pytest.mark.parametrize("estimator", FITTED, ids=lambda e: type(e).__name__)
def test_same_version_loads_silently(estimator):
    state = estimator.__getstate__()
    assert state["_sklstm_version"] == sklstm.__version__
    with warnings.catch_warnings():
        warnings.simplefilter("error", InconsistentVersionWarning)
        restored = pickle.loads(pickle.dumps(estimator))
    assert not hasattr(restored, "_sklstm_version")


@pytest.mark.parametrize("estimator", FITTED, ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("saved", ["0.0.1", "9.9.0", None])
def test_another_minor_version_warns_naming_both_and_the_fix(estimator, saved):
    state = estimator.__getstate__()
    if saved is None:  # saved before sklstm stored its version
        del state["_sklstm_version"]
    else:
        state["_sklstm_version"] = saved
    restored = type(estimator).__new__(type(estimator))
    with pytest.warns(InconsistentVersionWarning) as record:
        restored.__setstate__(state)
    message = str(record[0].message)
    assert f"into sklstm {sklstm.__version__}" in message
    assert f"Refit it with sklstm {sklstm.__version__}" in message
    if saved:
        assert f"saved with sklstm {saved}" in message
        assert f"pip install sklstm=={saved}" in message
    assert record[0].message.original_sklstm_version == saved


def test_another_patch_version_loads_silently():
    estimator = FITTED[0]
    state = estimator.__getstate__()
    major, minor, _ = sklstm.__version__.split(".")
    state["_sklstm_version"] = f"{major}.{minor}.99"
    with warnings.catch_warnings():
        warnings.simplefilter("error", InconsistentVersionWarning)
        type(estimator).__new__(type(estimator)).__setstate__(state)


SAVED_MODELS = Path(__file__).parent / "saved_models"


@pytest.mark.parametrize(
    "path", sorted(SAVED_MODELS.glob("*.joblib")), ids=lambda path: path.stem
)
def test_models_saved_by_a_release_load_and_give_the_same_intervals(path):
    """Files written by tests/saved_models/make.py of each release."""
    import joblib

    sys.path.insert(0, str(SAVED_MODELS))
    try:
        from make import intervals, models
    finally:
        sys.path.remove(str(SAVED_MODELS))
    y, panel, _, _ = models()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InconsistentVersionWarning)  # named there
        saved = joblib.load(path)
    expected = np.load(path.with_suffix(".npz"))
    got = intervals(y, panel, saved["one"], saved["many"])
    for name in ("one", "many"):
        np.testing.assert_allclose(got[name], expected[name], rtol=1e-9)


def test_a_conformal_model_saved_before_lower_limit_keeps_its_old_bounds():
    y = np.r_[np.arange(20.0), np.arange(20.0)[::-1]] - 3  # values below 0
    model = ConformalForecaster(
        make_pipeline(WindowTransformer(2), NaiveForecaster()), cv=2
    ).fit(y.reshape(-1, 1), y)
    state = model.__getstate__()
    del state["lower_limit_"]  # as a model of an earlier release
    old = type(model).__new__(type(model))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InconsistentVersionWarning)
        old.__setstate__(state)
    assert old.lower_limit_ == -np.inf  # the bounds of the releases without it
    X = y.reshape(-1, 1)[-5:]
    np.testing.assert_array_equal(old.predict_interval(X), model.predict_interval(X))
