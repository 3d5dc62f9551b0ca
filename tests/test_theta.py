"""ThetaForecaster and ThetaCombination: the optimised Theta method, alone and
in the mean with another model."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sklstm import (
    CompleteWindows,
    LSTMForecaster,
    PanelConformalForecaster,
    ThetaCombination,
    ThetaForecaster,
    load_airline,
    make_forecast_pipeline,
)
from sklstm._theta import ALPHAS, MAX_TREND_WEIGHT, seasonal_factors
from sklstm.forecasting import forecast

from .conftest import TINY_LSTM, read_shared_series


def line_before(x, k):
    """The least-squares line (intercept, slope) of the first k values."""
    if k < 2:
        return x[0], 0.0
    slope, intercept = np.polyfit(np.arange(1, k + 1), x[:k], 1)
    return intercept, slope


def reference_theta(x, h, dynamic=False):
    """The optimised Theta forecast of one series, one alpha and one
    least-squares problem at a time (what the vectorised fit must equal);
    ``dynamic``: each one-step forecast with the line of the values before it
    (none for the first value, which is not forecast)."""
    n = len(x)
    intercept, slope = line_before(x, n)
    best_sse, best = np.inf, None
    for alpha in ALPHAS:
        level, rows, targets = 0.0, [], []
        for k, value in enumerate(x):  # forecast of value k from k values
            if k or not dynamic:
                a, b = line_before(x, k) if dynamic else (intercept, slope)
                decay = (1 - alpha) ** k
                drift = decay * a + (1 - decay * (1 - alpha)) / alpha * b
                rows.append([decay, drift])
                targets.append(value - level)
            level = alpha * value + (1 - alpha) * level
        rows, targets = np.array(rows), np.array(targets)
        (level0, weight), *_ = np.linalg.lstsq(rows, targets, rcond=None)
        if not 0 <= weight <= MAX_TREND_WEIGHT:
            weight = np.clip(weight, 0, MAX_TREND_WEIGHT)
            level0 = (
                rows[:, 0] @ (targets - weight * rows[:, 1]) / (rows[:, 0] @ rows[:, 0])
            )
        sse = np.sum((targets - rows @ [level0, weight]) ** 2)
        if sse < best_sse:
            decay = (1 - alpha) ** n
            drift = (
                decay * intercept
                + (np.arange(h) + (1 - decay * (1 - alpha)) / alpha) * slope
            )
            best_sse, best = sse, level + decay * level0 + weight * drift
    return best


@pytest.mark.parametrize("dynamic", [False, True])
@pytest.mark.parametrize("name, season", [("airline", 12), ("sunspots", 1)])
def test_theta_equals_the_reference_on_real_series(name, season, dynamic):
    y = read_shared_series(name)[-300:]
    model = ThetaForecaster(season=season, output_steps=6, dynamic=dynamic)
    model.fit(y.to_frame(), y)
    factors = model.seasonal_factors_[np.arange(len(y) + 6) % season, 0]
    adjusted = y.to_numpy() / factors[: len(y)]
    expected = reference_theta(adjusted, 6, dynamic) * factors[len(y) :]
    ahead = forecast(model, y, steps=6)
    np.testing.assert_allclose(ahead.to_numpy(), expected, rtol=1e-9)
    assert 1 <= model.theta_[0] <= 1 / (1 - MAX_TREND_WEIGHT)
    if season == 12:  # airline's summer peak
        assert model.seasonal_factors_[:, 0].argmax() in (6, 7)


def test_seasonal_factors_recover_a_multiplicative_season():
    rng = np.random.default_rng(0)
    pattern = np.array([0.8, 1.0, 1.3, 0.9])
    rows = np.arange(40)
    seasonal = (
        (10 + 0.2 * rows) * pattern[rows % 4] * (1 + 0.01 * rng.standard_normal(40))
    )
    flat = 10 + rng.standard_normal(40)  # no season: factors of 1
    negative = seasonal - 20  # not positive: no multiplicative factors
    short = np.r_[np.full(33, np.nan), seasonal[33:]]  # under two seasons
    values = np.column_stack([seasonal, flat, negative, short])
    factors = seasonal_factors(values, 4)
    np.testing.assert_allclose(factors[:, 0], pattern / pattern.mean(), rtol=0.02)
    np.testing.assert_array_equal(factors[:, 1:], 1.0)
    np.testing.assert_array_equal(seasonal_factors(values, 1), 1.0)


def test_each_series_is_its_own_fit():
    y = load_airline()
    late = y.shift(60) * 0.5  # starts 60 rows later
    Y = pd.DataFrame({"a": y, "b": late})
    before = Y.copy()
    both = ThetaForecaster(season=12, output_steps=4).fit(Y, Y)
    pd.testing.assert_frame_equal(Y, before)  # input not modified
    steps = both.predict_steps(Y)
    assert steps.shape == (len(Y), 2, 4)
    alone = ThetaForecaster(season=12, output_steps=4)
    only_b = late.dropna()
    alone.fit(only_b.to_frame(), only_b)
    np.testing.assert_allclose(steps[60:, 1], alone.predict_steps(only_b.to_frame()))
    assert np.isnan(steps[:61, 1]).all()  # nothing before b's first value
    assert both.score(Y, Y) > 0.9


@pytest.mark.parametrize("dynamic", [False, True])
def test_continuing_the_fitted_series_equals_the_in_sample_rows(dynamic):
    y = load_airline()
    model = ThetaForecaster(season=12, output_steps=3, dynamic=dynamic)
    model.fit(y[:120].to_frame(), y[:120])
    continued = model.predict_steps(y[120:].to_frame())
    in_sample = model.predict_steps(y.to_frame())
    # dynamic: the continued lines start from the sums of fit's line
    np.testing.assert_allclose(continued, in_sample[120:])


@pytest.mark.parametrize("dynamic", [False, True])
def test_a_series_too_short_repeats_its_last_value(dynamic):
    Y = pd.DataFrame(
        {
            "long": np.arange(1.0, 31.0),
            "short": [np.nan] * 28 + [5.0, 7.0],
            # the dynamic model forecasts two of three values: too few
            "three": [np.nan] * 27 + [5.0, 7.0, 9.0],
            "empty": np.nan,
            "flat": 5.0,
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no division warning for "empty"
        model = ThetaForecaster(output_steps=3, dynamic=dynamic).fit(Y, Y)
        ahead = forecast(model, Y, steps=3)
    np.testing.assert_array_equal(ahead["short"], 7.0)
    assert (ahead["three"] == 9.0).all() == dynamic
    assert ahead["empty"].isna().all()
    np.testing.assert_allclose(ahead["flat"], 5.0)
    # a straight line: the trend is followed (theta at its bound)
    np.testing.assert_allclose(ahead["long"], [31, 32, 33], rtol=0.01)


@pytest.mark.parametrize("dynamic", [False, True])
def test_a_series_that_starts_after_fit_repeats_its_last_value(dynamic):
    """No value in fit: once its values come, each row's forecast is the
    value before it (it stayed NaN for ever)."""
    Y = np.c_[np.arange(1.0, 21.0), np.r_[np.full(10, np.nan), np.arange(1.0, 11.0)]]
    model = ThetaForecaster(dynamic=dynamic).fit(Y[:10], Y[:10])
    late = model.predict(Y[10:])[:, 1]
    assert np.isnan(late[0])
    np.testing.assert_array_equal(late[1:], np.arange(1.0, 10.0))


def test_theta_combination_is_the_weighted_mean_of_the_two():
    y = load_airline()
    Y = pd.DataFrame({"a": y, "b": y.shift(125)})  # "b" has 19 values
    args = dict(time_step=24, output_steps=3)
    model = make_forecast_pipeline(
        CompleteWindows(Ridge(1e-3)), **args, combine="theta", season=12
    )
    assert isinstance(model, ThetaCombination) and model.theta_weight == 0.25
    with pytest.warns(UserWarning, match="too short"):
        model.fit(Y, Y)
    with pytest.warns(UserWarning, match="too short"):
        alone = make_forecast_pipeline(CompleteWindows(Ridge(1e-3)), **args).fit(Y, Y)
    theta = forecast(ThetaForecaster(season=12, output_steps=3).fit(Y, Y), Y, steps=3)
    network = forecast(alone, Y, steps=3)["a"]
    combined = forecast(model, Y, steps=3)
    np.testing.assert_allclose(combined["a"], 0.75 * network + 0.25 * theta["a"])
    # no window of 24 in "b": the Theta forecast alone
    np.testing.assert_allclose(combined["b"], theta["b"])
    assert list(model.feature_names_in_) == ["a", "b"]
    loaded = pickle.loads(pickle.dumps(model))
    pd.testing.assert_frame_equal(forecast(loaded, Y, steps=3), combined)
    assert model.score(Y[-30:], Y[-30:]) > 0.5
    # the share is a parameter: Theta alone, and a model saved before it
    # existed keeps the plain mean it was fitted with
    model.set_params(theta_weight=1.0)
    np.testing.assert_allclose(forecast(model, Y, steps=3), theta)
    state = model.__getstate__()
    del state["theta_weight"]
    old = ThetaCombination.__new__(ThetaCombination)
    old.__setstate__(state)
    half = forecast(old, Y, steps=3)["a"]
    np.testing.assert_allclose(half, (network + theta["a"]) / 2)


def test_the_recommended_call_with_theta_trains_the_network():
    y = load_airline()
    Y = pd.DataFrame({"a": y, "b": y * 0.3 + 50})
    model = make_forecast_pipeline(
        LSTMForecaster(**TINY_LSTM),
        time_step="auto",
        output_steps=3,
        combine="theta",
        season=12,
    ).fit(Y, Y)
    members = model.estimator_.estimators_
    assert [m.regressor_[-1].window_shape_[0] for m in members] == [3, 4, 6, 9]
    ahead = forecast(model, Y, steps=6)
    assert ahead.shape == (6, 2) and np.isfinite(ahead.to_numpy()).all()


def test_bad_combine_settings_say_what_to_do():
    with pytest.raises(ValueError, match="combine must be None or 'theta'"):
        make_forecast_pipeline(combine="ets")
    with pytest.raises(ValueError, match="needs horizon=1"):
        make_forecast_pipeline(horizon=3, combine="theta")
    y = load_airline()
    with pytest.raises(ValueError, match="season"):
        ThetaForecaster(season=0).fit(y.to_frame(), y)
    Y = pd.DataFrame({"a": y, "b": y + 1})
    model = ThetaForecaster().fit(Y, Y)
    with pytest.raises(ValueError, match="fitted on 2 series"):
        model.predict(y.to_frame().to_numpy())
    with pytest.raises(ValueError, match=r"lacks the column\(s\) \['b'\]"):
        model.predict(Y.rename(columns={"b": "c"}))
    # a model saved before that check takes the first columns, as it did
    state = model.__getstate__()
    for name in ("dynamic", "_names_required"):
        del state[name]
    old = ThetaForecaster.__new__(ThetaForecaster)
    old.__setstate__(state)
    renamed = old.predict(Y.rename(columns={"b": "c"}))
    np.testing.assert_array_equal(renamed, model.predict(Y))
    # a series named otherwise in X than in y is found by position
    np.testing.assert_allclose(
        ThetaForecaster().fit(Y.set_axis(["x", "z"], axis=1), Y).predict(Y),
        model.predict(Y),
    )


def test_theta_combination_inside_a_search_and_intervals():
    y = load_airline()
    Y = pd.DataFrame({"a": y, "b": y * 0.5 + 10, "c": np.sqrt(y)})
    model = make_forecast_pipeline(
        CompleteWindows(Ridge(1e-3)),
        time_step=24,
        output_steps=6,
        combine="theta",
        season=12,
    )
    grid = {"estimator__regressor__window__time_step": [12, 24]}
    search = GridSearchCV(model, grid, cv=TimeSeriesSplit(3)).fit(Y, Y)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    intervals = PanelConformalForecaster(model, steps=6, season=12).fit(Y, Y)
    ahead = forecast(intervals, Y, steps=6)
    assert (ahead["lower"] <= ahead["forecast"]).all().all()
    assert (ahead["forecast"] <= ahead["upper"]).all().all()
