"""The whole story of DESIGN.md: Pipeline + GridSearchCV + TimeSeriesSplit."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from sklstm import (
    CompleteWindows,
    ConformalForecaster,
    LSTMForecaster,
    NaiveForecaster,
    SeasonalNaiveForecaster,
    WindowTransformer,
    load_airline,
)

from .conftest import TINY_LSTM


def recipe_pipeline(**lstm):
    return Pipeline(
        [
            ("scale", MinMaxScaler()),
            ("window", WindowTransformer(time_step=12)),
            ("lstm", LSTMForecaster(**{**TINY_LSTM, **lstm})),
        ]
    )


@pytest.fixture(scope="module")
def airline():
    y = load_airline()
    return y.to_frame(), y.to_numpy()


@pytest.fixture(scope="module")
def search(airline):
    X, y = airline
    search = GridSearchCV(
        recipe_pipeline(),
        {
            "window__time_step": [6, 12],
            "lstm__units": [4, 8],
            "lstm__epochs": [1, 2],
        },
        cv=TimeSeriesSplit(n_splits=2),
        return_train_score=True,
    )
    return search.fit(X[:115], y[:115])


def test_every_fold_score_is_finite(search):
    results = search.cv_results_
    assert len(results["params"]) == 8
    for key in results:
        if key.startswith(("split", "mean_")) and key.endswith(
            ("test_score", "train_score")
        ):
            assert np.isfinite(results[key]).all(), key
    assert search.predict(np.zeros((3, 1))).shape == (3,)


def test_test_fold_predictions_equal_whole_series_windows(airline):
    X, y = airline
    for train, test in TimeSeriesSplit(n_splits=2).split(X[:115]):
        pipe = recipe_pipeline().fit(X.iloc[train], y[train])
        scaled = pipe["scale"].transform(X)
        whole_series_windows = WindowTransformer(12).fit_transform(scaled)
        np.testing.assert_allclose(
            pipe.predict(X.iloc[test]),
            pipe["lstm"].predict(whole_series_windows[test]),
            rtol=1e-6,
        )


def test_predictions_are_causal(search, airline):
    X, y = airline
    future = X.iloc[115:].copy()
    y_pred = search.predict(future)
    assert np.isfinite(y_pred).all()
    future.iloc[10:] *= 3.0  # later rows change, earlier forecasts must not
    np.testing.assert_allclose(search.predict(future)[:11], y_pred[:11], rtol=1e-6)
    np.testing.assert_allclose(search.predict(X.iloc[115:125]), y_pred[:10], rtol=1e-6)


def test_in_sample_predictions_match_the_training_rows(airline):
    X, y = airline
    pipe = recipe_pipeline().fit(X[:115], y[:115])
    y_fit = pipe.predict(X[:115])
    assert np.isnan(y_fit[:12]).all() and np.isfinite(y_fit[12:]).all()
    assert np.isfinite(pipe.score(X[:115], y[:115]))


def test_other_regressors_take_the_forecasters_place(airline):
    X, y = airline
    candidates = [
        HistGradientBoostingRegressor(max_iter=20),
        CompleteWindows(Ridge()),
        NaiveForecaster(),
        SeasonalNaiveForecaster(season=12),
        LSTMForecaster(**TINY_LSTM),
    ]
    search = GridSearchCV(
        recipe_pipeline(),
        {"window__time_step": [12, 24], "lstm": candidates},
        cv=TimeSeriesSplit(n_splits=2),
        scoring="neg_mean_absolute_error",
    ).fit(X[:115], y[:115])
    scores = search.cv_results_["mean_test_score"]
    assert len(scores) == 10 and np.isfinite(scores).all()
    by_model = {
        type(params["lstm"]).__name__: -score
        for params, score in zip(search.cv_results_["params"], scores, strict=False)
    }
    # The baselines forecast in the units of y, behind the MinMaxScaler.
    folds = TimeSeriesSplit(n_splits=2).split(X[:115])
    naive_mae = np.mean([np.abs(y[test] - y[test - 1]).mean() for _, test in folds])
    assert by_model["NaiveForecaster"] == pytest.approx(naive_mae)
    assert by_model["CompleteWindows"] < by_model["NaiveForecaster"]


def test_search_is_reproducible(airline):
    X, y = airline
    grid = {"window__time_step": [6], "lstm__units": [4]}
    cv = TimeSeriesSplit(n_splits=2)
    first = GridSearchCV(recipe_pipeline(), grid, cv=cv).fit(X[:80], y[:80])
    second = GridSearchCV(clone(recipe_pipeline()), grid, cv=cv).fit(X[:80], y[:80])
    np.testing.assert_array_equal(
        first.cv_results_["split0_test_score"], second.cv_results_["split0_test_score"]
    )
    np.testing.assert_array_equal(first.predict(X[80:]), second.predict(X[80:]))


def read_only_inputs():
    """The airline series as read-only arrays, and as a DataFrame over them."""
    y = load_airline().to_numpy()[:60].copy()
    X = y.reshape(-1, 1).copy()
    y.flags.writeable = False
    X.flags.writeable = False
    frame = pd.DataFrame(X, columns=["y"], copy=False)
    return X, y, frame


@pytest.mark.parametrize("as_frame", [False, True], ids=["array", "DataFrame"])
def test_read_only_input_goes_in_and_comes_out_unchanged(as_frame):
    """fit, transform and predict of every estimator and the full Pipeline
    accept read-only input and leave it as it was."""
    X, y, frame = read_only_inputs()
    data = frame if as_frame else X
    copies = (frame.copy(deep=True), np.array(X), np.array(y))
    windows = WindowTransformer(12).fit(data).transform(data)
    forecasters = [
        LSTMForecaster(**TINY_LSTM),
        NaiveForecaster(),
        SeasonalNaiveForecaster(season=12),
        CompleteWindows(Ridge()),
    ]
    for forecaster in forecasters:
        forecaster.fit(windows, y).predict(windows)
    conformal = ConformalForecaster(
        Pipeline([("window", WindowTransformer(12)), ("naive", NaiveForecaster())]),
        cv=2,
    )
    conformal.fit(data, y).predict_interval(data)
    recipe_pipeline().fit(data, y).predict(data)
    pd.testing.assert_frame_equal(frame, copies[0])
    np.testing.assert_array_equal(X, copies[1])
    np.testing.assert_array_equal(y, copies[2])
    assert not X.flags.writeable and not y.flags.writeable
