"""The skeleton every forecaster over `WindowTransformer` windows shares.

As ``sklearn/linear_model/_base.py`` holds what the linear models share:

- `validate_windows` checks a lag matrix and returns the windows, which of
  them are complete (per series) and a `WindowSpec` of what it saw;
- `WindowForecasterMixin` is the fit/predict skeleton: validate the windows,
  form the (row, series) pairs, fit the level, and put the forecasts of the
  complete windows back in place (NaN elsewhere). A forecaster supplies
  ``_fit_complete`` and ``_predict_complete``;
- `CompleteRowsScoreMixin` scores the rows a forecaster forecasts;
- `predict_steps` finds the steps a fitted model forecasts at once, for
  `sklstm.forecasting` and `sklstm.StabilizedTargetRegressor`.
"""

from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided
from sklearn.metrics import r2_score
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted, validate_data

from ._chunks import chunks
from ._level import fit_level
from ._panel import (
    SeriesWindows,
    check_every_step_has_targets,
    check_started,
    complete_windows,
    scatter,
    series_names,
    window_targets,
)
from ._persistence import VersionedPickleMixin
from ._validation import (
    as_array,
    check_finite,
    check_magnitude,
    check_n_features,
    check_numeric_columns,
    check_same_length,
    check_windows_ndim,
)
from ._window import window_horizon_of, window_shape_of


class WindowSpec(NamedTuple):
    """What `validate_windows` saw: the windows' shape and the target's."""

    window_shape: tuple
    """``(time_step, n_features)`` of each window."""
    n_series: int
    """Columns of a 2-D ``y`` (several series); 1 for a 1-D ``y``."""
    y_ndim: int
    """Dimensions of ``y``: forecasts come back in the same shape."""
    horizon: int
    """Rows between a window's newest value and its own row (1 where the
    windows do not say)."""
    horizon_known: bool
    """Whether the windows said their horizon (`WindowTransformer`'s output,
    ``<feature>_lag<k>`` columns) or it was taken as 1 (a plain array)."""


class CompleteRowsScoreMixin:
    """`score` as R^2 over the rows the estimator forecasts (not NaN).

    Rows without history are predicted as NaN and left out, so that
    ``return_train_score=True`` works on in-sample windows. With several
    series, R^2 is over the values of every series together (rows where a
    series has not started are left out).
    """

    def score(self, X, y, sample_weight=None):
        """R^2 of the forecasts on the rows that have history.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, n_columns)
        y : array-like of shape (n_timesteps,) or (n_timesteps, n_series)
        sample_weight : array-like of shape (n_timesteps,) or \
                (n_timesteps, n_series), default=None
            Weight of each row (of every series), or of each row of each
            series.

        Returns
        -------
        score : float
        """
        y_pred = self.predict(X)
        y = np.asarray(y, dtype=float).reshape(y_pred.shape)
        if sample_weight is not None:
            sample_weight = _score_weights(sample_weight, y)
        keep = ~np.isnan(y_pred) & ~np.isnan(y)
        return r2_score(
            y[keep],
            y_pred[keep],
            sample_weight=None if sample_weight is None else sample_weight[keep],
        )


def _score_weights(sample_weight, y):
    """``sample_weight`` in the shape of ``y``: one weight a row is given to
    every series of that row."""
    weights = np.asarray(sample_weight, dtype=float)
    if y.ndim == 2 and weights.ndim == 1:
        weights = weights[:, None]
    try:
        return np.broadcast_to(weights, y.shape)
    except ValueError:
        shapes = f"({len(y)},)"
        if y.ndim == 2:
            shapes += f" or, one a row of each series, {y.shape}"
        raise ValueError(
            f"sample_weight has shape {np.shape(sample_weight)}, but score needs "
            f"one weight a row: shape {shapes}."
        ) from None


