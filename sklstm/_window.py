"""WindowTransformer: a series becomes a matrix of lagged windows, row for row."""

import hashlib
import re
from numbers import Integral

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import as_strided
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import (
    _check_feature_names_in,
    check_is_fitted,
    validate_data,
)

from ._panel import check_started
from ._persistence import VersionedPickleMixin
from ._validation import (
    TooFewWindowsError,
    as_array,
    check_2d,
    check_n_features,
    check_numeric_columns,
    check_time_index,
    infer_freq,
)

_LAG_NAME = re.compile(r"^(?P<feature>.*)_lag(?P<lag>\d+)$")


class WindowArray(np.ndarray):
    """A 2-D lag matrix that remembers its ``(time_step, n_features)`` shape.

    `WindowTransformer` returns it so that `LSTMForecaster` can restore the
    window structure without the user repeating ``time_step``. Everywhere else
    it behaves as a plain read-only ndarray. ``horizon`` is the
    `WindowTransformer`'s: the newest value of row ``t``'s window is row
    ``t - horizon``.
    """

    def __array_finalize__(self, obj):
        self.window_shape = getattr(obj, "window_shape", None)
        self.horizon = getattr(obj, "horizon", None)


def window_shape_of(X):
    """Return ``(time_step, n_features)`` of a 2-D lag matrix.

    The shape comes from a `WindowArray`, from ``<feature>_lag<k>`` column
    names of a DataFrame, or else a plain matrix is read as one series whose
    columns are the steps, oldest first.
    """
    n_columns = X.shape[1]
    shape = getattr(X, "window_shape", None)
    if shape is not None and shape[0] * shape[1] == n_columns:
        return tuple(shape)
    matches = _lag_names(X)
    if matches:
        n_features = len(dict.fromkeys(m["feature"] for m in matches))
        if n_columns % n_features == 0:
            return n_columns // n_features, n_features
    return n_columns, 1


def window_horizon_of(X):
    """Rows between a window's newest value and its own row, as the windows
    carry it.

    From a `WindowArray`, or the smallest ``k`` of ``<feature>_lag<k>``
    column names; else None (a plain array does not say).
    """
    horizon = getattr(X, "horizon", None)
    if horizon is not None:
        return horizon
    matches = _lag_names(X)
    return min(int(m["lag"]) for m in matches) if matches else None


def _lag_names(X):
    """The ``<feature>_lag<k>`` matches of every column name of a DataFrame;
    None unless every column has such a name."""
    if not isinstance(X, pd.DataFrame):
        return None
    matches = [_LAG_NAME.match(str(c)) for c in X.columns]
    return matches if matches and all(matches) else None


def _digest(array):
    return hashlib.blake2b(np.ascontiguousarray(array)).hexdigest()


def fingerprint(values):
    """A digest of ``values`` at float32 precision, by which a model knows
    the series it was fitted on again (a float32 copy of it too)."""
    with np.errstate(over="ignore"):  # beyond float32: inf, as good a digest
        return _digest(np.asarray(values, dtype=np.float32))


def is_fitted_prefix(model, prefix, dtype, dates=None):
    """Whether ``prefix`` is the series ``model`` was fitted on: by its dates
    where both have them (values may repeat), and its fingerprint, or for a
    model saved before fingerprints, the digest of ``prefix`` as ``dtype``."""
    fitted = getattr(model, "_fitted_dates", None)
    if dates is not None and fitted is not None:
        if not dates[: len(prefix)].equals(fitted):
            return False
    saved = getattr(model, "_fitted_fingerprint", None)
    if saved is not None:
        return fingerprint(prefix) == saved
    return _digest(prefix.astype(dtype, copy=False)) == model._fitted_digest


