"""Multi-step forecasts beyond the end of the data.

`forecast` is the one call for one series or many: it uses every step a
forecaster learnt at once (``output_steps``, MIMO) and goes on recursively
beyond them. The two classic strategies, both with the estimators of this
package:

- Direct: fit with ``WindowTransformer(horizon=h)``; each row is then forecast
  ``h`` steps ahead from actual values only. Errors do not compound, but it
  takes one model per horizon. Use it when you need one horizon (next
  quarter's month 3) or when the series has several columns.
- Recursive (`recursive_forecast`): one ``horizon=1`` model, each forecast
  fed back as the newest value to forecast the next. One model for any number
  of steps, but errors compound and it needs the target to be the only
  column of ``X``.

Many series held as a long table (one row per series and date, as
statsforecast, neuralforecast and mlforecast take them, or a frame indexed
by (series, time), as sktime holds them) become the wide frame of the
estimators with `from_long`; forecasts go back with `to_long`, or with
``forecast(..., output="long")``. Intervals for every series come from a
model wrapped in `sklstm.PanelConformalForecaster` (one series:
`sklstm.ConformalForecaster`).
"""

import numpy as np
import pandas as pd

from ._base import predict_steps
from ._long import from_long, to_long
from ._panel_checks import check_panel
from ._validation import describe_items, infer_freq

__all__ = ["forecast", "from_long", "recursive_forecast", "to_long"]

OUTPUTS = ("wide", "long")


def forecast(model, history, steps, *, coverage=None, output="wide"):
    """Forecast the ``steps`` values that follow ``history``, every series.

    The model forecasts ``H`` steps at once from the window at the end of
    ``history`` (``H`` = its forecaster's ``output_steps``; 1 for any other
    regressor); for more steps, those forecasts are appended to the history
    and the next ``H`` are forecast from them, and so on. A model with
    intervals (`sklstm.PanelConformalForecaster`, or
    `sklstm.ConformalForecaster` for one series) gives them too.

    Parameters
    ----------
    model : fitted estimator
        What `sklstm.make_forecast_pipeline` returns, a Pipeline over
        ``WindowTransformer(horizon=1)``, or a search over either, fitted on
        ``history`` or on the rows just before it. Its ``X`` must be the
        series only (future covariates are not known).
    history : pandas.Series, DataFrame or array-like
        The observed series, oldest first, up to the forecast origin: one
        series (a Series or 1-D array) or one column per series, NaN before
        a series starts.
    steps : int
        How many future values to forecast.
    coverage : float, default=None
        For a model with intervals: their coverage, by default the model's
        own. Refused for a model without intervals.
    output : {"wide", "long"}, default="wide"
        ``"long"``: one row per series and future date, columns
        ``unique_id``, ``ds``, ``forecast`` (and ``lower``, ``upper`` with
        intervals), as statsforecast returns them; see `to_long`.

    Returns
    -------
    forecast : pandas.Series or DataFrame of ``steps`` rows
        A Series for one series (1-D ``history``), else a DataFrame with
        ``history``'s columns. Indexed by the future dates when ``history``
        has a DatetimeIndex with a known or inferable frequency, else by the
        steps that follow an evenly spaced integer index (at its spacing), or
        the row numbers that follow. NaN for a series whose last window is
        incomplete (too short). With intervals, columns ``forecast``,
        ``lower``, ``upper`` for one series and ``("forecast" | "lower" |
        "upper", series)`` for several. Long with ``output="long"``.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn.linear_model import Ridge
    >>> from sklstm import CompleteWindows, make_forecast_pipeline, load_airline
    >>> from sklstm.forecasting import forecast
    >>> y = load_airline()
    >>> Y = pd.DataFrame({"a": y, "b": y.shift(24)})  # "b" starts 2 years later
    >>> model = make_forecast_pipeline(CompleteWindows(Ridge()), output_steps=3)
    >>> ahead = forecast(model.fit(Y, Y), Y, steps=4)  # 3 at once, then 1 more
    >>> ahead.shape, list(ahead.columns), str(ahead.index[0].date())
    ((4, 2), ['a', 'b'], '1961-01-01')
    >>> forecast(model, Y, steps=4, output="long").head(3)
      unique_id         ds    forecast
    0         a 1961-01-01  ...
    """
    if output not in OUTPUTS:
        raise ValueError(f"output must be 'wide' or 'long'; got {output!r}.")
    intervals = _has_intervals(model)
    if intervals:
        result = model.forecast(history, steps, coverage=coverage)
    elif coverage is not None:
        raise ValueError(
            f"coverage={coverage!r} asks for intervals, but {type(model).__name__} "
            "has none; wrap it in sklstm.PanelConformalForecaster (or "
            "ConformalForecaster for one series) and fit that."
        )
    else:
        result = _forecast(model, history, steps)
    if output == "wide":
        return result
    if intervals and result.columns.nlevels == 1:  # one series: name it
        name = history.name if isinstance(history, pd.Series) else None
        if isinstance(history, pd.DataFrame) and history.shape[1] == 1:
            name = history.columns[0]
        result = result.copy()
        result.columns = pd.MultiIndex.from_product([result.columns, [name]])
    return to_long(result, value_name="forecast")


