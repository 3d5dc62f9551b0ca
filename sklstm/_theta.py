"""ThetaForecaster: the optimised Theta method for every series at once, in
numpy (what `ThetaCombination` averages with a model's forecasts)."""

from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_array, check_is_fitted

from ._base import CompleteRowsScoreMixin
from ._panel_checks import check_target_series
from ._persistence import VersionedPickleMixin
from ._window import dates_of, fingerprint, is_fitted_prefix

ALPHAS = np.linspace(0.05, 0.99, 95)
"""The smoothing weights searched (statsforecast bounds alpha to [0.1, 0.99])."""

MAX_TREND_WEIGHT = 0.99
"""The largest ``1 - 1/theta``: theta in [1, 100]."""


class ThetaForecaster(
    VersionedPickleMixin, CompleteRowsScoreMixin, RegressorMixin, BaseEstimator
):
    """The optimised Theta method (OTM) of every series, fitted in closed form.

    Each series is divided by classical multiplicative seasonal factors
    where it has a season (Theta's test), and forecast by simple exponential
    smoothing plus ``1 - 1/theta`` of its least-squares trend: the static
    optimised Theta model of Fiorucci et al. (2016), or with
    ``dynamic=True`` their dynamic one (DOTM). The smoothing weight
    ``alpha`` is searched on a grid; for each, the initial level and
    ``theta`` (in [1, 100]) that minimise the squared one-step errors are
    found in closed form, as both enter the one-step forecast linearly.
    A series of fewer than 3 values (4 for the dynamic model, whose first
    value is not forecast) repeats its last value.

    Parameters
    ----------
    season : int, default=1
        Rows in a season (12 for monthly data); 1 for none. A series gets
        seasonal factors where it has two seasons or more, only positive
        values, and an autocorrelation at lag ``season`` above the 90% limit
        ``1.645 sqrt((1 + 2 sum_{k<season} r_k^2) / n)`` (Assimakopoulos and
        Nikolopoulos): the mean ratio of the series to its centred moving
        average at each phase, scaled to a mean of 1.
    output_steps : int, default=1
        Steps forecast from each row by `predict_steps`.
    dynamic : bool, default=False
        The trend of each row is the least-squares line of the values before
        it (the dynamic model), not the line of all the values of `fit`;
        the parameters fit those one-step forecasts (from the second value).
        `predict_steps` from the end of `fit` uses the line of all its values
        either way; a recursive forecast (``output_steps=1`` in
        `sklstm.forecasting.forecast`) feeds its forecasts into the line, so
        forecast ``h`` steps with ``output_steps=h``. On three validation
        origins of M1 and M3, Theta alone, it was better than the static
        model on 8 of 21 (panel, origin) pairs (M3 yearly at all three, both
        monthly panels at two of three), worse on the others by up to 8%
        (benchmarks/panels.md, "The dynamic optimised Theta model").

    Attributes
    ----------
    alpha_, theta_, initial_level_ : ndarray of shape (n_series,)
        The fitted parameters of each series (alpha 1 and theta 1 for a
        series too short for the model: its last value).
    trend_weight_ : ndarray of shape (n_series,)
        ``1 - 1/theta``: the share of the trend added to the smoothed level.
    intercept_, slope_ : ndarray of shape (n_series,)
        The least-squares line of each seasonally adjusted series over its
        positions 1, 2, ..., n (the ``n_values_`` values of `fit`).
    level_, n_values_ : ndarray of shape (n_series,)
        The smoothed level and the number of values at the end of `fit`,
        where a continuation starts.
    n_rows_fitted_ : int
        Rows of ``y``.
    seasonal_factors_ : ndarray of shape (season, n_series)
        Factor of each phase (row of `fit` modulo ``season``); 1 where a
        series has no season.
    n_series_ : int
        Series in ``y``.
    n_features_in_ : int
        Columns of ``X`` seen in `fit`.

    Notes
    -----
    ``X`` holds the series in its first ``n_series_`` columns (or, when
    ``X`` and ``y`` are DataFrames, in ``y``'s columns), in the units of
    ``y``: row ``t`` is forecast from the rows before it. As for
    `WindowTransformer`, an ``X`` that starts with the fitted series is
    forecast in-sample; any other ``X`` continues the fitted series.

    Examples
    --------
    >>> from sklstm import ThetaForecaster, load_airline
    >>> y = load_airline()
    >>> model = ThetaForecaster(season=12, output_steps=3).fit(y.to_frame(), y)
    >>> model.predict_steps(y.to_frame(), last_row=True).shape
    (1, 3)
    """

    _parameter_constraints = {
        "season": [Interval(Integral, 1, None, closed="left")],
        "output_steps": [Interval(Integral, 1, None, closed="left")],
        "dynamic": ["boolean"],
    }

    def __init__(self, season=1, output_steps=1, dynamic=False):
        self.season = season
        self.output_steps = output_steps
        self.dynamic = dynamic

    def __setstate__(self, state):
        # a model saved before dynamic existed is static, and takes the
        # first columns of an X without its series' names, as it did
        if "dynamic" not in state and "n_series_" in state:
            state["_names_required"] = False
        state.setdefault("dynamic", False)
        super().__setstate__(state)

    def fit(self, X, y):
        """Fit the seasonal factors and the Theta model of every series.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)
            The series first (see Notes); only its shape is checked here.
        y : array-like of shape (n_timesteps,) or (n_timesteps, n_series)
            The series, NaN before each one starts.

        Returns
        -------
        self : ThetaForecaster
        """
        self._validate_params()
        values = check_target_series(y).astype(float)
        # the series are found in X by name where X held y's columns in fit
        named = isinstance(y, pd.DataFrame) and isinstance(X, pd.DataFrame)
        named = named and set(y.columns) <= set(X.columns)
        self._y_names = list(y.columns) if named else None
        self._names_required = True
        self._y_ndim = values.ndim
        values = values.reshape(len(values), -1)
        self.n_features_in_ = np.shape(X)[1] if np.ndim(X) == 2 else 1
        if len(X) != len(values):
            raise ValueError(
                f"X has {len(X)} rows and y {len(values)}: they must be the same "
                "time steps."
            )
        self.n_series_ = values.shape[1]
        self.seasonal_factors_ = seasonal_factors(values, self.season)
        adjusted = values / self._factors(np.arange(len(values)))
        (
            self.alpha_,
            self.initial_level_,
            self.trend_weight_,
            self.intercept_,
            self.slope_,
        ) = _fit_theta(adjusted, self.dynamic)
        self.theta_ = 1 / (1 - self.trend_weight_)
        self.n_rows_fitted_ = len(values)
        self._fitted_fingerprint = fingerprint(values)
        self._fitted_dates = dates_of(X)
        self.level_, self.n_values_ = _run_levels(
            adjusted, self.alpha_, self.initial_level_, np.zeros(self.n_series_)
        )[2:]
        return self

    def predict(self, X):
        """Forecast each row from the rows before it.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_timesteps,) or (n_timesteps, n_series)
            NaN before a series has a value.
        """
        return self.predict_steps(X)[..., 0]

    def predict_steps(self, X, *, last_row=False):
        """Forecast ``output_steps`` steps from every row.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)
        last_row : bool, default=False
            Forecast the last row only.

        Returns
        -------
        y_pred : ndarray of shape (n_timesteps, n_steps) or \
                (n_timesteps, n_series, n_steps)
            Step ``s`` of row ``t`` forecasts row ``t + s`` from the rows
            before ``t``. One row with ``last_row``.
        """
        return self.forecast_steps(X, self.output_steps, last_row=last_row)

    def forecast_steps(self, X, n_steps, *, last_row=False):
        """`predict_steps` with ``n_steps`` steps instead of ``output_steps``.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)
        n_steps : int
        last_row : bool, default=False

        Returns
        -------
        y_pred : ndarray of shape (n_timesteps, n_steps) or \
                (n_timesteps, n_series, n_steps)
        """
        check_is_fitted(self)
        values = self._series_of(X)
        in_sample = self._starts_with_fitted_series(values, dates_of(X))
        if in_sample:
            offset, level, count = 0, self.initial_level_, np.zeros(self.n_series_)
        else:
            offset, level, count = self.n_rows_fitted_, self.level_, self.n_values_
        rows = np.arange(len(values)) + offset
        adjusted = values / self._factors(rows)
        levels, counts = _run_levels(adjusted, self.alpha_, level, count)[:2]
        if self.dynamic:  # the line of the values before each row
            sums = 0 if in_sample else _line_sums(count, self.intercept_, self.slope_)
            intercept, slope = _running_lines(adjusted, sums)
        else:  # the line of fit
            intercept = np.broadcast_to(self.intercept_, adjusted.shape)
            slope = np.broadcast_to(self.slope_, adjusted.shape)
        if last_row:
            levels, counts, rows = levels[-1:], counts[-1:], rows[-1:]
            intercept, slope = intercept[-1:], slope[-1:]
        steps = np.arange(n_steps)
        decay = (1 - self.alpha_) ** counts  # (rows, series)
        # Fiorucci et al.'s trend after j values, j = counts: (1 - alpha)^j A
        # + (s + (1 - (1 - alpha)^(j + 1)) / alpha) B at step s = 0, 1, ...
        start = (1 - decay * (1 - self.alpha_)) / self.alpha_
        trend = decay * intercept + start * slope
        trend = trend[..., None] + steps * slope[..., None]
        forecast = levels[..., None] + self.trend_weight_[:, None] * trend
        forecast[counts == 0] = np.nan
        phases = rows[:, None] + steps  # (rows, steps)
        forecast *= np.moveaxis(self._factors(phases), -1, 1)
        return forecast[:, 0] if self._y_ndim == 1 else forecast

    def _factors(self, rows):
        """Seasonal factors of the given rows, shape ``rows.shape + (n_series,)``."""
        return self.seasonal_factors_[rows % len(self.seasonal_factors_)]

    def _series_of(self, X):
        if self._y_names is not None and isinstance(X, pd.DataFrame):
            missing = [name for name in self._y_names if name not in X.columns]
            if missing and self._names_required:
                raise ValueError(
                    f"X lacks the column(s) {missing} of the series the model "
                    "was fitted on: pass a frame with every series of fit, "
                    "named as in fit."
                )
            if not missing:
                X = X[self._y_names]
        values = check_array(
            X, input_name="X", ensure_all_finite="allow-nan", ensure_2d=False
        ).astype(float)
        values = values.reshape(len(values), -1)
        if values.shape[1] < self.n_series_:
            raise ValueError(
                f"X has {values.shape[1]} column(s), but the model was fitted on "
                f"{self.n_series_} series: X must hold every series of fit first."
            )
        return values[:, : self.n_series_]

    def _starts_with_fitted_series(self, values, dates):
        n_fitted = self.n_rows_fitted_
        return len(values) >= n_fitted and is_fitted_prefix(
            self, values[:n_fitted], values.dtype, dates
        )


