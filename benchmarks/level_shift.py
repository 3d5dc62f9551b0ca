"""The recipe's layout on a level shift, beside the recommended model.

Series: the shared ``airline`` and ``sunspots``, and two synthetic monthly
series of 144 steps whose level jumps by 40 at step 125, inside the test
part: ``shift`` (a season of amplitude 10, noise, a slow random walk: a
level that the training part never leaves) and ``trend-shift`` (a season of
amplitude 15 on a random walk with drift). Protocol of
``benchmarks/accuracy.py``: the last 20% (at least 12 steps) is the test
part, forecast one step ahead from the actual values before each step;
MASE against the in-sample seasonal naive forecast (season 12).

Models: the recipe's layout ``Pipeline([MinMaxScaler(),
WindowTransformer(12), LSTMForecaster(random_state=0)])`` with its linear
path alone beside it (the network's output set to 0),
``make_forecast_pipeline(LSTMForecaster(random_state=0), time_step=12)``,
``Ridge()`` on the unscaled windows and the naive forecast. ``--search``
tunes the two LSTM models as the README does (``GridSearchCV`` over
``time_step`` 12, 24 and ``units`` 16, 50, ``TimeSeriesSplit(3)``).

Run from the repository root::

    python benchmarks/level_shift.py [--search]
"""

import argparse
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import MinMaxScaler

from sklstm import (
    CompleteWindows,
    LSTMForecaster,
    NaiveForecaster,
    WindowTransformer,
    make_forecast_pipeline,
)

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SEASON = 12


def synthetic(trend, seed):
    """144 monthly values whose level jumps by 40 at step 125."""
    rng = np.random.default_rng(seed)
    steps = np.arange(144)
    if trend:
        y = (
            200
            + np.cumsum(rng.normal(0.5, 3, 144))
            + 15 * np.sin(2 * np.pi * steps / 12)
        )
    else:
        y = (
            100
            + 10 * np.sin(2 * np.pi * steps / 12)
            + 0.5 * np.cumsum(rng.normal(0, 1, 144))
            + rng.normal(0, 2, 144)
        )
    y[125:] += 40
    return y


def load(name):
    if name == "shift":
        return synthetic(trend=False, seed=0)
    if name == "trend-shift":
        return synthetic(trend=True, seed=1)
    return pd.read_csv(DATA / f"{name}.csv")["y"].to_numpy(float)


def models(search):
    """The models to compare, by label."""
    recipe = Pipeline(
        [
            ("scale", MinMaxScaler()),
            ("window", WindowTransformer(SEASON)),
            ("lstm", LSTMForecaster(random_state=0)),
        ]
    )
    recommended = make_forecast_pipeline(LSTMForecaster(random_state=0), time_step=12)
    if search:
        grid = {"window__time_step": [12, 24], "lstm__units": [16, 50]}
        recipe = GridSearchCV(recipe, grid, cv=TimeSeriesSplit(3))
        recommended = GridSearchCV(
            recommended,
            {f"regressor__{key}": values for key, values in grid.items()},
            cv=TimeSeriesSplit(3),
        )
    return {
        "recipe layout": recipe,
        "recommended": recommended,
        "Ridge(), unscaled windows": make_pipeline(
            WindowTransformer(SEASON), CompleteWindows(Ridge())
        ),
        "naive": make_pipeline(WindowTransformer(1), NaiveForecaster()),
    }


def mase(actual, forecast, train):
    scale = np.mean(np.abs(train[SEASON:] - train[:-SEASON]))
    return np.mean(np.abs(actual - forecast)) / scale


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--search", action="store_true", help="tune as the README")
    search = parser.parse_args().search
    names = ["airline", "sunspots", "shift", "trend-shift"]
    rows = {}
    for name in names:
        y = load(name)
        cut = len(y) - max(SEASON, len(y) // 5)
        X = y[:, None]
        for label, model in models(search).items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                model.fit(X[:cut], y[:cut])
            rows.setdefault(label, {})[name] = mase(
                y[cut:], model.predict(X[cut:]), y[:cut]
            )
            if label == "recipe layout":
                fitted = model.best_estimator_ if search else model
                lstm = fitted[-1]
                lstm.target_scale_ = lstm.target_offset_ = 0.0
                rows.setdefault("recipe layout, linear path alone", {})[name] = mase(
                    y[cut:], fitted.predict(X[cut:]), y[:cut]
                )
    print("| model | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 1) + "|")
    for label, scores in rows.items():
        print(f"| {label} | " + " | ".join(f"{scores[n]:.3f}" for n in names) + " |")


if __name__ == "__main__":
    main()
