"""make_forecast_pipeline: the recommended forecasting model in one call."""

import warnings
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.compose import TransformedTargetRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, MinMaxScaler
from sklearn.utils.validation import check_is_fitted

from ._base import CompleteRowsScoreMixin, predict_steps
from ._combination import ThetaCombination
from ._ensemble import LookbackEnsemble, StepsOutputMixin, auto_time_steps
from ._panel_checks import check_target_series
from ._power import VarianceStabilizer
from ._window import WindowTransformer


class StabilizedTargetRegressor(
    StepsOutputMixin, CompleteRowsScoreMixin, TransformedTargetRegressor
):
    """`TransformedTargetRegressor` for series: NaN before a series starts,
    series matched by name, forecasts of several steps.

    What `make_forecast_pipeline` returns. Differences from its parent:

    - ``y`` may hold NaN before each series' first value (many series that
      start at different times); the regressor decides what else is valid.
    - When ``X`` and a 2-D ``y`` are both DataFrames, ``y``'s series are
      found in ``X`` by name and put first, in ``y``'s order (the other
      columns of ``X`` follow as covariates); a series of ``y`` missing from
      ``X`` is a ValueError.
    - `predict_steps` returns every step the regressor learnt, in the units
      of ``y``; `score` is R^2 over the forecast rows (not NaN).

    Parameters
    ----------
    regressor : estimator
        The model of the transformed target: a Pipeline over
        `WindowTransformer` (see `make_forecast_pipeline`). Required.
    transformer : transformer, default=None
        Applied to ``y`` column by column (`VarianceStabilizer`).
    func, inverse_func : callable, default=None
        Instead of ``transformer``, both or neither (the identity), as for
        `TransformedTargetRegressor`; applied to the values as they are,
        NaN included.
    check_inverse : bool, default=True
        Warn when the transformer, or ``inverse_func`` after ``func``, does
        not give back a tenth of ``y``'s rows.

    Attributes
    ----------
    regressor_ : estimator
        The fitted clone of ``regressor``.
    transformer_ : transformer
        The fitted clone of ``transformer``.
    series_columns_ : list or None
        The columns of ``X`` with ``y``'s series first, when both are
        DataFrames and ``y`` has several columns; else None.

    Examples
    --------
    >>> from sklstm import NaiveForecaster, StabilizedTargetRegressor
    >>> from sklstm import load_airline, make_forecast_pipeline
    >>> y = load_airline()
    >>> model = make_forecast_pipeline(NaiveForecaster(), time_step=12)
    >>> isinstance(model, StabilizedTargetRegressor)
    True
    >>> model.fit(y.to_frame(), y).predict_steps(y.to_frame()).shape
    (144, 1)
    """

    def fit(self, X, y, **fit_params):
        """Fit the transformer on ``y`` and the regressor on ``X`` and the
        transformed ``y``.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)
        y : array-like of shape (n_timesteps,) or (n_timesteps, n_series)
        **fit_params : dict
            Passed to the regressor's ``fit``.

        Returns
        -------
        self : StabilizedTargetRegressor
        """
        self._validate_params()
        if self.regressor is None:
            raise ValueError(
                "StabilizedTargetRegressor needs a regressor: a Pipeline over "
                "WindowTransformer, as make_forecast_pipeline builds."
            )
        values = check_target_series(y)  # names the series of a malformed frame
        self.series_columns_ = _series_first_columns(X, y)
        names = getattr(y, "columns", None)
        y = values
        self._training_dim = y.ndim
        y_2d = y.reshape(-1, 1) if y.ndim == 1 else y
        self._fit_transformer(y_2d)
        y_trans = self.transformer_.transform(y_2d)
        if self._training_dim == 1:
            y_trans = y_trans.squeeze(axis=1)
        elif names is not None:  # the forecaster names short series
            y_trans = pd.DataFrame(y_trans, columns=names)
        self.regressor_ = clone(self.regressor)
        self.regressor_.fit(self._series_first(X), y_trans, **fit_params)
        if hasattr(self.regressor_, "feature_names_in_"):
            self.feature_names_in_ = self.regressor_.feature_names_in_
        elif hasattr(self, "feature_names_in_"):  # from a fit on a DataFrame
            del self.feature_names_in_
        return self

    def _fit_transformer(self, y):
        """Fit ``transformer_`` as the parent does, on ``y`` with NaN before
        a series starts: `transformer`, or `func` and `inverse_func` (the
        identity when neither is given), checked with `check_inverse`."""
        if self.transformer is not None:
            if self.func is not None or self.inverse_func is not None:
                raise ValueError(
                    "'transformer' and functions 'func'/'inverse_func' cannot "
                    "both be set; give one of them."
                )
            self.transformer_ = clone(self.transformer)
        elif (self.func is None) != (self.inverse_func is None):
            raise ValueError(
                "Give func and inverse_func together (or a transformer), so "
                "that forecasts can be brought back to the units of y."
            )
        else:
            self.transformer_ = FunctionTransformer(
                self.func, self.inverse_func, check_inverse=False
            )
        self.transformer_.fit(y)
        if self.check_inverse:
            rows = y[:: max(1, len(y) // 10)]
            back = self.transformer_.inverse_transform(
                self.transformer_.transform(rows)
            )
            if not np.allclose(rows, back, equal_nan=True):
                warnings.warn(
                    "The transformer (or func and inverse_func) does not invert "
                    "on a tenth of y's rows: forecasts will not come back in "
                    "y's units. Set check_inverse=False if you are sure.",
                    UserWarning,
                    stacklevel=3,
                )

    def _wrapped(self):
        return [self.regressor, getattr(self, "regressor_", None)]

    def predict(self, X, **predict_params):
        """Forecast every row, in the units of ``y``.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_features)
        **predict_params : dict
            Passed to the regressor's ``predict``.

        Returns
        -------
        y_pred : ndarray of shape (n_timesteps,) or (n_timesteps, n_series)
        """
        check_is_fitted(self)
        return super().predict(self._series_first(X), **predict_params)

    def predict_steps(self, X, *, last_row=False):
        """Forecast every step the forecaster learnt, from every row.

        The regressor's steps (`sklstm._base.predict_steps`): every step its
        forecaster learnt when it has ``predict_steps`` (`LSTMForecaster`,
        `CompleteWindows`), else its ``predict`` as one step.

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
            In the units of ``y``; step ``s`` of row ``t`` forecasts row
            ``t + s``. One row with ``last_row``.
        """
        check_is_fitted(self)
        steps = predict_steps(self.regressor_, self._series_first(X), last_row=last_row)
        n_rows, n_steps = len(steps), steps.shape[-1]
        # every step of every row in one call: the transformer works row by row
        by_step = np.moveaxis(steps.reshape(n_rows, -1, n_steps), 2, 0)
        units = self.transformer_.inverse_transform(
            by_step.reshape(n_steps * n_rows, -1)
        )
        units = units.reshape(n_steps, n_rows, -1)
        return np.moveaxis(units, 0, 2).reshape(steps.shape)

    def _series_first(self, X):
        columns = self.series_columns_
        return X if columns is None or not isinstance(X, pd.DataFrame) else X[columns]


def _series_first_columns(X, y):
    """The column order of ``X`` that puts ``y``'s series first, by name.

    None unless both are DataFrames and ``y`` has several columns.
    """
    if not (isinstance(X, pd.DataFrame) and isinstance(y, pd.DataFrame)):
        return None
    missing = [c for c in y.columns if c not in X.columns]
    if missing:
        raise ValueError(
            f"y's series {missing} are not columns of X. X must hold the history "
            "of every series in y, under the same names (further columns of X "
            "are covariates): fit(Y, Y) with the wide frame Y."
        )
    return list(y.columns) + [c for c in X.columns if c not in y.columns]


def make_forecast_pipeline(
    forecaster=None,
    *,
    time_step=12,
    horizon=1,
    output_steps=1,
    power="auto",
    step="lstm",
    combine=None,
    season=1,
):
    """``VarianceStabilizer -> MinMaxScaler -> WindowTransformer -> forecaster``.

    With a ``power``, the target is stabilised the same way and forecasts are
    transformed back (`StabilizedTargetRegressor`, a
    ``TransformedTargetRegressor``): the model works on the stabilised series
    and answers in the units of ``y``. Grid parameters then start with
    ``regressor__`` (``regressor__window__time_step``,
    ``regressor__lstm__units``).

    Many series: ``fit(Y, Y)`` with the wide frame ``Y`` (one column per
    series, NaN before a series starts). The stabilizer and the scaler work
    column by column, so each series is scaled on its own, and the
    forecaster is global (one model for every series).

    Parameters
    ----------
    forecaster : regressor, default=None
        Anything that takes `WindowTransformer`'s output; ``None`` gives
        ``LSTMForecaster()``.
    time_step : int, list of int or "auto", default=12
        Window length. Several lengths (or ``"auto"``: `auto_time_steps` of
        the steps forecast at once, ``max(horizon, output_steps)``) make a
        `LookbackEnsemble`: one model per length, their forecasts averaged;
        the members share the ``training_steps`` of an `LSTMForecaster`.
    horizon : int, default=1
        Steps ahead that each row forecasts (`WindowTransformer`'s
        ``horizon``): 1 for one-step and recursive forecasts, ``h`` for a
        direct ``h``-step-ahead model.
    output_steps : int, default=1
        Steps the forecaster learns at once from each window (its
        ``output_steps``; the forecaster is cloned to set it), which
        `sklstm.forecasting.forecast` uses.
    power : "auto", float in [0, 1] or None, default="auto"
        Exponent of the `VarianceStabilizer`. ``None`` leaves the series as it
        is and returns the Pipeline of the Keras recipe (MinMaxScaler ->
        WindowTransformer -> forecaster) without a wrapper.
    step : str, default="lstm"
        Name of the forecaster's step.
    combine : None or "theta", default=None
        ``"theta"``: a `ThetaCombination`, three quarters of the model's
        forecasts and a quarter of the optimised Theta method's of each
        series (`ThetaForecaster`; `ThetaCombination`'s ``theta_weight``,
        set with ``set_params``, is the share);
        needs ``horizon=1``. On the validation horizons of the development
        suite, that mean was better than the model alone on 18 of 21
        (panel, origin) pairs (benchmarks/panels.md).
    season : int, default=1
        Rows in a season (12 for monthly data, 4 quarterly, 1 for none), for
        ``combine="theta"``'s seasonal adjustment.

    Returns
    -------
    model : StabilizedTargetRegressor, Pipeline, LookbackEnsemble or \
            ThetaCombination
        Unfitted. ``X`` is the series as one column (or several columns, the
        target among them) and ``y`` the target, as for the Pipeline.

    Examples
    --------
    >>> from sklstm import NaiveForecaster, make_forecast_pipeline
    >>> model = make_forecast_pipeline(NaiveForecaster())
    >>> list(model.regressor.named_steps)
    ['stabilize', 'scale', 'window', 'lstm']
    >>> list(make_forecast_pipeline(NaiveForecaster(), power=None).named_steps)
    ['scale', 'window', 'lstm']
    """
    if combine is not None:
        if combine != "theta":
            raise ValueError(f"combine must be None or 'theta'; got {combine!r}.")
        if horizon != 1:
            raise ValueError(
                f"combine='theta' forecasts from the row before each window's "
                f"row, so it needs horizon=1 (got {horizon}); forecast several "
                "steps with output_steps instead."
            )
        one = make_forecast_pipeline(
            forecaster,
            time_step=time_step,
            output_steps=output_steps,
            power=power,
            step=step,
        )
        return ThetaCombination(one, season=season)
    if forecaster is None:
        from ._lstm._forecaster import LSTMForecaster

        forecaster = LSTMForecaster()
    if output_steps != 1:
        forecaster = clone(forecaster).set_params(output_steps=output_steps)
    if isinstance(time_step, str) and time_step == "auto":
        time_step = auto_time_steps(max(horizon, output_steps))
    if not isinstance(time_step, Integral):
        time_step = list(time_step)
        if "training_steps" in forecaster.get_params():  # the members share them
            share = max(1, forecaster.training_steps // len(time_step))
            forecaster = clone(forecaster).set_params(training_steps=share)
        one = make_forecast_pipeline(
            forecaster, horizon=horizon, power=power, step=step
        )
        param = "window__time_step" if power is None else "regressor__window__time_step"
        return LookbackEnsemble(one, time_step, param=param)
    steps = [
        ("scale", MinMaxScaler()),
        ("window", WindowTransformer(time_step=time_step, horizon=horizon)),
        (step, forecaster),
    ]
    if power is None:
        return Pipeline(steps)
    return StabilizedTargetRegressor(
        Pipeline([("stabilize", VarianceStabilizer(power))] + steps),
        transformer=VarianceStabilizer(power),
    )
