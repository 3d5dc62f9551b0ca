"""Checks of a wide frame of many series, with messages that name the series.

scikit-learn's validation speaks of columns by position and of the whole
array ("Input y contains infinity"); with a thousand series a user needs the
series and the rows. `check_panel` runs before anything else touches a wide
frame (`make_forecast_pipeline`'s fit, `forecast`, `PanelConformalForecaster`)
and says which series, where, and what to do.
"""

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_array

from ._validation import (
    MAX_MAGNITUDE,
    _is_numeric,
    as_array,
    check_numeric_columns,
    describe_items,
)

_SHOWN = 5


def check_target_series(y):
    """Check the ``y`` of one series or a wide frame; return it as an array.

    `check_panel` (naming the series of a malformed wide frame), numeric
    columns, then scikit-learn's checks with NaN allowed (before a series
    starts).

    Parameters
    ----------
    y : array-like of shape (n_timesteps,) or (n_timesteps, n_series)

    Returns
    -------
    y : ndarray of the same shape
    """
    check_panel(y, "y")
    check_numeric_columns(as_array(y, name="y"), name="y")
    return check_array(
        y,
        input_name="y",
        ensure_all_finite="allow-nan",
        ensure_2d=False,
        dtype="numeric",
    )


def check_panel(frame, name="y"):
    """Refuse a malformed wide frame with a message naming series and rows.

    Only a DataFrame with several columns is checked here (one series, and
    arrays, go through the checks of one series).

    Parameters
    ----------
    frame : object
        What was passed as ``y`` (or ``history``).
    name : str, default="y"
        Its name in the messages.

    Raises
    ------
    ValueError
        Duplicate column names, infinities, or NaN after a series' first
        value (naming the series and the rows).
    TypeError
        Columns that are not numbers: text, booleans, dates, objects.
    """
    if not isinstance(frame, pd.DataFrame) or frame.shape[1] < 2:
        return
    names = list(frame.columns)
    repeated = frame.columns[frame.columns.duplicated()].unique()
    if len(repeated):
        first = repeated[0]
        places = [i for i, column in enumerate(names) if column == first]
        raise ValueError(
            f"{name} has the column name {first!r} more than once (columns "
            f"{describe_items(places)}): each series needs its own name. "
            "Rename them, e.g. df.columns = [...], or drop the repeats."
        )
    not_numbers = [
        column for column, dtype in frame.dtypes.items() if not _is_numeric(dtype)
    ]
    if not_numbers:
        kinds = {str(frame[c].dtype) for c in not_numbers[:_SHOWN]}
        raise TypeError(
            f"{name}: series {_series(not_numbers)} are not numbers (dtype "
            f"{', '.join(sorted(kinds))}). Convert them (df[cols].astype(float), "
            "pd.to_numeric) or leave them out; dates belong in the index."
        )
    values = frame.to_numpy(dtype=float)
    infinite = np.isinf(values)
    if infinite.any():
        raise ValueError(
            f"{name}: series {_where(frame, infinite)} are infinite. Replace "
            "those values with numbers (or NaN before a series starts)."
        )
    with np.errstate(invalid="ignore"):
        huge = np.abs(values) > MAX_MAGNITUDE
    if huge.any():
        raise ValueError(
            f"{name}: series {_where(frame, huge)} are beyond "
            f"+-{MAX_MAGNITUDE:g}, too large to compute with. Give them in "
            "larger units."
        )
    missing = np.isnan(values)
    gaps = np.maximum.accumulate(~missing, axis=0) & missing
    if gaps.any():
        raise ValueError(
            f"{name}: series {_where(frame, gaps)} have NaN after their first "
            "value. A series may start late (NaN before its first value), but "
            "not have gaps: fill them (e.g. df.interpolate()) or cut the series "
            "before them."
        )


def _series(names):
    return describe_items(map(repr, names), _SHOWN)


def _where(frame, mask):
    """``"'b' (rows 3, 4), 'c' (row 7)"``: the series and their rows (index
    labels)."""
    columns = np.flatnonzero(mask.any(axis=0))
    parts = []
    for column in columns[:_SHOWN]:
        rows = frame.index[mask[:, column]]
        parts.append(
            f"{frame.columns[column]!r} (row(s) {describe_items(map(str, rows), 3)})"
        )
    more = f" and {len(columns) - _SHOWN} more" if len(columns) > _SHOWN else ""
    return ", ".join(parts) + more
