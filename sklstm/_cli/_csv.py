"""Read evenly spaced series from a CSV file, or say in one line what is wrong.

Every problem a user can fix in the file (missing column, a value that is not
a date or a number, gaps, duplicated or unsorted dates, uneven spacing) raises
`InputError` with a message that names the line of the file (the header is
line 1) and the fix. The file is only read.
"""

import csv

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset

from .._validation import (
    describe_rows,
    infer_freq,
    monthly_dates_hint,
    outside_date_range,
    parse_dates,
)
from ._errors import InputError, MissingColumnError, one_line

# Rows per season for the usual frequencies (pandas rule codes, multiple 1).
SEASONS = {
    "MS": 12,
    "ME": 12,
    "BMS": 12,
    "BME": 12,
    "QS": 4,
    "QE": 4,
    "BQS": 4,
    "BQE": 4,
    "W": 52,
    "D": 7,
    "B": 5,
    "h": 24,
    "min": 60,
}

_SHOWN = 5  # how many offending lines a message lists

# Dates written as digits alone, by length: the form told to users, the format.
# A column is read so only when every value has that length and is a calendar
# date; four digits are years (see `_parse_dates`).
_COMPACT = {8: ("YYYYMMDD", "%Y%m%d"), 6: ("YYYYMM", "%Y%m")}

_DATE_RANGE = "1677 to 2262, the dates pandas can hold"

_DATE_FORMATS = (
    "use dates such as 2024-01-31, 20240131 (YYYYMMDD), 202401 (YYYYMM) or "
    "four-digit years, or choose the date column with --time-col."
)


def read_series(path, target, time_col=None):
    """Read the series to forecast from a CSV file, indexed by evenly spaced dates.

    Parameters
    ----------
    path : str or Path
        CSV file with a header line.
    target : str, list of str or None
        Column to forecast; numbers, no gaps. Several columns as a list or
        as comma-separated names (``"a,b"``; a column whose own name holds a
        comma is taken whole); None for every column with numbers other than
        the dates. With several, a series may start late: empty cells before
        its first value.
    time_col : str, default=None
        Column of dates; by default the first column that is not a target.
        Besides the formats pandas reads (``2024-01-31``, ``2024-01``), a
        column written in digits alone is read as dates when all its values
        have the same length: four-digit years (``2024``), ``YYYYMM``
        (``202401``) or ``YYYYMMDD`` (``20240131``), each a calendar date.

    Returns
    -------
    series : pandas.Series or pandas.DataFrame
        One target: float values named after it. Several: a DataFrame with
        one column per series, NaN before a series starts. Either with a
        DatetimeIndex named ``time_col`` whose ``freq`` is set.

    Raises
    ------
    InputError
        When the file cannot be read or its content does not fit.
    """
    frame = _read_csv(path)
    columns = list(frame.columns)
    targets = _targets(path, frame, target, time_col)
    if time_col is None:
        others = [column for column in columns if column not in targets]
        if not others:
            noun = "column" if len(targets) == 1 else "columns"
            raise InputError(
                f"{path} has only the {noun} {', '.join(map(repr, targets))}; add "
                "a column of dates (--time-col)."
            )
        time_col = others[0]
    elif time_col not in columns:
        raise MissingColumnError(path, time_col, columns, "--time-col")
    dates = _parse_dates(frame[time_col], time_col)
    late_start = len(targets) > 1
    values = {
        name: _parse_values(frame[name], name, dates, late_start=late_start)
        for name in targets
    }
    _check_order(dates, time_col)
    index = pd.DatetimeIndex(dates, name=time_col, freq=_frequency(dates, time_col))
    if late_start:
        return pd.DataFrame(values, index=index)
    return pd.Series(values[targets[0]], index=index, name=targets[0])


