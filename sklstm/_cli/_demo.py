"""The default model end to end on the airline series: ``python -m sklstm demo``.

The steps are small functions (``examples/plot_airline_demo.py`` writes the
same steps out with public API only, for readers to copy):

- `split_train_test`: the first 80% of the series is the train part;
- `sklstm.make_forecast_pipeline`: VarianceStabilizer -> MinMaxScaler ->
  WindowTransformer -> forecaster, the target stabilised the same way;
- `lstm_param_grid` and `sklstm._cli._search.search_forecaster`:
  GridSearchCV over ``TimeSeriesSplit(n_splits=3)`` with the mean absolute
  error;
- `sklstm._cli._search.search_results_table`: ``cv_results_`` as a table
  sorted by rank;
- `holdout_forecast` and `holdout_scores`: one-step-ahead forecasts of the
  test part and their MAE and MASE.

TensorFlow and matplotlib load inside the functions, so ``sklstm --help``
answers at once.
"""

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from .._baselines import NaiveForecaster, SeasonalNaiveForecaster
from .._pipeline import make_forecast_pipeline
from ..datasets import load_airline
from ..metrics import mean_absolute_scaled_error, seasonal_naive_mae
from ._search import (
    SCORING,
    best_params,
    make_lstm,
    search_forecaster,
    search_results_table,
)

SEASON = 12
"""Season length of the airline series in rows (months)."""

TRAIN_FRACTION = 0.8


def split_train_test(y, train_fraction=TRAIN_FRACTION):
    """Split a series in time: the first ``train_fraction`` is the train part.

    Parameters
    ----------
    y : pandas.Series
        The series, oldest first.
    train_fraction : float, default=0.8
        Share of the rows in the train part (rounded to a whole row).

    Returns
    -------
    y_train, y_test : pandas.Series
    """
    n_train = int(round(train_fraction * len(y)))
    return y.iloc[:n_train], y.iloc[n_train:]


def as_X(y):
    """The series as the one-column ``X`` of the data contract."""
    return y.to_frame()


def lstm_param_grid(*, quick=False):
    """The demo's grid: window length, LSTM width and epochs.

    Parameters
    ----------
    quick : bool, default=False
        Two tiny candidates instead of eight, for tests.

    Returns
    -------
    param_grid : dict
        Names for the model of `make_forecast_pipeline` (``regressor__...``).
    """
    if quick:
        grid = {"time_step": [SEASON], "units": [4], "epochs": [1, 2]}
    else:
        grid = {"time_step": [12, 24], "units": [16, 50], "epochs": [10, 20]}
    owner = {"time_step": "window", "units": "lstm", "epochs": "lstm"}
    return {f"regressor__{owner[k]}__{k}": v for k, v in grid.items()}


def fit_series(model, y_train):
    """Fit a forecasting pipeline on a series (``X`` = the series as a column)."""
    return model.fit(as_X(y_train), y_train)


def holdout_forecast(model, y_test):
    """One-step-ahead forecasts of the rows that follow the fitted series.

    Each forecast sees the true values before its row (the train part, then
    the test rows so far), never its own row.

    Parameters
    ----------
    model : fitted pipeline or search
        Fitted on the rows just before ``y_test``.
    y_test : pandas.Series

    Returns
    -------
    y_pred : pandas.Series
        With the index and name of ``y_test``.
    """
    return pd.Series(model.predict(as_X(y_test)), index=y_test.index, name=y_test.name)