def seasonal_factors(values, season):
    """Classical multiplicative seasonal factors of every column (see
    `ThetaForecaster`'s ``season``).

    Parameters
    ----------
    values : ndarray of shape (n_rows, n_series)
        NaN before each series starts.
    season : int

    Returns
    -------
    factors : ndarray of shape (season, n_series)
        The factor of each phase (row modulo ``season``); 1 where a series
        has no season.
    """
    factors = np.ones((season, values.shape[1]))
    if season == 1:
        return factors
    half = season // 2
    if season % 2:
        weights = np.full(season, 1 / season)
    else:
        weights = np.r_[0.5, np.ones(season - 1), 0.5] / season
    for j in range(values.shape[1]):
        column = values[:, j]
        first = int(np.argmax(~np.isnan(column)))
        x = column[first:]
        n = len(x)
        if n < 2 * season or np.isnan(x).any() or (x <= 0).any():
            continue
        centred = x - x.mean()
        acf = np.array([centred[k:] @ centred[: n - k] for k in range(season + 1)])
        if acf[0] == 0:
            continue
        acf /= acf[0]
        limit = 1.645 * np.sqrt((1 + 2 * np.sum(acf[1:season] ** 2)) / n)
        if abs(acf[season]) <= limit:
            continue
        ratio = x[half : n - half] / np.convolve(x, weights, mode="valid")
        phases = (first + half + np.arange(len(ratio))) % season
        index = np.array([ratio[phases == p].mean() for p in range(season)])
        factors[:, j] = index / index.mean()
    return factors


