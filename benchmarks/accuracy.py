"""One-step-ahead accuracy of sklstm against simple and statistical baselines.

The protocol is that of ``../shared/BASELINES.md``:

* the last 20% of each series (at least 12 points) is the test part; every
  model is fitted and tuned on the first 80% only;
* each test point is forecast one step ahead from the actual values before it.
  With sklstm that is ``pipeline.fit(X_train, y_train).predict(X_test)``:
  `WindowTransformer` continues the windows of ``X_test`` from the end of the
  fitted data, so row ``t`` of the test part sees the actual values up to
  ``t - 1`` and nothing later;
* score: MASE = MAE on the test part / in-sample MAE of the seasonal naive
  forecast on the train part. Below 1 beats the seasonal naive forecast.

Every sklstm model is the Pipeline ``MinMaxScaler -> WindowTransformer ->
regressor`` with ``X`` = the series as one column and ``y`` = the same series;
the ``power-`` variants are the model of `sklstm.make_forecast_pipeline`, the
same Pipeline behind a `VarianceStabilizer` (for ``X`` and ``y``).
The LSTM variants are tuned by ``GridSearchCV(cv=TimeSeriesSplit(3))`` on the
train part over ``window__time_step`` in ``[s, 2s]`` (``s`` = season) and
``lstm__units`` in ``[16, 50]``.

Run from the repository root::

    python benchmarks/accuracy.py                      # everything (~25 min)
    python benchmarks/accuracy.py --quick              # smoke run (~5 min)
    python benchmarks/accuracy.py --series airline --variants ridge,recipe
    python benchmarks/accuracy.py --output benchmarks/accuracy.md

Times are for 2 CPU cores. statsforecast's AutoETS and AutoARIMA are added
when ``statsforecast`` imports (``pip install statsforecast``), else skipped
with a note. Progress goes to stderr, the markdown tables to stdout (and to
``--output``).
"""

import argparse
import math
import os
import platform
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.exceptions import FitFailedWarning
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from sklstm import (
    CompleteWindows,
    NaiveForecaster,
    SeasonalNaiveForecaster,
    WindowTransformer,
    make_forecast_pipeline,
)
from sklstm.metrics import mean_absolute_scaled_error as mase

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

#: Series name -> season length.
SEASONS = {"airline": 12, "sunspots": 11, "synthetic": 12}

#: LSTM variants: name in the table -> LSTMForecaster parameters. Every flag
#: is spelled out, so that a change of the defaults does not change a row.
LSTM_VARIANTS = {
    "recipe": dict(linear_path=False, window_norm=False, early_stopping=False),
    "linear": dict(linear_path=True, window_norm=False, early_stopping=False),
    "linear-norm": dict(linear_path=True, window_norm=True, early_stopping=False),
    "linear-norm-es": dict(linear_path=True, window_norm=True, early_stopping=True),
}
#: "<variant>-trained": the residual network trained harder. Does it move off
#: its zero start, and does it then learn what the linear path leaves, or
#: overfit? On windows in [0, 1] it barely moves; on the standardised relative
#: windows of window_norm it learns.
LSTM_VARIANTS.update(
    {
        f"{key}-trained": {**LSTM_VARIANTS[key], "learning_rate": 0.01, "epochs": 100}
        for key in ("linear", "linear-norm")
    }
)
#: "power-<variant>": the same LSTM on the series stabilised by
#: `VarianceStabilizer` (X and y; forecasts transformed back): the model of
#: `make_forecast_pipeline`. "power-linear" is the default model.
LSTM_VARIANTS.update(
    {
        f"power-{key}": LSTM_VARIANTS[key]
        for key in (
            "recipe",
            "linear",
            "linear-norm",
            "linear-trained",
            "linear-norm-trained",
        )
    }
)

