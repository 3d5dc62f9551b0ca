"""LookbackEnsemble: the mean forecast of one model per window length."""

import warnings
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.validation import check_is_fitted

from ._base import CompleteRowsScoreMixin, predict_steps
from ._persistence import VersionedPickleMixin
from ._validation import TooFewWindowsError, describe_items


def auto_time_steps(horizon):
    """The window lengths of ``time_step="auto"``: ``h``, ``1.5 h``, ``2 h``
    and ``3 h``.

    N-BEATS ensembles lookbacks of 2 to 7 horizons; the series of the
    competitions are shorter (a yearly series may have 14 values), so the
    range starts at one horizon. Chosen on two validation origins of the
    development suite (benchmarks/panels.md): ``3 h`` made both monthly
    panels better at both origins for seeds 0 and 1 (mean 1.0%) and left
    the others level (+0.1%).

    Parameters
    ----------
    horizon : int
        Steps forecast at once (``output_steps``).

    Returns
    -------
    time_steps : list of int
        Sorted, without repeats.
    """
    return sorted({max(1, round(horizon * f)) for f in (1, 1.5, 2, 3)})


class StepsOutputMixin:
    """`set_output` of a model around Pipelines: it reaches their steps.

    A subclass lists the models it wraps in ``_wrapped()`` (the unfitted
    one and the fitted ones, None where not fitted yet).
    """

    def set_output(self, *, transform=None):
        """Set the output of the wrapped Pipelines' steps, as
        `Pipeline.set_output`: ``"pandas"`` carries the dates of ``X``
        through ``MinMaxScaler`` to `WindowTransformer`, which then checks
        them (a ``TimeSeriesSplit`` with ``gap>0`` is refused by name).

        Parameters
        ----------
        transform : {"default", "pandas", "polars"}, default=None
            As for scikit-learn's ``set_output``; None leaves it unchanged.

        Returns
        -------
        self : object
        """
        for model in self._wrapped():
            if hasattr(model, "set_output"):
                model.set_output(transform=transform)
        return self


class LookbackEnsemble(
    VersionedPickleMixin,
    StepsOutputMixin,
    CompleteRowsScoreMixin,
    RegressorMixin,
    BaseEstimator,
):
    """The mean forecast of one model per window length (``time_step``).

    Each member is a clone of ``estimator`` with its ``time_step`` parameter
    set to one of ``time_steps``. A series forecast by some members only (too
    short for the longer windows) gets the mean of those; NaN where no
    member forecasts it. A member whose `fit` raises `TooFewWindowsError`
    (its window length too long for two windows, with their targets, of all
    the series together) is left out with a warning (``time_steps_`` says
    which were fitted; the training steps of the members stay as they
    were); `fit` fails only when every length is too long.
    What `make_forecast_pipeline` returns for a list of ``time_step`` values
    or ``"auto"``.

    Parameters
    ----------
    estimator : estimator
        What `make_forecast_pipeline` returns for one ``time_step``.
    time_steps : list of int
        Window lengths, one member each.
    param : str, default="regressor__window__time_step"
        The name of the window length among ``estimator``'s parameters.

    Attributes
    ----------
    estimators_ : list of estimators
        The fitted members, in the order of ``time_steps_``.
    time_steps_ : list of int
        The window lengths of the fitted members: ``time_steps`` without
        those too long for the series.
    n_features_in_ : int
        Columns of ``X`` seen in `fit`.
    feature_names_in_ : ndarray of str
        Their names, when ``X`` was a DataFrame with string column names.
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"])],
        "time_steps": ["array-like"],
        "param": [str],
    }

    def __init__(self, estimator, time_steps, param="regressor__window__time_step"):
        self.estimator = estimator
        self.time_steps = time_steps
        self.param = param

    def fit(self, X, y, **fit_params):
        """Fit one member per window length.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)
        y : array-like of shape (n_timesteps,) or (n_timesteps, n_series)
        **fit_params : dict
            Passed to every member's ``fit``.

        Returns
        -------
        self : LookbackEnsemble
        """
        self._validate_params()
        steps = list(self.time_steps)
        if not steps or not all(isinstance(s, Integral) and s > 0 for s in steps):
            raise ValueError(
                f"time_steps must be positive integers, one per member; got "
                f"{self.time_steps!r}."
            )
        fitted, too_long = [], {}
        for step in steps:
            member = clone(self.estimator).set_params(**{self.param: step})
            try:
                fitted.append((step, member.fit(X, y, **fit_params)))
            except TooFewWindowsError as error:
                too_long[step] = error
        if not fitted:
            raise too_long[min(too_long)]
        self.time_steps_ = [step for step, _ in fitted]
        self.estimators_ = [member for _, member in fitted]
        if too_long:
            warnings.warn(
                f"{self.param.split('__')[-1]} {describe_items(too_long)} left "
                f"out of the ensemble: {too_long[min(too_long)]} The fitted "
                f"lengths are {self.time_steps_} (time_steps_).",
                UserWarning,
                stacklevel=2,
            )
        copy_input_features(self, self.estimators_[0])
        return self

    def __setstate__(self, state):
        # a model saved before members could be left out fitted them all
        if "estimators_" in state and "time_steps_" not in state:
            state["time_steps_"] = list(state["time_steps"])
        super().__setstate__(state)

    def _wrapped(self):
        return [self.estimator, *getattr(self, "estimators_", [])]

    def predict(self, X):
        """The members' mean forecast of every row (NaN where none has one).

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_timesteps,) or (n_timesteps, n_series)
        """
        check_is_fitted(self)
        return _mean([member.predict(X) for member in self.estimators_])

    def predict_steps(self, X, *, last_row=False):
        """The members' mean forecast of every step, from every row.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)
        last_row : bool, default=False
            Forecast the last row only (what `sklstm.forecasting.forecast`
            needs).

        Returns
        -------
        y_pred : ndarray of shape (n_timesteps, n_steps) or \
                (n_timesteps, n_series, n_steps)
            One row with ``last_row``.
        """
        check_is_fitted(self)
        return _mean(
            [predict_steps(member, X, last_row=last_row) for member in self.estimators_]
        )


def copy_input_features(model, fitted):
    """Give a meta-estimator its fitted member's ``n_features_in_`` and
    ``feature_names_in_`` (what `sklstm.forecasting.forecast` matches
    columns by); a name left from an earlier fit on a DataFrame goes."""
    for name in ("n_features_in_", "feature_names_in_"):
        if hasattr(fitted, name):
            setattr(model, name, getattr(fitted, name))
        elif name in vars(model):
            delattr(model, name)


def _mean(forecasts):
    """Mean over members, ignoring a member's NaN (a series too short for it)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # no member: NaN
        return np.nanmean(np.stack(forecasts), axis=0)