class WindowForecasterMixin(VersionedPickleMixin, CompleteRowsScoreMixin):
    """Fit on the complete windows, forecast them, NaN for the others.

    Put it first in the bases. A subclass implements
    ``_fit_complete(windows, y, complete, sample_weight, *, spec, names)``
    (``y`` as validated: 1-D or ``(n_rows, n_series)``; ``names``, the
    series' names for messages) and ``_predict_complete(windows, complete)``,
    which returns ``(n_complete, n_steps)``: one forecast of each step per
    complete (row, series) pair, in row-major order. `_fit_samples` and
    `_complete_samples` give a forecaster of many series its windows.
    """

    def fit(self, X, y, sample_weight=None):
        """Fit on the rows that have a full window.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, time_step * n_features) or \
                (n_timesteps, time_step, n_features)
            Windows, as made by `WindowTransformer`; leading rows with NaN
            (no history) are skipped together with their ``y``.
        y : array-like of shape (n_timesteps,) or (n_timesteps, n_series)
            Target of each row, in its own units; with several series, NaN
            before a series' first value.
        sample_weight : array-like of shape (n_timesteps,) or \
                (n_timesteps, n_series), default=None
            Weight of each row (of every series), or of each row of each
            series.

        Returns
        -------
        self : object
        """
        self._validate_params()
        names = series_names(y)
        windows, y, complete, spec = validate_windows(self, X, y, reset=True)
        self.window_shape_ = spec.window_shape
        self.n_series_ = spec.n_series
        self._training_dim = spec.y_ndim
        self._fit_complete(windows, y, complete, sample_weight, spec=spec, names=names)
        return self

    def predict(self, X):
        """Forecast every row; NaN where a series' window is incomplete.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, time_step * n_features) or \
                (n_timesteps, time_step, n_features)
            Windows, as made by `WindowTransformer`.

        Returns
        -------
        y_pred : ndarray of shape (n_timesteps,) or (n_timesteps, n_series)
            As ``y`` in `fit`, in its units.
        """
        return self.predict_steps(X)[..., 0]

    def predict_steps(self, X, *, last_row=False):
        """Forecast every step learnt at once (``output_steps``) from each row.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, time_step * n_features) or \
                (n_timesteps, time_step, n_features)
            Windows, as made by `WindowTransformer`.
        last_row : bool, default=False
            Forecast the last row only (what `sklstm.forecasting.forecast`
            needs); every row is still checked.

        Returns
        -------
        y_pred : ndarray of shape (n_timesteps, n_steps) or \
                (n_timesteps, n_series, n_steps)
            Step ``s`` of row ``t`` forecasts the target of row ``t + s``;
            NaN where a series' window is incomplete. One row with
            ``last_row``.
        """
        check_is_fitted(self)
        windows, _, complete, spec = validate_windows(self, X, reset=False)
        if last_row:
            windows, complete = windows[-1:], complete[-1:]
        y_pred = np.empty((0, getattr(self, "output_steps", 1)))
        if complete.any():
            y_pred = self._predict_complete(windows, complete)
        return scatter(complete, y_pred, spec.y_ndim)

    def _fit_samples(self, windows, y, rows, series, *, level, horizon):
        """Fit the level of each series (``level_``, ``series_spreads_``,
        ``series_units_``); return the training windows and their targets.

        Parameters
        ----------
        windows : ndarray of shape (n_rows, time_step, n_features)
        y : ndarray of shape (n_rows, n_series)
        rows, series : ndarray of int
            The training pairs (`sklstm._panel.training_pairs`).
        level : {"absolute", "last"}
            The resolved ``level``.
        horizon : int
            Rows between a window's newest value and its row.

        Returns
        -------
        samples : SeriesWindows
        targets : ndarray of shape (n_pairs, output_steps)
            On the windows' footing (`sklstm._panel.window_targets`); NaN
            past the end of ``y``.
        """
        self.level_ = level
        self.series_spreads_, self.series_units_ = fit_level(level, windows, y, horizon)
        samples = self._complete_samples(windows, rows, series)
        targets = window_targets(samples, self.series_units_, y, self.output_steps)
        check_every_step_has_targets(targets)
        return samples, targets

    def _complete_samples(self, windows, rows, series):
        """The `SeriesWindows` of the pairs ``(rows, series)`` on the fitted
        level; ``*np.nonzero(complete)`` gives every complete pair."""
        return SeriesWindows(
            windows, rows, series, self.n_series_, self.series_spreads_
        )