def _has_intervals(model):
    from ._conformal import ConformalForecaster  # it imports this module
    from ._panel_conformal import PanelConformalForecaster

    return isinstance(model, (ConformalForecaster, PanelConformalForecaster))


def _forecast(model, history, steps):
    _check_steps(steps)
    one_series = isinstance(history, pd.Series) or np.ndim(history) == 1
    check_panel(history, "history")
    frame = _series_frame(history)
    names = getattr(model, "feature_names_in_", None)
    is_array = not isinstance(history, (pd.Series, pd.DataFrame))
    if is_array and names is not None and len(names) == frame.shape[1]:
        frame.columns = list(names)  # fit's series, by position
    given = frame.columns
    frame = _fitted_order(model, frame)
    _check_series_only(model, frame.shape[1])
    future_index = _future_index(frame.index, steps)
    known = frame.to_numpy(dtype=float)
    forecasts = np.empty((0, frame.shape[1]))
    while len(forecasts) < steps:
        fed = np.vstack([known, known[-1:]])  # the last row's value is never read
        X = pd.DataFrame(
            fed,
            columns=frame.columns,
            index=frame.index.append(future_index[: len(forecasts) + 1]),
        )
        block = _next_steps(model, X)
        forecasts = np.vstack([forecasts, block])
        # a series without a forecast (too short) goes on with its last value
        known = np.vstack([known, np.where(np.isnan(block), known[-1], block)])
    forecasts = forecasts[:steps]
    # a series without a first forecast (too short) has none: the later steps
    # would come from its last value repeated, not from its history
    forecasts[:, np.isnan(forecasts[0])] = np.nan
    if one_series:
        return pd.Series(forecasts[:, 0], index=future_index, name=frame.columns[0])
    return pd.DataFrame(forecasts, index=future_index, columns=frame.columns)[given]


def _fitted_order(model, frame):
    """``frame``'s columns in the order of `fit` (matched by name); series
    not seen in `fit`, or missing, refused."""
    fitted = getattr(model, "feature_names_in_", None)
    names = list(frame.columns)
    if fitted is None or not all(isinstance(name, str) for name in names):
        return frame  # no names to match: as scikit-learn, by position
    if names == list(fitted):
        return frame
    unknown = [name for name in names if name not in set(fitted)]
    missing = [name for name in fitted if name not in set(names)]
    if missing and not unknown:  # covariates, or series left out
        raise ValueError(
            f"The model was fitted on {len(fitted)} columns of X, history has "
            f"{len(names)} (it lacks {_some(missing)}). forecast needs a model "
            "whose X is the series only (the future values of covariates are not "
            "known), and a history with every series of fit."
        )
    if unknown or missing:
        problems = []
        if unknown:
            problems.append(f"series not seen in fit: {_some(unknown)}")
        if missing:
            problems.append(f"no column for the series {_some(missing)} of fit")
        raise ValueError(
            f"history has {' and '.join(problems)}. The model forecasts the "
            "series it was fitted on (each with its own scaling): fit it again "
            "on a history with every series to forecast, model.fit(Y, Y)."
        )
    if len(set(names)) != len(names):
        return frame  # repeated names: validation of the model says so
    return frame[list(fitted)]


def _some(names):
    return describe_items(map(repr, names), 5)


def _next_steps(model, X):
    """Forecasts ``(n_steps, n_series)`` of the rows from X's last row on."""
    last = predict_steps(model, X, last_row=True)[-1]
    return last.reshape(-1, last.shape[-1]).T


