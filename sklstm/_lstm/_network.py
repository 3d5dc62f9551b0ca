"""The Keras LSTM network; with `_scikeras`, the only modules that import
TensorFlow, Keras and scikeras."""

import contextlib
import functools
import logging
import os
import sys

import numpy as np

from .._chunks import chunks
from ._numpy_forward import NumpyForward
from ._threads import configure_tensorflow_threads

UNROLL_STEPS = 128
"""Windows of at most this many steps are unrolled: the LSTM's loop over the
steps becomes straight-line graph code, which on 2 CPU cores trains about
twice as fast (windows of 36, batch 256: 22.8 against 19.4 ms a step; of 100,
batch 32: 34.2 against 12.0-17.2 ms; same losses), for a slower first trace."""


def import_keras():
    """Import Keras with TensorFlow's C++ log lines off, unless the user set them.

    TensorFlow prints some lines at import time, before its log level applies;
    those are silenced by muting file descriptor 2 during the first import.
    A ``TF_CPP_MIN_LOG_LEVEL`` set by the user is left alone, lines included.
    In a process with ``OMP_NUM_THREADS`` set (joblib and dask workers),
    TensorFlow's thread pools get the same limit (`configure_tensorflow_threads`).

    Returns
    -------
    keras : module
    """
    if "tensorflow" not in sys.modules and "TF_CPP_MIN_LOG_LEVEL" not in os.environ:
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
        with _muted_stderr():
            import tensorflow  # noqa: F401
    import keras

    configure_tensorflow_threads()  # in joblib and dask workers
    return keras


@contextlib.contextmanager
def _muted_stderr():
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def build_lstm_network(
    n_steps,
    n_features,
    *,
    units,
    n_layers,
    dropout,
    optimizer,
    learning_rate,
    loss,
    seed,
    zero_output=False,
    output_steps=1,
):
    """Build and compile the stacked LSTM of the Keras recipe.

    ``n_layers`` x (LSTM(units) + Dropout(dropout)), then Dense(1), or
    Dense(output_steps) for a whole horizon at once; the LSTMs are unrolled
    for windows of up to `UNROLL_STEPS` steps. Every call
    creates fresh optimizer and loss objects, and every random initialiser and
    dropout layer gets its own seed derived from ``seed``.

    Parameters
    ----------
    n_steps, n_features : int
        Shape of one input window.
    units, n_layers : int
        Width of each LSTM layer and how many are stacked.
    dropout : float
        Dropout rate after each LSTM layer.
    optimizer : str or keras.optimizers.Optimizer
        Optimizer name (``"adam"``) or instance, whose configuration is copied.
    learning_rate : float
        Learning rate given to the optimizer.
    loss : str
        Keras loss name.
    seed : int or None
        Seed of the initialisers and dropout masks; None draws one.
    zero_output : bool, default=False
        Start the output layer at zero, so that the untrained network
        predicts 0 (used when the network learns a residual).
    output_steps : int, default=1
        Number of outputs, one per step ahead.

    Returns
    -------
    model : keras.Model
        Compiled; input ``(batch, n_steps, n_features)``, output ``(batch, 1)``,
        or ``(batch, output_steps, 1)`` for several steps, so that a weight
        of shape ``(batch, output_steps)`` masks the steps a window has no
        target for.
    """
    keras = import_keras()
    seeds = np.random.default_rng(seed).integers(0, 2**31 - 1, size=4 * n_layers + 2)
    seeds = iter(int(s) for s in seeds)
    inputs = keras.Input(shape=(n_steps, n_features))
    hidden = inputs
    for layer in range(n_layers):
        hidden = keras.layers.LSTM(
            units,
            return_sequences=layer < n_layers - 1,
            unroll=n_steps <= UNROLL_STEPS,
            kernel_initializer=keras.initializers.GlorotUniform(seed=next(seeds)),
            recurrent_initializer=keras.initializers.Orthogonal(seed=next(seeds)),
            seed=next(seeds),
        )(hidden)
        hidden = keras.layers.Dropout(dropout, seed=next(seeds))(hidden)
    output_initializer = (
        keras.initializers.Zeros()
        if zero_output
        else keras.initializers.GlorotUniform(seed=next(seeds))
    )
    outputs = keras.layers.Dense(output_steps, kernel_initializer=output_initializer)(
        hidden
    )
    if output_steps > 1:
        outputs = keras.layers.Reshape((output_steps, 1))(outputs)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=make_optimizer(optimizer, learning_rate), loss=loss)
    return model


