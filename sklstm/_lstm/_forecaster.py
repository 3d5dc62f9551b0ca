"""LSTMForecaster: the Keras LSTM recipe as a scikit-learn regressor."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from .._base import WindowForecasterMixin
from .._level import LEVELS
from .._panel import latest_targets, pair_weights, target_values, training_pairs
from ._auto import SAVED_TRAINING_STEPS, TRAINING_STEPS, resolve_params
from ._keras import KerasWindowRegressor
from ._scaling import ResidualScaling


class LSTMForecaster(WindowForecasterMixin, KerasWindowRegressor):
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
        they take at most ``training_steps`` gradient steps (every single
        series we hold), else as many as make about ``training_steps``, at
        least 1: on the last 18 months of M3's monthly training parts (65,663
        windows, 257 steps an epoch, 19 epochs) the score still improves
        slowly at the end (benchmarks/m3.md, "Levers, after 924a60f").
    training_steps : int, default=8000
        The gradient steps that ``epochs="auto"`` aims at. The members of a
        `LookbackEnsemble` made by `make_forecast_pipeline` share them.
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
    network_weight : float in [0, 1] or "auto", default=1.0
        How much of the network's output is added to the linear path (with
        ``linear_path=True``): 1 the whole model, 0 the linear path alone.
        ``"auto"``: chosen in `fit` from the latest part of the training data
        alone. For several series and at least 2 epochs, the network first
        trains without the targets in the last ``output_steps`` values of
        each series (all but the last ``average_epochs_`` epochs, or a
        quarter); the weight that minimises the absolute error on those held
        out targets is kept (a weighted median, in [0, 1]); the last epochs
        then train on every target. Otherwise (one series, early stopping,
        no linear path) ``"auto"`` is 1.
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
    network_weight_ : float
        The share of the network's output in the forecasts: ``network_weight``,
        or the weight it chose (``"auto"``).
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
        "training_steps": [Interval(Integral, 1, None, closed="left")],
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
        "network_weight": [Interval(Real, 0, 1, closed="both"), StrOptions({"auto"})],
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

    def __init__(
        self,
        units=50,
        n_layers=2,
        dropout=0.2,
        epochs="auto",
        training_steps=TRAINING_STEPS,
        batch_size="auto",
        optimizer="adam",
        learning_rate=0.001,
        loss="auto",
        linear_path=True,
        network_weight=1.0,
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
        self.training_steps = training_steps
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.loss = loss
        self.linear_path = linear_path
        self.network_weight = network_weight
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

    def __setstate__(self, state):
        # a model saved before training_steps or network_weight existed
        # trained with their defaults
        state.setdefault("training_steps", SAVED_TRAINING_STEPS)
        state.setdefault("network_weight", 1.0)
        if "model_" in state:
            state.setdefault("network_weight_", 1.0)
        super().__setstate__(state)

    def _validate_params(self):
        """The parameters' constraints, then the combinations they forbid."""
        super()._validate_params()
        if self.early_stopping and self.average_epochs not in ("auto", None):
            raise ValueError(
                "early_stopping=True and average_epochs both choose the final "
                "weights: the best epoch's, or the mean of the last epochs'. Set "
                "early_stopping=False or average_epochs=None."
            )
        if not self.linear_path and self.network_weight not in ("auto", 1):
            raise ValueError(
                f"network_weight={self.network_weight!r} blends the network with "
                "the linear path, and linear_path=False has none. Set "
                "linear_path=True or network_weight=1.0."
            )
        if self.window_norm != "auto" and self.window_norm and not self.linear_path:
            raise ValueError(
                "window_norm=True needs linear_path=True: relative windows carry "
                "no level, and the linear path is what gives it back. Set "
                "linear_path=True or window_norm=False."
            )

    def _fit_complete(self, windows, y, complete, sample_weight, *, spec, names):
        """Resolve the "auto" parameters, fit the level and the residual
        scaling, then train a fresh network (or, with ``warm_start``, the
        current one) through scikeras."""
        y_series = y.reshape(len(y), -1)
        rows, series = training_pairs(complete, y_series, names=names)
        if sample_weight is not None:
            sample_weight = pair_weights(sample_weight, complete, rows, series)
            if not sample_weight.any():
                raise ValueError(
                    "sample_weight is 0 for every row with a full window: there "
                    "is nothing to train on. Give some of them a positive weight."
                )
        resolved = resolve_params(
            self.get_params(deep=False), n_series=self.n_series_, n_windows=len(rows)
        )
        self.window_norm_ = resolved.window_norm
        self.loss_ = resolved.loss
        self.batch_size_ = resolved.batch_size
        self.epochs_ = resolved.epochs
        self.average_epochs_ = resolved.average_epochs
        samples, targets = self._fit_samples(
            windows, y_series, rows, series, level=resolved.level, horizon=spec.horizon
        )
        if self.output_steps == 1:
            targets = targets[:, 0]
        else:  # the steps past the end of y have no target: weight 0
            weights = np.ones(len(targets)) if sample_weight is None else sample_weight
            sample_weight = weights[:, None] * ~np.isnan(targets)
        scaling, target = ResidualScaling.fit(
            samples,
            targets,
            sample_weight,
            linear_path=self.linear_path,
            window_norm=self.window_norm_,
        )
        self.linear_ = scaling.linear
        self.target_offset_ = scaling.target_offset
        self.target_scale_ = scaling.target_scale
        if self.window_norm_:
            self.spread_median_ = scaling.spread_median
            self.input_scale_ = scaling.input_scale
        else:  # a refit without relative windows drops an earlier fit's
            vars(self).pop("spread_median_", None)
            vars(self).pop("input_scale_", None)
        choose = (
            self.network_weight == "auto"
            and self.n_series_ > 1
            and self.linear_path
            and not self.early_stopping
            and self.epochs_ > 1
        )
        auto = self.network_weight == "auto"
        self.network_weight_ = 1.0 if auto else float(self.network_weight)
        latest = None
        if choose:
            latest = latest_targets(y_series, rows, series, self.output_steps)
            latest = latest.reshape(target.shape)
        self._train_network(samples, target, sample_weight, latest=latest)

    @property
    def partial_fit(self):
        """Not available: the scaling and linear path are fitted on the whole
        series. Use ``warm_start=True`` and `fit` to go on training."""
        raise AttributeError(
            "LSTMForecaster has no partial_fit; set warm_start=True and call fit "
            "to go on training the same network."
        )

    def _scaling(self):
        """The fitted `ResidualScaling`, from the fitted attributes."""
        weight = self.network_weight_
        scaling = ResidualScaling(
            self.linear_, weight * self.target_offset_, weight * self.target_scale_
        )
        if self.window_norm_:
            scaling.spread_median = self.spread_median_
            scaling.input_scale = self.input_scale_
        return scaling

    def _predict_complete(self, windows, complete):
        samples = self._complete_samples(windows, *np.nonzero(complete))
        scaling = self._scaling()
        y_pred = scaling.to_target(samples, self._forward(samples, scaling))
        return target_values(samples, self.series_units_, y_pred)
