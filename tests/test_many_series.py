"""Many series, one global model, whole horizons (DESIGN.md, "Many series")."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
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
from sklstm._base import predict_steps
from sklstm._lstm._auto import _resolve_epochs
from sklstm._panel import SeriesWindows
from sklstm.forecasting import forecast
from sklstm.metrics import (
    mean_absolute_scaled_error,
    relative_mae_scorer,
    relative_mean_absolute_error,
)

from .conftest import TINY_LSTM, read_shared_series

LATE = 30  # rows before "late" starts
SHORT = 5  # values of "short": fewer than a window


@pytest.fixture(scope="module")
def panel():
    """Airline, airline doubled plus a trend, airline starting 30 months
    later, sunspots (another scale and shape) and a series too short for a
    window, as a wide frame with the airline dates."""
    air = load_airline()
    sunspots = read_shared_series("sunspots").to_numpy()[-len(air) :]
    frame = pd.DataFrame(
        {
            "air": air.to_numpy(),
            "double": 2 * air.to_numpy() + np.arange(len(air)),
            "late": air.to_numpy() * 0.5,
            "sun": sunspots + 1.0,
            "short": air.to_numpy() / 10,
        },
        index=air.index,
    )
    frame.iloc[:LATE, 2] = np.nan
    frame.iloc[:-SHORT, 4] = np.nan
    return frame


def lstm_model(**settings):
    return make_forecast_pipeline(LSTMForecaster(**TINY_LSTM), time_step=12, **settings)


@pytest.fixture(scope="module")
def fitted(panel):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = lstm_model(output_steps=3).fit(panel, panel)
    return model, caught


def test_one_network_for_every_series(fitted, panel):
    model, _ = fitted
    lstm = model.regressor_[-1]
    assert lstm.n_series_ == 5 and lstm.level_ == "last" and lstm.window_norm_
    assert lstm.loss_ == "mean_absolute_error"
    assert lstm.model_.loss == "mean_absolute_error"
    # one window of one series at a time: the network's input has 1 feature
    assert lstm.model_.input_shape == (None, 12, 1)
    assert lstm.model_.output_shape == (None, 3, 1)
    y_pred = model.predict(panel)
    assert y_pred.shape == panel.shape


def test_late_and_short_series(fitted, panel):
    model, caught = fitted
    y_pred = model.predict(panel)
    missing = np.isnan(y_pred).sum(axis=0)
    # a row needs 12 values before it: 12 rows, 30 + 12 for the late series
    assert list(missing[:4]) == [12, 12, LATE + 12, 12]
    assert missing[4] == len(panel)  # too short: never forecast
    messages = [str(w.message) for w in caught if "too short" in str(w.message)]
    assert len(messages) == 1 and "short" in messages[0] and "(of 5)" in messages[0]
    ahead = forecast(model, panel, steps=4)
    assert ahead["short"].isna().all() and ahead.drop(columns="short").notna().all(None)


def test_windows_touching_not_started_values_are_not_trained_on(panel):
    """One LinearRegression on exactly the complete windows of every series."""
    Y = panel.drop(columns="short").to_numpy()
    model = make_pipeline(
        WindowTransformer(4), CompleteWindows(LinearRegression(), level="absolute")
    ).fit(Y, Y)
    windows, targets = [], []
    for j in range(Y.shape[1]):
        for t in range(len(Y)):
            window = Y[t - 4 : t, j]
            if t >= 4 and not np.isnan(window).any():
                windows.append(window)
                targets.append(Y[t, j])
    expected = LinearRegression().fit(np.array(windows), np.array(targets))
    np.testing.assert_allclose(model[-1].regressor_.coef_, expected.coef_, rtol=1e-8)


def test_whole_horizon_at_once_continues_trends_of_any_level():
    """Straight lines of different levels and slopes, one starting late: the
    global linear model on windows relative to their last value continues
    every one of them exactly, 3 steps at once and recursively beyond."""
    t = np.arange(60.0)
    Y = pd.DataFrame({"a": 5 + 0.5 * t, "b": 1000 - 7 * t, "c": 40 + 2 * t})
    Y.loc[:19, "c"] = np.nan
    model = make_forecast_pipeline(
        CompleteWindows(LinearRegression()), time_step=6, output_steps=3, power=None
    ).fit(Y, Y)
    ahead = forecast(model, Y, steps=5)
    future = np.arange(60.0, 65.0)
    expected = np.column_stack([5 + 0.5 * future, 1000 - 7 * future, 40 + 2 * future])
    np.testing.assert_allclose(ahead.to_numpy(), expected, rtol=1e-6)
    assert list(ahead.index) == [60, 61, 62, 63, 64]  # positions continue


def test_mimo_targets_are_the_later_rows():
    """With output_steps=3, step s of row t learns y[t + s]: on a series whose
    next values follow from the last one, every step is right."""
    y = np.arange(40.0)
    Y = np.column_stack([y, y * 3])
    model = make_pipeline(
        WindowTransformer(5), CompleteWindows(LinearRegression(), output_steps=3)
    ).fit(Y, Y)
    steps = model[-1].predict_steps(model[:-1].transform(Y))
    assert steps.shape == (40, 2, 3)
    np.testing.assert_allclose(steps[10, 0], [10, 11, 12], atol=1e-8)
    np.testing.assert_allclose(steps[10, 1], [30, 33, 36], atol=1e-8)


def test_dated_forecasts_and_single_series_unchanged(fitted, panel):
    model, _ = fitted
    ahead = forecast(model, panel, steps=5)
    assert isinstance(ahead, pd.DataFrame) and list(ahead.columns) == list(panel)
    assert ahead.index[0] == pd.Timestamp("1961-01-01") and ahead.index.freqstr == "MS"
    y = panel["air"]
    single = make_forecast_pipeline(LSTMForecaster(**TINY_LSTM), output_steps=2)
    ahead = forecast(single.fit(y.to_frame(), y), y, steps=3)
    assert isinstance(ahead, pd.Series) and ahead.index[-1] == pd.Timestamp(
        "1961-03-01"
    )
    assert single.regressor_[-1].level_ == "absolute"
    assert not single.regressor_[-1].window_norm_  # the recipe's input
    assert single.regressor_[-1].loss_ == "mean_squared_error"  # and loss


def test_plain_arrays(panel):
    Y = panel.drop(columns="short").to_numpy()
    model = lstm_model().fit(Y, Y)
    ahead = forecast(model, Y, steps=2)
    assert ahead.shape == (2, 4) and list(ahead.index) == [len(Y), len(Y) + 1]
    assert np.isfinite(ahead.to_numpy()).all()


def test_series_matched_by_name(panel):
    """X's columns in another order, plus a covariate-free reorder: the same
    model as with the series in y's order."""
    Y = panel.drop(columns="short")
    reordered = Y[["sun", "late", "air", "double"]]
    model = make_forecast_pipeline(CompleteWindows(Ridge()), time_step=6)
    a = clone(model).fit(Y, Y).predict(Y)
    b = clone(model).fit(reordered, Y).predict(reordered)
    np.testing.assert_allclose(a, b, equal_nan=True)


