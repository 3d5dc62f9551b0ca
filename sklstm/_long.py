"""Long tables (one row per series and date) to the wide frame, and back.

statsforecast, neuralforecast and mlforecast take a long table
(``unique_id``, ``ds``, ``y``); sktime a frame indexed by (series, time);
database exports are long. The estimators of this package take a wide frame
(one column per series, one row per date, NaN before a series starts), so
`from_long` pivots one into the other after checking what a pivot would
silently get wrong (two rows for one series and date, a date off the grid,
a gap), and `to_long` melts forecasts back.
"""

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from ._validation import (
    describe_items,
    infer_freq,
    monthly_dates_hint,
    outside_date_range,
    parse_dates,
)

_SHOWN = 5  # how many dates or series a message lists
OR_PASS_FREQ = ", or pass freq= (e.g. freq='MS' for month starts)"
"""The fix of an irregular grid that only `from_long`'s callers have."""


def from_long(data, id_col="unique_id", time_col="ds", target=None, freq=None):
    """Pivot a long table (one row per series and date) to a wide frame.

    Parameters
    ----------
    data : DataFrame
        One row per series and date: a column of series ids, a column of
        dates (or of integer time steps) and the value column(s). A frame
        indexed by (series, time), as sktime holds panels, is read the same
        way: its two index levels are the id and the time.
    id_col, time_col : str, default="unique_id", "ds"
        The columns of ids and dates (statsforecast's names by default).
        Ignored for a frame indexed by (series, time).
    target : str or list of str, default=None
        The value column(s); by default ``"y"`` if there is one, else every
        other column.
    freq : str or DateOffset, default=None
        The spacing of the dates (``"MS"`` for month starts); by default
        inferred from the dates. Integer time steps are spaced by their
        greatest common difference.

    Returns
    -------
    wide : DataFrame
        One row per date of one regular grid from the first date of any
        series to the last, one column per series (named by its id), NaN
        before a series starts. With several targets, columns
        ``(target, id)``. Indexed by a DatetimeIndex with its ``freq`` set
        (or integer time steps), named ``time_col``.

    Raises
    ------
    ValueError
        Naming the series and the dates when a column is missing, a value
        is not a number or is infinite, a date is missing or not a date, a
        series has two rows for one date, a date is off the grid of the
        others, or a series has a gap (or ends before the others).

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm.forecasting import from_long
    >>> long = pd.DataFrame({
    ...     "unique_id": ["a", "a", "a", "b", "b"],
    ...     "ds": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01",
    ...                           "2024-02-01", "2024-03-01"]),
    ...     "y": [1.0, 2.0, 3.0, 10.0, 20.0],
    ... })
    >>> from_long(long)
    unique_id     a     b
    ds
    2024-01-01  1.0   NaN
    2024-02-01  2.0  10.0
    2024-03-01  3.0  20.0
    """
    data, id_col, time_col = _columns_of(data, id_col, time_col)
    targets = _targets(data, id_col, time_col, target)
    if data.empty:
        raise ValueError(
            "The long table has no rows; it needs one per series and date."
        )
    ids = data[id_col]
    missing_id = np.flatnonzero(ids.isna().to_numpy())
    if missing_id.size:
        raise ValueError(
            f"Column {id_col!r} has no series id on row(s) "
            f"{describe_items(ids.index[missing_id], _SHOWN)}; every row needs one."
        )
    times = _times(data[time_col], time_col, ids)
    values = {name: _values(data[name], name, ids, times) for name in targets}
    table = pd.DataFrame(
        {id_col: ids.to_numpy(), time_col: times, **values}, index=data.index
    )
    _check_duplicates(table, id_col, time_col)
    grid = _grid(table, id_col, time_col, freq)
    wide = table.pivot(index=time_col, columns=id_col, values=targets)
    wide = wide.reindex(grid)
    if len(targets) == 1:
        wide = wide[targets[0]]
    _check_gaps(wide, id_col, targets[0])
    return wide


