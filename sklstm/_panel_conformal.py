"""PanelConformalForecaster: intervals for every series of a wide frame.

`ConformalForecaster` calibrates one series on its own residuals. A panel has
too few held-out values per series for that, and pooling raw residuals of a
series in units with one in thousands gives both the wrong width. So the
errors are pooled on a common scale: each series' error divided by its MASE
scale (the mean absolute seasonal difference of its history), which makes
the errors of series at any level comparable. An interval is then the
forecast plus or minus the pooled quantile times the series' own scale: a
series in thousands gets a width in thousands.
"""

import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.validation import check_is_fitted

from ._base import CompleteRowsScoreMixin
from ._conformal import resolve_coverage
from ._panel_checks import check_panel
from ._persistence import VersionedPickleMixin
from ._validation import describe_items
from .forecasting import forecast as _forecast


class PanelConformalForecaster(
    VersionedPickleMixin,
    CompleteRowsScoreMixin,
    MetaEstimatorMixin,
    RegressorMixin,
    BaseEstimator,
):
    """Forecast intervals for every series of a wide frame (split conformal).

    `fit` holds out the last ``steps`` rows of every series (``n_windows``
    times, each window ``steps`` rows earlier than the one after it), fits a
    clone of ``estimator`` on the rows before, forecasts the held-out rows
    with `sklstm.forecasting.forecast` and keeps each error divided by its
    series' scale, one pool per step ahead. Then it fits ``estimator`` on
    all the rows. An interval is the forecast plus or minus the pooled
    quantile (with the finite-sample correction of split conformal
    prediction) times the series' own scale. Coverage holds when the future
    errors of a series, relative to its scale, are like the held-out ones of
    the panel.

    A series' scale is its MASE scale: the mean absolute difference between
    values ``season`` rows apart (1 row apart when it has no more than
    ``season`` values; its mean absolute value when those differences are
    all 0; 1 when that is 0 too).

    A series too short for one window of the model gets no forecast from it
    (NaN, as `sklstm.forecasting.forecast` says); it is forecast by the
    seasonal naive method instead (its last ``season`` values, repeated),
    and a warning names it. A series with no value below 0 in `fit` gets no
    lower bound below 0, as in `ConformalForecaster`.

    Parameters
    ----------
    estimator : regressor
        A model for a wide frame whose ``X`` is the series only, such as
        ``make_forecast_pipeline(LSTMForecaster(), output_steps=steps)``.
    coverage : float, default=0.9
        Share of future values the intervals should contain.
    steps : int, default=1
        Intervals are calibrated up to this many steps ahead; `forecast`
        allows no more.
    n_windows : int, default=1
        Held-out windows of ``steps`` rows; each costs one more fit. One
        window gives ``n_series`` errors per step: with few series, use more.
    season : int, default=1
        Rows per season, for the scales and the seasonal naive fallback (12
        for monthly data).

    Attributes
    ----------
    estimator_ : regressor
        ``estimator`` fitted on all the rows.
    scores_ : list of ndarray
        Held-out errors over their series' scale, ``scores_[0]`` one step ahead.
    series_names_ : ndarray
        The series (the columns of ``y`` in `fit`).
    series_errors_ : ndarray of shape (n_series,)
        Each series' mean held-out error over its scale (its MASE in the
        held-out windows); NaN for a series with no held-out forecast.
    scales_ : ndarray of shape (n_series,)
        Each series' scale over all the rows of `fit`.
    lower_limits_ : ndarray of shape (n_series,)
        0.0 for a series with no value below 0 in `fit`, else ``-inf``.
    season_naive_ : ndarray of str
        The series forecast by the seasonal naive method (too short).

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn.linear_model import Ridge
    >>> from sklstm import CompleteWindows, make_forecast_pipeline, load_airline
    >>> from sklstm import PanelConformalForecaster
    >>> y = load_airline()
    >>> Y = pd.DataFrame({"a": y, "b": 10 * y, "c": y + 100, "d": y[::-1].values},
    ...                  index=y.index)
    >>> ridge = make_forecast_pipeline(CompleteWindows(Ridge()), time_step=12,
    ...                                output_steps=3)
    >>> model = PanelConformalForecaster(ridge, steps=3, n_windows=3, season=12)
    >>> ahead = model.fit(Y, Y).forecast(Y, steps=3)
    >>> ahead.shape, list(ahead.columns.levels[0])
    ((3, 12), ['forecast', 'lower', 'upper'])
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"])],
        "coverage": [Interval(Real, 0, 1, closed="neither")],
        "steps": [Interval(Integral, 1, None, closed="left")],
        "n_windows": [Interval(Integral, 1, None, closed="left")],
        "season": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, estimator, *, coverage=0.9, steps=1, n_windows=1, season=1):
        self.estimator = estimator
        self.coverage = coverage
        self.steps = steps
        self.n_windows = n_windows
        self.season = season

    def fit(self, X, y):
        """Collect held-out scaled errors of every series, then fit on all rows.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_timesteps, n_series)
            The series, one column each, NaN before a series starts.
        y : DataFrame or array-like of shape (n_timesteps, n_series)
            The same series.

        Returns
        -------
        self : PanelConformalForecaster
        """
        self._validate_params()
        check_panel(y, "y")
        frame = _frame(y)
        n_rows = len(frame)
        needed = self.n_windows * self.steps
        if n_rows <= needed:
            raise ValueError(
                f"{self.n_windows} held-out window(s) of steps={self.steps} rows "
                f"need more than {needed} rows; y has {n_rows}. Use fewer "
                "n_windows, fewer steps or a longer history."
            )
        scores = [[] for _ in range(self.steps)]
        per_series = pd.DataFrame(
            np.nan, index=range(self.n_windows), columns=frame.columns
        )
        for window in range(self.n_windows):
            origin = n_rows - (window + 1) * self.steps
            history = frame.iloc[:origin]
            started = history.notna().any().to_numpy()
            if not started.any():
                continue
            history = history.loc[:, started]
            fold = clone(self.estimator)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # too-short series
                fold.fit(_same_kind(X, history), history)
            ahead, _ = self._forecast(fold, history, self.steps)
            actual = frame.iloc[origin : origin + self.steps].loc[:, started]
            error = np.abs(actual.to_numpy(float) - ahead.to_numpy(float))
            error /= series_scales(history, self.season)
            for step in range(self.steps):
                scores[step].append(error[step][np.isfinite(error[step])])
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # all NaN: NaN
                per_series.loc[window, actual.columns] = np.nanmean(error, axis=0)
        self.scores_ = [np.concatenate([[], *s]) for s in scores]
        self.series_names_ = np.asarray(frame.columns)
        self.series_errors_ = per_series.mean().to_numpy(float)
        self.scales_ = series_scales(frame, self.season)
        minimum = frame.min().to_numpy(float)
        self.lower_limits_ = np.where(minimum >= 0, 0.0, -np.inf)
        self.estimator_ = clone(self.estimator).fit(X, y)
        _, fallback = self._forecast(self.estimator_, frame, 1)
        self.season_naive_ = np.asarray(frame.columns[fallback]).astype(str)
        if fallback.any():
            warnings.warn(
                f"{fallback.sum()} series too short for one window of the model "
                f"({describe_items(self.season_naive_, 5)}) are forecast by the "
                "seasonal naive method; give them a longer history or a model "
                "with a shorter time_step.",
                UserWarning,
                stacklevel=2,
            )
        return self

    def _forecast(self, model, history, steps):
        """Forecasts, the seasonal naive ones where the model has none; and
        which series took those."""
        ahead = _forecast(model, history, steps)
        fallback = ahead.isna().any().to_numpy()
        if fallback.any():
            naive = seasonal_naive(history.loc[:, fallback], steps, self.season)
            ahead.loc[:, fallback] = naive.to_numpy()
        return ahead, fallback

    def predict(self, X):
        """One-step forecasts of the fitted estimator (see its ``predict``).

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_timesteps, n_series)

        Returns
        -------
        y_pred : ndarray of shape (n_timesteps, n_series)
        """
        check_is_fitted(self)
        return self.estimator_.predict(X)

    def forecast(self, history, steps, coverage=None):
        """Forecast the next ``steps`` values of every series, with intervals.

        Parameters
        ----------
        history : DataFrame of shape (n_timesteps, n_series)
            The series up to the forecast origin: those of `fit` (by name;
            in any order), or a continuation of them.
        steps : int
            At most the ``steps`` of `fit`.
        coverage : float, default=None
            Defaults to the ``coverage`` given at construction.

        Returns
        -------
        forecast : DataFrame of ``steps`` rows
            Columns ``("forecast" | "lower" | "upper", series)``: ``result
            ["lower"]`` is a wide frame of lower bounds. Indexed as in
            `sklstm.forecasting.forecast`.
        """
        check_is_fitted(self)
        coverage = self._coverage(coverage)
        if not isinstance(steps, (int, np.integer)) or not 1 <= steps <= self.steps:
            raise ValueError(
                f"steps={steps!r}, but the intervals were calibrated for 1 to "
                f"{self.steps} steps ahead; refit with steps >= {steps}."
            )
        frame = _frame(history)
        if not isinstance(history, pd.DataFrame):  # fit's series, by position
            if frame.shape[1] == len(self.series_names_):
                frame.columns = list(self.series_names_)
        order = list(frame.columns)
        if set(order) == set(self.series_names_):
            # fit's order, by name: also names that scikit-learn keeps no
            # record of (not strings), which the model would take by position
            frame = frame[list(self.series_names_)]
        scales, limits = self._per_series(frame)
        center, _ = self._forecast(self.estimator_, frame, steps)
        half = np.outer(self.quantiles(coverage)[:steps], scales)
        values = center.to_numpy(float)
        lower = np.maximum(values - half, np.minimum(values, limits))
        parts = {
            "forecast": center,
            "lower": pd.DataFrame(lower, index=center.index, columns=center.columns),
            "upper": center + half,
        }
        return pd.concat({name: part[order] for name, part in parts.items()}, axis=1)

    def quantiles(self, coverage=None):
        """The pooled quantile of the scaled errors at each step ahead.

        Parameters
        ----------
        coverage : float, default=None
            Defaults to the ``coverage`` given at construction.

        Returns
        -------
        quantiles : ndarray of shape (steps,)
            An interval is the forecast plus or minus this times the
            series' scale.
        """
        check_is_fitted(self)
        coverage = self._coverage(coverage)
        quantiles = []
        for step, scores in enumerate(self.scores_):
            if scores.size == 0:
                raise ValueError(
                    f"No held-out errors for {step + 1} step(s) ahead: no series "
                    "had a forecast in the held-out windows. Use a longer "
                    "history or a model with a shorter time_step."
                )
            level = min(1.0, np.ceil((scores.size + 1) * coverage) / scores.size)
            quantiles.append(np.quantile(scores, level, method="higher"))
        return np.asarray(quantiles)

    def _per_series(self, frame):
        """Scales and lower limits of the series of ``frame``, by name."""
        known = {name: i for i, name in enumerate(self.series_names_)}
        unknown = [name for name in frame.columns if name not in known]
        if unknown:
            raise ValueError(
                f"history has series not seen in fit: "
                f"{describe_items(unknown, 5)}; the intervals are calibrated for "
                "the series of fit only. Fit again with every series you forecast."
            )
        order = [known[name] for name in frame.columns]
        return self.scales_[order], self.lower_limits_[order]

    def _coverage(self, coverage):
        return resolve_coverage(coverage, self.coverage)


def series_scales(frame, season=1):
    """Each series' MASE scale: its mean absolute ``season``-row difference.

    Parameters
    ----------
    frame : DataFrame of shape (n_timesteps, n_series)
        NaN before a series starts.
    season : int, default=1

    Returns
    -------
    scales : ndarray of shape (n_series,)
        The mean absolute difference of values ``season`` rows apart; of
        neighbouring values for a series with no more than ``season``
        values; its mean absolute value where that is 0 or undefined; 1
        where that is 0 too.
    """
    values = frame.to_numpy(float)
    scales = np.full(values.shape[1], np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # empty means: NaN
        for lag in (season, 1):
            if lag < len(values):
                difference = np.abs(values[lag:] - values[:-lag])
                mean = np.nanmean(difference, axis=0)
                scales = np.where(np.isfinite(scales) & (scales > 0), scales, mean)
        level = np.nanmean(np.abs(values), axis=0)
    scales = np.where(np.isfinite(scales) & (scales > 0), scales, level)
    return np.where(np.isfinite(scales) & (scales > 0), scales, 1.0)


def seasonal_naive(frame, steps, season=1):
    """The last ``season`` values of each series, repeated for ``steps`` rows.

    A series with fewer than ``season`` values repeats its last value.

    Parameters
    ----------
    frame : DataFrame of shape (n_timesteps, n_series)
    steps, season : int

    Returns
    -------
    forecast : DataFrame of shape (steps, n_series)
    """
    values = frame.to_numpy(float)
    out = np.empty((steps, values.shape[1]))
    for column in range(values.shape[1]):
        series = values[:, column]
        series = series[np.isfinite(series)]
        last = series[-season:] if len(series) >= season else series[-1:]
        out[:, column] = np.resize(last, steps) if len(last) else np.nan
    return pd.DataFrame(out, columns=frame.columns)


def _frame(y):
    if isinstance(y, pd.DataFrame):
        return y
    array = np.asarray(y, dtype=float)
    return pd.DataFrame(array.reshape(len(array), -1))


def _same_kind(X, rows):
    """``X`` cut to the rows and columns of ``rows`` (a part of y)."""
    if isinstance(X, pd.DataFrame):
        return X.loc[rows.index, rows.columns]
    return rows
