"""``sklstm forecast``: forecast columns of a CSV file.

``forecast`` reads the series (`sklstm._cli._csv.read_series`), tunes the
model of `sklstm.make_forecast_pipeline` (VarianceStabilizer -> MinMaxScaler
-> WindowTransformer -> LSTMForecaster; ``--power none`` leaves out the
stabilizer) with
``GridSearchCV`` over ``TimeSeriesSplit`` when there is more than one
candidate, fits the best one on the whole series inside a
`ConformalForecaster` and forecasts the steps after the last row with
prediction intervals. ``predict`` (`sklstm._cli._predict`) forecasts again
from a model saved by ``forecast --save-model``, without training.

Several target columns are several series: the many-series call of the
README (`make_forecast_pipeline` with ``output_steps=--steps``, the window
lengths of ``time_step="auto"`` and ``combine="theta"``), fitted once on the
wide frame (a global model), searched only on the options given several
values, on the relative MAE (each series' MAE over the naive forecast's,
averaged: a series in thousands does not outweigh one in units), and
forecast with `sklstm.forecasting.forecast`.
Their intervals come from `PanelConformalForecaster` (errors pooled over
series on each series' own scale), over ``--interval-folds`` held-out
windows of ``--steps`` rows (by default enough for 20 errors a step, at most
5); ``--plot`` draws a grid of the series (`plot_panel_forecast`). A long
file (``--id-col``: one row per series and date) is read into the same wide
frame and the forecast written back long: ``id,date,forecast,lower,upper``.

What is printed goes to stdout; the progress line and errors go to stderr.
TensorFlow loads only once the data has passed its checks.
"""

import sys
import time

import numpy as np
import pandas as pd
from sklearn.metrics import get_scorer

from .._conformal import ConformalForecaster
from .._ensemble import auto_time_steps
from .._long import to_long
from .._panel_conformal import PanelConformalForecaster
from .._validation import describe_items
from ..forecasting import forecast as forecast_series
from ..metrics import relative_mae_scorer
from ._csv import describe_frequency, read_series, season_of, when
from ._errors import InputError
from ._folds import (
    INTERVAL_FOLDS,
    calibration_folds,
    check_panel_rows,
    check_rows,
    default_time_steps,
    panel_windows,
)
from ._long_csv import read_long_series
from ._model import (
    model_and_grid,
    panel_warnings_said,
    param_name,
    shortest_window,
)
from ._model_file import save_model
from ._progress import CountingScorer, SearchProgress
from ._search import SCORING, search_forecaster, search_results_table

COVERAGE = 0.9
"""Default of ``--coverage``."""

PLOT_PANELS = 9
"""``--plot`` with several series draws at most this many of them."""

PLOT_HISTORY = 240
"""The forecast plot shows at least this many rows of history (and at least
ten times the forecast length), so that the forecast stays readable."""


