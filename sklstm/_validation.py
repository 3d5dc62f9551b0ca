"""Input checks shared by the estimators: clear errors that name the fix."""

import warnings

import numpy as np
import pandas as pd
from scipy.sparse import issparse

from ._chunks import map_chunks

# Largest magnitude a forecaster accepts: the network computes in float32
# (largest 3.4e38) and the linear path and the baselines square values.
MAX_MAGNITUDE = 1e30


class TooFewWindowsError(ValueError):
    """The series are too short for two windows of ``time_step`` values and
    their targets: a smaller ``time_step`` (or ``output_steps``) may fit.

    Raised by `WindowTransformer` and by `LSTMForecaster` on many series; a
    `LookbackEnsemble` leaves out a member whose `fit` raises it, and a
    custom member raises it to be left out the same way. A subclass of
    `ValueError`, so code that catches that still does.
    """


def describe_rows(rows, limit=10):
    """Format row numbers for an error message, e.g. ``"3, 7 and 2 more"``."""
    return describe_items([int(r) for r in rows], limit)


def describe_items(items, limit=10):
    """The first ``limit`` items as text, then how many more there are."""
    items = list(items)
    shown = ", ".join(map(str, items[:limit]))
    return shown if len(items) <= limit else f"{shown} and {len(items) - limit} more"


def as_array(X, name="X"):
    """Return ``X`` as an array, unless it is already array-like with a dtype.

    DataFrames, Series and arrays pass unchanged (DataFrames keep their column
    names and index); lists and scalars become ndarrays.

    Raises
    ------
    TypeError
        For sparse matrices.
    ValueError
        For ragged nested lists (rows of different lengths).
    """
    if issparse(X):
        raise TypeError(
            f"{name} is a sparse matrix; sparse input is not supported (a time "
            f"series is dense). Convert it with {name}.toarray()."
        )
    if hasattr(X, "dtype") or isinstance(X, pd.DataFrame):
        return X
    try:
        return np.asarray(X)
    except ValueError as error:
        raise ValueError(
            f"{name} is ragged ({error}). Every row must have the same number "
            "of columns: pass a 2-D array or a DataFrame."
        ) from None


def check_numeric_columns(X, name="X"):
    """Raise a TypeError naming the non-numeric columns or values of ``X``.

    Booleans, complex numbers, strings, dates and objects that are not numbers
    are rejected, in arrays and in DataFrame columns alike.
    """
    if isinstance(X, pd.DataFrame):
        bad = [c for c, dtype in X.dtypes.items() if not _is_numeric(dtype)]
        if bad:
            raise TypeError(
                f"{name} has non-numeric columns {bad}. Convert them to numbers "
                f"(df.astype(float), pd.to_numeric) or drop them; dates belong "
                "in the index."
            )
        return
    dtype = getattr(X, "dtype", None)
    if dtype is None:
        return
    if dtype.kind == "O":
        try:
            np.asarray(X, dtype=float)
        except (TypeError, ValueError) as error:
            raise TypeError(
                f"{name} holds values that are not numbers ({error}). Convert "
                f"them first, e.g. pd.to_numeric, or drop them."
            ) from None
    elif pd.api.types.is_complex_dtype(dtype):
        raise ValueError(  # scikit-learn's type and words for complex input
            f"Complex data not supported: {name} holds {dtype} values. Pass "
            f"the real part ({name}.real) or the magnitude (np.abs({name}))."
        )
    elif not _is_numeric(dtype):
        raise TypeError(
            f"{name} holds {dtype} values; the series must be real numbers. "
            f"Convert it, e.g. np.asarray({name}, dtype=float), or drop it."
        )


def _is_numeric(dtype):
    return (
        pd.api.types.is_numeric_dtype(dtype)
        and not pd.api.types.is_bool_dtype(dtype)
        and not pd.api.types.is_complex_dtype(dtype)
    )