def test_the_last_row_alone_is_forecast_as_among_every_row(fitted, panel):
    """forecast asks for the last row only: the same numbers as the last of
    every row's forecasts, for each kind of model it takes."""
    model, _ = fitted
    Y = panel.drop(columns="short")
    complete = panel[["air", "double", "sun"]]
    ensemble = make_forecast_pipeline(
        CompleteWindows(Ridge(1e-3)), time_step=[6, 12], output_steps=3
    )
    naive = make_forecast_pipeline(NaiveForecaster(), power=None)
    any_regressor = make_pipeline(MinMaxScaler(), LinearRegression())
    # one window and many go through other BLAS kernels (the network: np.dot
    # and np.matmul), which round differently
    for name, fitted_model, X, rtol in [
        ("LSTM", model, panel, 1e-6),
        ("ensemble", ensemble.fit(Y, Y), Y, 1e-12),
        (
            "Pipeline",
            naive.fit(complete[["air"]], complete["air"]),
            complete[["air"]],
            1e-12,
        ),
        ("any regressor", any_regressor.fit(complete, complete), complete, 1e-12),
    ]:
        last = predict_steps(fitted_model, X, last_row=True)
        every = predict_steps(fitted_model, X)
        assert last.shape == (1, *every.shape[1:]), name
        np.testing.assert_allclose(last, every[-1:], rtol=rtol, err_msg=name)


