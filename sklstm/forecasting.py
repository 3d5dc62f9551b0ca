"""Multi-step forecasts beyond the end of the data.

Two strategies, both with the estimators of this package:

- Direct: fit with ``WindowTransformer(horizon=h)``; each row is then forecast
  ``h`` steps ahead from actual values only. Errors do not compound, but it
  takes one model per horizon. Use it when you need one horizon (next
  quarter's month 3) or when the series has several columns.
- Recursive (`recursive_forecast`): one ``horizon=1`` model, each forecast
  fed back as the newest value to forecast the next. One model for any number
  of steps, but errors compound and it needs the target to be the only
  column of ``X``.
"""

import numpy as np
import pandas as pd


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
        a known or inferable frequency, else by the row numbers that follow.

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
    if not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive integer; got {steps!r}.")
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
    if isinstance(history, pd.Series):
        return history.to_frame()
    if isinstance(history, pd.DataFrame):
        frame = history
    else:
        array = np.asarray(history)
        if array.ndim == 1:
            array = array.reshape(-1, 1)
        frame = pd.DataFrame(array)
    if frame.shape[1] != 1:
        raise ValueError(
            f"Recursive forecasts need the series as the only column; got "
            f"{frame.shape[1]} columns. With several columns, fit one model per "
            "horizon with WindowTransformer(horizon=h) (direct strategy)."
        )
    return frame


def _future_index(index, steps):
    if isinstance(index, pd.DatetimeIndex):
        freq = index.freq or (pd.infer_freq(index) if len(index) >= 3 else None)
        if freq is None:
            raise ValueError(
                "history has a DatetimeIndex without a regular frequency, so the "
                "future dates are unknown. Set one with history.asfreq('MS') (or "
                "the right frequency), or pass the values without dates."
            )
        return pd.date_range(index[-1], periods=steps + 1, freq=freq)[1:]
    start = index[-1] + 1 if isinstance(index, pd.RangeIndex) else len(index)
    return pd.RangeIndex(start, start + steps)
