"""LSTMForecaster: a scikit-learn regressor over windows, trained by Keras."""

import gc
import inspect
import pickle
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone, is_regressor
from sklearn.metrics import r2_score
from sklearn.pipeline import make_pipeline

from sklstm import LSTMForecaster, WindowTransformer  # before TensorFlow: quiet

from scikeras.wrappers import KerasRegressor  # isort: skip

from .conftest import TINY_LSTM


@pytest.fixture(scope="module")
def sine_windows():
    rng = np.random.default_rng(0)
    y = np.sin(np.arange(150) / 4) + 0.05 * rng.standard_normal(150)
    return WindowTransformer(8).fit_transform(y.reshape(-1, 1)), y


@pytest.fixture(scope="module")
def fitted(sine_windows):
    X, y = sine_windows
    return LSTMForecaster(units=8, n_layers=1, epochs=30, random_state=0).fit(X, y)


def test_is_a_scikeras_regressor_with_the_right_tags():
    forecaster = LSTMForecaster()
    assert isinstance(forecaster, KerasRegressor)
    assert is_regressor(forecaster)
    tags = forecaster.__sklearn_tags__()
    assert tags.estimator_type == "regressor"
    assert tags.regressor_tags is not None
    assert tags.target_tags.required
    assert tags.non_deterministic  # no random_state
    assert not LSTMForecaster(random_state=0).__sklearn_tags__().non_deterministic


def test_defaults_are_the_recipes_network_with_a_linear_path():
    params = LSTMForecaster().get_params()
    recipe = dict(
        units=50,
        n_layers=2,
        dropout=0.2,
        epochs="auto",  # the recipe's 20 on every single series we hold
        batch_size="auto",  # the recipe's 32 on every single series we hold
        optimizer="adam",
        learning_rate=0.001,
        loss="auto",  # mean squared error on one series: the recipe's
        verbose=0,
        window_norm="auto",  # False on one series: the recipe's input
        early_stopping=False,
        average_epochs="auto",  # None on one series: the recipe's last weights
    )
    assert {key: params[key] for key in recipe} == recipe
    assert params["linear_path"]  # measured: docs/user_guide/benchmarks.md


def test_clone_keeps_every_parameter():
    signature = inspect.signature(LSTMForecaster.__init__).parameters
    non_default = dict(
        units=7,
        n_layers=3,
        dropout=0.1,
        epochs=4,
        training_steps=300,
        batch_size=8,
        optimizer="rmsprop",
        learning_rate=0.01,
        loss="mae",
        linear_path=False,
        network_weight=0.5,
        window_norm=True,
        early_stopping=True,
        validation_fraction=0.3,
        n_iter_no_change=2,
        average_epochs=2,
        output_steps=3,
        level="last",
        shuffle=False,
        warm_start=True,
        random_state=3,
        verbose=2,
    )
    assert set(non_default) == set(signature) - {"self"}
    assert clone(LSTMForecaster(**non_default)).get_params() == non_default
    with pytest.raises(ValueError, match="Invalid parameter"):
        LSTMForecaster().set_params(fit__epochs=5)


def test_learns_a_series_and_predicts_in_its_units(sine_windows, fitted):
    X, y = sine_windows
    assert fitted.score(X, y) > 0.8
    # The same series in other units: the forecaster scales y itself.
    big = LSTMForecaster(units=8, n_layers=1, epochs=30, random_state=0)
    big.fit(X, 1000 * y + 5000)
    np.testing.assert_allclose(
        big.predict(X)[8:], 1000 * fitted.predict(X)[8:] + 5000, rtol=1e-4
    )


def test_rows_without_history_are_skipped_and_predicted_nan(sine_windows, fitted):
    X, y = sine_windows
    y_pred = fitted.predict(X)
    assert np.isnan(y_pred[:8]).all() and np.isfinite(y_pred[8:]).all()
    assert fitted.score(X, y) == pytest.approx(r2_score(y[8:], y_pred[8:]))


def test_window_shape_comes_from_the_transformer_not_the_user():
    X = np.random.default_rng(1).normal(size=(40, 3))
    windows = WindowTransformer(5).fit_transform(X)
    forecaster = LSTMForecaster(**TINY_LSTM).fit(windows, X[:, 1])
    assert forecaster.window_shape_ == (5, 3)
    assert forecaster.n_features_in_ == 15
    assert forecaster.model_.input_shape == (None, 5, 3)
    as_3d = np.asarray(windows).reshape(40, 5, 3)
    np.testing.assert_allclose(forecaster.predict(as_3d), forecaster.predict(windows))


def test_dataframe_lag_names_give_the_window_shape():
    X = pd.DataFrame({"a": np.arange(30.0), "b": np.ones(30)})
    windows = WindowTransformer(4).set_output(transform="pandas").fit_transform(X)
    forecaster = LSTMForecaster(**TINY_LSTM).fit(windows, np.arange(30.0))
    assert forecaster.window_shape_ == (4, 2)
    assert list(forecaster.feature_names_in_) == list(windows.columns)


