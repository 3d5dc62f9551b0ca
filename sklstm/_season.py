"""Multiplicative seasonal factors of each series, by classical decomposition.

The Theta method's (and ES-RNN's cheap) way to take a season out before a
model that sees short windows: each series that passes a seasonality test is
divided by its factor at each position of the season, and its forecasts are
multiplied by the factors of the rows they forecast.
"""

import numpy as np
import pandas as pd


def season_positions(index, n_rows, season):
    """Position of each row in the season, ``0 .. season - 1``.

    From the dates of a DatetimeIndex (its period number: the month of the
    year for monthly dates), from the values of an integer index, else from
    the row number. The same rows of a longer or shorter history then get
    the same positions.

    Parameters
    ----------
    index : pandas.Index or None
    n_rows : int
    season : int

    Returns
    -------
    positions : ndarray of int of shape (n_rows,)
    """
    if isinstance(index, pd.DatetimeIndex):
        freq = index.freq or (pd.infer_freq(index) if len(index) > 2 else None)
        if freq is not None:
            return np.asarray(index.to_period(freq).asi8 % season)
    if index is not None and pd.api.types.is_integer_dtype(index):
        return np.asarray(index, dtype=np.int64) % season
    return np.arange(n_rows) % season


class SeasonalFactors:
    """Each series' multiplicative seasonal factors (mean 1 over a season).

    A series gets factors other than 1 when it is positive, has at least
    three seasons of values and its autocorrelation at lag ``season`` passes
    the 90% test of the Theta method (Assimakopoulos and Nikolopoulos,
    2000): ``|r_m| > 1.645 sqrt((1 + 2 sum_{k<m} r_k^2) / n)``. The factors
    are the mean ratio of the series to its centred moving average of one
    season at each position.

    Parameters
    ----------
    season : int
        Rows per season, at least 2.

    Attributes
    ----------
    factors_ : ndarray of shape (n_series, season)
        Factor of each series at each position (all 1 where not seasonal).
    seasonal_ : ndarray of bool of shape (n_series,)
        The series whose factors are not all 1.
    """

    def __init__(self, season):
        self.season = season

    def fit(self, values, positions):
        """Fit on ``values`` (n_rows, n_series), NaN before a series starts.

        Parameters
        ----------
        values : ndarray of shape (n_rows, n_series)
        positions : ndarray of int of shape (n_rows,)
            `season_positions` of the rows.

        Returns
        -------
        self : SeasonalFactors
        """
        m = self.season
        self.factors_ = np.ones((values.shape[1], m))
        moving = np.r_[0.5, np.ones(m - 1), 0.5] / m if m % 2 == 0 else np.ones(m) / m
        half = (len(moving) - 1) // 2
        for j, column in enumerate(values.T):
            known = ~np.isnan(column)
            start = int(np.argmax(known))
            y = column[start:]
            if len(y) < 3 * m or not known[start:].all() or (y <= 0).any():
                continue
            if not _passes_seasonality_test(y, m):
                continue
            trend = np.convolve(y, moving, mode="valid")
            ratio = y[half : half + len(trend)] / trend
            where = positions[start:][half : half + len(trend)]
            factor = np.bincount(where, ratio, m) / np.bincount(where, minlength=m)
            self.factors_[j] = factor / factor.mean()
        self.seasonal_ = (self.factors_ != 1).any(axis=1)
        return self

    def at(self, positions):
        """Factors ``(len(positions), n_series)`` of every series at the rows."""
        return self.factors_[:, positions].T


def _passes_seasonality_test(y, season):
    """The Theta method's 90% test of the autocorrelation at lag ``season``."""
    d = y - y.mean()
    denominator = d @ d
    if denominator == 0:
        return False
    acf = np.array([d[k:] @ d[: len(d) - k] for k in range(1, season + 1)])
    acf /= denominator
    limit = 1.645 * np.sqrt((1 + 2 * np.sum(acf[:-1] ** 2)) / len(y))
    return abs(acf[-1]) > limit
