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
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import _check_sample_weight

from ._base import WindowForecasterMixin
from ._level import LEVELS, resolve_level
from ._panel import pair_weights, target_values, training_pairs


class _LaggedValue(WindowForecasterMixin, RegressorMixin, BaseEstimator):
    """Forecast a past value of the target column, mapped to the units of y.

    The window column may be scaled (``MinMaxScaler`` in front); the map back
    to the units of ``y`` is the affine fit of ``y[t]`` on the column's value
    at row ``t`` (weighted by ``sample_weight``), exact when the column is an
    affine transform of ``y``.
    """

    def __setstate__(self, state):
        if "coef_" in state:  # saved before horizon_ existed: its parameter
            state.setdefault("horizon_", state["horizon"])
        super().__setstate__(state)

    _steps_back = 0

    def _fit_complete(self, windows, y, complete, sample_weight, *, spec, names):
        n_incomplete = int(np.argmax(complete[:, 0]))
        sample_weight = _check_sample_weight(
            sample_weight, windows, ensure_non_negative=True
        )
        self.horizon_ = horizon = _resolve_horizon(self.horizon, spec)
        self._check_horizon(horizon)
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
        first = max(n_incomplete, horizon)
        if first >= len(windows):
            raise ValueError(
                f"horizon={horizon} pairs row t with row t - {horizon}, "
                f"but only {len(windows)} rows are given. Use a longer series "
                "or a shorter horizon."
            )
        column = windows[first:, -1, self.feature].astype(float)
        target = y[first - horizon : len(y) - horizon]
        weights = sample_weight[first - horizon : len(y) - horizon]  # target's row
        if not weights.sum():
            raise ValueError(
                "sample_weight is 0 on every row whose value a full window "
                "holds; give some of those rows a positive weight."
            )
        column_mean = np.average(column, weights=weights)
        target_mean = np.average(target, weights=weights)
        spread = np.average((column - column_mean) ** 2, weights=weights)
        covariance = np.average(
            (column - column_mean) * (target - target_mean), weights=weights
        )
        self.coef_ = float(covariance / spread) if spread else 1.0
        self.intercept_ = float(target_mean - self.coef_ * column_mean)

    def _check_horizon(self, horizon):
        """Refuse a horizon the forecast cannot have (none here)."""

    def _predict_complete(self, windows, complete):
        values = windows[complete[:, 0], -1 - self._steps_back, self.feature]
        return (self.intercept_ + self.coef_ * values.astype(float))[:, None]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True  # repeats a value, learns no dynamics
        return tags


def _resolve_horizon(horizon, spec):
    """The windows' horizon: ``horizon`` where given, which must agree with
    windows that say their own; else theirs (1 for a plain array)."""
    if horizon is None:
        return spec.horizon
    if spec.horizon_known and horizon != spec.horizon:
        raise ValueError(
            f"horizon={horizon}, but the windows were made with horizon="
            f"{spec.horizon}; leave horizon=None to take the windows' own, or "
            "make the windows with the same horizon."
        )
    return horizon


