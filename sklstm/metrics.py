"""Forecasting scores, and scorers for ``GridSearchCV(scoring=...)``.

Rows predicted as NaN (rows without history, see `WindowTransformer`) are left
out of every score here. Many series: 2-D ``y_true`` and ``y_pred``
``(n_rows, n_series)``, with NaN where a series has not started; each score
is computed for each series on its own and then averaged over the series
that have one (as the M competitions average MASE), so that every series
counts the same whatever its size. A series whose scale is 0 (constant) or
undefined (too short for it) has no score there, as fev leaves such series
out; one series alone gets ``inf`` (NaN if its errors are 0 too) or, too
short, the error.
"""

import numpy as np
from sklearn.metrics import make_scorer

__all__ = [
    "mean_absolute_scaled_error",
    "seasonal_naive_mae",
    "relative_mean_absolute_error",
    "relative_mae_scorer",
]


def _as_2d_series(y_true, y_pred):
    """Both as ``(n_rows, n_series)``; one series may come in any 1-column
    shape."""
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    if y_true.ndim == 2 and y_true.shape[1] > 1:
        if y_pred.shape != y_true.shape:
            raise ValueError(
                f"y_true has shape {y_true.shape} and y_pred {y_pred.shape}; "
                "they must be forecasts of the same rows and series."
            )
        return y_true, y_pred
    if y_true.size != y_pred.size:
        raise ValueError(
            f"y_true has {y_true.size} values and y_pred {y_pred.size}; "
            "they must be forecasts of the same rows."
        )
    return y_true.reshape(-1, 1), y_pred.reshape(-1, 1)


def _mean_over_series(scores):
    scores = np.asarray(scores, dtype=float)
    return scores[0] if len(scores) == 1 else np.nanmean(scores)


def mean_absolute_scaled_error(y_true, y_pred, *, y_train, season=1):
    """MAE of the forecasts divided by the in-sample MAE of the seasonal naive
    forecast on the training series (Hyndman & Koehler, 2006).

    Below 1, the forecasts beat the seasonal naive forecast on average.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_series)
        Actual values and forecasts of the evaluated rows.
    y_train : array-like of shape (n_train,) or (n_train, n_series)
        The training series, oldest first (NaN before a series starts).
    season : int, default=1
        Season length; 1 scales by the naive (last value) forecast.

    Returns
    -------
    mase : float
        With several series, the mean of each series' MASE.

    Examples
    --------
    >>> from sklstm.metrics import mean_absolute_scaled_error
    >>> float(mean_absolute_scaled_error([5, 6], [4, 6], y_train=[1, 2, 3, 4]))
    0.5
    """
    y_true, y_pred = _as_2d_series(y_true, y_pred)
    y_train = np.asarray(y_train, dtype=float).reshape(-1, y_true.shape[1])
    several = y_true.shape[1] > 1
    scores = []
    for actual, forecast, train in zip(y_true.T, y_pred.T, y_train.T, strict=True):
        keep = ~np.isnan(forecast) & ~np.isnan(actual)
        train = train[~np.isnan(train)]
        if not keep.any() or (several and len(train) <= season):
            scores.append(np.nan)  # no forecast, or no scale: no score
            continue
        scale = seasonal_naive_mae(train, season=season)
        error = np.abs(actual[keep] - forecast[keep]).mean()
        scores.append(_scaled(error, scale, several))
    return _mean_over_series(scores)


def _scaled(error, scale, several):
    """``error / scale``; with several series, NaN (no score) where the scale
    is 0, else ``inf`` or NaN as the division gives."""
    if scale == 0:
        return np.nan if several or error == 0 else np.inf
    return error / scale


def seasonal_naive_mae(y_train, season=1):
    """In-sample MAE of the seasonal naive forecast: the scale of MASE.

    Parameters
    ----------
    y_train : array-like of shape (n_train,)
        The training series, oldest first.
    season : int, default=1
        Season length; 1 is the naive (last value) forecast.

    Returns
    -------
    mae : float

    Examples
    --------
    >>> from sklstm.metrics import seasonal_naive_mae
    >>> seasonal_naive_mae([1, 2, 4, 8], season=2)  # |4 - 1| and |8 - 2|
    4.5
    """
    y_train = np.asarray(y_train, dtype=float).ravel()
    if len(y_train) <= season:
        raise ValueError(
            f"y_train has {len(y_train)} values; the seasonal naive scale needs "
            f"more than season={season}."
        )
    return float(np.abs(y_train[season:] - y_train[:-season]).mean())


def relative_mean_absolute_error(y_true, y_pred, *, season=1):
    """MAE of the forecasts divided by the MAE of the seasonal naive forecast
    on the same rows.

    The seasonal naive forecast of row ``t`` is ``y_true[t - season]``, so the
    first ``season`` rows (and rows predicted as NaN) are left out of both
    MAEs. Needs only the evaluated rows, so it works as a cross-validation
    score on each test fold: below 1 beats repeating the last (seasonal)
    value.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_series)
        Actual values and forecasts of consecutive rows.
    season : int, default=1
        Season length; 1 compares with the last value.

    Returns
    -------
    relative_mae : float
        With several series, the mean of each series' relative MAE (over
        the series with a forecast and a naive error).

    Examples
    --------
    >>> from sklstm.metrics import relative_mean_absolute_error
    >>> float(relative_mean_absolute_error([1, 3, 5, 7], [0, 3, 6, 7]))
    0.1666...
    """
    y_true, y_pred = _as_2d_series(y_true, y_pred)
    if len(y_true) <= season:
        raise ValueError(
            f"{len(y_true)} rows; the seasonal naive forecast needs more than "
            f"season={season}."
        )
    scores = []
    for actual, forecast in zip(y_true.T, y_pred.T, strict=True):
        naive = actual[:-season]
        actual, forecast = actual[season:], forecast[season:]
        keep = ~np.isnan(forecast) & ~np.isnan(actual) & ~np.isnan(naive)
        if not keep.any():  # a series without forecasts has no score
            scores.append(np.nan)
            continue
        naive_error = np.abs(actual[keep] - naive[keep]).mean()
        error = np.abs(actual[keep] - forecast[keep]).mean()
        scores.append(_scaled(error, naive_error, y_true.shape[1] > 1))
    return _mean_over_series(scores)


relative_mae_scorer = make_scorer(relative_mean_absolute_error, greater_is_better=False)
"""Scorer of `relative_mean_absolute_error` (season 1), negated as scikit-learn
expects: ``GridSearchCV(..., scoring=relative_mae_scorer)``. For another season,
``make_scorer(relative_mean_absolute_error, greater_is_better=False, season=12)``.
"""
