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
    NaiveForecaster,
    WindowTransformer,
)


@pytest.fixture(scope="module")
def random_walk():
    y = np.cumsum(np.random.default_rng(0).normal(size=600))
    return y.reshape(-1, 1), y


def naive_pipeline():
    return make_pipeline(WindowTransformer(3), NaiveForecaster())


def test_intervals_cover_as_asked_out_of_sample(random_walk):
    X, y = random_walk
    model = ConformalForecaster(naive_pipeline(), coverage=0.9).fit(X[:400], y[:400])
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
