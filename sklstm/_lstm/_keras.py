"""The scikeras side of `LSTMForecaster`: how it drives Keras.

`KerasWindowRegressor` is the ``KerasRegressor`` subclass that
`LSTMForecaster` builds on (as ``BaseMultilayerPerceptron`` is
``MLPRegressor``'s): the scikeras hooks (the network from the pool, training
on the windows' network inputs, early stopping, weight averaging,
seeding), the forward pass (in numpy, `sklstm._lstm._numpy_forward`), pickling
and the tags scikeras gets wrong. It reads the forecaster's parameters and the
fitted attributes that `LSTMForecaster.fit` sets before `_train_network`:
``window_shape_``, ``n_series_``, ``loss_``, ``batch_size_``, ``epochs_``,
``average_epochs_`` and the residual scaling (``_scaling()``).
"""

import weakref
from collections import defaultdict

import numpy as np
from sklearn.base import BaseEstimator

from .._chunks import FORWARD_ROWS, map_chunks
from ._callbacks import early_stopping, weight_averaging
from ._network import (
    make_predict_function,
    no_retracing_warnings,
    numpy_forward,
    window_arrays,
    window_batches,
)
from ._pool import lease_network, return_network
from ._progress import epoch_progress
from ._scaling import best_blend_weight
from ._scikeras import KerasRegressor, tensorflow_random_state


