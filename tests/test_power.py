"""VarianceStabilizer and make_forecast_pipeline."""

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import PowerTransformer
from sklearn.utils._param_validation import InvalidParameterError

from sklstm import (
    CompleteWindows,
    LSTMForecaster,
    NaiveForecaster,
    VarianceStabilizer,
    load_airline,
    make_forecast_pipeline,
)
from sklstm.forecasting import recursive_forecast
from sklstm.metrics import mean_absolute_scaled_error

from .conftest import TINY_LSTM, read_shared_series


@pytest.mark.parametrize("power", ["auto", 0.0, 0.3, 0.5, 1.0])
def test_round_trip_on_positive_negative_and_missing_values(power):
    rng = np.random.default_rng(0)
    X = np.column_stack(
        [
            np.exp(rng.normal(3, 1, 200)),  # positive, skewed
            rng.normal(-5, 3, 200),  # mostly negative
            rng.normal(0, 1, 200),
        ]
    )
    X[:3, 0] = np.nan
    stabilizer = VarianceStabilizer(power=power).fit(X)
    Z = stabilizer.transform(X)
    assert np.array_equal(np.isnan(Z), np.isnan(X))
    np.testing.assert_allclose(stabilizer.inverse_transform(Z), X, rtol=1e-10)
    assert ((stabilizer.lambdas_ >= 0) & (stabilizer.lambdas_ <= 1)).all()


def test_every_forecast_transforms_back():
    """Forecasts far outside the transformed training range have an inverse:
    PowerTransformer's own exponent for this series (below 0) would bound the
    range and turn a trending forecast into NaN."""
    rng = np.random.default_rng(1)
    X = np.exp(rng.normal(0, 2, (300, 1)))  # PowerTransformer picks lambda < 0
    stabilizer = VarianceStabilizer().fit(X)
    assert stabilizer.lambdas_[0] == 0.0
    far = np.array([[-1e3], [-1.0], [0.0], [50.0], [700.0]])
    back = stabilizer.inverse_transform(far)
    assert np.isfinite(back).all()
    assert (np.diff(back[:, 0]) > 0).all()  # still increasing


def test_auto_exponents_are_powertransformers_for_every_kind_of_column():
    """All columns searched at once find PowerTransformer's exponent of each
    column alone (its NaN dropped), to the precision of the likelihood."""
    rng = np.random.default_rng(3)
    n = 144  # the airline series' length
    late = np.r_[np.full(60, np.nan), rng.gamma(2.0, 3.0, n - 60)]
    columns = {
        "airline": load_airline().to_numpy()[:n],
        "sunspots": read_shared_series("sunspots").to_numpy()[:n],
        "skewed": np.exp(rng.normal(0, 2, n)),
        "negative": -np.exp(rng.normal(1, 0.5, n)),
        "mixed": rng.normal(0.5, 2.0, n),
        "tiny": rng.normal(0, 1e-6, n),
        "late start": late,
        "zeros": np.zeros(n),
    }
    X = np.column_stack(list(columns.values()))
    found = VarianceStabilizer().fit(X).lambdas_
    for j, (name, column) in enumerate(columns.items()):
        kept = column[~np.isnan(column)].reshape(-1, 1)
        with np.errstate(all="ignore"):
            expected = PowerTransformer(standardize=False).fit(kept).lambdas_[0]
        assert found[j] == pytest.approx(np.clip(expected, 0, 1), abs=1e-5), name
    assert found[list(columns).index("zeros")] == 1.0


def test_auto_power_follows_the_series():
    airline = load_airline().to_frame()
    assert VarianceStabilizer().fit(airline).lambdas_[0] < 0.2  # close to log
    assert VarianceStabilizer().fit(np.full((30, 1), 4.0)).lambdas_[0] == 1.0
    exact = np.array([[0.0], [3.0], [8.0]])
    identity = VarianceStabilizer(power=1).fit(exact)
    assert np.array_equal(identity.transform(exact), exact)
    log = VarianceStabilizer(power=0).fit(exact)
    np.testing.assert_allclose(log.transform(exact), np.log1p(exact))