#: Variant key -> label in the table, in table order.
LABELS = {
    "naive": "NaiveForecaster",
    "snaive": "SeasonalNaiveForecaster",
    "ridge": "CompleteWindows(Ridge()), time_step = 2 seasons",
    # The same without MinMaxScaler: the windows in the units of y. The naive
    # rows check that the baselines map scaled windows back to the units of y;
    # Ridge(alpha=1) shrinks far less on unscaled windows, which is what
    # BASELINES.md's 0.397 / 0.711 were measured with.
    "naive-raw": "NaiveForecaster, no scaler",
    "snaive-raw": "SeasonalNaiveForecaster, no scaler",
    "ridge-raw": "CompleteWindows(Ridge()), no scaler",
    "recipe-as-written": (
        "LSTM recipe as written, untuned (time_step = min(100, n_train/3), units 50)"
    ),
    "recipe": "LSTM recipe, tuned",
    "linear": "LSTM +linear path, tuned",
    "linear-norm": "LSTM +linear path +window norm, tuned",
    "linear-norm-es": "LSTM +linear path +window norm +early stopping, tuned",
    "linear-trained": "LSTM +linear path, learning rate 0.01, 100 epochs, tuned",
    "power-recipe": "stabilizer + LSTM recipe, tuned",
    "power-linear": "stabilizer + LSTM +linear path (the default), tuned",
    "power-linear-norm": "stabilizer + LSTM +linear path +window norm, tuned",
    "power-linear-trained": (
        "stabilizer + LSTM +linear path, learning rate 0.01, 100 epochs, tuned"
    ),
    "power-linear-norm-trained": (
        "stabilizer + LSTM +linear path +window norm, learning rate 0.01, "
        "100 epochs, tuned"
    ),
    "autoets": "statsforecast AutoETS",
    "autoarima": "statsforecast AutoARIMA",
}

#: Figures of ../shared/BASELINES.md, for the reference column.
REFERENCE = {
    "naive": (1.520, 1.200),
    "snaive": (1.404, 1.318),
    "ridge": (0.397, 0.711),
    "naive-raw": (1.520, 1.200),
    "snaive-raw": (1.404, 1.318),
    "ridge-raw": (0.397, 0.711),
    "recipe-as-written": (2.091, 1.944),
    "autoets": (0.636, 1.033),
    "autoarima": (0.460, 0.779),
}


@dataclass
class Result:
    """One model on one series.

    Parameters
    ----------
    mase : float
        MASE on the test part (NaN when the model failed).
    fit_s : float
        Seconds spent fitting (tuning included).
    predict_s : float
        Seconds spent forecasting the test part.
    note : str
        Chosen parameters, failed grid points or the error.
    """

    mase: float
    fit_s: float
    predict_s: float
    note: str = ""


@dataclass
class Config:
    """Settings of one run.

    Parameters
    ----------
    quick : bool
        Smaller grid, fewer epochs and folds: a smoke run, not a measurement.
    epochs : int
        Epochs of every LSTM fit.
    n_splits : int
        Folds of `TimeSeriesSplit` in the grid search.
    units : list of int
        ``lstm__units`` grid.
    seasons_per_window : list of int
        ``window__time_step`` grid, in seasons.
    """

    quick: bool = False
    epochs: int = 20
    n_splits: int = 3
    units: list = field(default_factory=lambda: [16, 50])
    seasons_per_window: list = field(default_factory=lambda: [1, 2])


def load_series(name, seed=0):
    """Return a series of the benchmark as a float array.

    Parameters
    ----------
    name : {"airline", "sunspots", "synthetic"}
        ``airline`` and ``sunspots`` are read from ``../shared/data``;
        ``synthetic`` is made here.
    seed : int, default=0
        Seed of the synthetic series' noise.

    Returns
    -------
    y : ndarray of shape (n_timesteps,)
    """
    if name != "synthetic":
        return pd.read_csv(DATA / f"{name}.csv")["y"].to_numpy(dtype=float)
    # 120 months: linear trend + yearly sine + small noise. The trend (1 per
    # month) outgrows the season's swing (+-5) within 9 months, so the whole
    # test part (the last 24 months) lies above the training range: a model
    # that cannot extrapolate beyond the training level fails here.
    rng = np.random.default_rng(seed)
    t = np.arange(120)
    y = 10.0 + 1.0 * t + 5.0 * np.sin(2 * np.pi * t / 12)
    y += 0.5 * rng.standard_normal(len(t))
    n_train = len(y) - n_test_of(len(y))
    if y[n_train:].min() <= y[:n_train].max():
        raise RuntimeError("the synthetic test part must lie above the train part")
    return y


def n_test_of(n):
    """Length of the test part: the last 20% rounded up, at least 12 points.

    Rounding up reproduces the naive and seasonal naive figures of
    BASELINES.md (airline 144 -> 29, sunspots 309 -> 62).
    """
    return max(12, math.ceil(0.2 * n))


