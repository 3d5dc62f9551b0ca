"""Read a long CSV file (one row per series and date) as the wide frame of
`sklstm._cli._csv.read_series`, or say in one line what is wrong.

``sklstm forecast --id-col``: the ids, dates and values are checked here, the
table turned wide by `sklstm.forecasting.from_long`; the file's own checks
(header, dates, spacing) are those of `sklstm._cli._csv`.
"""

import numpy as np
import pandas as pd

from .._long import OR_PASS_FREQ, from_long
from ._csv import _frequency, _lines, _parse_dates, _read_csv
from ._errors import InputError, MissingColumnError, one_line


def read_long_series(path, id_col, target=None, time_col=None):
    """Read a long CSV file (one row per series and date) as a wide frame.

    Parameters
    ----------
    path : str or Path
        CSV file with a header line.
    id_col : str
        Column of series ids.
    target : str, default=None
        Column of values; by default the only column besides ``id_col`` and
        ``time_col``.
    time_col : str, default=None
        Column of dates (formats as in `read_series`); by default the first
        column that is neither ``id_col`` nor ``target``.

    Returns
    -------
    series : pandas.DataFrame
        One column per series (named by its id), NaN before a series starts,
        with a DatetimeIndex named ``time_col`` whose ``freq`` is set; see
        `sklstm.forecasting.from_long`.

    Raises
    ------
    InputError
        Naming the line, the series or the dates: a missing column, id, date
        or value, text, a gap, two rows for one series and date, a date off
        the grid (and what `read_series` refuses of a file).
    """
    frame = _read_csv(path)
    columns = frame.columns.tolist()
    named = {"--id-col": id_col, "--target": target, "--time-col": time_col}
    for flag, name in named.items():
        if name is not None and name not in columns:
            raise MissingColumnError(path, name, columns, flag)
    if time_col is None:
        others = [c for c in columns if c not in (id_col, target)]
        time_col = others[0] if others else None
    if target is None:
        others = [c for c in columns if c not in (id_col, time_col)]
        if len(others) != 1:
            raise InputError(
                f"{path} has {len(others)} columns besides {id_col!r} and "
                f"{time_col!r}; name the column of values with --target."
            )
        target = others[0]
    if time_col is None or len({id_col, target, time_col}) < 3:
        raise InputError(
            f"{path} needs three different columns: series ids (--id-col), dates "
            "(--time-col) and values (--target)."
        )
    ids = frame[id_col].str.strip()
    empty = np.flatnonzero(ids.isna().to_numpy())
    if empty.size:
        raise InputError(
            f"column {id_col!r} has no series id on line(s) {_lines(empty)}; every "
            "row needs one."
        )
    dates = _parse_dates(frame[time_col], time_col)
    if dates.nunique() < 3:
        raise InputError(
            f"{path} has {dates.nunique()} date(s): at least 3 are needed to tell "
            "the frequency."
        )
    values = pd.to_numeric(frame[target].str.strip(), errors="coerce").to_numpy(float)
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        first = bad[0]
        raise InputError(
            f"line {first + 2}: {_cell(frame[target].iloc[first])} in column "
            f"{target!r} "
            f"(series {ids.iloc[first]!r}) is not a finite number"
            + (
                f" ({bad.size} such values, on lines {_lines(bad)})"
                if bad.size > 1
                else ""
            )
            + "; every row needs a value (leave out the rows before a series starts)."
        )
    long = pd.DataFrame(
        {id_col: ids.to_numpy(), time_col: dates, target: values},
        index=pd.RangeIndex(2, len(frame) + 2, name="line"),
    )
    try:
        wide = from_long(long, id_col=id_col, time_col=time_col, target=target)
    except ValueError as error:  # the command line has no freq=
        message = one_line(error).replace(OR_PASS_FREQ, "")
        raise InputError(f"{path}: {message}") from None
    if len(wide) < 3:
        raise InputError(
            f"only {len(wide)} date(s): at least 3 are needed to tell the frequency."
        )
    if wide.index.freq is None:
        wide.index.freq = _frequency(wide.index, time_col)
    wide.attrs["value_col"] = target
    return wide


def _cell(text):
    """A cell of the file for a message: quoted, or "no value"."""
    return "no value" if pd.isna(text) else repr(text)