def to_long(wide, id_col="unique_id", time_col="ds", value_name="y"):
    """Melt a wide frame (one column per series) to a long table.

    The inverse of `from_long`: the rows before a series starts are left
    out.

    Parameters
    ----------
    wide : DataFrame or Series
        One column per series (a Series: one series, named by its name).
        Columns ``(part, series)``, as `PanelConformalForecaster.forecast`
        returns (``forecast``, ``lower``, ``upper``), become one value
        column per part.
    id_col, time_col : str, default="unique_id", "ds"
        Names of the columns of ids and dates.
    value_name : str, default="y"
        Name of the value column (one level of columns only).

    Returns
    -------
    long : DataFrame
        Columns ``id_col``, ``time_col`` and the value column(s), the rows
        of each series together (in the order of the columns), oldest first.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm.forecasting import to_long
    >>> wide = pd.DataFrame({"a": [1.0, 2.0], "b": [None, 20.0]})
    >>> to_long(wide)
      unique_id  ds     y
    0         a   0   1.0
    1         a   1   2.0
    2         b   1  20.0
    """
    if isinstance(wide, pd.Series):
        wide = wide.to_frame(wide.name if wide.name is not None else 0)
    if not isinstance(wide, pd.DataFrame):
        raise TypeError(
            f"to_long takes a DataFrame with one column per series; got "
            f"{type(wide).__name__}."
        )
    frame = wide.rename_axis(index=time_col)
    if frame.columns.nlevels == 2:
        series = frame.columns.get_level_values(1).unique()
        stacked = frame.stack(level=1, future_stack=True)
        stacked.index = stacked.index.set_names([time_col, id_col])
        stacked.columns.name = None
    else:
        series = frame.columns
        stacked = frame.stack(future_stack=True).to_frame(value_name)
        stacked.index = stacked.index.set_names([time_col, id_col])
    stacked = stacked.dropna(how="all").reset_index()
    position = {name: i for i, name in enumerate(series)}
    order = stacked[id_col].map(position).to_numpy()
    stacked = stacked.iloc[np.lexsort((np.arange(len(stacked)), order))]
    columns = [id_col, time_col] + [c for c in stacked if c not in (id_col, time_col)]
    return stacked[columns].reset_index(drop=True)