def make_optimizer(optimizer, learning_rate):
    """Return a fresh Keras optimizer with the given learning rate.

    Parameters
    ----------
    optimizer : str or keras.optimizers.Optimizer
        A name such as ``"adam"`` or an instance to copy.
    learning_rate : float

    Returns
    -------
    keras.optimizers.Optimizer
    """
    keras = import_keras()
    if isinstance(optimizer, str):
        try:
            optimizer = keras.optimizers.get(optimizer)
        except ValueError:
            raise ValueError(
                f"optimizer={optimizer!r} is not a Keras optimizer name; use e.g. "
                "'adam', 'sgd' or 'rmsprop', or a keras.optimizers.Optimizer."
            ) from None
    elif not isinstance(optimizer, keras.optimizers.Optimizer):
        raise TypeError(
            "optimizer must be a name such as 'adam' or a "
            f"keras.optimizers.Optimizer instance, not {type(optimizer).__name__}."
        )
    config = optimizer.get_config()
    cls = type(optimizer)
    config["learning_rate"] = learning_rate
    return cls.from_config(config)


def make_predict_function(model):
    """Compile the model's forward pass once for any number of windows.

    ``model.predict`` rebuilds its input pipeline on every call (about 50 ms
    for one window) and ``predict_on_batch`` retraces for every new batch
    size; one traced function with a free batch dimension does neither. One
    window at a time (new rows, recursive forecasts) goes through a second
    function compiled by XLA for that one shape: its while-loop over the
    steps runs as one kernel, about 1 ms instead of 6 ms for the recipe's
    network on 2 cores, after about 1 s of compiling on first use.

    Parameters
    ----------
    model : keras.Model

    Returns
    -------
    predict : callable
        Takes a float32 array ``(n, n_steps, n_features)``, returns the
        network's output for each window.
    """
    keras = import_keras()
    if keras.backend.backend() != "tensorflow":
        return model.predict_on_batch
    import tensorflow as tf

    def forward(windows):
        return model(windows, training=False)

    window = model.input_shape[1:]
    any_batch = tf.function(
        forward,
        input_signature=[tf.TensorSpec((None, *window), tf.float32)],
        autograph=False,
    )
    one_window = tf.function(
        forward,
        input_signature=[tf.TensorSpec((1, *window), tf.float32)],
        autograph=False,
        jit_compile=True,
    )
    with no_retracing_warnings():
        any_batch.get_concrete_function()  # trace now, once

    def predict(windows):
        return one_window(windows) if len(windows) == 1 else any_batch(windows)

    return predict


def numpy_forward(model):
    """The network's forward pass in numpy, or None for a network it does not know.

    `NumpyForward` knows what `build_lstm_network` builds: LSTM layers
    (``tanh`` and ``sigmoid``, forwards, each but the last returning
    sequences), dropout layers (no-ops at inference), a linear Dense layer
    and maybe a Reshape, in float32 on the TensorFlow backend (where it is
    checked against Keras). Anything else (a subclass, another activation,
    a quantized or mixed-precision layer) is left to `make_predict_function`.

    Parameters
    ----------
    model : keras.Model

    Returns
    -------
    forward : NumpyForward or None
        Holds a copy of the weights as they are now.
    """
    keras = import_keras()
    if keras.backend.backend() != "tensorflow" or len(model.inputs) != 1:
        return None
    skipped = (keras.layers.InputLayer, keras.layers.Dropout)
    layers = [layer for layer in model.layers if type(layer) not in skipped]
    if layers and type(layers[-1]) is keras.layers.Reshape:
        layers.pop()  # row-major: the outputs stay in their order
    if len(layers) < 2:
        return None
    *lstms, dense = layers
    sequences = [getattr(layer, "return_sequences", None) for layer in lstms]
    if (
        not all(_is_plain_lstm(layer, keras) for layer in lstms)
        or sequences != [True] * (len(lstms) - 1) + [False]
        or not _is_plain_dense(dense, keras)
    ):
        return None
    lstm_weights = [_weights(layer, 4 * layer.units) for layer in lstms]
    return NumpyForward(lstm_weights, *_weights(dense, dense.units))


def _weights(layer, n_bias):
    """A layer's weights as numpy arrays, a zero bias last if it has none."""
    weights = layer.get_weights()
    if not layer.use_bias:
        weights.append(np.zeros(n_bias, np.float32))
    return weights


def _is_plain_lstm(layer, keras):
    """Whether ``layer`` is an LSTM that `NumpyForward` computes as Keras does."""
    return (
        type(layer) is keras.layers.LSTM
        and layer.activation is keras.activations.tanh
        and layer.recurrent_activation is keras.activations.sigmoid
        and not (layer.go_backwards or layer.stateful or layer.return_state)
        and _is_float32(layer)
    )


def _is_plain_dense(layer, keras):
    """Whether ``layer`` is a linear Dense layer on the last LSTM's output."""
    return (
        type(layer) is keras.layers.Dense
        and layer.activation is keras.activations.linear
        and _is_float32(layer)
    )