def run_forecast(args, out=None, err=None):
    """Tune, fit, forecast and write what ``args`` asks for.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed ``sklstm forecast`` options.
    out, err : file, default=None
        Where the report and the progress line go; by default the
        ``sys.stdout`` and ``sys.stderr`` of the time of the call.

    Returns
    -------
    exit_code : int
        0; bad input raises `InputError`.
    """
    start = time.monotonic()
    err = err or sys.stderr
    say = _reporter(out, args.quiet)
    y = _read(args, args.target, args.time_col)
    several = y.ndim == 2
    coverage = args.coverage or COVERAGE
    season = season_of(y.index.freq)
    if several:
        interval_folds = None  # the checks of one series' calibration folds
        n_windows = args.interval_folds or panel_windows(y.shape[1])
        time_steps = args.time_step or auto_time_steps(args.steps)
        # the ensemble of "auto" leaves out the lengths too long; candidates
        # of a search must all fit
        window = max(time_steps) if args.time_step else min(time_steps)
    else:
        interval_folds = args.interval_folds or INTERVAL_FOLDS
        time_steps = args.time_step or default_time_steps(
            len(y), season, args.folds, args.steps, interval_folds
        )
        window = max(time_steps)  # every candidate must fit
    pipeline, grid, fixed = model_and_grid(args, several, season, time_steps)
    n_candidates = int(np.prod([len(values) for values in grid.values()]))
    if args.plot_search and n_candidates == 1:
        raise InputError(
            "--plot-search needs a search: give several values to --time-step, "
            "--units or --epochs."
        )
    if args.plot_search and several and args.time_step is None:
        raise InputError(
            "--plot-search draws the search over time_step x units, but several "
            "series without --time-step fit one network per window length (not "
            "searched); give --time-step values to search them."
        )
    ahead = args.steps if several else 1  # the steps each window learns
    check_rows(len(y), window, n_candidates > 1, interval_folds, args, ahead)
    if several:
        check_panel_rows(len(y), window, n_windows, args)
    say(_describe_data(args.csv, y))

    if n_candidates > 1:
        score = (
            "the MAE of one-step-ahead forecasts relative to the naive "
            "forecast's, averaged over series"
            if several
            else "the MAE of one-step-ahead forecasts"
        )
        say(
            f"search: {n_candidates} candidates x TimeSeriesSplit(n_splits="
            f"{args.folds}), scored by {score}"
        )
        search = _search(pipeline, grid, y, args.folds, err, args.quiet)
        best = {name: search.best_params_[name] for name in grid}
        table = search_results_table(search)
        if several:
            table.columns = table.columns.str.replace("MAE", "relative MAE")
        say("", table.to_string(index=False, float_format=_format_number), "")
    else:
        search = None
        best = {name: values[0] for name, values in grid.items()}
    pipeline.set_params(**best)
    if not args.quiet and err.isatty():  # epochs, loss and time left
        pipeline.set_params(**{param_name(pipeline, "lstm__verbose"): 1})
    best = {**fixed, **best}
    stabilizer = "none" if args.power is None else args.power
    say(
        f"model: {_describe_params(best)}, {args.layers} LSTM layer(s), "
        f"power {stabilizer}"
        + (f", {args.steps} steps at once, a quarter Theta" if several else "")
    )

    if several:
        shortest = shortest_window(pipeline.estimator)
        short = [name for name, n_values in y.count().items() if n_values < shortest]
        if short:
            say(
                f"{len(short)} series with fewer than {shortest} values, too short "
                f"for a window ({describe_items(short, 5)}): the Theta method "
                "alone forecasts them"
            )
        say(
            f"intervals: {coverage:.0%}, split conformal over {n_windows} held-out "
            f"window(s) of {args.steps} rows of all {y.shape[1]} series, errors "
            "relative to each series' scale"
        )
        if not args.quiet and err.isatty():
            err.write(
                f"fitting one model on all {len(y)} rows of every series and "
                "calibrating the intervals\n"
            )
        model = PanelConformalForecaster(
            pipeline,
            coverage=coverage,
            steps=args.steps,
            n_windows=n_windows,
            season=season or 1,
        )
        with panel_warnings_said():
            model.fit(y, y)
        fitted = model.estimator_
        fitted_steps = getattr(fitted.estimator_, "time_steps_", None)
        if fitted_steps is not None and fitted_steps != time_steps:
            too_long = describe_items(sorted(set(time_steps) - set(fitted_steps)))
            say(
                f"window lengths fitted: {describe_items(fitted_steps)} ({too_long} "
                "too long for two windows of all the series together)"
            )
            best["time_step"] = ",".join(map(str, fitted_steps))
    else:
        calibration = calibration_folds(len(y), args.steps, interval_folds)
        say(
            f"intervals: {coverage:.0%}, split conformal over "
            f"{calibration.n_splits} folds of {calibration.test_size} rows"
        )
        if not args.quiet and err.isatty():
            err.write(f"fitting on all {len(y)} rows and calibrating the intervals\n")
        model = ConformalForecaster(
            pipeline, coverage=coverage, cv=calibration, max_steps=args.steps
        ).fit(y.to_frame(), y)
        fitted = model.estimator_
    forecast = _forecast(model, y, args.steps, coverage)
    _write_forecast(forecast, y, args, say, coverage=coverage, params=best, model=model)
    if args.plot_search:
        figure = _search_figure(search, several)
        _save_figure(figure, args.plot_search, "search plot", say)
    if args.plot_loss:
        _save_figure(_loss_figure(fitted), args.plot_loss, "loss plot", say)
    if args.save_model:
        value_col = y.attrs.get("value_col")
        save_model(args.save_model, model, y, best, args.id_col, value_col)
        say(f"model saved to {args.save_model}")
    say(f"done in {time.monotonic() - start:.0f} s")
    return 0


def _search(pipeline, grid, y, n_folds, err, quiet):
    """GridSearchCV on the MAE (one series) or the relative MAE (several)."""
    n_candidates = int(np.prod([len(values) for values in grid.values()]))
    progress = SearchProgress(n_candidates, n_folds, err, enabled=not quiet)
    several = y.ndim == 2
    scorer = relative_mae_scorer if several else get_scorer(SCORING)
    with panel_warnings_said():
        return search_forecaster(
            pipeline,
            grid,
            y,
            n_splits=n_folds,
            scoring=CountingScorer(scorer, progress),
        )


def _read(args, target, time_col):
    """The series of ``args.csv``: a long file with ``--id-col``, else wide."""
    if getattr(args, "id_col", None) is not None:
        return read_long_series(args.csv, args.id_col, target, time_col)
    return read_series(args.csv, target, time_col)