def _columns_of(data, id_col, time_col):
    """The table with id and time as columns (a (series, time) index too)."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(
            f"from_long takes a DataFrame (one row per series and date); got "
            f"{type(data).__name__}."
        )
    if isinstance(data.index, pd.MultiIndex):
        if data.index.nlevels != 2:
            raise ValueError(
                f"A frame indexed by {data.index.nlevels} levels: from_long reads "
                "two, (series, time); reset the others with reset_index."
            )
        names = list(data.index.names)
        id_col = names[0] if names[0] is not None else id_col
        time_col = names[1] if names[1] is not None else time_col
        data = data.reset_index(names=[id_col, time_col])
    missing = [name for name in (id_col, time_col) if name not in data.columns]
    if missing:
        raise ValueError(
            f"The long table has no column {missing[0]!r}; its columns are "
            f"{describe_items(list(data.columns), 10)}. Name the columns of "
            "series ids and dates with id_col= and time_col=."
        )
    return data, id_col, time_col


def _targets(data, id_col, time_col, target):
    others = [name for name in data.columns if name not in (id_col, time_col)]
    if target is None:
        target = "y" if "y" in others else others
    names = [target] if isinstance(target, str) else list(target)
    if not names:
        raise ValueError(
            f"The long table has only the columns {id_col!r} and {time_col!r}; "
            "it needs a column of values."
        )
    missing = [name for name in names if name not in data.columns]
    if missing:
        raise ValueError(
            f"The long table has no column {missing[0]!r} (target); its columns "
            f"are {describe_items(list(data.columns), 10)}."
        )
    return names


def _times(column, name, ids):
    """Dates (or integer steps) of every row, checked; periods (sktime's
    PeriodIndex) as their start dates."""
    if isinstance(column.dtype, pd.PeriodDtype):
        column = column.dt.to_timestamp()
    if is_numeric_dtype(column) and not is_bool_dtype(column):
        values = column.to_numpy(float)
        bad = ~np.isfinite(values) | (values != np.round(values))
        if bad.any():
            raise ValueError(
                f"Column {name!r} holds numbers that are not whole time steps "
                f"{_where(ids, bad)}; use dates or integers."
            )
        return column.to_numpy().astype(np.int64)
    try:
        times = parse_dates(column)  # what is not a date: checked below
    except (ValueError, TypeError, OverflowError):
        times = pd.Series(pd.NaT, index=column.index)
    bad = times.isna().to_numpy() | outside_date_range(times)
    if bad.any():
        first = column.iloc[np.flatnonzero(bad)[0]]
        raise ValueError(
            f"Column {name!r} has a missing value or one that is not a date "
            f"(such as {first!r}; dates before 1677 or after 2262 do not fit "
            f"pandas' dates either) {_where(ids, bad)}; use dates such as "
            "2024-01-31, or integer time steps."
        )
    return pd.DatetimeIndex(times)


def _values(column, name, ids, times):
    """A value column as floats; text, booleans and infinities refused."""
    if is_bool_dtype(column) or not is_numeric_dtype(column):
        numbers = pd.to_numeric(column, errors="coerce")
        bad = numbers.isna().to_numpy() & column.notna().to_numpy()
        if is_bool_dtype(column) or bad.any():
            bad = bad if bad.any() else np.ones(len(column), bool)
            raise ValueError(
                f"Column {name!r} holds values that are not numbers (such as "
                f"{column.iloc[np.flatnonzero(bad)[0]]!r}) {_where(ids, bad)}; "
                "convert them to numbers or leave the column out of target."
            )
        column = numbers
    values = column.to_numpy(dtype=float, na_value=np.nan)
    infinite = np.isinf(values)
    if infinite.any():
        raise ValueError(
            f"Column {name!r} is infinite {_where(ids, infinite, times)}; "
            "replace those values with numbers."
        )
    return values


def _check_duplicates(table, id_col, time_col):
    repeated = table.duplicated([id_col, time_col], keep=False).to_numpy()
    if repeated.any():
        where = _where(table[id_col], repeated, table[time_col])
        raise ValueError(
            f"Two or more rows for one series and date {where}; keep one row "
            "per series and date (e.g. add them up with "
            "df.groupby([id_col, time_col], as_index=False).sum())."
        )


def _grid(table, id_col, time_col, freq):
    """One regular grid of dates from the first to the last."""
    times = table[time_col]
    if times.dtype.kind in "iu":
        steps = np.unique(times.to_numpy())
        step = int(np.gcd.reduce(np.diff(steps))) if len(steps) > 1 else 1
        if freq is not None:
            step = int(freq)
        grid = pd.RangeIndex(steps[0], steps[-1] + 1, step, name=time_col)
    else:
        freq = freq or _infer_freq(table, time_col)
        grid = pd.date_range(times.min(), times.max(), freq=freq, name=time_col)
    off = ~times.isin(grid).to_numpy()
    if off.any():
        raise ValueError(
            f"Dates off the grid of the other dates (every {_spacing(grid)} from "
            f"{_when(grid[0])}) {_where(table[id_col], off, times)}; resample the "
            f"series to one frequency{OR_PASS_FREQ}.{monthly_dates_hint(times)}"
        )
    return grid


def _infer_freq(table, time_col):
    """The frequency of all dates together, else the most common of every
    three dates in a row (so that one gap or one odd date does not hide it:
    the grid then finds it and names its series)."""
    dates = pd.DatetimeIndex(np.unique(table[time_col].to_numpy()))
    freq = _try_infer(dates)
    if freq is not None:
        return freq
    found = [_try_infer(dates[i : i + 3]) for i in range(len(dates) - 2)]
    found = pd.Series([f for f in found if f is not None], dtype=object)
    if found.empty:
        raise ValueError(
            f"The dates of column {time_col!r} have no regular frequency that "
            "pandas can infer (not even 3 evenly spaced dates in a row); resample "
            f"the series to one frequency{OR_PASS_FREQ}.{monthly_dates_hint(dates)}"
        )
    return found.value_counts().index[0]


def _try_infer(dates):
    if len(dates) < 3:
        return None
    try:
        return infer_freq(dates)
    except (ValueError, TypeError):
        return None


def _check_gaps(wide, id_col, target):
    """No NaN after a series' first value, in every value column (``target``
    names the values of a wide frame of one)."""
    values = wide.to_numpy(float)
    started = np.maximum.accumulate(~np.isnan(values), axis=0)
    gaps = started & np.isnan(values)
    columns = np.flatnonzero(gaps.any(axis=0))
    if not columns.size:
        return
    column = wide.columns[columns[0]]
    target, series = column if wide.columns.nlevels > 1 else (target, column)
    dates = wide.index[gaps[:, columns[0]]]
    others = f" ({columns.size} columns have gaps)" if columns.size > 1 else ""
    raise ValueError(
        f"Series {series!r} has no {target!r} on {_dates(dates)} after its first "
        f"value{others}. A series may start late but not stop or skip dates: "
        "add the rows of the missing dates, fill NaN values (e.g. "
        f"df[{target!r}] = df.groupby({id_col!r})[{target!r}].transform(lambda "
        "s: s.interpolate())), or leave the series out."
    )


def _where(ids, mask, times=None):
    """``"for series 'a', row(s) 3, 7"``: the series, and the rows of the
    table (their index labels) or the dates."""
    rows = np.flatnonzero(np.asarray(mask))
    named = list(dict.fromkeys(np.asarray(ids)[rows]))
    series = describe_items(map(repr, named), _SHOWN)
    if times is None:
        return f"for series {series}, row(s) {describe_items(ids.index[rows], _SHOWN)}"
    dates = pd.Index(np.asarray(times)[rows]).unique()
    return f"for series {series}, on {_dates(dates)}"


def _dates(dates):
    return describe_items(map(_when, dates), _SHOWN)


def _when(date):
    if isinstance(date, pd.Timestamp) and date == date.normalize():
        return str(date.date())
    return str(date)


def _spacing(grid):
    return grid.freqstr if isinstance(grid, pd.DatetimeIndex) else f"{grid.step} steps"