def test_grid_search_over_a_wide_frame(panel):
    Y = panel.drop(columns="short")
    search = GridSearchCV(
        lstm_model(),
        {"regressor__window__time_step": [6, 12]},
        cv=TimeSeriesSplit(n_splits=2, test_size=12),
        scoring=relative_mae_scorer,
        return_train_score=True,
    ).fit(Y, Y)
    assert search.best_params_["regressor__window__time_step"] in (6, 12)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert np.isfinite(search.cv_results_["mean_train_score"]).all()
    assert forecast(search, Y, steps=2).shape == (2, 4)


def test_clone_and_pickle_a_fitted_panel_model(fitted, panel):
    model, _ = fitted
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(
        restored.predict(panel), model.predict(panel), strict=True
    )
    pd.testing.assert_frame_equal(
        forecast(restored, panel, 4), forecast(model, panel, 4)
    )
    assert clone(model).get_params()["regressor__lstm__output_steps"] == 3


def test_same_seed_same_forecasts(panel):
    Y = panel.drop(columns="short")
    a = forecast(lstm_model(output_steps=2).fit(Y, Y), Y, 3)
    b = forecast(lstm_model(output_steps=2).fit(Y, Y), Y, 3)
    pd.testing.assert_frame_equal(a, b)


def test_defaults_adapt_to_the_number_of_windows(panel):
    Y = panel.drop(columns="short")
    one = make_forecast_pipeline(LSTMForecaster(units=2, n_layers=1, dropout=0))
    lstm = one.fit(Y[["air"]], Y["air"]).regressor_[-1]
    assert (lstm.batch_size_, lstm.epochs_) == (32, 20)  # the recipe's
    one.set_params(regressor__lstm__epochs=1)
    many = pd.concat([Y.add_suffix(f"_{i}") for i in range(40)], axis=1)
    n_windows = int((many.notna().sum() - 12).sum())  # complete, with a target
    assert 12_800 < n_windows <= 25_600  # more than 400 steps of 32: 64
    assert one.fit(many, many).regressor_[-1].batch_size_ == 64
    # 20 epochs while an epoch has at most 400 steps, then about 8,000 steps
    assert [_resolve_epochs("auto", steps) for steps in (400, 444, 706)] == [20, 18, 11]
    # a third of the steps (2,666; an ensemble's member): 20 epochs of 133 steps
    assert [_resolve_epochs("auto", s, 2666) for s in (133, 706)] == [20, 4]


def test_inputs_are_never_modified_and_windows_stay_views(panel):
    before = panel.copy()
    lstm_model().fit(panel.drop(columns="short"), panel.drop(columns="short"))
    pd.testing.assert_frame_equal(panel, before)
    windows = WindowTransformer(12).fit_transform(panel.to_numpy())
    samples = SeriesWindows(
        windows.reshape(len(panel), 12, 5),
        np.arange(20, 40),
        np.zeros(20, dtype=int),
        n_series=5,
    )
    assert np.shares_memory(samples.windows, windows)


@pytest.mark.parametrize(
    "change, error, match",
    [
        (
            lambda Y: Y.assign(air=Y["air"].astype(str)),
            TypeError,
            r"series 'air' are not numbers",
        ),
        (
            lambda Y: Y.assign(air=Y["air"].where(Y.index.year != 1955)),
            ValueError,
            r"series 'air' \(row\(s\) 1955-01-01.* have NaN after their first value"
            r".*may start late.*interpolate",
        ),
    ],
    ids=["text column", "NaN inside a series"],
)
def test_bad_panel_input(panel, change, error, match):
    Y = change(panel.drop(columns="short"))
    with pytest.raises(error, match=match):
        lstm_model().fit(Y, Y)


def test_x_and_y_series_must_match(panel):
    Y = panel.drop(columns="short")
    with pytest.raises(ValueError, match=r"y's series \['sun'\] are not columns of X"):
        lstm_model().fit(Y.drop(columns="sun"), Y)
    with pytest.raises(ValueError, match="y has 4 series .* 2 feature"):
        make_pipeline(MinMaxScaler(), WindowTransformer(6), LSTMForecaster()).fit(
            Y.to_numpy()[:, :2], Y.to_numpy()
        )