def check_2d(X, name="X"):
    """Raise a ValueError unless ``X`` is 2-D ``(n_timesteps, n_features)``
    with at least one row and one column."""
    shape = np.shape(X)
    if len(shape) != 2:
        raise ValueError(
            f"Expected a 2-D {name} (n_timesteps, n_features), got "
            f"{len(shape)}-D input of shape {shape}. Reshape your data: one "
            "series is one column, X.reshape(-1, 1) or df[['y']]."
        )
    check_not_empty(shape, name)


def check_windows_ndim(X, name="X"):
    """Raise a ValueError unless ``X`` is windows: 2-D, or 3-D
    ``(n_timesteps, time_step, n_features)``, not empty."""
    shape = np.shape(X)
    if len(shape) not in (2, 3):
        raise ValueError(
            f"Expected windows in {name}: 2-D (n_timesteps, time_step * "
            f"n_features) or 3-D (n_timesteps, time_step, n_features), got "
            f"{len(shape)}-D input of shape {shape}. Reshape your data: make "
            "the windows with WindowTransformer in front of the forecaster."
        )
    check_not_empty(shape, name)


def check_not_empty(shape, name="X"):
    """Raise a ValueError if ``shape`` has no rows or no columns."""
    if shape[0] == 0:
        raise ValueError(
            f"{name} is empty (shape {shape}): there are no rows (time steps). "
            "Pass at least one row; fit needs a series longer than "
            "time_step + horizon."
        )
    if 0 in shape[1:]:
        raise ValueError(  # the first sentence is scikit-learn's
            f"Found array with 0 feature(s) (shape={shape}) while a minimum of 1 "
            f"is required: {name} has no columns. Pass the series as one "
            "column, X.reshape(-1, 1) or df[['y']]."
        )


def check_n_features(
    estimator, X, fix="Pass the same columns, in the same order, as in fit."
):
    """After fit: raise a ValueError unless ``X`` has as many columns as in fit.

    The first sentence is scikit-learn's, which its common checks expect.
    """
    expected, got = estimator.n_features_in_, np.shape(X)[1]
    if got != expected:
        raise ValueError(
            f"X has {got} features, but {type(estimator).__name__} is expecting "
            f"{expected} features as input. {fix}"
        )


def check_same_length(X, y, name="y"):
    """Raise a ValueError unless ``X`` and ``y`` have the same number of rows."""
    n_X, n_y = len(X), len(y)
    if n_X != n_y:
        raise ValueError(
            f"X has {n_X} rows but {name} has {n_y}; {name} must hold the target "
            "of every row of X, in the same order. Cut both to the same rows."
        )


def check_finite(array, name="X", skip=0):
    """Raise a ValueError naming the rows of ``array`` that hold NaN or inf.

    Parameters
    ----------
    array : ndarray
        Numeric array; rows are time steps.
    name : str
        Name used in the message.
    skip : int
        Number of leading rows not to check (rows without history).
    """
    rows = _rows_where(lambda part: ~np.isfinite(part), array, skip)
    if len(rows):
        raise ValueError(
            f"{name} contains NaN or infinity in rows {describe_rows(rows)} "
            f"(0-based). Fill the gaps first, e.g. with DataFrame.interpolate(), "
            "or cut the series before them."
        )


def check_magnitude(array, name="X", skip=0):
    """Raise a ValueError naming the rows of ``array`` beyond `MAX_MAGNITUDE`.

    Parameters
    ----------
    array : ndarray
        Finite numeric array; rows are time steps.
    name : str
        Name used in the message.
    skip : int
        Number of leading rows not to check (rows without history).
    """
    rows = _rows_where(lambda part: np.abs(part) > MAX_MAGNITUDE, array, skip)
    if len(rows):
        raise ValueError(
            f"{name} holds values beyond +-{MAX_MAGNITUDE:g} in rows "
            f"{describe_rows(rows)} (0-based), too large to compute with. "
            "Rescale it: a MinMaxScaler in front for X, or y in larger units."
        )


def _rows_where(test, array, skip=0):
    """Indices of the rows of ``array`` from ``skip`` on where the elementwise
    ``test`` holds somewhere, computed a chunk of rows at a time."""
    flagged = map_chunks(
        lambda part: test(part).reshape(len(part), -1).any(axis=1), array[skip:]
    )
    return np.flatnonzero(flagged) + skip


