"""Reference forecasters over the windows, and a wrapper for NaN-free regressors.

A comparison table needs its reference row: `NaiveForecaster` repeats the last
value in each window, `SeasonalNaiveForecaster` the value one season back, both
in the units of ``y`` even behind a ``MinMaxScaler``.
`CompleteWindows` lets a regressor that rejects NaN (``Ridge``, ``SVR``...)
take `LSTMForecaster`'s place after `WindowTransformer`.
"""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.metrics import r2_score
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.validation import _check_sample_weight, check_is_fitted

from ._persistence import VersionedPickleMixin
from ._window import validate_windows


class CompleteRowsScoreMixin:
    """`score` as R^2 over the rows the estimator forecasts (not NaN).

    Rows without history are predicted as NaN and left out, so that
    ``return_train_score=True`` works on in-sample windows.
    """

    def score(self, X, y, sample_weight=None):
        """R^2 of the forecasts on the rows that have history.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_columns)
        y : array-like of shape (n_timesteps,)
        sample_weight : array-like of shape (n_timesteps,), default=None

        Returns
        -------
        score : float
        """
        y_pred = self.predict(X)
        keep = ~np.isnan(y_pred)
        y = np.asarray(y, dtype=float).ravel()
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight)[keep]
        return r2_score(y[keep], y_pred[keep], sample_weight=sample_weight)


class _WindowRegressor(
    VersionedPickleMixin, CompleteRowsScoreMixin, RegressorMixin, BaseEstimator
):
    """Fit/predict on the rows with history; NaN for the rows without."""

    def fit(self, X, y, sample_weight=None):
        """Fit on the rows that have a full window.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_columns)
            Windows, as made by `WindowTransformer`.
        y : array-like of shape (n_timesteps,)
            Target of each row.
        sample_weight : array-like of shape (n_timesteps,), default=None

        Returns
        -------
        self
        """
        self._validate_params()
        windows, y, n_incomplete = validate_windows(self, X, y, reset=True)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, windows)
        self._fit_complete(windows, y, n_incomplete, sample_weight)
        return self

    def predict(self, X):
        """Forecast every row; NaN for the leading rows without history.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_columns)
            Windows, as made by `WindowTransformer`.

        Returns
        -------
        y_pred : ndarray of shape (n_timesteps,)
        """
        check_is_fitted(self)
        windows, _, n_incomplete = validate_windows(self, X, reset=False)
        y_pred = np.full(len(windows), np.nan)
        if n_incomplete < len(windows):
            y_pred[n_incomplete:] = self._predict_complete(windows[n_incomplete:])
        return y_pred


class _LaggedValue(_WindowRegressor):
    """Forecast a past value of the target column, mapped to the units of y.

    The window column may be scaled (``MinMaxScaler`` in front); the map back
    to the units of ``y`` is the affine fit of ``y[t]`` on the column's value
    at row ``t``, exact when the column is an affine transform of ``y``.
    """

    _steps_back = 0

    def _fit_complete(self, windows, y, n_incomplete, sample_weight):
        n_features = windows.shape[2]
        if self.feature >= n_features:
            raise ValueError(
                f"feature={self.feature}, but the windows have {n_features} "
                "feature(s); set feature to the column that holds the target."
            )
        if windows.shape[1] <= self._steps_back:
            raise ValueError(
                f"Windows of {windows.shape[1]} steps do not reach "
                f"{self._steps_back} steps back; use time_step >= "
                f"{self._steps_back + 1}."
            )
        # The newest step of row t's window is the column at row t - horizon.
        first = max(n_incomplete, self.horizon)
        if first >= len(windows):
            raise ValueError(
                f"horizon={self.horizon} pairs row t with row t - {self.horizon}, "
                f"but only {len(windows)} rows are given. Use a longer series "
                "or a shorter horizon."
            )
        column = windows[first:, -1, self.feature].astype(float)
        target = y[first - self.horizon : len(y) - self.horizon]
        spread = column.var()
        self.coef_ = (
            float(np.cov(column, target, bias=True)[0, 1] / spread) if spread else 1.0
        )
        self.intercept_ = float(target.mean() - self.coef_ * column.mean())

    def _predict_complete(self, windows):
        values = windows[:, -1 - self._steps_back, self.feature]
        return self.intercept_ + self.coef_ * values.astype(float)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True  # repeats a value, learns no dynamics
        return tags