def test_forecast_refuses_covariates(panel):
    Y = panel[["air", "double"]]
    model = make_pipeline(WindowTransformer(6), CompleteWindows(Ridge()))
    model.fit(Y.assign(month=Y.index.month), Y)
    with pytest.raises(ValueError, match="fitted on 3 columns of X, history has 2"):
        forecast(model, Y, steps=2)


def test_scores_average_over_series():
    y_true = np.array([[1.0, np.nan], [2.0, 10.0], [4.0, 20.0], [8.0, 40.0]])
    y_pred = np.array([[np.nan, np.nan], [2.0, 12.0], [5.0, 20.0], [8.0, 30.0]])
    train = np.array([[0.0, 5.0], [1.0, 6.0], [2.0, 8.0]])
    # per series: MAE 1/3 over scale 1, MAE 12/3 over scale 1.5
    mase = mean_absolute_scaled_error(y_true, y_pred, y_train=train)
    assert mase == pytest.approx((1 / 3 + 4 / 1.5) / 2)
    # naive errors 1, 2, 4 and 10, 20 (no naive forecast of row 1 of the
    # second series); forecast errors 0, 1, 0 and 0, 10
    relative = relative_mean_absolute_error(y_true, y_pred)
    assert relative == pytest.approx(((1 / 3) / (7 / 3) + 5 / 15) / 2)


def test_weights_per_row_and_series(panel):
    """A weight of 0 for every row of one series takes it out of training:
    the same model as without that series."""
    Y = panel[["air", "double", "sun"]]
    model = make_pipeline(
        WindowTransformer(6), CompleteWindows(LinearRegression(), level="absolute")
    )
    weights = np.ones(Y.shape)
    weights[:, 2] = 0.0
    weighted = clone(model).fit(Y, Y, completewindows__sample_weight=weights)
    without = clone(model).fit(Y[["air", "double"]], Y[["air", "double"]])
    np.testing.assert_allclose(
        weighted[-1].regressor_.coef_, without[-1].regressor_.coef_, rtol=1e-8
    )
    lstm = make_pipeline(WindowTransformer(6), LSTMForecaster(**TINY_LSTM))
    with pytest.raises(ValueError, match=r"expected \(144,\) .* or \(144, 3\)"):
        lstm.fit(Y, Y, lstmforecaster__sample_weight=np.ones((144, 2)))
    lstm.fit(Y, Y, lstmforecaster__sample_weight=weights)
    assert np.isfinite(lstm.predict(Y)[12:, 2]).all()  # forecast, not trained on


def test_windows_over_the_series_range_serve_any_level_and_scale(panel):
    """Windows relative to their last value and over their series' range
    look the same for a series and 10 times it plus 500, without any scaler:
    the copy gets exactly that map of the original's forecast."""
    air = panel["air"]
    Y = pd.DataFrame({"air": air, "sun": panel["sun"], "copy": 10 * air + 500})
    model = make_pipeline(WindowTransformer(12), CompleteWindows(Ridge()))
    ahead = forecast(model.fit(Y, Y), Y, steps=3)
    np.testing.assert_allclose(ahead["copy"], 10 * ahead["air"] + 500, rtol=1e-9)


def test_a_series_too_short_to_train_on_is_forecast_in_its_own_units(panel):
    """A series with one window and no target (never trained on) is forecast
    from its own window, at its own level: ten times the passengers."""
    air = panel["air"]
    tail = (10 * air).where(np.arange(len(air)) >= len(air) - 12)
    Y = pd.DataFrame({"air": air, "sun": panel["sun"], "tail": tail})
    model = make_forecast_pipeline(
        CompleteWindows(Ridge()), time_step=12, output_steps=3, power=None
    )
    with pytest.warns(UserWarning, match="Series tail .* too short"):
        model.fit(Y, Y)
    ahead = forecast(model, Y, steps=4)
    np.testing.assert_allclose(ahead["tail"], 10 * ahead["air"], rtol=0.15)