def _line_sums(count, intercept, slope):
    """The sums (n, sum of values, sum of position times value) behind the
    least-squares lines ``intercept + slope * position`` of ``count`` values."""
    total = count * (intercept + (count + 1) / 2 * slope)
    weighted = slope * count * (count**2 - 1) / 12 + (count + 1) / 2 * total
    return np.stack([count, total, weighted])


def _running_lines(values, sums=0):
    """The least-squares line (intercept, slope over positions 1, 2, ...) of
    the values before each row of every column, from the ``sums``
    (`_line_sums`) of the values before the first row.

    Returns
    -------
    intercept, slope : ndarray of shape (n_rows, n_series)
        NaN before any value; slope 0 before two.
    """
    observed = ~np.isnan(values)
    v = np.where(observed, values, 0.0)
    count, total, weighted = np.asarray(sums, dtype=float) * np.ones((3, 1))
    position = count + np.cumsum(observed, axis=0)
    k = position - observed  # values before the row
    total = total + np.cumsum(v, axis=0) - v
    weighted = weighted + np.cumsum(position * v, axis=0) - position * v
    return _line(k, total, weighted)


def _line(count, total, weighted):
    """The least-squares line (intercept, slope over positions 1, 2, ...) of
    ``count`` values from their sums (`_line_sums`): NaN without a value,
    slope 0 with one."""
    mean = np.divide(total, count, out=np.full_like(total, np.nan), where=count > 0)
    spread = count * (count**2 - 1) / 12
    covariance = weighted - (count + 1) / 2 * total
    slope = np.divide(covariance, spread, out=np.zeros_like(total), where=count > 1)
    return mean - (count + 1) / 2 * slope, slope


