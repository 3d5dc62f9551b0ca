"""Input checks shared by the estimators: clear errors that name the fix."""

import numpy as np
import pandas as pd


def describe_rows(rows, limit=10):
    """Format row numbers for an error message, e.g. ``"3, 7 and 2 more"``."""
    rows = [int(r) for r in rows]
    shown = ", ".join(map(str, rows[:limit]))
    return shown if len(rows) <= limit else f"{shown} and {len(rows) - limit} more"


def check_numeric_columns(X, name="X"):
    """Raise a TypeError naming the non-numeric columns of a DataFrame."""
    if isinstance(X, pd.DataFrame):
        bad = [c for c, dtype in X.dtypes.items() if not _is_numeric(dtype)]
        if bad:
            raise TypeError(
                f"{name} has non-numeric columns {bad}. Convert them to numbers "
                f"(pd.to_numeric) or drop them; dates belong in the index."
            )
    elif hasattr(X, "dtype") and X.dtype.kind in "USMm":
        raise TypeError(
            f"{name} holds {X.dtype} values; the series must be numeric. "
            "Convert it with np.asarray(X, dtype=float)."
        )


def _is_numeric(dtype):
    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(
        dtype
    )


def check_2d(X, name="X"):
    """Raise a ValueError unless ``X`` is 2-D ``(n_timesteps, n_features)``."""
    ndim = X.ndim if hasattr(X, "ndim") else np.asarray(X).ndim
    if ndim != 2:
        raise ValueError(
            f"Expected a 2-D {name} (n_timesteps, n_features), got {ndim}-D input "
            f"of shape {np.shape(X)}. Reshape your data: one series is one "
            "column, X.reshape(-1, 1) or df[['y']]."
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
    bad = ~np.isfinite(array[skip:])
    if bad.any():
        rows = np.flatnonzero(bad.reshape(len(bad), -1).any(axis=1)) + skip
        raise ValueError(
            f"{name} contains NaN or infinity in rows {describe_rows(rows)} "
            f"(0-based). Fill the gaps first, e.g. with DataFrame.interpolate(), "
            "or cut the series before them."
        )
