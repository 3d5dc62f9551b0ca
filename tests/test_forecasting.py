"""Recursive multi-step forecasts beyond the end of the data."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

from sklstm import (
    CompleteWindows,
    LSTMForecaster,
    NaiveForecaster,
    WindowTransformer,
    load_airline,
    make_forecast_pipeline,
)
from sklstm.forecasting import forecast, recursive_forecast

from .conftest import TINY_LSTM


def test_linear_recursion_continues_a_trend_with_future_dates():
    index = pd.date_range("2020-01-01", periods=40, freq="D")
    y = pd.Series(2.0 * np.arange(40) + 5, index=index, name="load")
    model = make_pipeline(
        MinMaxScaler(), WindowTransformer(3), CompleteWindows(LinearRegression())
    ).fit(y.to_frame(), y)
    forecast = recursive_forecast(model, y, steps=5)
    assert list(forecast.index) == list(pd.date_range("2020-02-10", periods=5))
    assert forecast.name == "load"
    np.testing.assert_allclose(forecast, 2.0 * np.arange(40, 45) + 5, rtol=1e-6)


def test_first_step_is_the_one_step_forecast_and_arrays_work():
    y = load_airline().to_numpy()
    model = make_pipeline(
        MinMaxScaler(), WindowTransformer(12), LSTMForecaster(**TINY_LSTM)
    ).fit(y[:100].reshape(-1, 1), y[:100])
    forecast = recursive_forecast(model, y[:100], steps=3)
    assert list(forecast.index) == [100, 101, 102]
    one_step = model.predict(np.array([[0.0]]))  # the row's own value is unused
    assert forecast.iloc[0] == pytest.approx(one_step[0], rel=1e-6)
    assert np.isfinite(forecast).all()


def test_history_after_the_fitted_rows_is_continued():
    y = pd.Series(np.arange(60.0))
    model = make_pipeline(WindowTransformer(2), CompleteWindows(LinearRegression()))
    model.fit(y[:40].to_frame(), y[:40])
    forecast = recursive_forecast(model, y[40:], steps=2)
    assert list(forecast.index) == [60, 61]
    np.testing.assert_allclose(forecast, [60.0, 61.0])


@pytest.mark.parametrize(
    "history, steps, match",
    [
        (pd.DataFrame({"a": [1.0] * 9, "b": [2.0] * 9}), 2, "only column"),
        (pd.Series([1.0] * 9), 0, "positive integer"),
        (
            pd.Series(
                [1.0] * 4,
                index=pd.to_datetime(
                    ["2020-01-01", "2020-01-02", "2020-01-05", "2020-01-09"]
                ),
            ),
            2,
            "frequency",
        ),
    ],
)
def test_bad_requests(history, steps, match):
    with pytest.raises(ValueError, match=match):
        recursive_forecast(None, history, steps)


@pytest.mark.parametrize(
    "options",
    [{"time_step": 12}, {"time_step": [6, 12]}, {"time_step": 12, "combine": "theta"}],
    ids=["one window", "lookback ensemble", "theta combination"],
)
def test_a_refit_on_arrays_forgets_the_column_names_of_a_fit_on_a_frame(options):
    """A model refitted on arrays forecasts a series of any name, as a model
    only ever fitted on arrays does (it kept the frame's names and refused)."""
    y = load_airline()
    model = make_forecast_pipeline(NaiveForecaster(), season=12, **options)
    model.fit(y.to_frame("sales"), y)
    model.fit(y.to_frame().to_numpy(), y.to_numpy())
    assert not hasattr(model, "feature_names_in_")
    fresh = make_forecast_pipeline(NaiveForecaster(), season=12, **options)
    fresh.fit(y.to_frame().to_numpy(), y.to_numpy())
    history = y.to_numpy()
    np.testing.assert_allclose(
        forecast(model, history, steps=3), forecast(fresh, history, steps=3)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # X has feature names
        renamed = forecast(model, y.rename("visitors"), steps=3)
    np.testing.assert_allclose(renamed, forecast(fresh, history, steps=3))


def test_an_array_history_is_the_series_of_fit_in_their_order():
    """A model fitted on named series forecasts an array of them (by
    position, as scikit-learn reads arrays): the default model raised a
    KeyError for the names it looked for."""
    y = load_airline()
    Y = pd.DataFrame({"a": y.to_numpy(), "b": 2 * y.to_numpy()}, index=y.index)
    model = make_forecast_pipeline(CompleteWindows(LinearRegression()), time_step=12)
    model.fit(Y, Y)
    from_array = forecast(model, Y.to_numpy(), steps=2)
    assert list(from_array.columns) == ["a", "b"]
    np.testing.assert_allclose(from_array, forecast(model, Y, steps=2))
