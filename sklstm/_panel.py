"""Many series: the windows of every (row, series) pair of a wide frame.

A wide frame has one column per series (rows are time steps of all of them);
`WindowTransformer` turns it into one lag matrix whose window at row ``t``
holds every column. A global model trains on the window of each series at
each row where that series has a full history: the (row, series) *pairs*.
`SeriesWindows` hands out those windows a batch at a time from the strided
view, so that thousands of series are never copied into one
``(n_pairs, time_step)`` array.
"""

import warnings

import numpy as np
from sklearn.utils.validation import _check_sample_weight

from ._chunks import chunks

# A re-export for models pickled by sklstm 0.1.0, whose ``series_units_`` names
# sklstm._panel.SeriesUnits; see the user guide's "Contributing and architecture".
from ._level import SeriesUnits as SeriesUnits
from ._validation import TooFewWindowsError, describe_items, describe_rows


class SeriesWindows:
    """The windows of (row, series) pairs, gathered on demand.

    Indexing (``samples[rows]`` with a slice or integer array) returns a new
    float array ``(n, time_step, 1 + n_covariates)``: the series' own values,
    then the covariates (the columns of ``X`` after the series). Nothing else
    is stored but the view and the pair indices.

    With ``spreads`` (``level="last"``), each window of a series' own
    values is taken relative to its last value and divided by the series'
    spread: windows of series at any level and scale look alike, and are
    unchanged by an affine map of a series (such as a per-series
    ``MinMaxScaler``). `level` gives each pair's last value and spread, to
    put targets and forecasts on the same footing.

    Parameters
    ----------
    windows : ndarray of shape (n_rows, time_step, n_features)
        Strided view of the lag matrix; the first ``n_series`` features are
        the series, the others covariates that every series sees.
    rows, series : ndarray of int, shape (n_pairs,)
        Row and series of each pair.
    n_series : int
    spreads : ndarray of shape (n_series,) or None, default=None
        Each series' spread (`series_spreads`); None: windows as they are
        (``level="absolute"``).
    """

    def __init__(self, windows, rows, series, n_series, spreads=None):
        self.windows, self.rows, self.series = windows, rows, series
        self.n_series, self.spreads = n_series, spreads
        n_steps, n_features = windows.shape[1:]
        self.shape = (len(rows), n_steps, 1 + n_features - n_series)

    def __len__(self):
        return len(self.rows)

    def subset(self, index):
        """The pairs selected by ``index``, still not gathered."""
        return SeriesWindows(
            self.windows,
            self.rows[index],
            self.series[index],
            self.n_series,
            self.spreads,
        )

    def own(self, index):
        """The series' own values ``(n, time_step)`` of the pairs ``index``."""
        rows, series = self.rows[index], self.series[index]
        steps = np.arange(self.shape[1])
        return self.windows[rows[:, None], steps, series[:, None]].astype(float)

    def __getitem__(self, index):
        own = self.own(index)
        if self.spreads is not None:
            own = (own - own[:, -1:]) / self.spreads[self.series[index], None]
        covariates = np.arange(self.n_series, self.windows.shape[2])
        if not len(covariates):
            return own[:, :, None]
        rows = self.rows[index]
        steps = np.arange(self.shape[1])
        others = self.windows[
            rows[:, None, None], steps[None, :, None], covariates[None, None, :]
        ]
        return np.concatenate([own[:, :, None], others], axis=2)

    def level(self):
        """Each pair's last value and spread: ``(0, 1)`` for absolute windows.

        Returns
        -------
        last, spread : ndarray of shape (n_pairs,)
        """
        if self.spreads is None:
            return np.zeros(len(self)), np.ones(len(self))
        last = self.windows[self.rows, -1, self.series].astype(float)
        return last, self.spreads[self.series]


def window_targets(samples, units, y, output_steps):
    """Targets of steps 1..H on the windows' footing: in X's units, relative
    to each window's last value and over its series' spread; NaN past the
    end of y.

    Returns
    -------
    targets : ndarray of shape (n_pairs, output_steps)
    """
    last, spread = samples.level()
    targets = _horizon_targets(y, samples.rows, samples.series, output_steps)
    targets = units.to_window(targets, samples.series)
    targets -= last[:, None]
    targets /= spread[:, None]
    return targets


def check_every_step_has_targets(targets):
    """Raise a ValueError unless each step ahead has 2 targets to learn from."""
    counts = (~np.isnan(targets)).sum(axis=0)
    if counts.min() < 2:
        step = int(np.argmin(counts)) + 1
        raise TooFewWindowsError(
            f"Only {counts.min()} window(s) have a target {step} step(s) ahead; "
            "at least 2 are needed. Use a smaller output_steps or time_step, "
            "or longer series."
        )


def target_values(samples, units, y_pred):
    """Undo `window_targets`: forecasts ``(n_pairs, n_steps)`` in y's units."""
    last, spread = samples.level()
    return units.to_target(y_pred * spread[:, None] + last[:, None], samples.series)


