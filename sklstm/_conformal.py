"""ConformalForecaster: prediction intervals from out-of-sample residuals."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.model_selection import TimeSeriesSplit, check_cv
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._base import CompleteRowsScoreMixin
from ._persistence import VersionedPickleMixin
from ._validation import as_array, check_numeric_columns, check_same_length
from .forecasting import recursive_forecast


class ConformalForecaster(
    VersionedPickleMixin,
    CompleteRowsScoreMixin,
    MetaEstimatorMixin,
    RegressorMixin,
    BaseEstimator,
):
    """Wrap a forecaster to give prediction intervals (split conformal over time).

    `fit` fits a clone of ``estimator`` on each training fold of a
    time-ordered split and forecasts the fold that follows, which gives
    out-of-sample residuals; then it fits ``estimator`` on all the data. An
    interval is the forecast plus or minus the residual quantile that covers
    ``coverage`` of them (with the finite-sample correction of split
    conformal prediction). Coverage holds when future errors are like past
    out-of-sample errors; ``scale="relative"`` assumes errors proportional to
    the level, for series whose swings grow with their level.

    A series with no value below 0 in `fit` (counts, sales, sunspots) gets
    no lower bound below 0: a lower bound under 0 is raised to 0, or to the
    forecast when that is lower still, so that the interval keeps its
    forecast. Values below 0 were never seen, and every value from 0 up that
    the interval held, it still holds: the coverage of such a series does
    not change.

    Parameters
    ----------
    estimator : regressor
        A fitted-on-windows pipeline, e.g. MinMaxScaler + WindowTransformer +
        LSTMForecaster.
    coverage : float, default=0.9
        Share of future values the intervals should contain.
    cv : int or cross-validation splitter, default=5
        Time-ordered folds. An int ``k`` means ``k`` folds over the latest half
        of the series, ``TimeSeriesSplit(k, test_size=n // (2 * k))``, so that
        the residuals come from models trained on at least half of the data.
        Else a :term:`cross-validation splitter`, used as it is: one whose
        folds are in time order, such as ``TimeSeriesSplit``.
    scale : {"absolute", "relative"}, default="absolute"
        Residuals as ``|y - y_pred|`` or as ``|y - y_pred| / |y_pred|``.
    max_steps : int, default=1
        Calibrate intervals of `recursive_forecast` up to this many steps
        ahead: each test fold is also forecast recursively from several
        origins (costs about ``10 * max_steps`` extra predictions per fold).

    Attributes
    ----------
    estimator_ : regressor
        ``estimator`` fitted on all the data.
    residuals_ : list of ndarray
        Out-of-sample residuals (in the units of ``scale``) for each step ahead,
        ``residuals_[0]`` the one-step ones.
    lower_limit_ : float
        0.0 when no value of ``y`` in `fit` is below 0, else ``-inf``: lower
        bounds are not below it, unless the forecast is. A model saved
        before this attribute existed loads with ``-inf``: bounds as it gave
        them then.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklstm import ConformalForecaster, NaiveForecaster, WindowTransformer
    >>> from sklstm import load_airline
    >>> y = load_airline()
    >>> naive = make_pipeline(WindowTransformer(12), NaiveForecaster())
    >>> model = ConformalForecaster(naive).fit(y.to_frame()[:-12], y[:-12])
    >>> model.predict_interval(y.to_frame()[-12:]).shape
    (12, 2)
    >>> model.lower_limit_  # passengers are never below 0: nor are the bounds
    0.0
    """

    _saved_defaults = {"lower_limit_": -np.inf}  # added in 0.1.0

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"])],
        "coverage": [Interval(Real, 0, 1, closed="neither")],
        "cv": ["cv_object"],
        "scale": [StrOptions({"absolute", "relative"})],
        "max_steps": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, estimator, *, coverage=0.9, cv=5, scale="absolute", max_steps=1):
        self.estimator = estimator
        self.coverage = coverage
        self.cv = cv
        self.scale = scale
        self.max_steps = max_steps

    def fit(self, X, y):
        """Collect out-of-sample residuals over time-ordered folds, then fit.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)
            The series, as the wrapped estimator takes it.
        y : array-like of shape (n_timesteps,)
            Target of each row.

        Returns
        -------
        self : ConformalForecaster
        """
        self._validate_params()
        y = as_array(y, name="y")
        check_numeric_columns(y, name="y")
        check_same_length(X, y)
        y = np.asarray(y, dtype=float)
        cv = self.cv
        if isinstance(cv, Integral):
            if len(y) <= cv:
                raise ValueError(
                    f"cv={cv} folds need more than {cv} rows, got {len(y)}. Use "
                    "a longer series (intervals need out-of-sample errors) or "
                    "fewer folds."
                )
            cv = TimeSeriesSplit(cv, test_size=max(1, len(y) // (2 * cv)))
        residuals = [[] for _ in range(self.max_steps)]
        for train, test in check_cv(cv).split(X, y):
            fold = clone(self.estimator).fit(_safe_indexing(X, train), y[train])
            residuals[0].append(
                self._conformity(y[test], fold.predict(_safe_indexing(X, test)))
            )
            if self.max_steps > 1:
                self._add_recursive_residuals(fold, X, y, test, residuals)
        # none for a step beyond every test fold: `_half_width` says so
        self.residuals_ = [np.concatenate([[], *r]) for r in residuals]
        self.residuals_ = [r[np.isfinite(r)] for r in self.residuals_]
        self.lower_limit_ = 0.0 if np.nanmin(y) >= 0 else -np.inf
        self.estimator_ = clone(self.estimator).fit(X, y)
        return self

    def _add_recursive_residuals(self, fold, X, y, test, residuals):
        origins = test[: len(test) - 1 : max(1, len(test) // 10)]
        for origin in origins:
            steps = min(self.max_steps, test[-1] + 1 - origin)
            history = _safe_indexing(X, np.arange(origin))
            forecast = recursive_forecast(fold, history, steps).to_numpy()
            actual = y[origin : origin + steps]
            for step in range(1, steps):
                residuals[step].append(
                    self._conformity(actual[step : step + 1], forecast[step : step + 1])
                )

    def _conformity(self, y_true, y_pred):
        error = np.abs(np.asarray(y_true, dtype=float) - y_pred)
        return error / np.abs(y_pred) if self.scale == "relative" else error

    def _coverage(self, coverage):
        """``coverage`` as given to a method, checked; the default if None."""
        return resolve_coverage(coverage, self.coverage)

    def _half_width(self, y_pred, step, coverage):
        residuals = self.residuals_[step]
        if residuals.size == 0:
            raise ValueError(
                f"No out-of-sample residuals for {step + 1} step(s) ahead; use "
                "more data, fewer folds or a smaller max_steps."
            )
        level = min(1.0, np.ceil((residuals.size + 1) * coverage) / residuals.size)
        quantile = np.quantile(residuals, level, method="higher")
        return quantile * np.abs(y_pred) if self.scale == "relative" else quantile

    def _lower(self, y_pred, half):
        """The lower bound: ``y_pred - half``, raised to `lower_limit_` but not
        above ``y_pred``."""
        return np.maximum(y_pred - half, np.minimum(y_pred, self.lower_limit_))

    def predict(self, X):
        """Forecasts of the fitted estimator.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_timesteps,)
        """
        check_is_fitted(self)
        return self.estimator_.predict(X)

    def predict_interval(self, X, coverage=None):
        """Lower and upper bounds of the one-step prediction intervals.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)
        coverage : float, default=None
            Defaults to the ``coverage`` given at construction.

        Returns
        -------
        bounds : ndarray of shape (n_timesteps, 2)
            Columns lower, upper; NaN for rows without history. The lower
            bound of a series never below 0 in `fit` is not below 0 (see
            ``lower_limit_``).
        """
        check_is_fitted(self)
        y_pred = self.predict(X)
        half = self._half_width(y_pred, 0, self._coverage(coverage))
        return np.column_stack([self._lower(y_pred, half), y_pred + half])

    def forecast(self, history, steps, coverage=None):
        """Recursive forecast of the next ``steps`` values with intervals.

        Parameters
        ----------
        history : pandas.Series, one-column DataFrame or array-like
            The observed series up to the forecast origin.
        steps : int
            At most ``max_steps``.
        coverage : float, default=None
            Defaults to the ``coverage`` given at construction.

        Returns
        -------
        forecast : pandas.DataFrame
            Columns ``forecast``, ``lower``, ``upper``, indexed by the future
            dates (see `sklstm.forecasting.recursive_forecast`); ``lower`` as
            in `predict_interval`.
        """
        check_is_fitted(self)
        if steps > self.max_steps:
            raise ValueError(
                f"steps={steps}, but the intervals were calibrated up to "
                f"max_steps={self.max_steps}; refit with max_steps >= {steps}."
            )
        center = recursive_forecast(self.estimator_, history, steps)
        half = np.array(
            [
                self._half_width(value, step, self._coverage(coverage))
                for step, value in enumerate(center.to_numpy())
            ]
        )
        return center.to_frame("forecast").assign(
            lower=self._lower(center, half), upper=center + half
        )


def resolve_coverage(coverage, default):
    """``coverage`` as given to a method, checked; ``default`` if None."""
    if coverage is None:
        return default
    if not isinstance(coverage, Real) or not 0 < coverage < 1:
        raise ValueError(
            f"coverage={coverage!r} is not a share: use a number strictly "
            "between 0 and 1, e.g. 0.9 for 90% intervals."
        )
    return coverage