def check_time_index(X, name="X"):
    """Apply the DatetimeIndex policy: sorted, unique and evenly spaced.

    Does nothing unless ``X`` has a DatetimeIndex. Spacing is checked from
    three rows on, where pandas can infer a frequency.

    Raises
    ------
    ValueError
        If the dates are unsorted, duplicated or not evenly spaced.
    """
    dates = getattr(X, "index", None)
    if not isinstance(dates, pd.DatetimeIndex):
        return
    if dates.has_duplicates:
        repeated = describe_items(dates[dates.duplicated()].unique(), limit=3)
        raise ValueError(
            f"{name}'s DatetimeIndex repeats dates ({repeated}); "
            "each row must be one time step. Aggregate them, e.g. "
            "df.groupby(level=0).mean(), or keep one of each with "
            "df[~df.index.duplicated()]."
        )
    if not dates.is_monotonic_increasing:
        first = int(np.flatnonzero(np.diff(dates.asi8) < 0)[0]) + 1
        raise ValueError(
            f"{name}'s DatetimeIndex is not sorted: row {first} ({dates[first]}) "
            f"comes before row {first - 1} ({dates[first - 1]}). Rows must be "
            "oldest first: use df.sort_index()."
        )
    if len(dates) >= 3 and dates.freq is None and infer_freq(dates) is None:
        raise ValueError(
            f"{name}'s DatetimeIndex is not evenly spaced: pandas infers no "
            f"frequency from {dates[0]} .. {dates[-1]} (a missing or an extra "
            "date?). Rows must be evenly spaced time steps: resample first, "
            "e.g. df.asfreq('MS').interpolate() with your frequency."
        )


def infer_freq(dates):
    """`pandas.infer_freq` as a string (``"MS"``), or None when irregular.

    pandas 3.1 warns that a later pandas will return an offset; asking for
    the offset (where the option exists) gives the same string quietly.
    """
    try:
        with pd.option_context("future.infer_freq_returns_offset", True):
            freq = pd.infer_freq(dates)
    except pd.errors.OptionError:  # pandas before 3.1: a string, no warning
        return pd.infer_freq(dates)
    return None if freq is None else freq.freqstr


def parse_dates(values):
    """`pandas.to_datetime` with what is not a date as NaT (the caller says
    which), and dates whose UTC offset changes (summer time) in UTC."""
    with warnings.catch_warnings():  # "could not infer format", mixed offsets
        warnings.simplefilter("ignore", (UserWarning, FutureWarning))
        try:
            dates = pd.to_datetime(values, errors="coerce")
        except ValueError:  # pandas 3: offsets that differ raise
            dates = None
        if dates is None or dates.dtype == object:  # pandas 2: object dtype
            dates = pd.to_datetime(values, errors="coerce", utc=True)
    return dates


def monthly_dates_hint(dates):
    """A sentence for dates that pandas gives no frequency but that are
    monthly, all on one day other than the first (the 15th, say); else "".
    """
    dates = pd.DatetimeIndex(dates).unique()
    if len(dates) < 3 or infer_freq(dates) is not None:
        return ""
    months = dates.year * 12 + dates.month
    if dates.day.nunique() != 1 or dates.day[0] == 1 or months.nunique() < len(dates):
        return ""
    return (
        f" They look monthly, all on day {dates.day[0]}: date each month by its "
        f"first day ({dates[0]:%Y-%m}-01 for {dates[0].date()})."
    )


def outside_date_range(dates):
    """Which dates fall outside 1677-2262, the nanosecond dates of pandas 2.

    pandas 3 holds older dates at a coarser unit, but date arithmetic then
    mixes units; both versions refuse them the same way. NaT is not outside.
    """
    dates = pd.Series(pd.to_datetime(np.asarray(dates)))
    if dates.dt.tz is not None:
        dates = dates.dt.tz_convert(None)
    return ((dates < pd.Timestamp.min) | (dates > pd.Timestamp.max)).to_numpy()