def _check_series_only(model, n_series):
    n_features = getattr(model, "n_features_in_", n_series)
    if n_features != n_series:
        raise ValueError(
            f"The model was fitted on {n_features} columns of X, history has "
            f"{n_series}. forecast needs a model whose X is the series only: "
            "the future values of other columns (covariates) are not known."
        )


def _check_steps(steps):
    if not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive integer; got {steps!r}.")


def _series_frame(history):
    if isinstance(history, pd.Series):
        return history.to_frame()
    if isinstance(history, pd.DataFrame):
        return history
    array = np.asarray(history, dtype=float)
    return pd.DataFrame(array.reshape(len(array), -1))


def recursive_forecast(model, history, steps):
    """Forecast the ``steps`` values that follow ``history``, one at a time.

    Each step appends a row for the next time step and asks ``model`` for
    that row's forecast. The row's own value is never seen by its forecast
    (windows hold only earlier rows), so it is set to the forecast, which
    then becomes history for the next step.

    Parameters
    ----------
    model : fitted estimator
        A Pipeline (or search) over ``WindowTransformer(horizon=1)`` whose
        ``X`` is the series as one column, fitted on ``history`` or on the
        rows just before it.
    history : pandas.Series, one-column DataFrame or array-like
        The observed series, oldest first, up to the forecast origin.
    steps : int
        How many future values to forecast.

    Returns
    -------
    forecast : pandas.Series of length ``steps``
        Indexed by the future dates when ``history`` has a DatetimeIndex with
        a known or inferable frequency, else by the steps that follow an
        evenly spaced integer index (at its spacing), or the row numbers that
        follow.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklstm import NaiveForecaster, WindowTransformer, load_airline
    >>> from sklstm.forecasting import recursive_forecast
    >>> y = load_airline()
    >>> model = make_pipeline(WindowTransformer(12), NaiveForecaster())
    >>> model.fit(y.to_frame(), y)  # doctest: +ELLIPSIS
    Pipeline(...)
    >>> recursive_forecast(model, y, steps=3)
    1961-01-01    432.0
    1961-02-01    432.0
    1961-03-01    432.0
    Freq: MS, Name: passengers, dtype: float64
    """
    _check_steps(steps)
    frame = _one_column_frame(history)
    future_index = _future_index(frame.index, steps)
    values = frame.iloc[:, 0].to_numpy(dtype=float)
    forecasts = []
    for step in range(steps):
        placeholder = forecasts[-1] if forecasts else values[-1]  # never read
        extended = np.r_[values, forecasts, placeholder]
        X = pd.DataFrame(
            {frame.columns[0]: extended},
            index=frame.index.append(future_index[: step + 1]),
        )
        forecasts.append(float(np.asarray(model.predict(X))[-1]))
    return pd.Series(forecasts, index=future_index, name=frame.columns[0])


def _one_column_frame(history):
    frame = _series_frame(history)
    if frame.shape[1] != 1:
        raise ValueError(
            f"Recursive forecasts need the series as the only column; got "
            f"{frame.shape[1]} columns. With several columns, fit one model per "
            "horizon with WindowTransformer(horizon=h) (direct strategy)."
        )
    return frame


def _future_index(index, steps):
    if isinstance(index, pd.DatetimeIndex):
        freq = index.freq or (infer_freq(index) if len(index) >= 3 else None)
        if freq is None:
            raise ValueError(
                "history has a DatetimeIndex without a regular frequency, so the "
                "future dates are unknown. Set one with history.asfreq('MS') (or "
                "the right frequency), or pass the values without dates."
            )
        return pd.date_range(index[-1], periods=steps + 1, freq=freq)[1:]
    step = _even_step(index)
    if step:  # integer steps (from_long's, a part of them) go on at their spacing
        return pd.RangeIndex(index[-1] + step, index[-1] + step * (steps + 1), step)
    return pd.RangeIndex(len(index), len(index) + steps)


def _even_step(index):
    """The step of an evenly spaced, increasing integer index; else None."""
    if isinstance(index, pd.RangeIndex):
        return index.step if index.step > 0 else None
    if not pd.api.types.is_integer_dtype(index) or len(index) < 2:
        return None
    steps = np.unique(np.diff(index.to_numpy()))
    return int(steps[0]) if len(steps) == 1 and steps[0] > 0 else None