def predict_steps(model, X, *, last_row=False):
    """Every step a fitted model forecasts at once from each row of ``X``.

    The one place that knows the step protocol: a model with
    ``predict_steps`` (a forecaster of this package,
    `sklstm.StabilizedTargetRegressor`), a Pipeline whose last step has it,
    a search over either, or else any regressor, whose ``predict`` is one
    step.

    Parameters
    ----------
    model : fitted estimator
    X : array-like
        What ``model.predict`` takes.
    last_row : bool, default=False
        Forecast the last row only: a forecaster of this package forecasts
        no other window (the transforms before it still see every row).

    Returns
    -------
    y_pred : ndarray of shape (n_rows, n_steps) or (n_rows, n_series, n_steps)
        One row with ``last_row``.
    """
    estimator = getattr(model, "best_estimator_", model)
    if hasattr(estimator, "predict_steps"):
        return estimator.predict_steps(X, last_row=last_row)
    if isinstance(estimator, Pipeline) and hasattr(estimator[-1], "predict_steps"):
        windows = estimator[:-1].transform(X)
        return estimator[-1].predict_steps(windows, last_row=last_row)
    y_pred = np.asarray(model.predict(X))[..., None]
    return y_pred[-1:] if last_row else y_pred


def _check_window_shape(estimator, shape):
    """At predict: windows of a known shape must have the fitted shape."""
    if tuple(shape) != tuple(estimator.window_shape_):
        time_step, n_features = estimator.window_shape_
        raise ValueError(
            f"Got windows of {shape[0]} steps x {shape[1]} feature(s), but "
            f"{type(estimator).__name__} was fitted on windows of {time_step} "
            f"steps x {n_features} feature(s). Make them with the "
            "WindowTransformer used in fit (same time_step, same columns)."
        )


