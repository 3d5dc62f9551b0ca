"""
LSTM against gradient boosting, ridge and naive forecasts
=========================================================

``WindowTransformer`` turns the series into an ordinary lag matrix, so any
scikit-learn regressor can take ``LSTMForecaster``'s place in the pipeline.
This example runs the same search as ``python -m sklstm demo`` for five
forecasters on the airline passengers series and compares their held-out
one-step-ahead errors:

- ``LSTMForecaster`` with its defaults (linear path + LSTM);
- ``HistGradientBoostingRegressor`` as it is (it accepts the NaN that marks
  the rows without a full window);
- ``CompleteWindows(Ridge())``: ridge rejects NaN, so it is wrapped to train
  on the complete windows only;
- ``NaiveForecaster`` (last value) and ``SeasonalNaiveForecaster`` (same month
  last year), the references any model has to beat.

Set ``SKLSTM_EXAMPLE_QUICK=1`` for tiny settings and
``SKLSTM_EXAMPLE_OUTPUT=<folder>`` to save the figures there.
"""

# Imports sit in the cells that use them, as in scikit-learn's examples.
# ruff: noqa: E402

# %%
# Settings and data
# -----------------
import os
from pathlib import Path

from sklstm import load_airline
from sklstm._demo import split_train_test

QUICK = os.environ.get("SKLSTM_EXAMPLE_QUICK") == "1"
OUTPUT = os.environ.get("SKLSTM_EXAMPLE_OUTPUT")

y = load_airline()
y_train, y_test = split_train_test(y, train_fraction=0.8)

# %%
# The contenders
# --------------
# Each one sits in the same model, ``make_forecast_pipeline(forecaster)``:
# ``VarianceStabilizer -> MinMaxScaler -> WindowTransformer -> forecaster``,
# the target stabilised the same way and the forecasts transformed back to
# passengers. Each is searched over the window length; the LSTM also over its
# width and epochs. The naive forecasts repeat a past value of the series.
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import Ridge

from sklstm import CompleteWindows, make_forecast_pipeline
from sklstm._demo import baseline_pipelines, lstm_param_grid, make_lstm

STEP = "forecaster"
windows = {"regressor__window__time_step": [12] if QUICK else [12, 24]}
contenders = {
    "LSTM": (
        make_forecast_pipeline(make_lstm(quick=QUICK, seed=0), step=STEP),
        lstm_param_grid(quick=QUICK, step=STEP),
    ),
    "HistGradientBoosting": (
        make_forecast_pipeline(HistGradientBoostingRegressor(), step=STEP),
        windows,
    ),
    "CompleteWindows(Ridge)": (
        make_forecast_pipeline(CompleteWindows(Ridge()), step=STEP),
        windows,
    ),
}
contenders.update(
    (name, (pipe, windows)) for name, pipe in baseline_pipelines(step=STEP).items()
)

# %%
# The same search for every contender
# -----------------------------------
# ``GridSearchCV`` over ``TimeSeriesSplit(n_splits=3)`` on the train part,
# scored by the mean absolute error; the best candidate is refitted on the
# whole train part and forecasts the held-out months one step ahead.
import pandas as pd

from sklstm._demo import (
    best_params,
    holdout_forecast,
    holdout_scores,
    search_forecaster,
    search_results_table,
)

rows, forecasts = {}, {}
for name, (pipe, param_grid) in contenders.items():
    search = search_forecaster(pipe, param_grid, y_train, n_splits=3)
    table = search_results_table(search)
    forecasts[name] = holdout_forecast(search, y_test)
    rows[name] = {
        "best": ", ".join(f"{k}={v}" for k, v in best_params(table).items()),
        "CV MAE": table["mean test MAE"].iloc[0],
        **holdout_scores(y_test, forecasts[name], y_train),
    }

comparison = pd.DataFrame(rows).T.astype({"CV MAE": float, "MAE": float, "MASE": float})
comparison = comparison.sort_values("MASE")
print(comparison.to_string(float_format=lambda v: f"{v:.3f}"))

# %%
# MASE below 1 means an error smaller than the seasonal naive forecast's
# typical error on the train part. In the full run (not ``QUICK``) the LSTM
# model is first (0.374), then the ridge autoregression (0.858), ahead of the
# seasonal naive (1.40) and naive (1.52) forecasts; gradient boosting comes
# last (2.33). The test months climb above the highest value of the train
# part: the LSTM's linear path and the ridge extrapolate the trend (the
# ridge's fixed ``alpha=1`` shrinks it on windows scaled to [0, 1], where the
# linear path chooses its penalty by leave-one-out), while the trees of
# gradient boosting cannot forecast beyond the values they were trained on.

# %%
# Held-out MASE
# -------------
from matplotlib.figure import Figure

fig = Figure(figsize=(8, 3.5), layout="constrained")
ax = fig.add_subplot()
ax.barh(comparison.index, comparison["MASE"], color="C0")
ax.axvline(1.0, color="0.3", linestyle=":")
ax.invert_yaxis()
ax.set_xlabel("held-out MASE (lower is better; dotted: 1)")
ax.set_title("One-step-ahead forecasts of the last 20% of the airline series")

# %%
# Forecasts of the held-out months
# --------------------------------
from sklstm.plotting import plot_forecast

forecast_fig = Figure(figsize=(9, 2.2 * len(forecasts)), layout="constrained")
axes = forecast_fig.subplots(len(forecasts), 1, sharex=True)
for panel, name in zip(axes, comparison.index, strict=True):
    plot_forecast(y_test, forecasts[name], ax=panel, title=name)
    panel.label_outer()  # month and dates on the bottom panel only

if OUTPUT:
    fig.savefig(Path(OUTPUT) / "model_comparison_mase.png", dpi=120)
    forecast_fig.savefig(Path(OUTPUT) / "model_comparison_forecasts.png", dpi=120)
