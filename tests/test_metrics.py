"""Forecasting scores and their scorer."""

import numpy as np
import pytest
from sklearn.linear_model import Ridge
from sklearn.model_selection import TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline

from sklstm import CompleteWindows, NaiveForecaster, WindowTransformer
from sklstm.metrics import (
    mean_absolute_scaled_error,
    relative_mae_scorer,
    relative_mean_absolute_error,
)


def test_mase_by_hand():
    y_train = np.array([1.0, 3.0, 2.0, 6.0])  # naive errors 2, 1, 4: scale 7/3
    assert mean_absolute_scaled_error([7.0, 8.0], [6.0, 8.0], y_train=y_train) == (
        pytest.approx(0.5 / (7 / 3))
    )
    seasonal = mean_absolute_scaled_error([7.0], [6.0], y_train=y_train, season=2)
    assert seasonal == pytest.approx(1 / 2)  # seasonal errors 1, 3


def test_nan_forecasts_are_left_out():
    assert mean_absolute_scaled_error(
        [9.0, 5.0, 6.0], [np.nan, 4.0, 6.0], y_train=[1.0, 2.0, 3.0]
    ) == pytest.approx(0.5)
    assert relative_mean_absolute_error(
        [1.0, 2.0, 4.0, 8.0], [np.nan, np.nan, 4.0, 6.0]
    ) == pytest.approx(1.0 / 3.0)


def test_naive_forecast_scores_exactly_one():
    y = np.cumsum(np.random.default_rng(0).normal(size=50))
    naive = np.r_[np.nan, y[:-1]]
    assert relative_mean_absolute_error(y, naive) == pytest.approx(1.0)


def test_scorer_in_cross_validation_matches_naive_pipeline():
    y = np.cumsum(np.random.default_rng(1).normal(size=80))
    pipe = make_pipeline(WindowTransformer(3), NaiveForecaster())
    scores = cross_val_score(
        pipe, y.reshape(-1, 1), y, cv=TimeSeriesSplit(3), scoring=relative_mae_scorer
    )
    np.testing.assert_allclose(scores, -1.0)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: relative_mean_absolute_error([1.0, 2.0], [1.0]), "same rows"),
        (lambda: relative_mean_absolute_error([1.0], [1.0]), "more than season"),
        (lambda: mean_absolute_scaled_error([1.0], [1.0], y_train=[1.0]), "y_train"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_score_takes_one_weight_a_row():
    """`score`'s sample_weight on one series: a weight of 0 leaves a row out,
    and a weight of the wrong length is refused by name."""
    y = np.cumsum(np.random.default_rng(2).normal(size=40)) + 50
    X = WindowTransformer(3).fit_transform(y.reshape(-1, 1))
    naive = NaiveForecaster().fit(X, y)
    weights = np.r_[np.zeros(20), np.ones(20)]
    assert naive.score(X, y, sample_weight=weights) == pytest.approx(
        naive.score(X[20:], y[20:])
    )
    assert naive.score(X, y, sample_weight=np.ones(40)) == naive.score(X, y)
    with pytest.raises(ValueError, match=r"sample_weight has shape \(39,\).*\(40,\)"):
        naive.score(X, y, sample_weight=np.ones(39))


def test_score_weights_rows_of_every_series():
    """With several series, one weight a row weighs that row of every series,
    as the same weight repeated for each series does."""
    Y = np.cumsum(np.random.default_rng(3).normal(size=(40, 2)), axis=0) + 50
    X = WindowTransformer(3).fit_transform(Y)
    model = CompleteWindows(Ridge()).fit(X, Y)
    weights = np.linspace(0, 1, 40)
    assert model.score(X, Y, sample_weight=weights) == pytest.approx(
        model.score(X, Y, sample_weight=np.repeat(weights[:, None], 2, axis=1))
    )


def test_a_series_without_a_scale_has_no_score_in_a_panel():
    """A constant series (scale 0) or one too short for the season has no
    MASE among several, as fev leaves such series out; the panel's score is
    the others' (it was inf, or an error for the whole panel)."""
    train = np.c_[np.arange(10.0), np.full(10, 5.0), np.r_[np.full(8, np.nan), 1, 2]]
    actual = np.c_[[10.0, 11.0], [5.0, 6.0], [3.0, 4.0]]
    forecast = np.c_[[10.0, 12.0], [5.0, 5.0], [3.0, 4.0]]
    assert mean_absolute_scaled_error(actual, forecast, y_train=train, season=2) == (
        pytest.approx(0.5 / 2)  # the first series alone: MAE 0.5, scale 2
    )
    relative = relative_mean_absolute_error(
        np.c_[np.arange(5.0), np.full(5, 3.0)], np.c_[np.arange(5.0) + 0.5, [3.0] * 5]
    )
    assert relative == pytest.approx(0.5)  # the constant series has no score
    assert mean_absolute_scaled_error([1.0], [2.0], y_train=[5.0, 5.0]) == np.inf