def holdout_scores(y_test, y_pred, y_train, *, season=SEASON):
    """MAE and MASE of forecasts of the test part.

    MASE (`sklstm.metrics.mean_absolute_scaled_error`) is the MAE divided by
    the in-sample MAE of the seasonal naive forecast on the train part: below
    1 beats that naive forecast's typical train error. Unlike the metric, a
    NaN forecast is an error here: every held-out row must be forecast.

    Parameters
    ----------
    y_test, y_pred : array-like of shape (n_test,)
    y_train : array-like
        The train part, for the scale of MASE.
    season : int, default=12

    Returns
    -------
    scores : dict
        ``{"MAE": float, "MASE": float}``.
    """
    y_test = np.asarray(y_test, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    if np.isnan(y_pred).any():
        raise ValueError(
            "Some forecasts are NaN: the model was not fitted on the rows right "
            "before the test part."
        )
    mase = mean_absolute_scaled_error(y_test, y_pred, y_train=y_train, season=season)
    return {"MAE": float(np.mean(np.abs(y_test - y_pred))), "MASE": float(mase)}


def baseline_pipelines():
    """The reference rows of every comparison: naive and seasonal naive.

    The same pipeline as the others with a baseline in the forecaster's
    place; the baselines map the scaled window back to the units of ``y``.

    Returns
    -------
    baselines : dict of str to Pipeline
        Unfitted, windows of one season.
    """
    return {
        "naive": make_forecast_pipeline(NaiveForecaster()),
        f"seasonal naive (season {SEASON})": make_forecast_pipeline(
            SeasonalNaiveForecaster(season=SEASON)
        ),
    }


def format_scores(scores):
    """A table of held-out scores, one row per model, as text."""
    frame = pd.DataFrame(scores).T
    frame.index.name = "model"
    return frame.to_string(float_format=lambda v: f"{v:.3f}")


def _span(y):
    return f"{y.index[0]:%Y-%m} to {y.index[-1]:%Y-%m}"


def run_demo(output="sklstm-demo.png", *, quick=False, seed=0, stream=None):
    """Search, score and plot the default LSTM model on the airline series.

    Parameters
    ----------
    output : str or Path, default="sklstm-demo.png"
        Where the figure is saved (PNG).
    quick : bool, default=False
        Tiny networks and two candidates, for tests.
    seed : int, default=0
        ``random_state`` of the LSTM.
    stream : file, default=sys.stdout
        Where the report is printed.

    Returns
    -------
    exit_code : int
        0.
    """
    stream = sys.stdout if stream is None else stream

    def say(*lines):
        print(*lines, sep="\n", file=stream, flush=True)

    start = time.perf_counter()
    y = load_airline()
    y_train, y_test = split_train_test(y)
    say(
        "sklstm demo: the default LSTM model (make_forecast_pipeline) on the airline "
        "passengers series" + (" (--quick: tiny networks)" if quick else ""),
        f"data: {len(y)} months, train {len(y_train)} ({_span(y_train)}), "
        f"test {len(y_test)} ({_span(y_test)})",
    )

    pipeline = make_forecast_pipeline(make_lstm(quick=quick, seed=seed))
    param_grid = lstm_param_grid(quick=quick)
    n_candidates = int(np.prod([len(v) for v in param_grid.values()]))
    say(
        f"search: GridSearchCV, {n_candidates} candidates x TimeSeriesSplit"
        f"(n_splits=3), scoring={SCORING!r} ...",
    )
    search = search_forecaster(pipeline, param_grid, y_train)
    table = search_results_table(search)
    say("", table.to_string(index=False, float_format=lambda v: f"{v:.2f}"), "")

    scores = {}
    y_pred = holdout_forecast(search, y_test)
    best = ", ".join(f"{k}={v}" for k, v in best_params(table).items())
    scores[f"LSTM ({best})"] = holdout_scores(y_test, y_pred, y_train)
    for name, baseline in baseline_pipelines().items():
        fit_series(baseline, y_train)
        scores[name] = holdout_scores(
            y_test, holdout_forecast(baseline, y_test), y_train
        )
    say(
        f"held-out one-step-ahead forecasts of the test part ({len(y_test)} months):",
        format_scores(scores),
        f"MASE = MAE / {seasonal_naive_mae(y_train, season=SEASON):.2f}, "
        "the in-sample MAE of the",
        f"seasonal naive forecast (season {SEASON}) on the train part.",
        "",
    )

    ax = _plot(y_train, y_test, y_pred, best)
    output = Path(output)
    ax.figure.savefig(output, dpi=120)
    say(f"plot saved to {output.resolve()}")
    say(f"done in {time.perf_counter() - start:.0f} s")
    return 0


def _plot(y_train, y_test, y_pred, best):
    from ..plotting import plot_forecast

    return plot_forecast(
        y_test,
        y_pred,
        train=y_train,
        title=f"Airline passengers: one-step-ahead LSTM forecasts ({best})",
    )
