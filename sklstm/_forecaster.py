"""LSTMForecaster: the Keras LSTM recipe as a scikit-learn regressor."""

import contextlib
import math
import weakref
from collections import defaultdict
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._network import (
    import_keras,
    make_predict_function,
    no_retracing_warnings,
    window_batches,
)

import_keras()  # TensorFlow quiet before scikeras imports it

from scikeras.utils.random_state import tensorflow_random_state  # noqa: E402
from scikeras.wrappers import KerasRegressor  # noqa: E402

from ._baselines import CompleteRowsScoreMixin  # noqa: E402
from ._chunks import FORWARD_ROWS, chunks, map_chunks  # noqa: E402
from ._fit_progress import epoch_progress  # noqa: E402
from ._linear import RidgeAutoregression  # noqa: E402
from ._network_pool import lease_network, return_network  # noqa: E402
from ._panel import (  # noqa: E402
    LEVELS,
    SeriesWindows,
    fit_level,
    pair_weights,
    scatter,
    series_names,
    target_values,
    training_pairs,
)
from ._persistence import VersionedPickleMixin  # noqa: E402
from ._weight_averaging import weight_averaging  # noqa: E402
from ._window import validate_windows, window_horizon_of  # noqa: E402

# Ridge penalties of the linear path, chosen by efficient leave-one-out: on
# min-max scaled windows a fixed alpha=1 shrinks the autoregression too much.
_LINEAR_ALPHAS = np.logspace(-6, 2, 9)