class NaiveForecaster(_LaggedValue):
    """Forecast the most recent value in the window (the last known value).

    Parameters
    ----------
    horizon : int, default=1
        The ``horizon`` of the `WindowTransformer` in front.
    feature : int, default=0
        Which input column holds the target's own history.

    Attributes
    ----------
    coef_, intercept_ : float
        Map from the column's (possibly scaled) values to the units of ``y``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import NaiveForecaster, WindowTransformer
    >>> X = np.arange(8.0).reshape(-1, 1)
    >>> window = WindowTransformer(2).fit(X)
    >>> naive = NaiveForecaster().fit(window.transform(X), X[:, 0])
    >>> naive.predict(window.transform([[8.0], [9.0]])).round(6)
    array([7., 8.])
    """

    _parameter_constraints = {
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "feature": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(self, horizon=1, feature=0):
        self.horizon = horizon
        self.feature = feature


class SeasonalNaiveForecaster(_LaggedValue):
    """Forecast the value one season before the target row.

    With windows of horizon ``h``, the value one season back (``season``
    rows before the target) sits ``season - h`` steps before the newest step
    of the window, so the window must span at least ``season - h + 1`` steps.

    Parameters
    ----------
    season : int, default=12
        Season length in rows (12 for monthly data with a yearly cycle).
    horizon : int, default=1
        The ``horizon`` of the `WindowTransformer` in front; at most ``season``.
    feature : int, default=0
        Which input column holds the target's own history.

    Attributes
    ----------
    coef_, intercept_ : float
        Map from the column's (possibly scaled) values to the units of ``y``.
    """

    _parameter_constraints = {
        "season": [Interval(Integral, 1, None, closed="left")],
        "horizon": [Interval(Integral, 1, None, closed="left")],
        "feature": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(self, season=12, horizon=1, feature=0):
        self.season = season
        self.horizon = horizon
        self.feature = feature

    @property
    def _steps_back(self):
        return self.season - self.horizon

    def _fit_complete(self, windows, y, n_incomplete, sample_weight):
        if self.horizon > self.season:
            raise ValueError(
                f"horizon={self.horizon} is longer than season={self.season}: "
                "the value one season back is not known yet. Use a longer season "
                "or a shorter horizon."
            )
        super()._fit_complete(windows, y, n_incomplete, sample_weight)


class CompleteWindows(MetaEstimatorMixin, _WindowRegressor):
    """Fit any regressor on the rows with a full window only.

    `WindowTransformer` marks the rows without history with NaN. Regressors
    that accept NaN (``HistGradientBoostingRegressor``) need nothing; wrap the
    others: ``CompleteWindows(Ridge())``.

    Parameters
    ----------
    regressor : regressor
        Cloned and fitted on the complete rows.

    Attributes
    ----------
    regressor_ : regressor
        The fitted clone.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklstm import CompleteWindows, WindowTransformer
    >>> y = np.arange(20.0)
    >>> pipe = make_pipeline(WindowTransformer(3), CompleteWindows(Ridge()))
    >>> pipe.fit(y.reshape(-1, 1), y).predict([[20.0]]).round()
    array([20.])
    """

    _parameter_constraints = {"regressor": [HasMethods(["fit", "predict"])]}

    def __init__(self, regressor):
        self.regressor = regressor

    def _fit_complete(self, windows, y, n_incomplete, sample_weight):
        kwargs = {}
        if sample_weight is not None:
            kwargs["sample_weight"] = sample_weight[n_incomplete:]
        complete = windows[n_incomplete:]
        self.regressor_ = clone(self.regressor).fit(
            complete.reshape(len(complete), -1), y[n_incomplete:], **kwargs
        )

    def _predict_complete(self, windows):
        return self.regressor_.predict(windows.reshape(len(windows), -1))