class WindowTransformer(VersionedPickleMixin, TransformerMixin, BaseEstimator):
    """Turn each row of a series into the window of values before it.

    Row ``t`` of the output holds rows ``t - horizon - time_step + 1`` to
    ``t - horizon`` of every column of ``X``, i.e. lags ``horizon`` to
    ``horizon + time_step - 1``, oldest first. Row ``t`` never sees row ``t``
    or later, so a regressor that predicts ``y[t]`` from it forecasts
    ``horizon`` steps ahead. The output has as many rows as the input.

    Parameters
    ----------
    time_step : int, default=12
        Number of past rows in each window.
    horizon : int, default=1
        How many steps ahead the windows forecast: the most recent value in
        the window of row ``t`` is row ``t - horizon``.

    Attributes
    ----------
    n_features_in_ : int
        Number of columns seen in `fit`.
    feature_names_in_ : ndarray of str
        Column names seen in `fit`, when ``X`` was a DataFrame.
    history_ : ndarray of shape (time_step + horizon - 1, `n_features_in_`)
        The last rows seen in `fit`: the history that `transform` puts in
        front of new rows.
    n_rows_fitted_ : int
        Number of rows seen in `fit`.

    Notes
    -----
    Rows without a full history, the first ``time_step + horizon - 1`` rows
    of the fitted series, hold NaN for the steps before the series starts.
    Many series (one column each): a column may start late, NaN before its
    first value, and its windows hold NaN until it has ``time_step`` values;
    NaN after a column's first value, or infinity, is a ValueError.
    `LSTMForecaster` and the baselines skip them when fitting; wrap other
    regressors in `CompleteWindows`.

    ``transform(X_new)`` after `fit` is a continuation: ``X_new`` is taken as
    the rows that follow the fitted series, so its first windows are completed
    from `history_`. Input that starts with the fitted series (the same data,
    or the same data and more) gets its own in-sample windows instead. A
    DataFrame with a DatetimeIndex that does not follow the fitted one
    directly (for example a test fold of ``TimeSeriesSplit(gap>0)``) is
    rejected; plain arrays carry no dates, so they are always continued.

    A DatetimeIndex must describe evenly spaced time steps, oldest first, in
    `fit` and `transform` alike; anything else raises a ValueError that says
    how to repair it:

    - unsorted dates: sort them, ``df.sort_index()``;
    - repeated dates: one row per date, ``df.groupby(level=0).mean()`` or
      ``df[~df.index.duplicated()]``;
    - irregular spacing, where pandas infers no frequency (from three rows
      on): resample, ``df.asfreq(freq).interpolate()``. A missing date is
      irregular spacing, so it is refused like a gap between the fitted
      series and the rows that continue it.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import WindowTransformer
    >>> X = np.arange(6.0).reshape(-1, 1)
    >>> WindowTransformer(time_step=2).fit_transform(X)
    WindowArray([[nan, nan],
                 [nan,  0.],
                 [ 0.,  1.],
                 [ 1.,  2.],
                 [ 2.,  3.],
                 [ 3.,  4.]])
    >>> WindowTransformer(time_step=2).fit(X).transform([[6.0], [7.0]])
    WindowArray([[4., 5.],
                 [5., 6.]])
    """

    _parameter_constraints = {
        "time_step": [Interval(Integral, 1, None, closed="left")],
        "horizon": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, time_step=12, horizon=1):
        self.time_step = time_step
        self.horizon = horizon

    @property
    def _history_length(self):
        return self.time_step + self.horizon - 1

    def _validate_series(self, X, reset):
        X = as_array(X)
        check_numeric_columns(X)
        check_2d(X)
        if not reset:
            check_n_features(self, X)
        check_time_index(X)
        array = validate_data(
            self,
            X,
            reset=reset,
            dtype=[np.float64, np.float32],
            ensure_all_finite=False,
        )
        check_started(array, name="X")
        return array

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Remember the end of the series, for windows of the rows that follow.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)
            The series, oldest row first, evenly spaced.
        y : None
            Ignored.

        Returns
        -------
        self : WindowTransformer
        """
        array = self._validate_series(X, reset=True)
        n_rows = len(array)
        if n_rows <= self.time_step + self.horizon:
            raise TooFewWindowsError(
                f"Got a series of {n_rows} sample(s), but time_step={self.time_step} "
                f"and horizon={self.horizon} need more than "
                f"{self.time_step + self.horizon}"
                " to make at least two complete windows. Use a longer series or "
                "a smaller time_step."
            )
        self.n_rows_fitted_ = n_rows
        self.history_ = array[n_rows - self._history_length :].copy()
        self._fitted_fingerprint = fingerprint(array)
        self._fitted_dates = dates_of(X)
        return self

    def transform(self, X):
        """Return the window of past values for every row of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)
            The fitted series (or the fitted series and more), which gives
            in-sample windows, or the rows that directly follow it.

        Returns
        -------
        windows : WindowArray of shape (n_timesteps, time_step * n_features)
            Read-only; NaN where a row has no full history.
        """
        check_is_fitted(self)
        array = self._validate_series(X, reset=False)
        if self._starts_with_fitted_series(X, array):
            head = np.full((self._history_length, array.shape[1]), np.nan)
        else:
            self._check_follows_fitted_dates(X)
            head = self.history_
        return self._lag_matrix(np.concatenate([head.astype(array.dtype), array]))

    def _starts_with_fitted_series(self, X, array):
        n_fitted = self.n_rows_fitted_
        if len(array) < n_fitted:
            return False
        prefix = array[:n_fitted]
        return is_fitted_prefix(self, prefix, self.history_.dtype, dates_of(X))

    def _check_follows_fitted_dates(self, X):
        dates = dates_of(X)
        fitted = self._fitted_dates
        if dates is None or fitted is None:
            return
        if dates.tz != fitted.tz:
            raise ValueError(
                f"X's dates are in time zone {dates.tz}, the fitted ones in "
                f"{fitted.tz}. Use the same: index.tz_localize or tz_convert."
            )
        step = pd.tseries.frequencies.to_offset(fitted.freq or infer_freq(fitted))
        expected = pd.date_range(fitted[-1] + step, periods=len(dates), freq=step)
        if dates[0] != expected[0]:
            raise ValueError(
                f"X starts at {dates[0]}, but the fitted series ends at "
                f"{fitted[-1]}, so the next row is {expected[0]}. The windows of "
                "new rows are completed from the end of the fitted series, which "
                "needs the rows that directly follow it. With TimeSeriesSplit "
                "use gap=0; otherwise transform the whole series (fitted rows "
                "first)."
            )
        if not dates.equals(expected):
            raise ValueError(
                f"X's dates do not step by {step.freqstr}, the frequency of the "
                "fitted series. Resample X to that frequency, e.g. "
                f"X.asfreq('{step.freqstr}')."
            )

    def _lag_matrix(self, padded):
        """Zero-copy windows over ``padded`` = history rows, then the new rows."""
        n_rows = len(padded) - self._history_length
        n_features = padded.shape[1]
        itemsize = padded.itemsize
        windows = as_strided(
            padded,
            shape=(n_rows, self.time_step * n_features),
            strides=(n_features * itemsize, itemsize),
            writeable=False,
        ).view(WindowArray)
        windows.window_shape = (self.time_step, n_features)
        windows.horizon = self.horizon
        return windows

    def get_feature_names_out(self, input_features=None):
        """Names of the lag columns: ``<feature>_lag<k>``, oldest first.

        Parameters
        ----------
        input_features : array-like of str, default=None
            Input column names; by default those seen in `fit`, else
            ``x0, x1, ...``.

        Returns
        -------
        feature_names_out : ndarray of str
        """
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        lags = range(self.horizon + self.time_step - 1, self.horizon - 1, -1)
        return np.asarray([f"{name}_lag{lag}" for lag in lags for name in names])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


def dates_of(X):
    index = getattr(X, "index", None)
    return index if isinstance(index, pd.DatetimeIndex) else None