class LSTMForecaster(VersionedPickleMixin, CompleteRowsScoreMixin, KerasRegressor):
    """Stacked LSTM forecaster over lag windows (the Keras recipe).

    Takes the output of `WindowTransformer` (or 3-D windows) and predicts the
    target of each row, in the units of ``y``. Rows without history (leading
    NaN rows) are skipped in `fit` and predicted as NaN.

    Many series: a 2-D ``y`` with ``k`` columns is ``k`` series, whose
    histories are the first ``k`` features of the windows (further features
    are covariates every series sees). One network, with one set of weights,
    is trained on the window of every series at every row where it is
    complete (a *global* model); a series that starts late has NaN before
    its first value, and its incomplete windows are neither trained on nor
    forecast. ``predict`` then returns ``(n_rows, k)``.

    Parameters
    ----------
    units : int, default=50
        Width of each LSTM layer.
    n_layers : int, default=2
        Number of stacked LSTM layers, each followed by dropout.
    dropout : float, default=0.2
        Dropout rate after each LSTM layer.
    epochs : int or "auto", default="auto"
        Passes over the training windows. ``"auto"``: the recipe's 20 while
        an epoch takes at most 250 gradient steps (every single series we
        hold), else as many as make about 5,000 steps, at least 1: on the
        last 18 months of M3's monthly training parts (65,663 windows, 257
        steps an epoch, 19 epochs) the score still improves slowly at the
        end (benchmarks/m3.md, "Levers, after 924a60f").
    batch_size : int or "auto", default="auto"
        Windows per gradient step. ``"auto"``: the smallest of 32, 64, ...,
        1,024 that keeps an epoch at 400 steps or fewer, so the recipe's 32
        up to 12,800 training windows (every single series we hold), more
        for a thousand series (tens of thousands of windows).
    optimizer : str or keras.optimizers.Optimizer, default="adam"
        Keras optimizer name or instance (copied for every fit).
    learning_rate : float, default=0.001
        Learning rate of the optimizer.
    loss : str, default="auto"
        Keras loss, on the scaled target. ``"auto"``: the recipe's
        ``"mean_squared_error"`` for one series, ``"mean_absolute_error"``
        for several, whose errors are scored by their mean absolute size
        (MASE) and where a few series that break their pattern would
        dominate a squared loss (M3's validation months: MASE 0.899 against
        0.908, the weights after the last epoch of one fit each; those move
        by up to 0.04 from one epoch to the next, see ``average_epochs``).
    linear_path : bool, default=True
        Fit a ridge autoregression on the windows in closed form and let the
        LSTM learn what it leaves (its residual), as LSTNet's highway does.
        The linear part extrapolates trends that a saturating LSTM cannot;
        its penalty acts on the shape of a window, not its level, so it
        follows a level shift. ``False`` gives the recipe exactly: the LSTM
        alone on min-max scaled ``y``. What each part buys: the user guide,
        "Benchmarks", "Accuracy on one series".
    window_norm : bool or "auto", default="auto"
        Give the LSTM each window relative to its own last step (per feature)
        and divided by its spread, and let it learn the linear path's residual
        divided by the same spread, so that it works in each window's own
        scale. Needs ``linear_path=True``, which supplies the level.
        ``"auto"``: True with ``level="last"`` (several series) and a linear
        path, False otherwise (one series keeps the recipe's input).
    early_stopping : bool, default=False
        Hold out the latest ``validation_fraction`` of the training windows,
        stop when their loss has not improved for ``n_iter_no_change`` epochs
        and restore the best weights (scikit-learn's :term:`early stopping`).
    validation_fraction : float, default=0.1
        Share of the latest training windows held out for early stopping.
    n_iter_no_change : int, default=5
        Patience of early stopping, in epochs.
    average_epochs : int, None or "auto", default="auto"
        End with the mean of the network's weights at the end of each of the
        last ``average_epochs`` epochs (stochastic weight averaging) instead
        of the last weights: with a constant learning rate the weights keep
        moving, and the forecasts with them. ``None``: the last weights.
        ``"auto"``: a quarter of the epochs for several series, None for one
        series (the recipe) and with early stopping. On the last 18 months
        of M3's monthly training parts, the weights after each of epochs 10
        to 24 scored a mean MASE between 0.886 and 0.926; the mean weights
        of the last 5 of 19 epochs 0.897.
    shuffle : bool, default=True
        Shuffle the training windows every epoch.
    output_steps : int, default=1
        Steps learnt at once from each window (MIMO): the target of row
        ``t`` and of the ``output_steps - 1`` rows after it in the ``y`` of
        `fit`. Rows near the end train on the steps they have. `predict`
        returns the first step; `predict_steps` all of them, which
        `sklstm.forecasting.forecast` uses.
    level : {"auto", "absolute", "last"}, default="auto"
        ``"last"``: each window and its targets are taken relative to the
        last value of the window's own series and divided by that series'
        range in `fit`, so that one model serves series at any level and
        scale (and a trend that leaves the training range).
        ``"absolute"``: as they are, the recipe. ``"auto"``: ``"last"`` for
        several series, ``"absolute"`` for one.
    warm_start : bool, default=False
        Keep training the current network on the next `fit` instead of a
        fresh one. See :term:`warm_start`.
    random_state : int, RandomState or None, default=None
        Seeds the initial weights, dropout and shuffling; the global random
        state is restored after `fit`. See :term:`Glossary <random_state>`.
    verbose : int, default=0
        Progress on stderr: 0 nothing; 1 one line redrawn after each epoch
        (epoch, loss, time elapsed and left); 2 Keras' line an epoch.

    Attributes
    ----------
    model_ : keras.Model
        The trained network.
    history_ : dict
        Training loss (and ``val_loss`` with early stopping) per epoch.
    window_shape_ : tuple of int
        ``(time_step, n_features)`` of the windows seen in `fit`.
    n_features_in_ : int
        Number of columns of the 2-D lag matrix seen in `fit`.
    n_series_ : int
        Number of series (columns of ``y``; 1 for a 1-D ``y``).
    level_ : str
        The resolved ``level``: ``"absolute"`` or ``"last"``.
    series_spreads_ : ndarray of shape (`n_series_`,) or None
        With ``level_="last"``, each series' range in `fit` (in X's units),
        which its windows and targets are divided by.
    series_units_ : SeriesUnits
        Each series' map from its column of ``X`` to ``y`` (the identity for
        ``level_="absolute"``): with ``"last"``, windows and targets are both
        in X's units.
    batch_size_, epochs_ : int
        The resolved ``batch_size`` and ``epochs``.
    average_epochs_ : int or None
        The resolved ``average_epochs``.
    window_norm_ : bool
        The resolved ``window_norm``.
    loss_ : str
        The resolved ``loss``.
    linear_ : RidgeAutoregression or None
        The linear path, when ``linear_path=True``: ``coef_``, ``intercept_``
        and the ridge penalty ``alpha_`` chosen by leave-one-out.
    target_offset_, target_scale_ : float
        The network learns ``(y - linear path) / spread``, minus
        ``target_offset_``, divided by ``target_scale_``.
    spread_median_ : float
        Median spread (standard deviation) of the training windows; a window's
        spread is relative to it. Only with ``window_norm_``.
    input_scale_ : ndarray of shape (n_features,)
        Scale of the relative windows fed to the LSTM, with ``window_norm_``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklstm import LSTMForecaster, WindowTransformer
    >>> y = np.sin(np.arange(60) / 3)
    >>> pipe = make_pipeline(
    ...     WindowTransformer(time_step=6),
    ...     LSTMForecaster(units=4, epochs=2, random_state=0),
    ... )
    >>> pipe.fit(y.reshape(-1, 1), y).predict(y[:3].reshape(-1, 1)).shape
    (3,)
    """

    _parameter_constraints = {
        "units": [Interval(Integral, 1, None, closed="left")],
        "n_layers": [Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "epochs": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "batch_size": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "optimizer": [str, object],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "loss": [
            StrOptions(
                {
                    "auto",
                    "mean_squared_error",
                    "mse",
                    "mean_absolute_error",
                    "mae",
                    "huber",
                }
            )
        ],
        "linear_path": ["boolean"],
        "window_norm": ["boolean", StrOptions({"auto"})],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "average_epochs": [
            Interval(Integral, 1, None, closed="left"),
            None,
            StrOptions({"auto"}),
        ],
        "output_steps": [Interval(Integral, 1, None, closed="left")],
        "level": [StrOptions(set(LEVELS))],
        "shuffle": ["boolean"],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    # scikeras reads these; they are not parameters of this estimator.
    model = None
    build_fn = None

    def __init__(
        self,
        units=50,
        n_layers=2,
        dropout=0.2,
        epochs="auto",
        batch_size="auto",
        optimizer="adam",
        learning_rate=0.001,
        loss="auto",
        linear_path=True,
        window_norm="auto",
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=5,
        average_epochs="auto",
        output_steps=1,
        level="auto",
        shuffle=True,
        warm_start=False,
        random_state=None,
        verbose=0,
    ):
        self.units = units
        self.n_layers = n_layers
        self.dropout = dropout
        self.epochs = epochs
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.loss = loss
        self.linear_path = linear_path
        self.window_norm = window_norm
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.average_epochs = average_epochs
        self.output_steps = output_steps
        self.level = level
        self.shuffle = shuffle
        self.warm_start = warm_start
        self.random_state = random_state
        self.verbose = verbose

    # Parameters are those of __init__, as in scikit-learn; scikeras' versions
    # take any attribute as a parameter and accept routed names (fit__...)
    # that this estimator would silently ignore.
    _get_param_names = classmethod(BaseEstimator._get_param_names.__func__)
    set_params = BaseEstimator.set_params

    def _keras_build_fn(self, meta):
        """scikeras hook: the network for the windows of one series.

        A fresh one, or one of a discarded estimator with fresh weights (see
        `sklstm._network_pool`); it goes back to the pool when this estimator
        is garbage collected or fits a new network.
        """
        if getattr(self, "_network_lease", None) is not None:
            self._network_lease()  # the network fitted before: back to the pool
        time_step, n_features = self.window_shape_
        self._lease = lease_network(
            time_step,
            n_features - self.n_series_ + 1,  # a series' own values, covariates
            units=self.units,
            n_layers=self.n_layers,
            dropout=self.dropout,
            optimizer=self.optimizer,
            learning_rate=self.learning_rate,
            loss=self.loss_,
            seed=self._fit_seed,
            zero_output=self.linear_path,
            output_steps=self.output_steps,
        )
        self._network_lease = weakref.finalize(self, return_network, self._lease)
        self._network_lease.atexit = False
        return self._lease["model"]

    def _check_model_compatibility(self, y):
        """scikeras hook, skipped: it compares ``loss`` (maybe ``"auto"``)
        with the network's, which `_keras_build_fn` compiled with ``loss_``."""

    def _initialize_callbacks(self):
        """scikeras hook: early stopping on the latest training windows."""
        keras = import_keras()
        self._fit_callbacks = []
        self._predict_callbacks = []
        if self.early_stopping:
            self._fit_callbacks.append(
                keras.callbacks.EarlyStopping(
                    patience=self.n_iter_no_change, restore_best_weights=True
                )
            )

    def fit(self, X, y, sample_weight=None):
        """Train a fresh network (or go on training with ``warm_start``).

        With a 2-D ``y``, one network for all its series (see above).

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
            series, in the loss and the linear path.

        Returns
        -------
        self : LSTMForecaster
        """
        self._validate_params()
        names = series_names(y)
        if self.early_stopping and self.average_epochs not in ("auto", None):
            raise ValueError(
                "early_stopping=True and average_epochs both choose the final "
                "weights: the best epoch's, or the mean of the last epochs'. Set "
                "early_stopping=False or average_epochs=None."
            )
        if self.window_norm != "auto" and self.window_norm and not self.linear_path:
            raise ValueError(
                "window_norm=True needs linear_path=True: relative windows carry "
                "no level, and the linear path is what gives it back. Set "
                "linear_path=True or window_norm=False."
            )
        windows, y, complete = validate_windows(self, X, y, reset=True)
        y_series = y.reshape(len(y), -1)
        rows, series = training_pairs(complete, y_series, names=names)
        if sample_weight is not None:
            sample_weight = pair_weights(sample_weight, complete, rows, series)
            if not sample_weight.any():
                raise ValueError(
                    "sample_weight is 0 for every row with a full window: there "
                    "is nothing to train on. Give some of them a positive weight."
                )
        samples, targets = fit_level(
            self, windows, y_series, rows, series, window_horizon_of(X)
        )
        self.window_norm_ = self.window_norm
        if self.window_norm == "auto":
            self.window_norm_ = self.level_ == "last" and self.linear_path
        self.loss_ = self.loss
        if self.loss == "auto":
            self.loss_ = (
                "mean_absolute_error" if self.n_series_ > 1 else "mean_squared_error"
            )
        if self.output_steps == 1:
            targets = targets[:, 0]
        else:  # the steps past the end of y have no target: weight 0
            weights = np.ones(len(targets)) if sample_weight is None else sample_weight
            sample_weight = weights[:, None] * ~np.isnan(targets)
        self.batch_size_ = _resolve_batch_size(self.batch_size, len(samples))
        self.epochs_ = _resolve_epochs(
            self.epochs, -(-len(samples) // self.batch_size_)
        )
        self.average_epochs_ = self.average_epochs
        if self.average_epochs == "auto":
            several = self.n_series_ > 1 and not self.early_stopping
            self.average_epochs_ = max(1, round(self.epochs_ / 4)) if several else None
        self._fit_input_scaling(samples)
        target = self._fit_target(samples, targets, sample_weight)
        n_features_in = self.n_features_in_
        self._fit_seed = self.random_state
        if isinstance(self.random_state, np.random.RandomState):
            self._fit_seed = int(self.random_state.randint(2**31 - 1))
        self._samples = samples
        try:
            with no_retracing_warnings():
                super().fit(
                    # scikeras checks X with copies: it gets a placeholder, and
                    # _fit_keras_model the windows, gathered a batch at a time
                    np.broadcast_to(np.float32(0), (len(target), 1)),
                    target,
                    sample_weight=sample_weight,
                    epochs=self.epochs_,
                    # with warm_start, epochs and history go on from where they were
                    initial_epoch=self.current_epoch if self.warm_start else 0,
                )
        finally:
            del self._samples
        self.n_features_in_ = n_features_in
        return self

    def _fit_keras_model(
        self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs
    ):
        """scikeras hook: train on batches made one at a time from the windows.

        ``X`` is a placeholder; the windows are the `SeriesWindows` of `fit`.
        The latest ``validation_fraction`` of the windows are held out for
        early stopping, as Keras' ``validation_split`` would. With
        ``average_epochs_``, training ends with the mean weights of this
        fit's last epochs.
        """
        X = self._samples
        if y.ndim == 2:  # several steps: the network's output is (n, steps, 1)
            y = y[:, :, None]
        n_train = len(y)
        if self.early_stopping:
            n_train = int(len(y) * (1 - self.validation_fraction))
            n_train = min(len(y) - 1, max(1, n_train))  # both parts non-empty
        # a warm start goes on with new orders, not those of the first fit
        order_seed = None if self._fit_seed is None else [self._fit_seed, initial_epoch]

        def batches(rows, shuffle):
            return window_batches(
                X.subset(rows),
                y[rows],
                sample_weight=None if sample_weight is None else sample_weight[rows],
                batch_size=self.batch_size_,
                to_inputs=self._network_inputs,
                shuffle=shuffle,
                seed=order_seed,
            )

        train = batches(slice(0, n_train), shuffle=self.shuffle)
        validation = None
        if n_train < len(y):
            validation = batches(slice(n_train, None), shuffle=False)
        # As scikeras does: with a seed, TensorFlow's ops are deterministic.
        seeded = contextlib.nullcontext()
        if self._fit_seed is not None:
            seeded = tensorflow_random_state(self._fit_seed)
        callbacks = list(self._fit_callbacks)
        if self.verbose == 1:  # the time left of the whole fit, not an epoch's
            callbacks.append(epoch_progress())
        if self.average_epochs_ is not None:
            first = max(initial_epoch, initial_epoch + epochs - self.average_epochs_)
            callbacks.append(weight_averaging(first))
        try:
            with seeded:
                history = self.model_.fit(
                    train,
                    shuffle=False,  # the batches shuffle their rows themselves
                    validation_data=validation,
                    epochs=initial_epoch + epochs,
                    initial_epoch=initial_epoch,
                    callbacks=callbacks,
                    verbose=0 if self.verbose == 1 else self.verbose,
                )
        finally:
            for dataset in (train, validation):
                if dataset is not None:
                    dataset.release()
        if not warm_start or initial_epoch == 0 or not hasattr(self, "history_"):
            self.history_ = defaultdict(list)
        for key, values in history.history.items():
            self.history_[key] += values

    @staticmethod
    def _validate_sample_weight(X, y, sample_weight):
        """scikeras hook: weights as float32, rows kept.

        scikeras drops the rows of weight 0 with a boolean mask, which copies
        every window; a weight of 0 already takes a row out of the loss.
        """
        return X, y, sample_weight.astype(np.float32)

    @property
    def partial_fit(self):
        """Not available: the scaling and linear path are fitted on the whole
        series. Use ``warm_start=True`` and `fit` to go on training."""
        raise AttributeError(
            "LSTMForecaster has no partial_fit; set warm_start=True and call fit "
            "to go on training the same network."
        )

    def _initialize(self, X, y=None):
        """scikeras hook: build the network; seed its training with ``_fit_seed``."""
        X, y = super()._initialize(X, y)
        # scikeras draws seed 0 from any RandomState; use the drawn seed.
        self._random_state = self._fit_seed
        return X, y

    def _fit_target(self, samples, targets, sample_weight):
        """Fit the linear path and the target scaling; return the network's
        target (0 where a step has no target: its weight is 0).

        ``targets`` is overwritten (it can be as long as the windows).
        """
        if self.linear_path:
            self.linear_ = RidgeAutoregression(_LINEAR_ALPHAS).fit(
                samples, targets, sample_weight
            )
            spread = self._spread(samples).reshape(-1, *[1] * (targets.ndim - 1))
            targets -= self.linear_.predict(samples).reshape(targets.shape)
            targets /= spread
            self.target_offset_ = float(np.nanmean(targets))
            self.target_scale_ = float(np.nanstd(targets)) or 1.0
        else:
            self.linear_ = None
            self.target_offset_ = float(np.nanmin(targets))
            self.target_scale_ = float(np.nanmax(targets) - np.nanmin(targets)) or 1.0
        targets -= self.target_offset_
        targets /= self.target_scale_
        return np.nan_to_num(targets, copy=False).astype(np.float32)

    def _fit_input_scaling(self, windows):
        """With ``window_norm``: the typical window spread and the input scale."""
        if not self.window_norm_:
            return
        self.spread_median_ = float(np.median(_window_std(windows))) or 1.0
        sums = np.zeros((2, windows.shape[2]))
        for rows in chunks(len(windows)):
            relative = self._relative(windows[rows])
            sums += relative.sum(axis=(0, 1)), (relative**2).sum(axis=(0, 1))
        mean, mean_square = sums / (len(windows) * windows.shape[1])
        self.input_scale_ = np.sqrt(np.maximum(mean_square - mean**2, 0)) + 1e-12

    def _spread(self, windows):
        """Each window's spread relative to the typical one (1 without window_norm)."""
        if not self.window_norm_:
            return np.ones(len(windows))
        return np.maximum(_window_std(windows) / self.spread_median_, 0.1)

    def _relative(self, windows):
        """Windows relative to their last step, divided by their spread."""
        return (windows - windows[:, -1:, :]) / self._spread(windows)[:, None, None]

    def _network_inputs(self, windows):
        """The LSTM's float32 input for a batch of windows: as they are, or with
        ``window_norm`` relative to their last step and scaled."""
        if not self.window_norm_:
            return windows.astype(np.float32)
        return (self._relative(windows) / self.input_scale_).astype(np.float32)

    def predict(self, X):
        """Forecast the target of every row, in the units of ``y``.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, time_step * n_features) or \
                (n_timesteps, time_step, n_features)
            Windows, as made by `WindowTransformer`.

        Returns
        -------
        y_pred : ndarray of shape (n_timesteps,) or (n_timesteps, n_series)
            As ``y`` in `fit`; NaN where a series' window is incomplete (the
            rows without history).
        """
        return self.predict_steps(X)[..., 0]

    def predict_steps(self, X):
        """Forecast ``output_steps`` steps from every row's window.

        Parameters
        ----------
        X : array-like of shape (n_timesteps, time_step * n_features) or \
                (n_timesteps, time_step, n_features)
            Windows, as made by `WindowTransformer`.

        Returns
        -------
        y_pred : ndarray of shape (n_timesteps, output_steps) or \
                (n_timesteps, n_series, output_steps)
            Step ``s`` of row ``t`` forecasts the target of row ``t + s``;
            NaN where a series' window is incomplete.
        """
        check_is_fitted(self, "model_")
        windows, _, complete = validate_windows(self, X, reset=False)
        rows, series = np.nonzero(complete)
        samples = SeriesWindows(
            windows, rows, series, self.n_series_, self.series_spreads_
        )
        y_pred = np.empty((0, self.output_steps))
        if len(samples):
            y_pred = self._target_units(samples, self._forward(samples))
            y_pred = target_values(samples, self.series_units_, y_pred)
        return scatter(complete, y_pred, self._training_dim)

    def _forward(self, samples):
        """The network's output ``(n, output_steps)`` for every window, a chunk
        of windows at a time."""
        predict = self._predict_function()
        return map_chunks(
            lambda part: np.reshape(
                predict(self._network_inputs(part)), (len(part), self.output_steps)
            ),
            samples,
            size=FORWARD_ROWS,
        )

    def _predict_function(self):
        """The network's forward pass, traced on first use (once per network)."""
        lease = getattr(self, "_lease", None)
        if lease is None or lease["model"] is not self.model_:  # e.g. unpickled
            lease = self._lease = {"model": self.model_, "predict": None}
        if lease["predict"] is None:
            lease["predict"] = make_predict_function(self.model_)
        return lease["predict"]

    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: the original keeps its own
        # a traced function and a finalizer do not pickle; a copy owns no lease
        state.pop("_lease", None)
        state.pop("_network_lease", None)
        return state

    def _target_units(self, samples, scaled):
        """The network's scaled output ``(n, output_steps)`` in target units."""
        y_pred = self.target_offset_ + self.target_scale_ * scaled.astype(float)
        if self.linear_ is not None:
            y_pred *= self._spread(samples)[:, None]
            y_pred += self.linear_.predict(samples).reshape(y_pred.shape)
        return y_pred

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # scikeras puts RegressorMixin after BaseEstimator, so scikit-learn >= 1.6
        # never sees it: set what RegressorMixin would.
        from sklearn.utils import RegressorTags

        tags.estimator_type = "regressor"
        tags.regressor_tags = RegressorTags()
        tags.target_tags.required = True
        tags.input_tags.three_d_array = True
        tags.target_tags.multi_output = True  # a 2-D y is several series
        tags.non_deterministic = self.random_state is None
        return tags


def _window_std(windows):
    """Standard deviation of each window, a chunk of windows at a time."""
    return map_chunks(lambda part: part.std(axis=(1, 2)), windows)


def _resolve_batch_size(batch_size, n_windows):
    """``"auto"``: the smallest of 32, 64, ..., 1,024 that keeps an epoch at
    400 steps or fewer (1,024 beyond)."""
    if batch_size != "auto":
        return batch_size
    doublings = max(0, math.ceil(math.log2(max(n_windows, 1) / (32 * 400))))
    return min(1024, 32 * 2**doublings)


def _resolve_epochs(epochs, steps_per_epoch):
    """``"auto"``: 20 up to 250 steps an epoch, else about 5,000 steps."""
    if epochs != "auto":
        return epochs
    return min(20, max(1, round(5000 / steps_per_epoch)))