def window_pipeline(time_step, regressor, scale=True):
    """``MinMaxScaler -> WindowTransformer(time_step) -> regressor``.

    With ``scale=False`` the scaler step is ``"passthrough"``: the windows hold
    the series in its own units.
    """
    return Pipeline(
        [
            ("scale", MinMaxScaler() if scale else "passthrough"),
            ("window", WindowTransformer(time_step=time_step)),
            ("lstm", regressor),
        ]
    )


def make_model(key, season, n_train, config):
    """The estimator of one variant, ready to fit on the train part.

    Parameters
    ----------
    key : str
        A key of `LABELS` other than the statsforecast ones.
    season : int
        Season length of the series.
    n_train : int
        Length of the train part.
    config : Config

    Returns
    -------
    estimator : Pipeline or GridSearchCV
    """
    scale = not key.endswith("-raw")
    baselines = {
        "naive": NaiveForecaster(),
        "snaive": SeasonalNaiveForecaster(season=season),
        "ridge": CompleteWindows(Ridge()),
    }
    if key.removesuffix("-raw") in baselines:
        regressor = baselines[key.removesuffix("-raw")]
        return window_pipeline(2 * season, regressor, scale=scale)

    from sklstm import LSTMForecaster  # loads TensorFlow

    if key == "recipe-as-written":
        lstm = LSTMForecaster(
            epochs=config.epochs, random_state=0, **LSTM_VARIANTS["recipe"]
        )
        return window_pipeline(min(100, n_train // 3), lstm)
    lstm = LSTMForecaster(
        **{"epochs": config.epochs, "random_state": 0, **LSTM_VARIANTS[key]}
    )
    grid = {
        "window__time_step": [k * season for k in config.seasons_per_window],
        "lstm__units": config.units,
    }
    if key.startswith("power-"):
        model = make_forecast_pipeline(lstm, time_step=season)
        grid = {f"regressor__{name}": values for name, values in grid.items()}
    else:
        model = window_pipeline(season, lstm)
    return GridSearchCV(
        model,
        grid,
        cv=TimeSeriesSplit(n_splits=config.n_splits),
        scoring="neg_mean_absolute_error",
        error_score=np.nan,
        n_jobs=1,
    )


def _unwrapped(estimator):
    """The Pipeline inside a stabilised model, or the model itself."""
    return getattr(estimator, "regressor_", estimator)


def run_sklstm(key, y_train, y_test, season, config):
    """Fit one sklstm model on the train part; forecast the test part.

    Returns
    -------
    Result
    """
    X_train, X_test = y_train.reshape(-1, 1), y_test.reshape(-1, 1)
    model = make_model(key, season, len(y_train), config)
    notes = []
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X_train, y_train)
    fit_s = time.perf_counter() - start
    for message in dict.fromkeys(
        f"{w.category.__name__}: {str(w.message).strip().splitlines()[0]}"
        for w in caught
    ):
        _log(f"\n    warning: {message}", end="")
    start = time.perf_counter()
    y_pred = model.predict(X_test)  # continues from the end of the train part
    predict_s = time.perf_counter() - start
    if np.isnan(y_pred).any():
        raise RuntimeError(f"{key}: {np.isnan(y_pred).sum()} NaN forecasts")
    if isinstance(model, GridSearchCV):
        best = {k.removeprefix("regressor__"): v for k, v in model.best_params_.items()}
        notes.append(
            f"time_step={best['window__time_step']}, units={best['lstm__units']}"
        )
        failed = _failed_grid_points(model)
        if failed:
            notes.append(f"failed in CV: {failed}")
        best_pipeline = _unwrapped(model.best_estimator_)
        lstm = best_pipeline[-1]
        if LSTM_VARIANTS[key].get("early_stopping"):
            notes.append(f"{len(lstm.history_['loss'])} epochs")
        if getattr(lstm, "linear_", None) is not None:
            # 1.0 at the start: the standardised residual of the linear path
            loss = lstm.history_["loss"]
            notes.append(f"training loss {loss[0]:.3f} -> {loss[-1]:.3f}")
            # The linear path alone (the LSTM's residual left out): does the
            # network add anything to its closed-form ridge?
            windows = best_pipeline[:-1].transform(X_test)
            linear = lstm.linear_.predict(np.asarray(windows))
            if best_pipeline is not model.best_estimator_:
                back = model.best_estimator_.transformer_.inverse_transform
                linear = back(linear.reshape(-1, 1)).ravel()
            notes.append(
                "linear path alone "
                f"{mase(y_test, linear, y_train=y_train, season=season):.3f}"
            )
    elif any(issubclass(w.category, FitFailedWarning) for w in caught):
        notes.append("fit failed")
    return Result(
        mase(y_test, y_pred, y_train=y_train, season=season),
        fit_s,
        predict_s,
        "; ".join(notes),
    )


def _failed_grid_points(search):
    """Grid points with a failed fold, as ``time_step/units`` strings."""
    results = search.cv_results_
    failed = []
    for params, score in zip(
        results["params"], results["mean_test_score"], strict=True
    ):
        if np.isnan(score):
            params = {k.removeprefix("regressor__"): v for k, v in params.items()}
            failed.append(f"{params['window__time_step']}/{params['lstm__units']}")
    return ", ".join(failed)


def run_statsforecast(key, y_train, y_test, season):
    """AutoETS or AutoARIMA of statsforecast, one step ahead over the test part.

    The model is selected and its parameters estimated on the train part only.
    For test point ``i`` the fitted model is applied with ``forward`` to the
    actual series up to ``n_train + i - 1``: same parameters, state filtered
    through the newer actual values, forecast one step ahead. Nothing is
    re-estimated on test data, as with the sklstm pipelines.

    Returns
    -------
    Result or None
        None when statsforecast does not import.
    """
    try:
        from statsforecast.models import AutoARIMA, AutoETS
    except ImportError:
        return None
    cls = AutoARIMA if key == "autoarima" else AutoETS
    start = time.perf_counter()
    model = cls(season_length=season).fit(y_train)
    fit_s = time.perf_counter() - start
    series = np.concatenate([y_train, y_test])
    n_train = len(y_train)
    start = time.perf_counter()
    y_pred = np.array(
        [
            model.forward(series[: n_train + i], h=1)["mean"][0]
            for i in range(len(y_test))
        ]
    )
    predict_s = time.perf_counter() - start
    score = mase(y_test, y_pred, y_train=y_train, season=season)
    return Result(score, fit_s, predict_s)


def run_benchmark(series_names, keys, config):
    """Every model on every series.

    Returns
    -------
    results : dict of (str, str) -> Result
        Keyed by ``(variant, series)``.
    """
    results = {}
    for name in series_names:
        y = load_series(name)
        season = SEASONS[name]
        n_test = n_test_of(len(y))
        y_train, y_test = y[:-n_test], y[-n_test:]
        _log(f"{name}: {len(y_train)} train, {n_test} test points, season {season}")
        for key in keys:
            _log(f"  {key} ...", end="")
            try:
                if key in ("autoets", "autoarima"):
                    result = run_statsforecast(key, y_train, y_test, season)
                    if result is None:
                        _log(" skipped: statsforecast does not import")
                        continue
                else:
                    result = run_sklstm(key, y_train, y_test, season, config)
            except Exception as exc:  # report and go on with the others
                # The last line: for "All the fits failed" the fits' own error.
                lines = [line for line in str(exc).splitlines() if line.strip()]
                reason = lines[-1] if lines else type(exc).__name__
                result = Result(np.nan, np.nan, np.nan, f"error: {reason}")
            results[key, name] = result
            _log(
                f" MASE {result.mase:.3f}, fit {result.fit_s:.1f} s"
                + (f" ({result.note})" if result.note else "")
            )
    return results


def _log(message, end="\n"):
    print(message, end=end, file=sys.stderr, flush=True)


def markdown(results, series_names, keys, config, wall_s, revision):
    """The report: a MASE table, a fit-time table and the chosen parameters.

    Returns
    -------
    str
    """
    keys = [k for k in keys if any((k, s) in results for s in series_names)]
    reference = [s for s in ("airline", "sunspots") if s in series_names]
    lines = [
        "# One-step-ahead accuracy (MASE, lower is better)",
        "",
        f"Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} CPU(s); sklstm {revision}, "
        + _versions()
        + f". LSTM epochs {config.epochs}, grid time_step "
        f"{config.seasons_per_window} seasons x units {config.units}, "
        f"TimeSeriesSplit({config.n_splits}), random_state=0."
        + (" QUICK RUN: not a measurement." if config.quick else ""),
        "",
    ]
    header = ["model", *series_names, *(f"{s} (BASELINES)" for s in reference)]
    lines += ["| " + " | ".join(header) + " |", "|---" * len(header) + "|"]
    for key in keys:
        cells = [_mase_cell(results.get((key, s))) for s in series_names]
        cells += [
            f"{REFERENCE[key][0 if s == 'airline' else 1]:.3f}"
            if key in REFERENCE
            else ""
            for s in reference
        ]
        lines.append("| " + " | ".join([LABELS[key], *cells]) + " |")
    n_fits = len(config.units) * len(config.seasons_per_window) * config.n_splits + 1
    lines += [
        "",
        f"Fit time in seconds (tuning included: {n_fits} fits per tuned LSTM):",
        "",
    ]
    lines += [
        "| model | " + " | ".join(series_names) + " |",
        "|---" * (len(series_names) + 1) + "|",
    ]
    for key in keys:
        cells = [_time_cell(results.get((key, s))) for s in series_names]
        lines.append("| " + " | ".join([LABELS[key], *cells]) + " |")
    notes = [
        f"- {LABELS[key]}, {s}: {results[key, s].note}"
        for key in keys
        for s in series_names
        if (key, s) in results and results[key, s].note
    ]
    if notes:
        lines += ["", "Chosen by the grid search, and failures:", "", *notes]
    lines += ["", f"Wall time of the run: {wall_s / 60:.1f} min.", ""]
    return "\n".join(lines)


def _mase_cell(result):
    return "" if result is None else f"{result.mase:.3f}"


def _time_cell(result):
    return "" if result is None else f"{result.fit_s:.1f}"


def sklstm_revision():
    """The git commit of the checkout, with ``+dirty`` when sklstm/ has changes.

    Returns
    -------
    str
        ``"unknown"`` outside a git checkout.
    """
    root = Path(__file__).resolve().parents[1]

    def git(*args):
        return subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True
        )

    head = git("rev-parse", "--short", "HEAD")
    if head.returncode != 0:
        return "unknown"
    dirty = git("status", "--porcelain", "--", "sklstm").stdout.strip()
    return head.stdout.strip() + ("+dirty" if dirty else "")