def test_input_kept_and_pandas_output_keeps_the_dates():
    y = load_airline()
    X = y.to_frame()
    before = X.copy()
    out = VarianceStabilizer().set_output(transform="pandas").fit_transform(X)
    pd.testing.assert_frame_equal(X, before)
    assert out.index.equals(X.index)
    assert list(out.columns) == list(X.columns)


def test_power_out_of_range_is_refused():
    with pytest.raises(InvalidParameterError, match="'power' parameter"):
        VarianceStabilizer(power=1.5).fit([[1.0], [2.0]])


def test_pipeline_layout_and_the_recipe_without_power():
    model = make_forecast_pipeline(NaiveForecaster(), time_step=6, horizon=3)
    assert isinstance(model, TransformedTargetRegressor)
    assert model.regressor.named_steps["window"].horizon == 3
    assert isinstance(model.transformer, VarianceStabilizer)
    assert list(model.regressor.named_steps) == ["stabilize", "scale", "window", "lstm"]
    assert model.get_params()["regressor__window__time_step"] == 6
    recipe = make_forecast_pipeline(NaiveForecaster(), power=None)
    assert isinstance(recipe, Pipeline)
    assert list(recipe.named_steps) == ["scale", "window", "lstm"]
    assert isinstance(make_forecast_pipeline().regressor[-1], LSTMForecaster)


def test_stabilising_sunspots_beats_the_plain_linear_autoregression():
    """The reason it is the default, on real data with the benchmark's split:
    the same closed-form ridge on the stabilised series scores a lower MASE."""
    y = read_shared_series("sunspots").to_numpy()
    n_train = len(y) - 62
    X = y.reshape(-1, 1)
    scores = {}
    for power in ("auto", None):
        ridge = CompleteWindows(RidgeCV(np.logspace(-6, 2, 9)))
        model = make_forecast_pipeline(ridge, time_step=11, power=power)
        y_pred = model.fit(X[:n_train], y[:n_train]).predict(X[n_train:])
        scores[power] = mean_absolute_scaled_error(
            y[n_train:], y_pred, y_train=y[:n_train], season=11
        )
    assert scores["auto"] < 0.65 < 0.69 < scores[None]


def test_search_forecast_and_naive_in_the_units_of_y():
    y = load_airline()
    X = y.to_frame()
    naive = make_forecast_pipeline(NaiveForecaster()).fit(X[:100], y[:100])
    # the naive forecast is the last value, whatever the transform
    np.testing.assert_allclose(naive.predict(X[100:]), y.to_numpy()[99:-1])

    search = GridSearchCV(
        make_forecast_pipeline(LSTMForecaster(**TINY_LSTM)),
        {"regressor__window__time_step": [6, 12]},
        cv=TimeSeriesSplit(n_splits=2),
        scoring="neg_mean_absolute_error",
        error_score="raise",
    ).fit(X[:100], y[:100])
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    y_pred = search.predict(X[100:])
    assert np.isfinite(y_pred).all()
    assert np.abs(y_pred - y.to_numpy()[100:]).mean() < 60  # passengers, not scaled

    forecast = recursive_forecast(search.best_estimator_, y[:100], steps=6)
    assert list(forecast.index) == list(y.index[100:106])
    assert np.isfinite(forecast).all()


def test_direct_horizon_model_forecasts_from_actual_values_only():
    """With horizon=3 each row is forecast from values 3 or more steps back:
    the naive forecast of month t is the value of month t - 3."""
    y = load_airline()
    X = y.to_frame()
    model = make_forecast_pipeline(NaiveForecaster(horizon=3), time_step=6, horizon=3)
    y_pred = model.fit(X[:100], y[:100]).predict(X[100:])
    np.testing.assert_allclose(y_pred, y.to_numpy()[97:-3])


def test_a_column_without_values_keeps_exponent_1():
    """A series that has not started in a search fold: nothing to choose."""
    X = np.column_stack([np.arange(1.0, 11.0), np.full(10, np.nan)])
    X[9, 1] = 5.0  # one value is not enough either
    stabilizer = VarianceStabilizer().fit(X)
    assert stabilizer.lambdas_[1] == 1.0 and 0 <= stabilizer.lambdas_[0] <= 1
    np.testing.assert_array_equal(stabilizer.transform(X)[:, 1], X[:, 1])