def test_same_seed_same_predictions_and_global_state_untouched(sine_windows):
    X, y = sine_windows
    state = np.random.get_state()[1].copy()  # noqa: NPY002 (the global state)
    first = LSTMForecaster(**TINY_LSTM).fit(X, y).predict(X)
    second = LSTMForecaster(**TINY_LSTM).fit(X, y).predict(X)
    np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(np.random.get_state()[1], state)  # noqa: NPY002
    other = LSTMForecaster(**{**TINY_LSTM, "random_state": 1}).fit(X, y).predict(X)
    assert not np.allclose(first[8:], other[8:])


def test_quiet_by_default(sine_windows, capfd):
    X, y = sine_windows
    for seed in range(6):  # as in a grid search: no "retracing" warnings either
        LSTMForecaster(**{**TINY_LSTM, "random_state": seed}).fit(X, y).predict(X)
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    LSTMForecaster(**{**TINY_LSTM, "verbose": 2}).fit(X, y)
    assert "Epoch 2/2" in capfd.readouterr().out


def test_early_stopping_holds_out_the_latest_rows(sine_windows):
    X, y = sine_windows
    forecaster = LSTMForecaster(
        **{**TINY_LSTM, "epochs": 50},
        early_stopping=True,
        n_iter_no_change=1,
        learning_rate=0.1,
    ).fit(X, y)
    assert "val_loss" in forecaster.history_
    assert len(forecaster.history_["loss"]) < 50


def test_warm_start_keeps_training_the_same_network(sine_windows):
    X, y = sine_windows
    forecaster = LSTMForecaster(**{**TINY_LSTM, "warm_start": True}).fit(X, y)
    model = forecaster.model_
    forecaster.fit(X, y)
    assert forecaster.model_ is model
    assert len(forecaster.history_["loss"]) == 4
    # without warm_start a refit starts again from fresh weights
    cold = LSTMForecaster(**TINY_LSTM).fit(X, y)
    first = cold.predict(X)
    np.testing.assert_array_equal(cold.fit(X, y).predict(X), first)


def test_linear_path_extrapolates_a_trend_beyond_the_training_range():
    t = np.arange(120.0)
    y = 10 + 0.5 * t + np.sin(2 * np.pi * t / 12)
    X = y.reshape(-1, 1)
    window = WindowTransformer(12).fit(X[:96])
    train, test = window.transform(X[:96]), window.transform(X[96:])
    assert y[96:].min() > y[:96].max()
    errors = {}
    for linear_path in (False, True):
        forecaster = LSTMForecaster(
            **{**TINY_LSTM, "epochs": 5},
            linear_path=linear_path,
            window_norm=linear_path,
        ).fit(train, y[:96])
        errors[linear_path] = np.abs(forecaster.predict(test) - y[96:]).mean()
    naive = np.abs(np.diff(y[95:])).mean()
    assert errors[True] < naive < errors[False]


def test_pickle_round_trip(sine_windows, fitted):
    X, _ = sine_windows
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.predict(X), fitted.predict(X))


def test_input_is_not_modified(sine_windows):
    X, y = sine_windows
    X_copy, y_copy = np.array(X), y.copy()
    y.setflags(write=False)
    try:
        LSTMForecaster(**TINY_LSTM).fit(X, y).predict(X)
    finally:
        y.setflags(write=True)
    np.testing.assert_array_equal(np.asarray(X), X_copy)
    np.testing.assert_array_equal(y, y_copy)


def test_partial_fit_is_not_offered():
    assert not hasattr(LSTMForecaster(), "partial_fit")


@pytest.mark.parametrize("linear_path", [False, True])
@pytest.mark.parametrize("window_norm", [False, True])
def test_every_combination_of_the_parts_fits(sine_windows, linear_path, window_norm):
    X, y = sine_windows
    forecaster = LSTMForecaster(
        **TINY_LSTM, linear_path=linear_path, window_norm=window_norm
    )
    if window_norm and not linear_path:
        with pytest.raises(ValueError, match="needs linear_path=True"):
            forecaster.fit(X, y)
        return
    forecaster.fit(X, y)
    assert np.isfinite(forecaster.predict(X)[8:]).all()
    assert (forecaster.linear_ is not None) == linear_path
    assert hasattr(forecaster, "input_scale_") == window_norm


def test_a_refit_without_relative_windows_drops_their_scales(sine_windows):
    X, y = sine_windows
    forecaster = LSTMForecaster(**TINY_LSTM, window_norm=True).fit(X, y)
    assert hasattr(forecaster, "spread_median_")
    forecaster.set_params(window_norm=False).fit(X, y)
    assert not hasattr(forecaster, "spread_median_")
    assert not hasattr(forecaster, "input_scale_")