def _is_float32(layer):
    return (
        layer.dtype_policy.compute_dtype == "float32"
        and getattr(layer, "quantization_mode", None) is None
    )


@contextlib.contextmanager
def no_retracing_warnings():
    """Drop TensorFlow's "triggered tf.function retracing" warnings meanwhile.

    TensorFlow counts the traces of the training and predict functions of every
    model together, so a grid search (one fresh model per fit, each traced
    once, as it must be) gets warnings about "excessive retracing" that do not
    apply. Other TensorFlow log records pass.
    """
    logger = logging.getLogger("tensorflow")
    retracing = _DropMessages("triggered tf.function retracing")
    logger.addFilter(retracing)
    try:
        yield
    finally:
        logger.removeFilter(retracing)


class _DropMessages(logging.Filter):
    """Drop the log records whose message contains ``text``."""

    def __init__(self, text):
        super().__init__()
        self.text = text

    def filter(self, record):
        return self.text not in record.getMessage()


IN_MEMORY_BYTES = 2**28
"""Training inputs of at most this many bytes (float32) are made at once and
given to ``Model.fit`` as arrays, which Keras batches in TensorFlow: on M3
monthly (90,450 windows of 36, 13 MB) a step of batch 256 took 21.7 ms
against 25.0 ms through `window_batches` (benchmarks/epoch.md). Larger inputs
are gathered a batch at a time, so that the memory of a fit does not grow
with ``n x time_step`` beyond this."""


def window_arrays(windows, to_inputs):
    """The network's inputs for every window, or None beyond `IN_MEMORY_BYTES`.

    Parameters
    ----------
    windows : SeriesWindows or ndarray of shape (n, n_steps, n_features)
    to_inputs : callable
        Maps windows to the network's float32 inputs.

    Returns
    -------
    inputs : ndarray of float32 of shape (n, n_steps, n_features) or None
    """
    if 4 * int(np.prod(windows.shape)) > IN_MEMORY_BYTES:
        return None
    inputs = np.empty(windows.shape, dtype=np.float32)
    for rows in chunks(len(windows)):
        inputs[rows] = to_inputs(windows[rows])
    return inputs


def window_batches(
    windows, target, *, batch_size, to_inputs, shuffle, seed, sample_weight=None
):
    """Feed Keras ``(inputs, target[, weight])`` batches made one at a time.

    A long series' windows are a strided view (no copy); only the current
    batch is converted to the network's float32 inputs, so the memory of a
    fit does not grow with ``n x time_step``.

    Parameters
    ----------
    windows : SeriesWindows or ndarray of shape (n, n_steps, n_features)
        Indexable by an array of window numbers.
    target : ndarray of shape (n,) or (n, output_steps, 1)
    batch_size : int
    to_inputs : callable
        Maps a batch of windows to the network's float32 inputs.
    shuffle : bool
        New order of the windows every epoch.
    seed : int or None
        Seed of the shuffling.
    sample_weight : ndarray of shape (n,) or (n, output_steps), default=None

    Returns
    -------
    keras.utils.PyDataset
        Call its ``release()`` after the fit.
    """
    return _window_batches_class()(
        windows, target, sample_weight, batch_size, to_inputs, shuffle, seed
    )


@functools.cache
def _window_batches_class():
    """The PyDataset of `window_batches`, defined once Keras is imported.

    One class for all fits, holding its data as attributes that `release`
    drops after the fit.
    """
    keras = import_keras()

    class WindowBatches(keras.utils.PyDataset):
        def __init__(
            self, windows, target, sample_weight, batch_size, to_inputs, shuffle, seed
        ):
            super().__init__()
            self.windows, self.target = windows, target
            self.sample_weight, self.batch_size = sample_weight, batch_size
            self.to_inputs, self.shuffle = to_inputs, shuffle
            self.rng = np.random.default_rng(seed)
            self.order = np.arange(len(target))
            self.on_epoch_end()

        def __len__(self):
            return -(-len(self.target) // self.batch_size)

        def __getitem__(self, index):
            start = index * self.batch_size
            rows = self.order[start : start + self.batch_size]
            batch = (self.to_inputs(self.windows[rows]), self.target[rows])
            if self.sample_weight is not None:
                batch += (self.sample_weight[rows].astype(np.float32),)
            return batch

        def on_epoch_end(self):
            if self.shuffle:
                self.rng.shuffle(self.order)

        def release(self):
            """Drop the data: TensorFlow's generator registry keeps the
            dataset alive after the fit, and would keep the data with it."""
            self.windows = self.target = self.sample_weight = self.to_inputs = None

    return WindowBatches