def validate_windows(estimator, X, y="no_validation", *, reset):
    """Check a lag matrix (2-D, or 3-D ``(n, time_step, n_features)``).

    With a 1-D ``y`` (one series, or a column vector for an estimator of one
    series), leading rows with NaN are rows without
    history (see `WindowTransformer`); NaN or inf anywhere else, or a value
    beyond ``1e30`` (too large for the float32 network), is a ValueError
    naming the rows. With a 2-D ``y`` of ``k`` columns (``k`` series, the
    first ``k`` features of the windows), each series may start late: its
    windows with NaN must come before its complete ones
    (`sklstm._panel.complete_windows`), and ``y`` may hold NaN before each
    series' first value. Non-numeric input is a TypeError; ``X`` and ``y``
    of different lengths, windows of another shape than in `fit`, or fewer
    than 2 complete rows to fit on, a ValueError.

    Parameters
    ----------
    estimator : BaseEstimator
        Gets ``n_features_in_`` and ``feature_names_in_`` when ``reset``
        (scikit-learn's ``validate_data``); is checked against them and its
        fitted ``window_shape_``, ``n_series_`` and ``_training_dim``
        otherwise.
    X : array-like
        Windows, one row per time step.
    y : array-like of shape (n_timesteps,) or (n_timesteps, n_series), \
            default="no_validation"
        Target, required when ``reset``.
    reset : bool
        True in ``fit``.

    Returns
    -------
    windows : ndarray of shape (n_timesteps, time_step, n_features)
        A view of the validated input where possible.
    y : ndarray of float, or None when not given
    complete : ndarray of bool, shape (n_timesteps, n_series)
        Which windows of which series are complete.
    spec : WindowSpec
        What the windows and ``y`` are: with ``reset``, for `fit` to store;
        else the fitted one.
    """
    X = as_array(X)
    horizon = window_horizon_of(X)
    known = horizon is not None
    horizon = horizon if known else 1
    check_numeric_columns(X)
    check_windows_ndim(X)
    explicit_shape = X.ndim == 3 or getattr(X, "window_shape", None) is not None
    if X.ndim == 3:
        shape = X.shape[1:]
        X = X.reshape(len(X), -1)
    else:
        shape = window_shape_of(X)
    options = dict(reset=reset, dtype=[np.float64, np.float32], ensure_all_finite=False)
    if reset:
        if y is None:  # scikit-learn's words
            raise ValueError(
                f"{type(estimator).__name__} requires y to be passed, but the "
                "target y is None. Pass the series as y: fit(X, y)."
            )
        y = as_array(y, name="y")
        check_numeric_columns(y, name="y")
        check_same_length(X, y)
        y_values = np.asarray(y, dtype=float)
        if y_values.ndim == 2 and _many_series(estimator):
            check_started(y_values, name="y")
            array, y = validate_data(estimator, X, **options), y_values
            _check_series_in_windows(y.shape[1], shape)
        else:
            check_finite(y_values, name="y")
            array, y = validate_data(estimator, X, y, y_numeric=True, **options)
        check_magnitude(y_values, name="y")
        spec = WindowSpec(
            shape, y.shape[1] if y.ndim == 2 else 1, y.ndim, horizon, known
        )
    else:
        check_n_features(
            estimator,
            X,
            fix="Make the windows with the WindowTransformer used in fit (same "
            "time_step, same input columns).",
        )
        array, y = validate_data(estimator, X, **options), None
        if explicit_shape:
            _check_window_shape(estimator, shape)
        spec = WindowSpec(
            estimator.window_shape_,
            estimator.n_series_,
            estimator._training_dim,
            horizon,
            known,
        )
    n_steps, n_features = spec.window_shape
    s_row, s_col = array.strides
    windows = as_strided(
        array,
        shape=(len(array), n_steps, n_features),
        strides=(s_row, n_features * s_col, s_col),
        writeable=False,
    )
    if spec.y_ndim == 2:
        complete = complete_windows(windows, spec.n_series)
        check_magnitude(array)
    else:
        n_incomplete = _leading_incomplete_rows(array)
        check_finite(array, skip=n_incomplete)
        if np.isinf(array[:n_incomplete]).any():
            check_finite(array)
        check_magnitude(array)
        complete = (np.arange(len(array)) >= n_incomplete)[:, None]
        if reset and len(array) - n_incomplete < 2:
            raise ValueError(
                f"Only {len(array) - n_incomplete} sample(s) of {len(array)} have "
                "a full window; at least 2 are needed. The series must be longer "
                "than time_step + horizon: use a longer series or a smaller "
                "time_step."
            )
        if y is not None:
            y = y.astype(float, copy=False)
    return windows, y, complete, spec


def _many_series(estimator):
    """Whether a 2-D ``y`` is several series (else one, as a column)."""
    return estimator.__sklearn_tags__().target_tags.multi_output


def _check_series_in_windows(n_series, shape):
    """A 2-D ``y`` of ``k`` series needs the ``k`` series among the features."""
    if shape[1] < n_series:
        raise ValueError(
            f"y has {n_series} series (columns), but the windows have "
            f"{shape[1]} feature(s). X must hold the same series as y, in y's "
            "order, first (further columns are covariates): pass X = Y, the "
            "wide frame, and y = Y."
        )


def _leading_incomplete_rows(array):
    """Number of rows before the first one without NaN, a chunk at a time."""
    for rows in chunks(len(array)):
        complete = ~np.isnan(array[rows]).any(axis=1)
        if complete.any():
            return rows.start + int(np.argmax(complete))
    return len(array)
