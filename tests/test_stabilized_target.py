"""`StabilizedTargetRegressor` with each way of giving the target's
transform: a transformer, func and inverse_func, or neither."""

import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import Ridge
from sklearn.model_selection import TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline

from sklstm import (
    CompleteWindows,
    NaiveForecaster,
    StabilizedTargetRegressor,
    WindowTransformer,
    load_airline,
    make_forecast_pipeline,
)

RNG = np.random.default_rng(0)
PANEL = np.exp(np.cumsum(RNG.normal(0, 0.05, size=(60, 2)), axis=0)) * [50, 80]
PANEL[:10, 1] = np.nan  # the second series starts later
MODEL = make_pipeline(WindowTransformer(4), CompleteWindows(Ridge()))


def test_func_and_inverse_func_on_series_that_start_late():
    """The forecasts are exp of the regressor fitted on log y, NaN before the
    second series starts included (the parent's check rejects NaN)."""
    model = StabilizedTargetRegressor(MODEL, func=np.log, inverse_func=np.exp)
    forecasts = model.fit(PANEL, PANEL).predict(PANEL)
    inner = clone(MODEL).fit(PANEL, np.log(PANEL))
    np.testing.assert_allclose(forecasts, np.exp(inner.predict(PANEL)))
    assert np.isfinite(forecasts[20:]).all()


def test_neither_transformer_nor_func_is_the_identity():
    forecasts = StabilizedTargetRegressor(MODEL).fit(PANEL, PANEL).predict(PANEL)
    np.testing.assert_allclose(forecasts, clone(MODEL).fit(PANEL, PANEL).predict(PANEL))


def test_functions_that_do_not_invert_are_warned_of():
    model = StabilizedTargetRegressor(MODEL, func=np.log, inverse_func=np.sqrt)
    with pytest.warns(UserWarning, match="does not invert"):
        model.fit(PANEL, PANEL)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.set_params(check_inverse=False).fit(PANEL, PANEL)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"regressor": None}, "needs a regressor"),
        ({"func": np.log}, "func and inverse_func together"),
        ({"check_inverse": "yes"}, "'check_inverse' parameter"),
    ],
)
def test_incomplete_settings_are_refused(params, match):
    model = StabilizedTargetRegressor(MODEL).set_params(**params)
    with pytest.raises(ValueError, match=match):
        model.fit(PANEL, PANEL)


@pytest.mark.parametrize(
    "options",
    [{"time_step": 12}, {"time_step": [6, 12]}, {"time_step": 12, "combine": "theta"}],
    ids=["one window", "lookback ensemble", "theta combination"],
)
def test_pandas_output_carries_the_dates_to_the_window_checks(options):
    """`set_output(transform="pandas")` on what make_forecast_pipeline
    returns reaches its Pipeline, so a TimeSeriesSplit with a gap is refused
    by its dates (the models had no set_output)."""
    y = load_airline()
    model = make_forecast_pipeline(NaiveForecaster(), season=12, **options)
    assert model.set_output(transform="pandas") is model
    with pytest.raises(ValueError, match="the next row is 1951-11-01"):
        cross_val_score(
            model, y.to_frame(), y, cv=TimeSeriesSplit(3, gap=2), error_score="raise"
        )
    assert np.isfinite(
        cross_val_score(model, y.to_frame(), y, cv=TimeSeriesSplit(3))
    ).all()