class NaiveForecaster(_LaggedValue):
    """Forecast the most recent value in the window (the last known value).

    Parameters
    ----------
    horizon : int or None, default=None
        The ``horizon`` of the `WindowTransformer` in front. None takes it
        from the windows (`WindowTransformer`'s output and
        ``<feature>_lag<k>`` columns carry it; 1 for a plain array).
    feature : int, default=0
        Which input column holds the target's own history.

    Attributes
    ----------
    coef_, intercept_ : float
        Map from the column's (possibly scaled) values to the units of ``y``.
    horizon_ : int
        The windows' horizon used.

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
        "horizon": [Interval(Integral, 1, None, closed="left"), None],
        "feature": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(self, horizon=None, feature=0):
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
    horizon : int or None, default=None
        The ``horizon`` of the `WindowTransformer` in front; at most
        ``season``. None takes it from the windows (`WindowTransformer`'s
        output and ``<feature>_lag<k>`` columns carry it; 1 for a plain
        array).
    feature : int, default=0
        Which input column holds the target's own history.

    Attributes
    ----------
    coef_, intercept_ : float
        Map from the column's (possibly scaled) values to the units of ``y``.
    horizon_ : int
        The windows' horizon used.
    """

    _parameter_constraints = {
        "season": [Interval(Integral, 1, None, closed="left")],
        "horizon": [Interval(Integral, 1, None, closed="left"), None],
        "feature": [Interval(Integral, 0, None, closed="left")],
    }

    def __init__(self, season=12, horizon=None, feature=0):
        self.season = season
        self.horizon = horizon
        self.feature = feature

    @property
    def _steps_back(self):
        return self.season - self.horizon_

    def _check_horizon(self, horizon):
        if horizon > self.season:
            given = "horizon" if self.horizon is not None else "the windows' horizon"
            raise ValueError(
                f"{given}={horizon} is longer than season={self.season}: the "
                "value one season back is not known yet. Use a longer season or "
                "a shorter horizon."
            )


class CompleteWindows(
    MetaEstimatorMixin, WindowForecasterMixin, RegressorMixin, BaseEstimator
):
    """Fit any regressor on the rows with a full window only.

    `WindowTransformer` marks the rows without history with NaN. Regressors
    that accept NaN (``HistGradientBoostingRegressor``) need nothing; wrap the
    others: ``CompleteWindows(Ridge())``.

    With a 2-D ``y`` of ``k`` series (the first ``k`` features of the
    windows; the rest are covariates), the one regressor is fitted on the
    complete window of every series at every row: a global model, the
    drop-in comparison for `LSTMForecaster` on many series. Its input is a
    flattened copy of those windows (a scikit-learn regressor needs one).

    Parameters
    ----------
    regressor : regressor
        Cloned and fitted on the complete rows.
    output_steps : int, default=1
        Steps learnt from each window: the target of the row and of the
        ``output_steps - 1`` rows after it; one clone of ``regressor`` per
        step, each on the rows that have that step.
    level : {"auto", "absolute", "last"}, default="auto"
        As for `LSTMForecaster`: ``"last"`` takes each window and its targets
        relative to the window's last value of its own series, over the
        series' range; ``"auto"`` does so for several series.

    Attributes
    ----------
    regressor_ : regressor
        The fitted clone (of the first step).
    regressors_ : list of regressor
        One fitted clone per step.
    level_ : str
        The resolved ``level``.

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

    _parameter_constraints = {
        "regressor": [HasMethods(["fit", "predict"])],
        "output_steps": [Interval(Integral, 1, None, closed="left")],
        "level": [StrOptions(set(LEVELS))],
    }

    def __init__(self, regressor, *, output_steps=1, level="auto"):
        self.regressor = regressor
        self.output_steps = output_steps
        self.level = level

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True  # a 2-D y is several series
        return tags

    def _fit_complete(self, windows, y, complete, sample_weight, *, spec, names):
        y = y.reshape(len(y), -1)
        rows, series = training_pairs(complete, y, names=names)
        samples, targets = self._fit_samples(
            windows,
            y,
            rows,
            series,
            level=resolve_level(self.level, self.n_series_),
            horizon=spec.horizon,
        )
        flat = samples[:].reshape(len(samples), -1)
        if sample_weight is not None:
            weights = pair_weights(sample_weight, complete, rows, series)
        self.regressors_ = []
        for target in targets.T:
            known = ~np.isnan(target)
            kwargs = {}
            if sample_weight is not None:
                kwargs["sample_weight"] = weights[known]
            self.regressors_.append(
                clone(self.regressor).fit(flat[known], target[known], **kwargs)
            )
        self.regressor_ = self.regressors_[0]

    def _predict_complete(self, windows, complete):
        samples = self._complete_samples(windows, *np.nonzero(complete))
        flat = samples[:].reshape(len(samples), -1)
        steps = [regressor.predict(flat) for regressor in self.regressors_]
        return target_values(samples, self.series_units_, np.stack(steps, axis=1))
