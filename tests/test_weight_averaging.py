"""The network's weights averaged over its last epochs (``average_epochs``)."""

import numpy as np
import pandas as pd
import pytest

import sklstm._lstm._keras
from sklstm import LSTMForecaster, WindowTransformer, make_forecast_pipeline
from sklstm._lstm._callbacks import weight_averaging
from sklstm._lstm._network import import_keras
from sklstm.forecasting import forecast

from .conftest import TINY_LSTM


def test_training_ends_with_the_mean_weights_of_the_last_epochs():
    keras = import_keras()
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(64, 3)), rng.normal(size=(64, 1))
    dense = keras.layers.Dense(1, kernel_initializer=keras.initializers.Ones())
    model = keras.Sequential([keras.Input((3,)), dense])
    model.compile(optimizer="sgd", loss="mse")
    seen = []
    record = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: seen.append(model.get_weights())
    )
    model.fit(
        x, y, epochs=4, batch_size=16, shuffle=False, verbose=0,
        callbacks=[record, weight_averaging(first_epoch=2)],
    )  # fmt: skip
    for final, *epochs in zip(model.get_weights(), *seen, strict=True):
        assert not np.allclose(epochs[2], epochs[3])  # the weights moved
        np.testing.assert_allclose(final, (epochs[2] + epochs[3]) / 2, rtol=1e-6)


@pytest.fixture(scope="module")
def panel():
    """Three seasonal series of 96 months at different levels."""
    t = np.arange(96)
    rng = np.random.default_rng(1)
    return pd.DataFrame(
        {
            name: level + 10 * np.sin(t * np.pi / 6 + phase) + rng.normal(size=96)
            for name, level, phase in [("a", 50, 0), ("b", 200, 1), ("c", 20, 2)]
        }
    )


def fit_panel(panel, **settings):
    model = make_forecast_pipeline(
        LSTMForecaster(**TINY_LSTM | settings), time_step=12, output_steps=3
    )
    return model.fit(panel, panel)


def test_a_quarter_of_the_epochs_for_several_series_none_for_one(panel):
    several = fit_panel(panel, epochs=8).regressor_[-1]
    assert several.average_epochs_ == 2
    one = fit_panel(panel[["a"]], epochs=8).regressor_[-1]
    assert one.average_epochs_ is None  # the recipe's last weights
    stopped = fit_panel(panel, epochs=8, early_stopping=True).regressor_[-1]
    assert stopped.average_epochs_ is None  # early stopping picks the weights


def test_averaging_changes_the_network_and_one_epoch_is_the_last(panel):
    last = forecast(fit_panel(panel, epochs=4, average_epochs=None), panel, 3)
    one = forecast(fit_panel(panel, epochs=4, average_epochs=1), panel, 3)
    three = forecast(fit_panel(panel, epochs=4, average_epochs=3), panel, 3)
    pd.testing.assert_frame_equal(one, last)
    assert np.abs(three - last).to_numpy().max() > 1e-4


def test_a_warm_start_averages_its_own_epochs(monkeypatch):
    firsts = []

    def spy(first_epoch):
        firsts.append(first_epoch)
        return weight_averaging(first_epoch)

    monkeypatch.setattr(sklstm._lstm._keras, "weight_averaging", spy)
    y = np.sin(np.arange(80) / 3)
    X = WindowTransformer(6).fit_transform(y.reshape(-1, 1))
    lstm = LSTMForecaster(**TINY_LSTM | dict(average_epochs=3, warm_start=True))
    lstm.fit(X, y).fit(X, y)  # 2 epochs, then 2 more on the same network
    assert len(lstm.history_["loss"]) == 4
    assert firsts == [0, 2]  # all of the first fit's epochs, then the second's