def _targets(path, frame, target, time_col):
    """The names of the target columns, checked (see `read_series`)."""
    columns = list(frame.columns)
    if target is None:
        dates = columns[0] if time_col is None else time_col
        found = [
            column
            for column in columns
            if column != dates
            and pd.to_numeric(frame[column].str.strip(), errors="coerce").notna().any()
        ]
        if not found:
            taken = (
                " (the first column, taken for the dates)" if time_col is None else ""
            )
            raise InputError(
                f"{path} has no column of numbers besides {dates!r}{taken}; name "
                "the column of dates with --time-col, or the column(s) to forecast "
                "with --target."
            )
        return found
    if isinstance(target, list):
        names = target
    elif target in columns:
        names = [target]
    else:
        names = [name.strip() for name in target.split(",")]
    missing = [name for name in names if name not in columns]
    if missing:
        raise MissingColumnError(path, missing[0], columns, "--target")
    repeated = [name for i, name in enumerate(names) if name in names[:i]]
    if repeated:
        raise InputError(
            f"--target names the column {repeated[0]!r} twice; name each once."
        )
    return names


def season_of(freq):
    """Rows per season of a frequency (12 for months), or None when unknown."""
    offset = to_offset(freq)
    if offset.n != 1:
        return None
    return SEASONS.get(offset.rule_code.split("-")[0])


def describe_frequency(freq):
    """A frequency in words for a report: ``"MS (12 a season)"``."""
    season = season_of(freq)
    code = to_offset(freq).freqstr
    return code if season is None else f"{code} ({season} a season)"


def _read_csv(path):
    try:
        frame = pd.read_csv(path, dtype=str, skipinitialspace=True)
        _check_header(path)
        return frame
    except FileNotFoundError:
        raise InputError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not a CSV file.") from None
    except PermissionError:
        raise InputError(f"{path} cannot be read: permission denied.") from None
    except pd.errors.EmptyDataError:
        raise InputError(f"{path} is empty.") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not a text (CSV) file.") from None
    except (pd.errors.ParserError, OSError) as error:
        raise InputError(
            f"{path} is not a readable CSV file: {one_line(error)}"
        ) from None


def _check_header(path):
    """pandas renames a repeated column name (``a``, ``a.1``): refuse it."""
    with open(path, newline="") as file:
        names = [name.strip() for name in next(csv.reader(file), [])]
    repeated = [name for i, name in enumerate(names) if name in names[:i]]
    if repeated:
        places = [i + 1 for i, name in enumerate(names) if name == repeated[0]]
        raise InputError(
            f"{path}: the header names the column {repeated[0]!r} more than once "
            f"(columns {', '.join(map(str, places))}); give each column its own "
            "name."
        )


def _lines(positions, limit=_SHOWN):
    """File line numbers of row positions (header = line 1), the first few."""
    return describe_rows(np.asarray(positions) + 2, limit)


def _parse_dates(column, name):
    text = column.str.strip()
    empty = np.flatnonzero(text.isna().to_numpy())
    if empty.size:
        raise InputError(
            f"column {name!r} has no date on line(s) {_lines(empty)}; every row "
            "needs a date."
        )
    if text.str.fullmatch(r"\d{4}").all():  # years, as in yearly series
        years = pd.to_datetime(text, format="%Y", errors="coerce")
        early = np.flatnonzero(years.isna().to_numpy() | outside_date_range(years))
        if early.size:
            raise InputError(
                f"column {name!r}: line {early[0] + 2}, {text.iloc[early[0]]!r}, is "
                f"a year outside {_DATE_RANGE}; use years in that range."
            )
        return pd.DatetimeIndex(years)
    for digits, (form, strptime) in _COMPACT.items():
        if text.str.fullmatch(rf"\d{{{digits}}}").all():
            dates = pd.to_datetime(text, format=strptime, errors="coerce")
            bad = np.flatnonzero(dates.isna().to_numpy() | outside_date_range(dates))
            if not bad.size:
                return pd.DatetimeIndex(dates)
            first = bad[0]
            raise InputError(
                f"column {name!r} holds numbers, not dates: line {first + 2}, "
                f"{text.iloc[first]!r}, is not a {form} date"
                + (f" ({bad.size} such values)" if bad.size > 1 else "")
                + f"; {_DATE_FORMATS}"
            )
    if pd.to_numeric(text, errors="coerce").notna().all():
        raise InputError(
            f"column {name!r} holds numbers (e.g. {text.iloc[0]!r}), not dates; "
            f"{_DATE_FORMATS}"
        )
    dates = parse_dates(text)  # what is not a date: checked below
    bad = np.flatnonzero(dates.isna().to_numpy() | outside_date_range(dates))
    if bad.size:
        first = bad[0]
        raise InputError(
            f"line {first + 2}: {text.iloc[first]!r} in column {name!r} is not a "
            f"date like the first one ({text.iloc[0]!r})"
            + (f"; {bad.size} such values" if bad.size > 1 else "")
            + f". Write all dates in one format, e.g. 2024-01-31, from {_DATE_RANGE}."
        )
    return pd.DatetimeIndex(dates)


