"""PanelConformalForecaster: intervals for every series, each on its own scale."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import Ridge

from sklstm import CompleteWindows, PanelConformalForecaster, make_forecast_pipeline
from sklstm.forecasting import forecast


def ridge(steps=3):
    return make_forecast_pipeline(
        CompleteWindows(Ridge()), time_step=8, output_steps=steps, power=None
    )


def ar_panel(n_series=60, n_rows=120, seed=0):
    """AR(1) series around 0 on scales from 1 to 10,000."""
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal((n_rows, n_series))
    values = np.zeros_like(noise)
    for t in range(1, n_rows):
        values[t] = 0.6 * values[t - 1] + noise[t]
    scales = np.logspace(0, 4, n_series)
    return pd.DataFrame(values * scales, columns=[f"s{i}" for i in range(n_series)])


def test_coverage_holds_on_every_scale_of_a_panel():
    panel = ar_panel(n_series=90, n_rows=160)
    train, test = panel.iloc[:-3], panel.iloc[-3:]
    model = PanelConformalForecaster(ridge(), steps=3, n_windows=2).fit(train, train)
    ahead = model.forecast(train, 3)
    inside = (test >= ahead["lower"].set_axis(test.index)) & (
        test <= ahead["upper"].set_axis(test.index)
    )
    by_scale = inside.to_numpy().mean(axis=0).reshape(3, 30).mean(axis=1)
    assert 0.8 <= inside.to_numpy().mean() <= 0.97
    assert (by_scale >= 0.75).all(), by_scale  # small, middle and large series


def test_widths_follow_each_series_scale():
    panel = ar_panel(n_series=20)
    panel["big"] = 1000 * panel["s0"]
    model = PanelConformalForecaster(ridge(), steps=3).fit(panel, panel)
    ahead = model.forecast(panel, 3)
    width = ahead["upper"] - ahead["lower"]
    np.testing.assert_allclose(width["big"], 1000 * width["s0"], rtol=1e-6)
    assert (ahead["lower"] < ahead["forecast"]).all().all()
    assert (ahead["forecast"] < ahead["upper"]).all().all()


def test_a_series_never_below_zero_gets_no_bound_below_zero():
    panel = ar_panel(n_series=20)
    panel["count"] = np.abs(panel["s0"])
    model = PanelConformalForecaster(ridge(), steps=3).fit(panel, panel)
    ahead = model.forecast(panel, 3)
    assert model.lower_limits_[-1] == 0.0 and np.isinf(model.lower_limits_[0])
    assert (
        ahead[("lower", "count")] >= np.minimum(0, ahead[("forecast", "count")])
    ).all()
    assert (ahead[("lower", "s5")] < 0).any()  # others go below 0


def test_series_are_matched_by_name_and_unknown_ones_refused():
    panel = ar_panel(n_series=20)
    model = PanelConformalForecaster(ridge(), steps=3).fit(panel, panel)
    ahead = model.forecast(panel, 3)
    shuffled = model.forecast(panel[panel.columns[::-1]], 3)
    pd.testing.assert_frame_equal(ahead["upper"], shuffled["upper"][panel.columns])
    with pytest.raises(ValueError, match="not seen in fit: new.*Fit again"):
        model.forecast(panel.assign(new=panel["s1"]), 3)
    with pytest.raises(ValueError, match="calibrated for 1 to 3 steps"):
        model.forecast(panel, 4)


def test_series_with_integer_names_are_matched_by_name_too():
    """scikit-learn keeps no record of integer column names (from_long of
    integer ids gives them): the series are still matched by name, not by
    position."""
    panel = ar_panel(n_series=20)
    panel.columns = range(100, 120)
    model = PanelConformalForecaster(ridge(), steps=3).fit(panel, panel)
    ahead = model.forecast(panel, 3)
    shuffled = model.forecast(panel[panel.columns[::-1]], 3)
    assert list(shuffled["forecast"].columns) == list(panel.columns[::-1])
    pd.testing.assert_frame_equal(ahead, shuffled[ahead.columns])


def test_an_array_history_is_the_series_of_fit_in_their_order():
    panel = ar_panel(n_series=5)
    model = PanelConformalForecaster(ridge(), steps=3).fit(panel, panel)
    pd.testing.assert_frame_equal(
        model.forecast(panel.to_numpy(), 3),
        model.forecast(panel, 3),
        check_index_type=False,
    )


def test_a_series_too_short_for_a_window_gets_the_seasonal_naive_forecast():
    panel = ar_panel(n_series=20)
    panel["late"] = np.r_[np.full(115, np.nan), [1.0, 2.0, 3.0, 1.0, 2.0]]
    with pytest.warns(UserWarning, match=r"1 series too short .*\(late\).*seasonal"):
        model = PanelConformalForecaster(ridge(), steps=3, season=3)
        model.fit(panel, panel)
    assert list(model.season_naive_) == ["late"]
    ahead = model.forecast(panel, 3)
    assert ahead[("forecast", "late")].tolist() == [3.0, 1.0, 2.0]


def test_forecast_gives_long_output_with_bounds_and_coverage_changes_width():
    panel = ar_panel(n_series=20)
    model = PanelConformalForecaster(ridge(), steps=3).fit(panel, panel)
    long = forecast(model, panel, 3, output="long")
    assert list(long.columns) == ["unique_id", "ds", "forecast", "lower", "upper"]
    assert len(long) == 60
    narrow = forecast(model, panel, 3, coverage=0.5, output="long")
    assert (narrow.upper - narrow.lower < long.upper - long.lower).all()


def test_clone_pickle_and_the_input_untouched():
    panel = ar_panel(n_series=20)
    before = panel.copy()
    model = PanelConformalForecaster(ridge(), steps=3, n_windows=2, season=4)
    assert clone(model).get_params()["n_windows"] == 2
    model.fit(panel, panel)
    pd.testing.assert_frame_equal(panel, before)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = pickle.loads(pickle.dumps(model))
    pd.testing.assert_frame_equal(again.forecast(panel, 3), model.forecast(panel, 3))


def test_too_few_rows_for_the_held_out_windows():
    panel = ar_panel(n_series=5, n_rows=10)
    with pytest.raises(ValueError, match="need more than 12 rows; y has 10"):
        PanelConformalForecaster(ridge(), steps=4, n_windows=3).fit(panel, panel)
