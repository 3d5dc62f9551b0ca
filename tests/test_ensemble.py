"""LookbackEnsemble: one model per window length, their mean forecast."""

import pickle

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
from sklstm.forecasting import forecast


def test_auto_time_steps_follow_the_horizon():
    assert auto_time_steps(6) == [6, 9, 12, 18]
    assert auto_time_steps(8) == [8, 12, 16, 24]
    assert auto_time_steps(1) == [1, 2, 3]


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
    assert list(ensemble.feature_names_in_) == ["a", "b"]
    loaded = pickle.loads(pickle.dumps(ensemble))
    pd.testing.assert_frame_equal(forecast(loaded, Y, steps=5), ahead)
    assert ensemble.score(Y[-30:], Y[-30:]) > 0.5


def test_lookback_ensemble_refuses_bad_time_steps():
    y = load_airline().to_frame()
    model = LookbackEnsemble(make_forecast_pipeline(NaiveForecaster()), [12, 0])
    with pytest.raises(ValueError, match="time_steps must be positive integers"):
        model.fit(y, y)


def test_auto_lookbacks_of_lstms_forecast_every_series():
    y = load_airline()
    Y = pd.DataFrame({"a": y, "b": y.shift(24) * 3})
    model = make_forecast_pipeline(
        LSTMForecaster(units=4, n_layers=1, epochs=1, random_state=0),
        time_step="auto",
        output_steps=3,
    )
    ahead = forecast(model.fit(Y, Y), Y, steps=5)
    lstms = [member.regressor_[-1] for member in model.estimators_]
    assert [lstm.window_shape_[0] for lstm in lstms] == [3, 4, 6, 9]
    assert [lstm.training_steps for lstm in lstms] == [8000 // 4] * 4  # shared
    assert ahead.shape == (5, 2) and np.isfinite(ahead.to_numpy()).all()