def _parse_values(column, name, dates, *, late_start=False):
    """The numbers of a column; ``late_start`` allows empty cells before the
    first one (NaN: not started)."""
    values = pd.to_numeric(column.str.strip(), errors="coerce").to_numpy(float)
    text = column.to_numpy()
    not_numbers = np.flatnonzero(np.isnan(values) & column.notna().to_numpy())
    if not_numbers.size:
        first = not_numbers[0]
        others = (
            f" ({not_numbers.size} such values, on lines {_lines(not_numbers)})"
            if not_numbers.size > 1
            else ""
        )
        raise InputError(
            f"line {first + 2}: {text[first]!r} in column {name!r} is not a "
            f"number{others}."
        )
    infinite = np.flatnonzero(np.isinf(values))
    if infinite.size:
        raise InputError(f"column {name!r} is infinite on line(s) {_lines(infinite)}.")
    missing = np.isnan(values)
    started = ""
    if late_start:
        if missing.all():
            raise InputError(
                f"column {name!r} has no values; fill it or leave it out of --target."
            )
        first = np.argmin(missing)
        missing[:first] = False  # not started yet
        started = (
            f", after its first value on line {first + 2} (a series may start "
            "late, but have no gaps)"
        )
    missing = np.flatnonzero(missing)
    if missing.size:
        shown = ", ".join(map(when, dates[missing[:_SHOWN]]))
        raise InputError(
            f"column {name!r} has {missing.size} missing value(s), on line(s) "
            f"{_lines(missing)} ({shown}{', ...' if missing.size > _SHOWN else ''})"
            f"{started}; fill the gaps first, e.g. with pandas: df[{name!r}] = "
            f"df[{name!r}].interpolate()."
        )
    return values


def _check_order(dates, name):
    duplicated = np.flatnonzero(dates.duplicated())
    if duplicated.size:
        second = duplicated[0]
        first = np.flatnonzero(dates == dates[second])[0]
        raise InputError(
            f"column {name!r} repeats the date {when(dates[second])} on lines "
            f"{first + 2} and {second + 2}; keep one row per date."
        )
    backwards = np.flatnonzero(np.diff(dates.asi8) < 0)
    if backwards.size:
        row = backwards[0] + 1
        raise InputError(
            f"column {name!r} is not in increasing order: line {row + 2} "
            f"({when(dates[row])}) comes after {when(dates[row - 1])}; sort the "
            "rows by date, oldest first."
        )


def _frequency(dates, name):
    if len(dates) < 3:
        raise InputError(
            f"only {len(dates)} row(s): at least 3 dates are needed to tell the "
            "frequency."
        )
    freq = _infer_freq(dates)
    if freq is not None:
        return freq
    # The longest regular start: the first uneven date is right after it.
    low, high = 3, len(dates)
    while low < high:
        middle = (low + high + 1) // 2
        if _infer_freq(dates[:middle]) is None:
            high = middle - 1
        else:
            low = middle
    start = _infer_freq(dates[:low])
    if start is None:
        raise InputError(
            f"column {name!r} is not evenly spaced: its first dates "
            f"({', '.join(map(when, dates[:3]))}) have no regular frequency."
            + monthly_dates_hint(dates)
        )
    raise InputError(
        f"column {name!r} is not evenly spaced: line {low + 2} "
        f"({when(dates[low])}) does not follow {when(dates[low - 1])} at the "
        f"frequency of the rows before it ({start.freqstr}); add the missing "
        "dates (with values) or resample."
    )


def _infer_freq(dates):
    """pandas.infer_freq as an offset, None when irregular."""
    freq = infer_freq(dates)
    return None if freq is None else to_offset(freq)


def when(date):
    """A date without its time of day when that is midnight."""
    return str(date.date()) if date == date.normalize() else str(date)
