"""The network's forward pass in numpy gives Keras' numbers, and is the one used.

Each network is trained briefly (one epoch), so that its weights are those
of a trained network, not of the initialisers; the numpy pass is compared
with ``model(windows, training=False)`` to 1e-5.
"""

import pickle

import numpy as np
import pytest

from sklstm import LSTMForecaster, WindowTransformer  # before TensorFlow: quiet
from sklstm._lstm import _keras, _numpy_forward
from sklstm._lstm._network import import_keras, numpy_forward

TOLERANCE = dict(rtol=1e-5, atol=1e-5)


def series_windows(n_series=1, n_covariates=0, time_step=6, n_rows=60, seed=0):
    """Windows of ``n_series`` noisy sine waves and their covariates, and y."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_rows)[:, None]
    series = np.sin(t / 4 + np.arange(n_series)) + 0.1 * rng.standard_normal(
        (n_rows, n_series)
    )
    covariates = rng.standard_normal((n_rows, n_covariates))
    X = np.hstack([series, covariates])
    y = series[:, 0] if n_series == 1 else series
    return WindowTransformer(time_step).fit_transform(X), y


def keras_output(model, windows):
    """Keras' forward pass, ``(n, n_outputs)``."""
    return np.asarray(model(windows, training=False)).reshape(len(windows), -1)


def trained(n_layers, units, n_covariates=0, output_steps=1, **params):
    windows, y = series_windows(n_covariates=n_covariates)
    settings = dict(epochs=1, batch_size=16, random_state=0, linear_path=False)
    forecaster = LSTMForecaster(
        units=units, n_layers=n_layers, output_steps=output_steps, **settings
    )
    return forecaster.set_params(**params).fit(windows, y), windows, y


@pytest.mark.parametrize(
    "n_layers, units, n_covariates, output_steps",
    [
        (1, 3, 0, 1),
        (1, 8, 2, 1),
        (2, 4, 0, 1),
        (2, 8, 1, 3),
        (3, 5, 2, 1),
        (3, 2, 0, 4),
    ],
)
@pytest.mark.parametrize("n_windows", [1, 9])
def test_numpy_forward_equals_keras(
    n_layers, units, n_covariates, output_steps, n_windows
):
    forecaster, _, _ = trained(n_layers, units, n_covariates, output_steps)
    model = forecaster.model_
    n_steps, n_features = model.input_shape[1:]
    assert n_features == 1 + n_covariates
    rng = np.random.default_rng(1)
    windows = rng.standard_normal((n_windows, n_steps, n_features)).astype("float32")
    got = numpy_forward(model)(windows)
    assert got.shape == (n_windows, output_steps)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, keras_output(model, windows), **TOLERANCE)


def test_numpy_forward_equals_model_predict_on_the_windows_of_many_series():
    windows, Y = series_windows(n_series=3, n_covariates=1)
    forecaster = LSTMForecaster(
        units=6, n_layers=2, epochs=1, batch_size=16, random_state=0
    ).fit(windows, Y)
    model = forecaster.model_
    inputs = np.random.default_rng(2).standard_normal((40, *model.input_shape[1:]))
    inputs = inputs.astype("float32")
    expected = model.predict(inputs, verbose=0).reshape(len(inputs), -1)
    np.testing.assert_allclose(numpy_forward(model)(inputs), expected, **TOLERANCE)


def test_a_batch_larger_than_a_block_goes_through_block_by_block(monkeypatch):
    forecaster, _, _ = trained(2, 4, n_covariates=1)
    model = forecaster.model_
    inputs = np.random.default_rng(3).standard_normal((25, *model.input_shape[1:]))
    inputs = inputs.astype("float32")
    whole = numpy_forward(model)(inputs)
    monkeypatch.setattr(_numpy_forward, "BLOCK_VALUES", 200)  # 1 or 2 windows
    np.testing.assert_allclose(numpy_forward(model)(inputs), whole, rtol=1e-6)
    np.testing.assert_allclose(whole, keras_output(model, inputs), **TOLERANCE)


def keras_only(monkeypatch, forecaster):
    """Make ``forecaster`` forecast through Keras from now on."""
    monkeypatch.setattr(_keras, "numpy_forward", lambda model: None)
    forecaster._lease.pop("numpy")


