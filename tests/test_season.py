"""Seasonal factors: classical decomposition, positions, the pipeline's season."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge

from sklstm import (
    CompleteWindows,
    LookbackEnsemble,
    LSTMForecaster,
    NaiveForecaster,
    load_airline,
    make_forecast_pipeline,
)
from sklstm._ensemble import auto_time_steps
from sklstm._season import SeasonalFactors, season_positions
from sklstm.forecasting import forecast

FACTORS = np.array([0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.2, 1.1, 1.0, 0.9, 0.8, 0.7])
FACTORS = FACTORS / FACTORS.mean()


def monthly(values, start="2001-01-01"):
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq="MS"))


def test_positions_follow_the_dates_not_the_rows():
    dates = pd.date_range("2001-03-01", periods=5, freq="MS")
    assert season_positions(dates, 5, 12).tolist() == [2, 3, 4, 5, 6]  # March = 2
    assert season_positions(dates[2:], 3, 12).tolist() == [4, 5, 6]
    quarters = pd.date_range("2001-01-01", periods=3, freq="QS")
    assert season_positions(quarters, 3, 4).tolist() == [0, 1, 2]
    assert season_positions(pd.RangeIndex(10, 14), 4, 4).tolist() == [2, 3, 0, 1]
    assert season_positions(None, 5, 4).tolist() == [0, 1, 2, 3, 0]


def test_factors_of_an_exact_seasonal_series_are_recovered():
    y = 100 * np.tile(FACTORS, 6) * np.linspace(1, 1.5, 72)  # trend times season
    values = np.c_[np.r_[np.full(12, np.nan), y[12:]], y]  # first starts later
    fitted = SeasonalFactors(12).fit(values, np.arange(72) % 12)
    np.testing.assert_allclose(fitted.factors_, [FACTORS, FACTORS], atol=0.01)
    np.testing.assert_allclose(fitted.factors_.mean(axis=1), 1)
    assert fitted.seasonal_.tolist() == [True, True]


def test_series_that_are_not_seasonal_keep_factors_of_1():
    short = np.r_[np.full(40, np.nan), 100 * np.tile(FACTORS, 3)[:32]]
    signed = np.tile(FACTORS, 6) - 0.9  # seasonal, but not always positive
    trend = np.linspace(100, 200, 72)
    fitted = SeasonalFactors(12).fit(np.c_[short, signed, trend], np.arange(72) % 12)
    assert fitted.seasonal_.tolist() == [False, False, False]
    np.testing.assert_array_equal(fitted.factors_, 1)


def test_noise_passes_the_seasonality_test_about_one_time_in_ten():
    noise = 100 + np.random.default_rng(0).normal(size=(72, 400))
    share = SeasonalFactors(12).fit(noise, np.arange(72) % 12).seasonal_.mean()
    assert 0.04 < share < 0.16  # |r| > 1.645 s: 10% expected


def test_pipeline_forecasts_the_season_of_the_forecast_dates():
    # constant level times the season: without the season the naive forecast
    # is flat; with it, the forecast is the season of the forecast months
    y = monthly(100 * np.tile(FACTORS, 5)[3:], start="2001-04-01")
    X = y.to_frame()
    before = X.copy()
    model = make_forecast_pipeline(NaiveForecaster(), time_step=3, season=12)
    ahead = forecast(model.fit(X, y), y, steps=14)
    months = ahead.index.month.to_numpy() - 1
    np.testing.assert_allclose(ahead, 100 * FACTORS[months], rtol=1e-6)
    pd.testing.assert_frame_equal(X, before)  # the input is not modified
    flat = make_forecast_pipeline(NaiveForecaster(), time_step=3).fit(X, y)
    assert np.ptp(forecast(flat, y, steps=14)) < 1e-9


def test_several_series_and_steps_at_once_get_each_their_own_factor():
    y = monthly(100 * np.tile(FACTORS, 6) * np.linspace(1, 2, 72))
    Y = pd.DataFrame({"a": y, "b": 3 * y.shift(12)})  # "b" starts a year later
    model = make_forecast_pipeline(
        CompleteWindows(Ridge(1e-6)), time_step=6, output_steps=4, season=12
    ).fit(Y[:-12], Y[:-12])
    assert model.seasonal_factors_.seasonal_.all()
    steps = model.predict_steps(Y[:-12])  # (rows, series, steps)
    np.testing.assert_allclose(steps[..., 0], model.predict(Y[:-12]))
    ahead = forecast(model, Y[:-12], steps=12)  # 4 at once, three times
    np.testing.assert_allclose(ahead, Y[-12:], rtol=0.02)


def test_lstm_with_a_season_trains_and_forecasts_every_series():
    y = load_airline()
    Y = pd.DataFrame({"a": y, "b": y.shift(24) * 3})
    model = make_forecast_pipeline(
        LSTMForecaster(units=4, n_layers=1, epochs=1, random_state=0),
        time_step=12,
        output_steps=3,
        season=12,
    )
    ahead = forecast(model.fit(Y, Y), Y, steps=5)
    assert ahead.shape == (5, 2) and np.isfinite(ahead.to_numpy()).all()
    assert (ahead > 0).all().all()


def test_season_needs_the_wrapper_and_a_positive_length():
    with pytest.raises(ValueError, match="season needs the StabilizedTargetRegressor"):
        make_forecast_pipeline(NaiveForecaster(), power=None, season=12)
    y = load_airline().to_frame()
    with pytest.raises(ValueError, match="season"):
        make_forecast_pipeline(NaiveForecaster(), season=0).fit(y, y)


def test_auto_time_steps_follow_the_horizon_and_the_season():
    assert auto_time_steps(6) == [6, 9, 12]
    assert auto_time_steps(8, season=4) == [8, 12, 16]
    assert auto_time_steps(18, season=12) == [24, 27, 36]  # two seasons at least
    assert auto_time_steps(1) == [1, 2]


def test_lookback_ensemble_is_the_mean_of_its_members():
    y = load_airline()
    Y = pd.DataFrame({"a": y, "b": y.shift(110)})  # "b" has 34 values
    ensemble = make_forecast_pipeline(
        CompleteWindows(Ridge(1e-3)), time_step=[12, 40], output_steps=3
    )
    with pytest.warns(UserWarning, match="Series b .* too short"):
        ensemble.fit(Y, Y)
    assert isinstance(ensemble, LookbackEnsemble)
    assert [m.regressor_[-1].window_shape_[0] for m in ensemble.estimators_] == [
        12,
        40,
    ]
    short, long = (m.predict_steps(Y) for m in ensemble.estimators_)
    steps = ensemble.predict_steps(Y)
    np.testing.assert_allclose(steps[-1, 0], (short[-1, 0] + long[-1, 0]) / 2)
    # "b" is too short for a window of 40: the short member's forecast
    assert np.isnan(long[-1, 1]).all()
    np.testing.assert_allclose(steps[-1, 1], short[-1, 1])
    ahead = forecast(ensemble, Y, steps=5)
    assert ahead.shape == (5, 2) and np.isfinite(ahead.to_numpy()).all()
    assert ensemble.score(Y[-30:], Y[-30:]) > 0.5


def test_lookback_ensemble_refuses_bad_time_steps():
    y = load_airline().to_frame()
    model = LookbackEnsemble(make_forecast_pipeline(NaiveForecaster()), [12, 0])
    with pytest.raises(ValueError, match="time_steps must be positive integers"):
        model.fit(y, y)
