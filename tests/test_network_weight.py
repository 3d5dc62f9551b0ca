"""The blend of the network and the linear path (``network_weight``), chosen on
the latest targets of each series with ``"auto"``."""

import warnings

import keras
import numpy as np
import pytest

from sklstm import LSTMForecaster, load_airline, make_forecast_pipeline
from sklstm._lstm._keras import KerasWindowRegressor
from sklstm._lstm._scaling import best_blend_weight
from sklstm._panel import latest_targets
from sklstm.forecasting import forecast

from .conftest import TINY_LSTM, read_shared_series

H = 3


@pytest.fixture(scope="module")
def panel():
    """Airline, airline doubled plus a trend, sunspots."""
    air = load_airline()
    sunspots = read_shared_series("sunspots").to_numpy()[-len(air) :] + 1.0
    frame = air.to_frame("air")
    frame["double"] = 2 * air.to_numpy() + np.arange(len(air))
    frame["sun"] = sunspots
    return frame


def pipeline(power="auto", **settings):
    params = {**TINY_LSTM, "epochs": 3, **settings}
    return make_forecast_pipeline(
        LSTMForecaster(**params), time_step=12, output_steps=H, power=power
    )


def lstm_of(model):
    """The LSTMForecaster of a fitted `make_forecast_pipeline`."""
    return getattr(model, "regressor_", model)[-1]


def fit(model, panel):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return model.fit(panel, panel)


def test_best_blend_weight_minimises_the_absolute_error():
    rng = np.random.default_rng(0)
    network = rng.normal(size=(50, 4))
    for true_weight in (0.0, 0.3, 0.8):
        actual = true_weight * network + 0.1 * rng.normal(size=network.shape)
        weight = rng.uniform(0, 2, size=network.shape)
        weight[:5] = 0
        grid = np.linspace(0, 1, 1001)
        errors = [(weight * np.abs(actual - w * network)).sum() for w in grid]
        chosen = best_blend_weight(actual, network, weight)
        best = (weight * np.abs(actual - chosen * network)).sum()
        assert best <= min(errors) + 1e-9
        assert abs(chosen - true_weight) < 0.1
    assert best_blend_weight(2 * network, network, np.ones_like(network)) == 1.0
    assert best_blend_weight(-network, network, np.ones_like(network)) == 0.0
    assert best_blend_weight(network, 0 * network, np.ones_like(network)) == 1.0


def test_latest_targets_are_the_last_values_of_each_series():
    y = np.arange(20.0).reshape(10, 2)
    y[7:, 1] = np.nan  # the second series ends 3 rows early
    rows, series = np.array([5, 6, 3]), np.array([0, 0, 1])
    latest = latest_targets(y, rows, series, 3)
    # series 0's last 3 values are rows 7-9; series 1's rows 4-6
    expected = [[False, False, True], [False, True, True], [False, True, True]]
    np.testing.assert_array_equal(latest, expected)


def test_weight_scales_the_network_between_the_linear_path_and_the_model(panel):
    # no power transform: the forecasts blend as the network's output does
    model = fit(pipeline(network_weight=1.0, power=None), panel)
    lstm = lstm_of(model)
    assert lstm.network_weight_ == 1.0
    full = forecast(model, panel, H).to_numpy()
    lstm.network_weight_ = 0.0
    linear = forecast(model, panel, H).to_numpy()
    lstm.network_weight_ = 0.25
    blended = forecast(model, panel, H).to_numpy()
    assert np.abs(full - linear).max() > 1e-3  # the network adds something
    np.testing.assert_allclose(blended, linear + 0.25 * (full - linear), rtol=1e-5)
    lstm.target_offset_ = lstm.target_scale_ = 0.0
    np.testing.assert_allclose(forecast(model, panel, H).to_numpy(), linear)


def test_auto_holds_out_the_latest_targets_then_trains_on_all(panel, monkeypatch):
    """The first epochs see no target among the last H values of each series;
    the weight is chosen then, from the network of those epochs; the last
    epoch trains on every target."""
    calls, chosen = [], []
    fit_keras = keras.Model.fit
    choose = KerasWindowRegressor._held_out_weight

    def recording_fit(self, *args, **kwargs):
        calls.append((kwargs["sample_weight"].copy(), kwargs["initial_epoch"]))
        return fit_keras(self, *args, **kwargs)

    def recording_choice(self, samples, target, sample_weight, latest):
        chosen.append(
            (latest.copy(), choose(self, samples, target, sample_weight, latest))
        )
        return chosen[-1][1]

    monkeypatch.setattr(keras.Model, "fit", recording_fit)
    monkeypatch.setattr(KerasWindowRegressor, "_held_out_weight", recording_choice)
    model = fit(pipeline(network_weight="auto", average_epochs=1), panel)
    lstm = lstm_of(model)
    (held_out, first), (every, second) = calls
    ((latest, weight),) = chosen
    assert (first, second) == (0, 2)  # epochs 1-2 held out, epoch 3 on all
    assert latest.any() and not latest.all()
    assert (held_out[latest] == 0).all()
    np.testing.assert_array_equal(held_out[~latest], every[~latest])
    assert (every[latest] > 0).any()
    assert lstm.network_weight_ == weight and 0.0 <= weight <= 1.0
    assert len(lstm.history_["loss"]) == lstm.epochs_ == 3


def test_auto_is_seeded_and_falls_back_to_the_whole_network(panel):
    first = fit(pipeline(network_weight="auto"), panel)
    again = fit(pipeline(network_weight="auto"), panel)
    weight = lstm_of(first).network_weight_
    assert weight == lstm_of(again).network_weight_
    np.testing.assert_array_equal(
        forecast(first, panel, H).to_numpy(), forecast(again, panel, H).to_numpy()
    )
    # one series, or early stopping: nothing held out, the whole network
    one = fit(pipeline(network_weight="auto"), panel[["air"]])
    stopped = fit(pipeline(network_weight="auto", early_stopping=True), panel)
    for model in (one, stopped):
        assert lstm_of(model).network_weight_ == 1.0


def test_no_blend_without_a_linear_path(panel):
    model = pipeline(network_weight=0.5, linear_path=False)
    with pytest.raises(ValueError, match="linear_path=True or network_weight=1.0"):
        fit(model, panel)
    with pytest.raises(ValueError, match="network_weight"):
        fit(pipeline(network_weight=1.5), panel)
