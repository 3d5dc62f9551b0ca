"""ConformalForecaster: intervals from out-of-sample residuals over time."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import TimeSeriesSplit
from sklearn.pipeline import make_pipeline

from sklstm import (
    CompleteWindows,
    ConformalForecaster,
    LSTMForecaster,
    NaiveForecaster,
    WindowTransformer,
    make_forecast_pipeline,
)

from .conftest import TINY_LSTM, read_shared_series


@pytest.fixture(scope="module")
def random_walk():
    y = np.cumsum(np.random.default_rng(0).normal(size=600))
    return y.reshape(-1, 1), y


def naive_pipeline():
    return make_pipeline(WindowTransformer(3), NaiveForecaster())


def test_intervals_cover_as_asked_out_of_sample(random_walk):
    X, y = random_walk
    model = ConformalForecaster(naive_pipeline(), coverage=0.9).fit(X[:400], y[:400])
    assert y[:400].min() < 0 and model.lower_limit_ == -np.inf  # no floor
    lower, upper = model.predict_interval(X[400:]).T
    covered = np.mean((y[400:] >= lower) & (y[400:] <= upper))
    assert 0.85 <= covered <= 0.95
    # The width is the 90% quantile of |one-step change| seen out of sample.
    half = (upper - lower) / 2
    np.testing.assert_allclose(half, half[0])
    steps = np.abs(np.diff(y[:400]))
    assert np.quantile(steps, 0.8) < half[0] < np.quantile(steps, 0.97)
    wider = model.predict_interval(X[400:], coverage=0.99)
    assert (wider[:, 1] - wider[:, 0] > upper - lower).all()


def test_residuals_are_out_of_sample_over_the_latest_half(random_walk):
    X, y = random_walk
    model = ConformalForecaster(naive_pipeline(), cv=4).fit(X[:400], y[:400])
    folds = TimeSeriesSplit(4, test_size=50).split(X[:400])
    expected = np.concatenate([np.abs(np.diff(y[:400]))[test - 1] for _, test in folds])
    np.testing.assert_allclose(np.sort(model.residuals_[0]), np.sort(expected))


def test_recursive_forecast_intervals_widen_with_the_horizon(random_walk):
    X, y = random_walk
    index = pd.date_range("2000-01-01", periods=400, freq="D")
    history = pd.Series(y[:400], index=index, name="y")
    model = ConformalForecaster(naive_pipeline(), max_steps=5).fit(
        history.to_frame(), history
    )
    forecast = model.forecast(history, steps=5)
    assert list(forecast.columns) == ["forecast", "lower", "upper"]
    assert forecast.index[0] == pd.Timestamp("2001-02-04")
    np.testing.assert_allclose(forecast["forecast"], y[399])
    width = (forecast["upper"] - forecast["lower"]).to_numpy()
    assert width[-1] > 1.5 * width[0]
    with pytest.raises(ValueError, match="max_steps=5"):
        model.forecast(history, steps=6)


def test_relative_scale_grows_with_the_level():
    t = np.arange(600.0)
    y = (10 + t) * (1 + 0.05 * np.sin(t))
    model = ConformalForecaster(
        make_pipeline(WindowTransformer(4), CompleteWindows(LinearRegression())),
        scale="relative",
    ).fit(y[:300].reshape(-1, 1), y[:300])
    bounds = model.predict_interval(y[300:].reshape(-1, 1))
    widths = bounds[:, 1] - bounds[:, 0]
    np.testing.assert_allclose(
        widths / model.predict(y[300:].reshape(-1, 1)), widths[0] / bounds[0].mean()
    )
    assert widths[-1] > 1.5 * widths[0]


def test_a_series_never_below_0_gets_no_bound_below_0():
    """Sunspots: symmetric bounds would go below 0 at the solar minima."""
    y = read_shared_series("sunspots").to_numpy()
    n_train = len(y) - 62  # the test part of benchmarks/coverage.py
    X = y.reshape(-1, 1)
    pipeline = make_forecast_pipeline(LSTMForecaster(**TINY_LSTM), time_step=22)
    model = ConformalForecaster(pipeline, max_steps=6).fit(X[:n_train], y[:n_train])
    assert model.lower_limit_ == 0.0

    lower, upper = model.predict_interval(X[n_train:]).T
    y_pred = model.predict(X[n_train:])
    symmetric = 2 * y_pred - upper
    assert (symmetric < 0).sum() >= 5  # what the floor changes here
    np.testing.assert_allclose(lower, np.maximum(symmetric, 0))
    # Honest: every test value the symmetric interval held, this one holds.
    y_test = y[n_train:]
    covered = (y_test >= lower) & (y_test <= upper)
    np.testing.assert_array_equal(covered, (y_test >= symmetric) & (y_test <= upper))
    assert 0.85 <= covered.mean() <= 0.95

    forecast = model.forecast(y[:n_train], steps=6)  # 1947-1952, falling
    assert (2 * forecast["forecast"] - forecast["upper"]).iloc[-1] < 0
    assert (forecast["lower"] >= 0).all()
    assert (forecast["lower"] <= forecast["forecast"]).all()


def test_a_lower_bound_is_not_raised_above_its_forecast():
    """A positive line forecast past 0: the lower bound stops at the forecast."""
    y = np.arange(80.0, 2.0, -1.0) + np.tile([0.5, -0.5], 39)
    linear = make_pipeline(WindowTransformer(2), CompleteWindows(LinearRegression()))
    model = ConformalForecaster(linear, max_steps=6).fit(y.reshape(-1, 1), y)
    forecast = model.forecast(y, steps=6)
    center, lower = forecast["forecast"].to_numpy(), forecast["lower"].to_numpy()
    assert (center[:2] > 0).all() and (center[-2:] < 0).all()
    np.testing.assert_allclose(
        lower, np.maximum(2 * center - forecast["upper"], np.minimum(center, 0))
    )
    np.testing.assert_array_equal(lower[center < 0], center[center < 0])
    assert (lower[center >= 0] >= 0).all()


def test_steps_longer_than_every_test_fold_are_named():
    y = np.arange(1.0, 13.0)  # 5 folds of 1 row: no 2-step residuals
    model = ConformalForecaster(naive_pipeline(), max_steps=2).fit(y.reshape(-1, 1), y)
    assert model.forecast(y, steps=1)["lower"].notna().all()
    with pytest.raises(ValueError, match="No out-of-sample residuals for 2 step"):
        model.forecast(y, steps=2)