def test_sample_weight_of_the_rows_without_history_is_dropped_with_them(sine_windows):
    X, y = sine_windows
    weights = np.ones(len(y))
    forecaster = LSTMForecaster(**TINY_LSTM).fit(X, y, sample_weight=weights)
    unweighted = LSTMForecaster(**TINY_LSTM).fit(X, y)
    np.testing.assert_allclose(forecaster.predict(X), unweighted.predict(X), rtol=1e-5)
    with pytest.raises(ValueError, match="sample_weight"):
        LSTMForecaster(**TINY_LSTM).fit(X, y, sample_weight=weights[8:])


def test_batches_keep_their_order_without_shuffle_and_reshuffle_with_it():
    from sklstm._lstm._network import window_batches

    windows = np.arange(10.0).reshape(10, 1, 1)

    def rows_of_epoch(batches):
        rows = np.concatenate([batches[i][1] for i in range(len(batches))])
        batches.on_epoch_end()
        return rows

    def batches(shuffle):
        return window_batches(
            windows, np.arange(10.0), batch_size=4, to_inputs=np.float32,
            shuffle=shuffle, seed=0,
        )  # fmt: skip

    kept = batches(shuffle=False)
    assert len(kept) == 3
    np.testing.assert_array_equal(rows_of_epoch(kept), np.arange(10))
    np.testing.assert_array_equal(rows_of_epoch(kept), np.arange(10))
    shuffled = batches(shuffle=True)
    first, second = rows_of_epoch(shuffled), rows_of_epoch(shuffled)
    assert sorted(first) == sorted(second) == list(range(10))
    assert not np.array_equal(first, second)
    shuffled.release()
    assert shuffled.windows is None and shuffled.to_inputs is None


@pytest.mark.parametrize("early_stopping", [False, True])
def test_inputs_made_at_once_train_as_batches_gathered_one_at_a_time(
    sine_windows, monkeypatch, early_stopping
):
    """The two ways of feeding Keras (arrays below IN_MEMORY_BYTES, batches
    gathered from the windows above) train the same network, batch for batch."""
    from sklstm._lstm import _network

    X, y = sine_windows
    params = {**TINY_LSTM, "shuffle": False, "early_stopping": early_stopping}
    in_memory = LSTMForecaster(**params).fit(X, y)
    monkeypatch.setattr(_network, "IN_MEMORY_BYTES", 0)
    gathered = LSTMForecaster(**params).fit(X, y)
    for key in in_memory.history_:
        np.testing.assert_allclose(
            in_memory.history_[key], gathered.history_[key], rtol=1e-5
        )
    np.testing.assert_allclose(in_memory.predict(X), gathered.predict(X), rtol=1e-5)


def test_shuffled_arrays_are_seeded(sine_windows):
    X, y = sine_windows
    params = {**TINY_LSTM, "dropout": 0.0}
    first = LSTMForecaster(**params).fit(X, y)
    again = LSTMForecaster(**params).fit(X, y)
    assert first.history_["loss"] == again.history_["loss"]  # same seed
    unshuffled = LSTMForecaster(**{**params, "shuffle": False}).fit(X, y)
    assert unshuffled.history_["loss"] != first.history_["loss"]
    other_seed = LSTMForecaster(**{**params, "random_state": 1}).fit(X, y)
    assert other_seed.history_["loss"] != first.history_["loss"]


def test_a_network_trained_again_predicts_as_a_fresh_one(sine_windows):
    X, y = sine_windows
    first = LSTMForecaster(**TINY_LSTM).fit(X, y)
    expected, network = first.predict(X), first.model_
    del first
    gc.collect()
    second = LSTMForecaster(**TINY_LSTM).fit(X, y)
    assert second.model_ is network  # the dropped estimator's, from the pool
    np.testing.assert_array_equal(second.predict(X), expected)
    third = LSTMForecaster(**TINY_LSTM).fit(X, y)
    assert third.model_ is not second.model_  # live estimators never share
    np.testing.assert_array_equal(third.predict(X), expected)


def test_verbose_1_draws_one_progress_line_with_the_time_left(sine, capfd):
    X, y = sine
    pipe = make_pipeline(WindowTransformer(8), LSTMForecaster(**TINY_LSTM))
    pipe.fit(X, y)
    assert capfd.readouterr().err == ""  # quiet by default
    pipe.set_params(lstmforecaster__verbose=1).fit(X, y)
    err = capfd.readouterr().err
    assert "\rfit: epoch 1/2, loss " in err
    assert re.search(
        r"\rfit: epoch 2/2, loss [\d.e-]+, \d+:\d\d elapsed, about 0:00 left", err
    )
    assert err.endswith("\n") and "Epoch" not in err  # not Keras' own bar