def complete_windows(windows, n_series, name="X"):
    """Which (row, series) windows are complete, after checking for gaps.

    A window with NaN is a row before its series has a full history; once a
    series has a complete window, every later window of it must be complete
    (NaN inside a series is an error, as is infinity anywhere). Covariates
    (features after the first ``n_series``) must be complete for a pair to
    count.

    Parameters
    ----------
    windows : ndarray of shape (n_rows, time_step, n_features)
    n_series : int
    name : str
        Name used in the error message.

    Returns
    -------
    complete : ndarray of bool, shape (n_rows, n_series)
    """
    n_rows, _, n_features = windows.shape
    incomplete = np.empty((n_rows, n_features), dtype=bool)
    infinite = np.zeros(n_rows, dtype=bool)
    for rows in chunks(n_rows):
        part = windows[rows]
        incomplete[rows] = np.isnan(part).any(axis=1)
        infinite[rows] = np.isinf(part).any(axis=(1, 2))
    started = np.logical_or.accumulate(~incomplete, axis=0)
    bad = infinite | (incomplete & started).any(axis=1)
    if bad.any():
        gaps = np.flatnonzero((incomplete & started).any(axis=0))
        raise ValueError(
            f"{name} contains NaN or infinity in rows "
            f"{describe_rows(np.flatnonzero(bad))} (0-based)"
            + (f", inside series {describe_items(gaps)}" if len(gaps) else "")
            + ". A series may start late (NaN before its first value), but not "
            "have gaps. Fill them first, e.g. with DataFrame.interpolate(), or "
            "cut the series before them."
        )
    covariates_complete = ~incomplete[:, n_series:].any(axis=1)
    return ~incomplete[:, :n_series] & covariates_complete[:, None]


def check_started(y, name="y"):
    """Raise a ValueError for infinity, or NaN after a column's first value.

    NaN before a column's first value means the series has not started.
    """
    missing = np.isnan(y)
    bad = np.isinf(y) | (missing & np.logical_or.accumulate(~missing, axis=0))
    if bad.any():
        rows = np.flatnonzero(bad.any(axis=1))
        columns = np.flatnonzero(bad.any(axis=0))
        raise ValueError(
            f"{name} contains NaN or infinity in rows {describe_rows(rows)} "
            f"(0-based), column(s) {describe_items(columns)}. A series may start "
            "late (NaN before its first value), but not have gaps. Fill them "
            "first, e.g. with DataFrame.interpolate(), or cut the series "
            "before them."
        )


def training_pairs(complete, y, names=None):
    """The pairs to train on: a complete window and a target in ``y``.

    Series with no such pair are named in a warning; when no series has
    one, a ValueError says what is needed.

    Parameters
    ----------
    complete : ndarray of bool, shape (n_rows, n_series)
    y : ndarray of shape (n_rows, n_series)
    names : sequence of str, default=None
        Series names for the messages (else their positions).

    Returns
    -------
    rows, series : ndarray of int
        Row-major: the pairs of row ``t`` come before those of row ``t + 1``,
        so the latest pairs are last (early stopping holds them out).
    """
    usable = complete & ~np.isnan(y)
    rows, series = np.nonzero(usable)
    counts = usable.sum(axis=0)
    if counts.sum() < 2:
        raise TooFewWindowsError(
            f"Only {counts.sum()} window(s) of all {y.shape[1]} series are "
            "complete and have a target; at least 2 are needed. The series "
            "must be longer than time_step + horizon: use longer series or a "
            "smaller time_step."
        )
    short = np.flatnonzero(counts == 0)
    if len(short):
        labels = short if names is None else [names[i] for i in short]
        warnings.warn(
            f"Series {describe_items(labels)} (of {y.shape[1]}) are too short "
            "for one complete window with a target and are not trained on; "
            "their forecasts are NaN until they have time_step + horizon "
            "values.",
            UserWarning,
            stacklevel=3,
        )
    return rows, series


def pair_weights(sample_weight, complete, rows, series):
    """The weight of each training pair, from one weight a row (every series)
    or one a row and series ``(n_rows, n_series)``; non-negative, finite."""
    if np.asarray(sample_weight).ndim != 2:  # scikit-learn's checks and words
        weight = _check_sample_weight(sample_weight, complete, ensure_non_negative=True)
        return weight[rows]
    weight = np.asarray(sample_weight, dtype=float)
    if weight.shape != complete.shape:
        raise ValueError(
            f"sample_weight has shape {weight.shape}; expected "
            f"({len(complete)},) (one weight a row) or {complete.shape} (one a "
            "row and series)."
        )
    if not np.isfinite(weight).all() or (weight < 0).any():
        raise ValueError(
            "sample_weight must be finite and non-negative; give 0 to leave a row out."
        )
    return weight[rows, series]


def series_names(y):
    """Column names of a DataFrame ``y``, for messages; else None."""
    columns = getattr(y, "columns", None)
    return None if columns is None else [str(c) for c in columns]


def latest_targets(y, rows, series, output_steps):
    """Which targets of steps 1..H lie in the last ``output_steps`` observed
    values of their series (what ``network_weight="auto"`` holds out).

    Returns
    -------
    latest : ndarray of bool, shape (n_pairs, output_steps)
    """
    observed = ~np.isnan(y)
    last = len(y) - 1 - np.argmax(observed[::-1], axis=0)
    target_rows = rows[:, None] + np.arange(output_steps)
    return target_rows > (last - output_steps)[series, None]


def _horizon_targets(y, rows, series, output_steps):
    """Targets of steps 1..H: ``y[row + s, series]``; NaN past the end of ``y``.

    Returns
    -------
    targets : ndarray of shape (n_pairs, output_steps)
    """
    padded = np.vstack([y, np.full((output_steps - 1, y.shape[1]), np.nan)])
    return padded[rows[:, None] + np.arange(output_steps), series[:, None]]


def scatter(complete, values, n_dims):
    """Place one value per complete pair into ``(n_rows, n_series)``, NaN
    elsewhere; ``(n_rows,)`` for a model fitted on a 1-D ``y``."""
    out = np.full(complete.shape + values.shape[1:], np.nan)
    out[complete] = values
    return out[:, 0] if n_dims == 1 else out