def _versions():
    import sklearn

    names = [f"scikit-learn {sklearn.__version__}"]
    if "keras" in sys.modules:
        import keras
        import tensorflow as tf

        names += [f"TensorFlow {tf.__version__}", f"Keras {keras.__version__}"]
    if "statsforecast" in sys.modules:
        import statsforecast

        names.append(f"statsforecast {statsforecast.__version__}")
    return ", ".join(names)


def parse_args(argv=None):
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: time_step 2 seasons only, units 16, 3 epochs, 2 folds",
    )
    parser.add_argument(
        "--series",
        default="airline,sunspots,synthetic",
        help="comma-separated, from: " + ", ".join(SEASONS),
    )
    parser.add_argument(
        "--variants",
        default=",".join(LABELS),
        help="comma-separated, from: " + ", ".join(LABELS),
    )
    parser.add_argument("--output", type=Path, help="also write the report here")
    args = parser.parse_args(argv)
    args.series = _choices(parser, args.series, SEASONS, "--series")
    args.variants = _choices(parser, args.variants, LABELS, "--variants")
    return args


def _choices(parser, value, allowed, option):
    chosen = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in chosen if v not in allowed]
    if unknown:
        parser.error(f"{option}: unknown {unknown}; choose from {list(allowed)}")
    return chosen


def main(argv=None):
    """Run the benchmark and print the report."""
    args = parse_args(argv)
    config = Config()
    if args.quick:
        config = Config(
            quick=True, epochs=3, n_splits=2, units=[16], seasons_per_window=[2]
        )
    revision = sklstm_revision()  # before the run: the code it measures
    start = time.perf_counter()
    results = run_benchmark(args.series, args.variants, config)
    wall_s = time.perf_counter() - start
    report = markdown(results, args.series, args.variants, config, wall_s, revision)
    print(report)
    if args.output is not None:
        args.output.write_text(report)


if __name__ == "__main__":
    main()
