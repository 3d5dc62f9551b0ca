"""LookbackEnsemble: one model per window length, their mean forecast."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import Ridge

from sklstm import (
    CompleteWindows,
    LookbackEnsemble,
    LSTMForecaster,
    NaiveForecaster,
    TooFewWindowsError,
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


def test_lookback_ensemble_leaves_out_lengths_too_long_for_the_series():
    y = load_airline()[:30].reset_index(drop=True)
    Y = pd.DataFrame({"a": y, "b": y.shift(4) * 2})
    model = make_forecast_pipeline(
        CompleteWindows(Ridge(1e-3)), time_step=[6, 24, 12, 30], output_steps=6
    )
    # 30 + 1 rows are more than the frame has; 24 + 6 leave no target 6 ahead
    with pytest.warns(UserWarning, match=r"time_step 24, 30 left out .* \[6, 12\]"):
        model.fit(Y, Y)
    assert model.time_steps_ == [6, 12]
    assert [m.regressor_[-1].window_shape_[0] for m in model.estimators_] == [6, 12]
    kept = make_forecast_pipeline(
        CompleteWindows(Ridge(1e-3)), time_step=[6, 12], output_steps=6
    ).fit(Y, Y)
    pd.testing.assert_frame_equal(forecast(model, Y, 6), forecast(kept, Y, 6))
    # a model saved before members could be left out had fitted them all
    state = kept.__getstate__()
    del state["time_steps_"]
    old = LookbackEnsemble.__new__(LookbackEnsemble)
    old.__setstate__(state)
    assert old.time_steps_ == [6, 12]


def test_lookback_ensemble_fails_when_every_length_is_too_long():
    y = load_airline()[:30].to_frame()
    model = make_forecast_pipeline(
        CompleteWindows(Ridge(1e-3)), time_step=[26, 24], output_steps=6
    )
    # the error of the shortest, 24: one window of 24 + 6 in 30 rows
    with pytest.raises(ValueError, match="Only 1 window.*smaller output_steps"):
        model.fit(y, y)


def test_lookback_ensemble_keeps_a_length_given_twice():
    y = load_airline().to_frame()
    model = make_forecast_pipeline(CompleteWindows(Ridge(1e-3)), time_step=[6, 6])
    assert model.fit(y, y).time_steps_ == [6, 6] and len(model.estimators_) == 2


class LastValues(RegressorMixin, BaseEstimator):
    """A custom member: the mean of the last ``time_step`` values; a series
    too short for it raises `TooFewWindowsError`, a ``time_step`` above
    ``refuse_above`` a plain `ValueError`."""

    def __init__(self, time_step=3, refuse_above=None):
        self.time_step = time_step
        self.refuse_above = refuse_above

    def fit(self, X, y):
        if self.refuse_above is not None and self.time_step > self.refuse_above:
            raise ValueError("refused")
        if self.time_step >= len(y):
            raise TooFewWindowsError(f"{len(y)} rows, time_step={self.time_step}")
        self.mean_ = float(np.mean(np.asarray(y)[-self.time_step :]))
        return self

    def predict(self, X):
        return np.full(len(X), self.mean_)


def test_a_custom_member_raising_too_few_windows_is_left_out():
    y = np.arange(10.0)
    model = LookbackEnsemble(LastValues(), [2, 20, 4], param="time_step")
    with pytest.warns(UserWarning, match=r"time_step 20 left out.*10 rows"):
        model.fit(y[:, None], y)
    assert model.time_steps_ == [2, 4]
    np.testing.assert_allclose(model.predict(y[:2, None]), [(8.5 + 7.5) / 2] * 2)
    assert issubclass(TooFewWindowsError, ValueError)
    # any other error is the user's to see
    refusing = LookbackEnsemble(LastValues(refuse_above=3), [2, 4], param="time_step")
    with pytest.raises(ValueError, match="refused"):
        refusing.fit(y[:, None], y)