def _fit_theta(values, dynamic=False):
    """The OTM (or, ``dynamic``, DOTM) parameters of every column of
    ``values`` (NaN before a start).

    Returns
    -------
    alpha, initial_level, trend_weight, intercept, slope : ndarray of shape \
            (n_series,)
    """
    n_series = values.shape[1]
    observed = ~np.isnan(values)
    n = observed.sum(axis=0).astype(float)
    position = np.cumsum(observed, axis=0)  # 1, 2, ... from each start
    v = np.where(observed, values, 0.0)
    intercept, slope = _line(n, v.sum(axis=0), (position * v).sum(axis=0))
    intercept = np.nan_to_num(intercept)  # a series without values: 0
    if dynamic:  # the line of the values before each row
        lines = _running_lines(values)
    else:
        lines = np.broadcast_to(intercept, v.shape), np.broadcast_to(slope, v.shape)
    # the sums of the one-step errors' least squares, per (series, alpha)
    a = ALPHAS
    smoothed = np.zeros((n_series, len(a)))  # the level from 0, before a value
    decay = np.ones((n_series, len(a)))  # (1 - alpha)^k, k values seen
    sums = np.zeros((6, n_series, len(a)))  # gg, gd, dd, gr, dr, rr
    for row, active, line_intercept, line_slope in zip(
        v, observed, *lines, strict=True
    ):
        if not active.any():
            continue
        x = row[active, None]
        g = decay[active]
        d = g * line_intercept[active, None]
        d += (1 - g * (1 - a)) / a * line_slope[active, None]
        # the dynamic model has no line, so no forecast, for a first value
        scored = ~np.isnan(d)
        e, d = g * scored, np.where(scored, d, 0.0)
        r = (x - smoothed[active]) * scored
        sums[:, active] += np.stack([e * e, e * d, d * d, e * r, d * r, r * r])
        smoothed[active] = a * x + (1 - a) * smoothed[active]
        decay[active] = g * (1 - a)
    gg, gd, dd, gr, dr, rr = sums
    det = gg * dd - gd * gd
    solvable = det > 1e-12 * gg * dd
    safe = np.where(solvable, det, 1.0)
    weight = np.where(solvable, (gg * dr - gd * gr) / safe, 0.0)
    weight = np.clip(weight, 0.0, MAX_TREND_WEIGHT)
    level0 = np.divide(gr - weight * gd, gg, out=np.zeros_like(gg), where=gg > 0)
    sse = rr - 2 * level0 * gr - 2 * weight * dr
    sse += level0**2 * gg + 2 * level0 * weight * gd + weight**2 * dd
    best = np.argmin(sse, axis=1)
    pick = np.arange(n_series), best
    alpha, initial_level, trend_weight = a[best], level0[pick], weight[pick]
    short = n < (4 if dynamic else 3)  # the last value
    first = values[np.argmax(observed, axis=0), np.arange(n_series)]
    alpha = np.where(short, 1.0, alpha)
    trend_weight = np.where(short, 0.0, trend_weight)
    initial_level = np.where(short, np.nan_to_num(first), initial_level)  # none yet: 0
    return alpha, initial_level, trend_weight, intercept, slope


def _run_levels(adjusted, alpha, level, count):
    """Smooth ``adjusted`` row by row from the state (``level``, ``count``).

    Returns
    -------
    levels, counts : ndarray of shape (n_rows, n_series)
        The level and the values seen before each row.
    level, count : ndarray of shape (n_series,)
        After the last row.
    """
    level, count = np.array(level, dtype=float), np.array(count, dtype=float)
    levels, counts = np.empty_like(adjusted), np.empty_like(adjusted)
    for row, x in enumerate(adjusted):
        levels[row], counts[row] = level, count
        seen = ~np.isnan(x)
        level[seen] = alpha[seen] * x[seen] + (1 - alpha[seen]) * level[seen]
        count[seen] += 1
    return levels, counts, level, count