def test_predict_goes_through_numpy_and_equals_the_keras_path(monkeypatch):
    forecaster, windows, _ = trained(2, 5, n_covariates=1, output_steps=2)

    def no_keras(model):
        raise AssertionError("the Keras forward pass was called")

    monkeypatch.setattr(_keras, "make_predict_function", no_keras)
    fast = forecaster.predict_steps(windows)
    assert isinstance(forecaster._predict_function(), _numpy_forward.NumpyForward)
    monkeypatch.undo()
    keras_only(monkeypatch, forecaster)
    reference = forecaster.predict_steps(windows)
    complete = ~np.isnan(reference)
    np.testing.assert_array_equal(np.isnan(fast), ~complete)
    np.testing.assert_allclose(fast[complete], reference[complete], **TOLERANCE)


def test_a_warm_start_refit_forecasts_with_the_new_weights(monkeypatch):
    forecaster, windows, y = trained(1, 4, warm_start=True)
    before = forecaster.predict(windows)
    forecaster.fit(windows, y)  # the same Keras model, trained further
    after = forecaster.predict(windows)
    assert not np.allclose(before[6:], after[6:])
    keras_only(monkeypatch, forecaster)
    np.testing.assert_allclose(after, forecaster.predict(windows), **TOLERANCE)


def test_a_refit_on_a_network_back_from_the_pool_forecasts_with_its_new_weights(
    monkeypatch,
):
    forecaster, windows, y = trained(1, 4)
    model = forecaster.model_
    before = forecaster.predict(windows)
    forecaster.set_params(random_state=1).fit(windows, y)
    assert forecaster.model_ is model  # the pool gave the same network back
    after = forecaster.predict(windows)
    assert not np.allclose(before[6:], after[6:])
    keras_only(monkeypatch, forecaster)
    np.testing.assert_allclose(after, forecaster.predict(windows), **TOLERANCE)


def test_the_numpy_forward_pass_is_not_pickled_and_a_copy_makes_its_own():
    forecaster, windows, _ = trained(1, 3)
    expected = forecaster.predict(windows)
    assert "_lease" not in forecaster.__getstate__()
    copy = pickle.loads(pickle.dumps(forecaster))
    np.testing.assert_array_equal(copy.predict(windows), expected)
    assert copy._lease["model"] is copy.model_
    assert isinstance(copy._lease["numpy"], _numpy_forward.NumpyForward)


def test_the_recipes_sequential_network_is_computed_in_numpy():
    keras = import_keras()
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((5, 2)),
            keras.layers.LSTM(4, return_sequences=True),
            keras.layers.Dropout(0.2),
            keras.layers.LSTM(3, use_bias=False),
            keras.layers.Dense(2),
        ]
    )
    inputs = np.random.default_rng(4).standard_normal((3, 5, 2)).astype("float32")
    got = numpy_forward(model)(inputs)
    np.testing.assert_allclose(got, keras_output(model, inputs), **TOLERANCE)


def unusual_networks(keras):
    lstm = keras.layers.LSTM
    yield "relu", [lstm(3, activation="relu")]
    yield "hard_sigmoid", [lstm(3, recurrent_activation="hard_sigmoid")]
    yield "backwards", [lstm(3, go_backwards=True)]
    yield "gru", [keras.layers.GRU(3)]
    yield "last sequence", [lstm(3, return_sequences=True), keras.layers.Flatten()]
    yield "dense activation", [lstm(3), keras.layers.Dense(1, activation="relu")]
    yield "two dense", [lstm(3), keras.layers.Dense(2), keras.layers.Dense(1)]
    yield "no lstm", [keras.layers.Flatten(), keras.layers.Dense(1)]
    yield "float16", [lstm(3, dtype="mixed_float16")]


def test_a_network_numpy_does_not_know_is_left_to_keras():
    keras = import_keras()
    for name, layers in unusual_networks(keras):
        if not isinstance(layers[-1], keras.layers.Dense):
            layers.append(keras.layers.Dense(1))
        model = keras.Sequential([keras.Input((4, 1)), *layers])
        assert numpy_forward(model) is None, name