def _forecast(model, y, steps, coverage):
    if isinstance(model, (ConformalForecaster, PanelConformalForecaster)):
        forecast = model.forecast(y, steps, coverage=coverage)
    else:  # several series
        forecast = forecast_series(model, y, steps)
    forecast.index.name = y.index.name
    return forecast


def _check_one_series_options(args, y):
    """Refuse the options of intervals when ``y`` holds several series."""
    given = [
        flag
        for flag, value in (
            ("--coverage", args.coverage),
            ("--interval-folds", getattr(args, "interval_folds", None)),
            ("--plot", args.plot),
        )
        if value is not None
    ]
    if given:
        raise InputError(
            f"{' and '.join(given)}: prediction intervals (and --plot, which "
            f"draws them) are for one series, but {args.csv} gives "
            f"{y.shape[1]} series ({describe_items(y.columns, 3)}); leave "
            f"{'them' if len(given) > 1 else 'it'} out, or run sklstm forecast "
            "with one --target at a time."
        )


def _describe_data(path, y):
    if y.ndim == 2:
        what = f"{y.shape[1]} series ({describe_items(y.columns, 5)})"
    else:
        what = repr(y.name)
    return (
        f"data: {path}, {len(y)} rows of {what} from {when(y.index[0])} to "
        f"{when(y.index[-1])}, frequency {describe_frequency(y.index.freq)}"
    )


def _describe_params(params):
    return ", ".join(f"{name.rsplit('__', 1)[-1]}={v}" for name, v in params.items())


def _write_forecast(forecast, y, args, say, *, coverage, params, model=None):
    """The forecast to ``--output`` (or stdout) and its plot to ``--plot``."""
    after = f"the next {len(forecast)} steps after {when(y.index[-1])}"
    panel = forecast
    forecast = _table(forecast, y, getattr(args, "id_col", None))
    table = forecast.to_string(float_format=_format_number)
    if coverage is None:  # several series, a model of an earlier release
        what = with_what = f"{y.shape[1]} series"
    elif y.ndim == 2:
        what = f"{y.shape[1]} series, {coverage:.0%} intervals"
        with_what = f"{y.shape[1]} series with {coverage:.0%} intervals"
    else:
        what, with_what = f"{coverage:.0%} intervals", f"with {coverage:.0%} intervals"
    if args.output:
        forecast.to_csv(args.output)
        say(f"forecast of {after}, {with_what}:", table)
        say(f"forecast saved to {args.output}")
    else:
        print(
            *([] if args.quiet else [f"forecast of {after}, {what}:"]),
            table,
            sep="\n",
            flush=True,
        )
    if args.plot and y.ndim == 2:
        from ..plotting import plot_panel_forecast

        figure = plot_panel_forecast(
            y.iloc[-max(PLOT_HISTORY // 2, 5 * len(panel)) :],
            panel,
            errors=getattr(model, "series_errors_", None),
            max_series=PLOT_PANELS,
            coverage=coverage,
            title=f"Forecast of {after} ({_describe_params(params)})",
        )
        _save_figure(figure, args.plot, "plot", say)
    elif args.plot:
        from ..plotting import plot_future_forecast

        shown = y.iloc[-max(PLOT_HISTORY, 10 * len(forecast)) :]
        ax = plot_future_forecast(
            shown,
            forecast,
            coverage=coverage,
            title=f"{y.name}: forecast of {after} ({_describe_params(params)})",
        )
        _save_figure(ax, args.plot, "plot", say)


def _table(forecast, y, id_col):
    """The forecast as written: long for a long file (one row per series and
    date), else one column per series (and its ``_lower``, ``_upper``)."""
    if id_col is not None:
        return to_long(
            forecast, id_col=id_col, time_col=y.index.name, value_name="forecast"
        ).set_index(id_col)
    if forecast.columns.nlevels == 1:
        return forecast
    flat = {}
    for name in forecast["forecast"].columns:
        flat[name] = forecast[("forecast", name)]
        flat[f"{name}_lower"] = forecast[("lower", name)]
        flat[f"{name}_upper"] = forecast[("upper", name)]
    return pd.DataFrame(flat, index=forecast.index)


def _search_figure(search, several):
    from ..plotting import plot_search_heatmap

    relative = "relative " if several else ""
    return plot_search_heatmap(
        search,
        x="time_step",
        y="units",
        negate=True,
        score_label=f"mean test {relative}MAE",
        title=f"Grid search: {relative}mean absolute error of one-step forecasts",
    )


def _loss_figure(fitted):
    from ..plotting import plot_loss

    return plot_loss(fitted, title="Training loss of the model fitted on all rows")


def _save_figure(ax, path, what, say):
    ax.figure.savefig(path, dpi=120)
    say(f"{what} saved to {path}")


def _format_number(value):
    return f"{value:.5g}"


def _reporter(out, quiet):
    def say(*lines):
        if not quiet:
            print(*lines, sep="\n", file=out or sys.stdout, flush=True)

    return say
