"""How fitting one global model grows with the number of series.

Synthetic panels of 200 monthly steps (seasonal, trending, noisy series at
levels from 1 to 10,000; a tenth start late), 100, 1,000 and 10,000 series,
each in a fresh process: ``make_forecast_pipeline(LSTMForecaster(
random_state=0, epochs=E), time_step=36, output_steps=18)`` fitted on the
whole panel, then ``forecast(model, Y, 18)``. Reported: the time of the
preprocessing and windows (the Pipeline's transformers), of the linear path
(the closed-form ridge of every output step), of the network's epochs, of
the forecast, the peak resident memory above the memory before the fit, and
the size that one float64 copy of the training windows would take, which
the fit never makes.

Run from the repository root::

    python benchmarks/many_series_scale.py                 # 100, 1k, 10k; 1 epoch
    python benchmarks/many_series_scale.py --series 100 1000 --epochs 2
    python benchmarks/many_series_scale.py --output benchmarks/many_series.md

Progress goes to stderr, the markdown table to stdout (and ``--output``).
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
import warnings

import numpy as np
import pandas as pd

TIME_STEP, OUTPUT_STEPS, N_STEPS = 36, 18, 200


def synthetic_panel(n_series, seed=0):
    """``n_series`` monthly series of `N_STEPS` steps; a tenth start late."""
    rng = np.random.default_rng(seed)
    t = np.arange(N_STEPS)[:, None]
    level = 10 ** rng.uniform(0, 4, n_series)
    season = 0.2 * np.sin(2 * np.pi * (t / 12 + rng.uniform(0, 1, n_series)))
    trend = rng.normal(0, 0.003, n_series) * t
    noise = np.cumsum(rng.normal(0, 0.02, (N_STEPS, n_series)), axis=0)
    values = level * np.exp(season + trend + noise)
    late = rng.random(n_series) < 0.1
    start = rng.integers(0, N_STEPS // 2, n_series)
    values[(t < start) & late] = np.nan
    return pd.DataFrame(values, columns=[f"s{i}" for i in range(n_series)])


def peak_rss_mb():
    """Peak resident set size of this process so far, in MB (Linux: KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(n_series, epochs):
    """Fit and forecast one panel in this (fresh) process; the figures."""
    from sklstm import LSTMForecaster, make_forecast_pipeline
    from sklstm._lstm._forecaster import LSTMForecaster as Forecaster
    from sklstm._lstm._linear import RidgeAutoregression
    from sklstm.forecasting import forecast

    timings = {"linear path": 0.0, "epochs": 0.0}

    running = set()

    def timed(name, function):
        """Time the outermost calls only: the linear path of several output
        steps fits one `RidgeAutoregression` a step from inside its own fit."""

        def wrapper(*args, **kwargs):
            if name in running:
                return function(*args, **kwargs)
            running.add(name)
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                timings[name] += time.perf_counter() - start
                running.discard(name)

        return wrapper

    RidgeAutoregression.fit = timed("linear path", RidgeAutoregression.fit)
    Forecaster._fit_keras_model = timed("epochs", Forecaster._fit_keras_model)
    Y = synthetic_panel(n_series)
    base = peak_rss_mb()  # TensorFlow is loaded: importing _forecaster loads it
    model = make_forecast_pipeline(
        LSTMForecaster(random_state=0, epochs=epochs),
        time_step=TIME_STEP,
        output_steps=OUTPUT_STEPS,
    )
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(Y, Y)
    fit_seconds = time.perf_counter() - start
    start = time.perf_counter()
    ahead = forecast(model, Y, OUTPUT_STEPS)
    forecast_seconds = time.perf_counter() - start
    lstm = model.regressor_[-1]
    n_windows = int((Y.notna().sum() - TIME_STEP).clip(lower=0).sum())
    return {
        "series": n_series,
        "windows": n_windows,
        "batch": lstm.batch_size_,
        "fit s": round(fit_seconds, 1),
        "windows and scaling s": round(
            fit_seconds - timings["linear path"] - timings["epochs"], 1
        ),
        "linear path s": round(timings["linear path"], 1),
        "s per epoch": round(timings["epochs"] / epochs, 1),
        "forecast s": round(forecast_seconds, 1),
        "peak RSS growth MB": round(peak_rss_mb() - base),
        "a copy of the windows MB": round(n_windows * TIME_STEP * 8 / 2**20),
        "finite forecasts": bool(np.isfinite(ahead.to_numpy()).all()),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--output")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.epochs)))
        return
    rows = []
    for n_series in args.series:
        print(f"{n_series} series ...", file=sys.stderr, flush=True)
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                str(n_series),
                "--epochs",
                str(args.epochs),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    header = list(rows[0])
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(str(row[key]) for key in header) + " |" for row in rows),
    ]
    import sklearn
    import tensorflow

    report = "\n".join(
        [
            f"`python benchmarks/many_series_scale.py {' '.join(argv or sys.argv[1:])}`"
            f" ({os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"TensorFlow {tensorflow.__version__}, scikit-learn "
            f"{sklearn.__version__}; epochs={args.epochs})",
            "",
            *lines,
            "",
        ]
    )
    print(report)
    if args.output:
        with open(args.output, "a") as file:
            file.write(report + "\n")


if __name__ == "__main__":
    main()
