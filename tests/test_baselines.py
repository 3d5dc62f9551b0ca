"""The reference forecasters: the value they repeat, at any horizon, and
their weights."""

import numpy as np
import pytest

from sklstm import (
    NaiveForecaster,
    SeasonalNaiveForecaster,
    WindowTransformer,
    load_airline,
    make_forecast_pipeline,
)

WALK = np.cumsum(np.random.default_rng(0).normal(size=60)) + 50


def test_naive_repeats_the_newest_value_of_windows_several_rows_back():
    """Windows of horizon 3 end three rows before their row: the forecast is
    their newest value, whatever the forecaster's own default."""
    windows = WindowTransformer(3, horizon=3).fit_transform(WALK.reshape(-1, 1))
    naive = NaiveForecaster().fit(windows, WALK)
    assert naive.horizon_ == 3
    np.testing.assert_allclose(naive.predict(windows)[5:], WALK[2:-3])


def test_seasonal_naive_in_the_recommended_pipeline_at_horizon_3():
    """`make_forecast_pipeline(..., horizon=3)` sets the windows' horizon
    only; the seasonal naive forecast of row t is still row t - 12."""
    y = load_airline()
    model = make_forecast_pipeline(
        SeasonalNaiveForecaster(season=12), time_step=12, horizon=3, power=None
    ).fit(y.to_frame(), y)
    forecasts = model.predict(y.to_frame())
    np.testing.assert_allclose(forecasts[14:], y.to_numpy()[2:-12])


def test_a_weight_of_zero_leaves_a_row_out_of_the_map():
    """The map from a covariate column to y is fitted on the weighted rows:
    weights of 0 on the first half give the fit on the second half alone."""
    other = np.sin(np.arange(60) / 4) + 0.1 * WALK
    X = WindowTransformer(2).fit_transform(np.c_[WALK, other])
    weights = np.r_[np.zeros(30), np.ones(30)]
    weighted = NaiveForecaster(feature=1).fit(X, WALK, sample_weight=weights)
    second_half = NaiveForecaster(feature=1).fit(X[30:], WALK[30:])
    unweighted = NaiveForecaster(feature=1).fit(X, WALK)
    assert weighted.coef_ == pytest.approx(second_half.coef_)
    assert weighted.intercept_ == pytest.approx(second_half.intercept_)
    assert weighted.coef_ != pytest.approx(unweighted.coef_)


def test_weights_only_on_rows_no_window_holds_are_refused():
    X = WindowTransformer(2).fit_transform(WALK.reshape(-1, 1))
    weights = np.r_[np.zeros(59), 1.0]  # the last row: no window holds it
    with pytest.raises(ValueError, match="sample_weight is 0 on every row"):
        NaiveForecaster().fit(X, WALK, sample_weight=weights)
