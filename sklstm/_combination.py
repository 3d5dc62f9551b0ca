"""ThetaCombination: a weighted mean of a model's forecasts and the optimised
Theta method's.

A network trained on a panel and a classical method fitted to each series
err differently; their mean beat the network alone on most panels of the
development suite's validation horizons, and a quarter of Theta on 17 of
20 (panel, origin) pairs (benchmarks/panels.md, "Theta's share 0.25").
"""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.validation import check_is_fitted

from ._base import CompleteRowsScoreMixin, predict_steps
from ._ensemble import StepsOutputMixin, copy_input_features
from ._persistence import VersionedPickleMixin
from ._theta import ThetaForecaster


class ThetaCombination(
    VersionedPickleMixin,
    StepsOutputMixin,
    CompleteRowsScoreMixin,
    RegressorMixin,
    BaseEstimator,
):
    """A weighted mean of a model's forecasts and the optimised Theta method's.

    What `make_forecast_pipeline` returns with ``combine="theta"``. Where
    the model has no forecast for a series (too short for its windows), the
    Theta forecast alone.

    Parameters
    ----------
    estimator : estimator
        A model over windows of ``horizon=1`` (what `make_forecast_pipeline`
        returns), fitted on the same ``X`` and ``y``.
    season : int, default=1
        Rows in a season, for `ThetaForecaster`.
    theta_weight : float in [0, 1], default=0.25
        Theta's share in the mean; the model has the rest. 0.25 was better
        than the model alone on 18 of the 21 (panel, origin) validation
        pairs of the development suite, 0.5 on 15 of 21; on its test parts
        0.5 scored better on five panels of seven.

    Attributes
    ----------
    estimator_ : estimator
        The fitted clone of ``estimator``.
    theta_ : ThetaForecaster
        The fitted Theta model of every series of ``y``.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        As the estimator's.
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"])],
        "season": [Interval(Integral, 1, None, closed="left")],
        "theta_weight": [Interval(Real, 0, 1, closed="both")],
    }

    def __init__(self, estimator, season=1, theta_weight=0.25):
        self.estimator = estimator
        self.season = season
        self.theta_weight = theta_weight

    def __setstate__(self, state):
        # a model saved before theta_weight existed took the plain mean
        state.setdefault("theta_weight", 0.5)
        super().__setstate__(state)

    def fit(self, X, y, **fit_params):
        """Fit the estimator and the Theta model.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)
        y : array-like of shape (n_timesteps,) or (n_timesteps, n_series)
        **fit_params : dict
            Passed to the estimator's ``fit``.

        Returns
        -------
        self : ThetaCombination
        """
        self._validate_params()
        self.estimator_ = clone(self.estimator).fit(X, y, **fit_params)
        self.theta_ = ThetaForecaster(season=self.season).fit(X, y)
        copy_input_features(self, self.estimator_)
        return self

    def _wrapped(self):
        return [self.estimator, getattr(self, "estimator_", None)]

    def predict(self, X):
        """The weighted mean forecast of every row (the first step).

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_timesteps,) or (n_timesteps, n_series)
        """
        return self.predict_steps(X)[..., 0]

    def predict_steps(self, X, *, last_row=False):
        """The weighted mean forecast of every step the estimator forecasts,
        from every row.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)
        last_row : bool, default=False
            Forecast the last row only.

        Returns
        -------
        y_pred : ndarray of shape (n_timesteps, n_steps) or \
                (n_timesteps, n_series, n_steps)
        """
        check_is_fitted(self)
        model = predict_steps(self.estimator_, X, last_row=last_row)
        theta = self.theta_.forecast_steps(X, model.shape[-1], last_row=last_row)
        theta = theta.reshape(model.shape)
        mean = (1 - self.theta_weight) * model + self.theta_weight * theta
        return np.where(np.isnan(model), theta, mean)