class KerasWindowRegressor(KerasRegressor):
    """scikeras' ``KerasRegressor`` trained on `SeriesWindows`, with its
    parameters and tags those of a scikit-learn estimator."""

    # scikeras reads these; they are not parameters of this estimator.
    model = None
    build_fn = None

    # Parameters are those of __init__, as in scikit-learn; scikeras' versions
    # take any attribute as a parameter and accept routed names (fit__...)
    # that this estimator would silently ignore.
    _get_param_names = classmethod(BaseEstimator._get_param_names.__func__)
    set_params = BaseEstimator.set_params

    def _keras_build_fn(self, meta):
        """scikeras hook: the network for the windows of one series.

        A fresh one, or one of a discarded estimator with fresh weights (see
        `sklstm._lstm._pool`); it goes back to the pool when this estimator
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
        self._fit_callbacks = []
        self._predict_callbacks = []
        if self.early_stopping:
            self._fit_callbacks.append(early_stopping(self.n_iter_no_change))

    def _train_network(self, samples, target, sample_weight, latest=None):
        """Train the network on the windows ``samples`` through scikeras' ``fit``.

        Parameters
        ----------
        samples : SeriesWindows
        target : ndarray of float32 of shape (n,) or (n, output_steps)
            The network's target (`ResidualScaling.fit`).
        sample_weight : ndarray or None
        latest : ndarray of bool shaped as ``target``, or None
            The targets held out to choose ``network_weight_`` on
            (`_held_out_weight`); None to choose nothing.
        """
        n_features_in = self.n_features_in_
        self._fit_seed = self.random_state
        if isinstance(self.random_state, np.random.RandomState):
            self._fit_seed = int(self.random_state.randint(2**31 - 1))
        self._samples, self._latest = samples, latest
        try:
            with no_retracing_warnings():
                # scikeras checks X with copies: it gets a placeholder, and
                # _fit_keras_model the windows, gathered a batch at a time
                super().fit(
                    np.broadcast_to(np.float32(0), (len(target), 1)),
                    target,
                    sample_weight=sample_weight,
                    epochs=self.epochs_,
                    # with warm_start, epochs and history go on from where they were
                    initial_epoch=self.current_epoch if self.warm_start else 0,
                )
        finally:
            del self._samples, self._latest
            # the numpy forward pass holds a copy of the weights before training
            getattr(self, "_lease", {}).pop("numpy", None)
        self.n_features_in_ = n_features_in

    def _fit_keras_model(
        self, X, y, sample_weight, warm_start, epochs, initial_epoch, **kwargs
    ):
        """scikeras hook: train on the network inputs of the windows.

        ``X`` is a placeholder; the windows are the `SeriesWindows` of `fit`.
        Their inputs are made at once and given to Keras as arrays when they
        fit in `IN_MEMORY_BYTES`, else gathered a batch at a time.
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
        to_inputs = self._scaling().network_inputs
        inputs = window_arrays(X, to_inputs)

        def data(rows, shuffle, weight):
            """``Model.fit``'s data: arrays, or batches gathered one at a time."""
            weight = None if weight is None else weight[rows]
            if inputs is not None:
                return {"x": inputs[rows], "y": y[rows], "sample_weight": weight}
            batches = window_batches(
                X.subset(rows),
                y[rows],
                sample_weight=weight,
                batch_size=self.batch_size_,
                to_inputs=to_inputs,
                shuffle=shuffle,
                seed=order_seed,
            )
            return {"x": batches}

        validation = None
        if n_train < len(y):
            validation = data(slice(n_train, None), False, sample_weight)
            validation = (
                tuple(validation.values()) if inputs is not None else validation["x"]
            )
        # As scikeras does: TensorFlow's ops deterministic, its seed set, as
        # Keras shuffles arrays with it (new for a warm start; without
        # random_state, a fresh one).
        tf_seed = self._fit_seed
        if tf_seed is None:
            tf_seed = int(np.random.default_rng().integers(2**31 - 1))
        elif initial_epoch:
            tf_seed = int(np.random.default_rng(order_seed).integers(2**31 - 1))
        callbacks = list(self._fit_callbacks)
        if self.verbose == 1:  # the time left of the whole fit, not an epoch's
            callbacks.append(epoch_progress())
        stop = initial_epoch + epochs
        averaging = []
        if self.average_epochs_ is not None:
            first = max(initial_epoch, stop - self.average_epochs_)
            averaging.append(weight_averaging(first))

        def train(weight, start, end, callbacks):
            """``Model.fit`` from epoch ``start`` to ``end``; its history."""
            part = data(slice(0, n_train), self.shuffle, weight)
            try:
                return self.model_.fit(
                    **part,
                    batch_size=self.batch_size_ if inputs is not None else None,
                    # gathered batches shuffle their rows themselves
                    shuffle=self.shuffle and inputs is not None,
                    validation_data=validation,
                    epochs=end,
                    initial_epoch=start,
                    callbacks=callbacks,
                    verbose=0 if self.verbose == 1 else self.verbose,
                ).history
            finally:
                if hasattr(part["x"], "release"):  # gathered batches
                    part["x"].release()

        latest, start = self._latest, initial_epoch
        history = defaultdict(list)
        try:
            with tensorflow_random_state(tf_seed):
                if latest is not None:
                    # the latest targets held out; the last epochs (those
                    # averaged) train on every target
                    last = min(epochs - 1, self.average_epochs_ or round(epochs / 4))
                    start = stop - max(1, last)
                    held_out = np.where(latest, 0, 1).astype(np.float32)
                    if sample_weight is not None:
                        held_out *= sample_weight
                    part = train(held_out, initial_epoch, start, callbacks)
                    for key, values in part.items():
                        history[key] += values
                    self.network_weight_ = self._held_out_weight(
                        X, y, sample_weight, latest
                    )
                part = train(sample_weight, start, stop, callbacks + averaging)
                for key, values in part.items():
                    history[key] += values
        finally:
            if hasattr(validation, "release"):  # gathered batches
                validation.release()
        if not warm_start or initial_epoch == 0 or not hasattr(self, "history_"):
            self.history_ = defaultdict(list)
        for key, values in history.items():
            self.history_[key] += values

    def _held_out_weight(self, samples, target, sample_weight, latest):
        """The ``network_weight_`` that fits the held-out (``latest``) targets
        best (`best_blend_weight`), in the linear path's residual units."""
        n = len(latest)
        latest = latest.reshape(n, -1)
        rows = np.flatnonzero(latest.any(axis=1))
        output = self._forward(samples.subset(rows), self._scaling())
        getattr(self, "_lease", {}).pop("numpy", None)  # the weights move on
        offset, scale = self.target_offset_, self.target_scale_
        actual = offset + scale * target.reshape(n, -1)[rows].astype(float)
        weight = latest[rows].astype(float)
        if sample_weight is not None:
            weight *= sample_weight.reshape(n, -1)[rows]
        network = offset + scale * output.reshape(actual.shape)
        return best_blend_weight(actual, network, weight)

    @staticmethod
    def _validate_sample_weight(X, y, sample_weight):
        """scikeras hook: weights as float32, rows kept.

        scikeras drops the rows of weight 0 with a boolean mask, which copies
        every window; a weight of 0 already takes a row out of the loss.
        """
        return X, y, sample_weight.astype(np.float32)

    def _initialize(self, X, y=None):
        """scikeras hook: build the network; seed its training with ``_fit_seed``."""
        X, y = super()._initialize(X, y)
        # scikeras draws seed 0 from any RandomState; use the drawn seed.
        self._random_state = self._fit_seed
        return X, y

    def __sklearn_is_fitted__(self):
        return hasattr(self, "model_")

    def _forward(self, samples, scaling):
        """The network's output ``(n, output_steps)`` for every window, a chunk
        of windows at a time."""
        predict = self._predict_function()
        return map_chunks(
            lambda part: np.reshape(
                predict(scaling.network_inputs(part)), (len(part), self.output_steps)
            ),
            samples,
            size=FORWARD_ROWS,
        )

    def _predict_function(self):
        """The network's forward pass: in numpy (`numpy_forward`), made on
        first use from the trained weights and kept in the lease until the
        network trains again (`_train_network`) or the pool hands it to a new
        fit; for a network that numpy does not compute, traced by TensorFlow
        on first use (once per network). The lease is changed in place, so
        that ``predict`` leaves the estimator's ``__dict__`` as it was."""
        lease = getattr(self, "_lease", None)
        if lease is None or lease["model"] is not self.model_:  # e.g. unpickled
            lease = self._lease = {"model": self.model_, "predict": None}
        if "numpy" not in lease:
            lease["numpy"] = numpy_forward(self.model_)
        if lease["numpy"] is not None:
            return lease["numpy"]
        if lease["predict"] is None:
            lease["predict"] = make_predict_function(self.model_)
        return lease["predict"]

    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: the original keeps its own
        # a traced function and a finalizer do not pickle; a copy owns no lease
        # and makes its own forward pass from its own network
        state.pop("_lease", None)
        state.pop("_network_lease", None)
        return state

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
