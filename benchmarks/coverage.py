"""Empirical coverage of ConformalForecaster's 90% intervals on the test parts.

Same protocol as ``accuracy.py`` (last 20% is the test part, at least 12
points; everything fitted on the first 80%): the default model
(`make_forecast_pipeline`) at time_step = 2 seasons, wrapped in
``ConformalForecaster`` (default ``cv=5``), then the share of test values
inside the one-step intervals and their lowest lower bound (0 or more: both
series are never below 0), and the first steps of a recursive forecast with
per-step intervals.

    python benchmarks/coverage.py
"""

import time
from pathlib import Path

import numpy as np
import pandas as pd

from sklstm import ConformalForecaster, LSTMForecaster, make_forecast_pipeline

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SEASONS = {"airline": 12, "sunspots": 11}


def main():
    """Print the coverage on each series."""
    for name, season in SEASONS.items():
        y = pd.read_csv(DATA / f"{name}.csv")["y"].to_numpy(float)
        n_test = max(12, int(np.ceil(0.2 * len(y))))
        n_train = len(y) - n_test
        X = y.reshape(-1, 1)
        start = time.perf_counter()
        default = make_forecast_pipeline(
            LSTMForecaster(random_state=0), time_step=2 * season
        )
        model = ConformalForecaster(default, coverage=0.9, max_steps=6)
        model.fit(X[:n_train], y[:n_train])
        lower, upper = model.predict_interval(X[n_train:]).T
        inside = (y[n_train:] >= lower) & (y[n_train:] <= upper)
        print(
            f"{name}: 90% intervals cover {inside.mean():.3f} of {n_test} test "
            f"points, lowest lower bound {lower.min():.1f} "
            f"({time.perf_counter() - start:.0f} s)"
        )
        print(model.forecast(y[:n_train], steps=6).round(1).to_string())


if __name__ == "__main__":
    main()
