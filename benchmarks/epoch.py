"""Where one epoch on M3 monthly goes, against faster ways to train the same network.

The recommended single network on M3's 1,428 monthly training parts
(``make_forecast_pipeline(LSTMForecaster(random_state=0), time_step=36,
output_steps=18)``: batch 256, 354 steps an epoch) trains on the network
inputs of its windows, made once as arrays (13 MB here). This script times,
in one process, one epoch (after a first one that traces the graph) of:

* sklstm: ``LSTMForecaster`` itself (``_train_network``, epochs 3 minus
  epochs 1, halved); the same with its inputs gathered from the wide frame
  a batch at a time (`window_batches`, the path of inputs over
  ``IN_MEMORY_BYTES``, and of every fit before); the Python side of that
  gathering alone; the time to make the inputs at once;
* (a) the same Keras model (same weights, same windows, same order, as
  in-memory float32 arrays) through ``keras.Model.fit``, and the same with
  its LSTM layers not unrolled (every fit before `UNROLL_STEPS`);
* (b) a plain ``tf.function`` training step over the same in-memory batches,
  with ``jit_compile=True`` (XLA) and without;
* (c) the ceiling: matrix products of the LSTM's own shapes, (256, 51) x
  (51, 200) and (256, 100) x (100, 200), as many as an epoch's forward and
  backward passes make (a training step is about three forward passes), and
  one large product for the machine's peak.

GFLOP/s counts 2 FLOP a multiply-add of the LSTM's gates and the output
layer, three times the forward pass for a training step.

Run from the repository root::

    python benchmarks/epoch.py
    python benchmarks/epoch.py --output benchmarks/epoch.md

Progress goes to stderr, the markdown table to stdout (and ``--output``).
"""

import argparse
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from panels import load_panel  # noqa: E402

from sklstm import LSTMForecaster, make_forecast_pipeline  # noqa: E402
from sklstm._lstm import _network  # noqa: E402
from sklstm._lstm._network import build_lstm_network, import_keras  # noqa: E402

TIME_STEP, H, UNITS = 36, 18, 50


class CapturingForecaster(LSTMForecaster):
    """`LSTMForecaster` that keeps what its network trains on, and times it."""

    def _train_network(self, samples, target, sample_weight):
        start = time.perf_counter()
        super()._train_network(samples, target, sample_weight)
        self.train_seconds_ = time.perf_counter() - start
        self.captured_ = samples, target, sample_weight


def fit_sklstm(train, epochs):
    """The recommended single network, ``epochs`` epochs, in order (no shuffle)."""
    model = make_forecast_pipeline(
        CapturingForecaster(random_state=0, epochs=epochs, shuffle=False),
        time_step=TIME_STEP,
        output_steps=H,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        model.fit(train, train)
    return model.regressor_[-1]


def flop_per_window(n_features, n_layers=2):
    """FLOP of one window's forward pass: gates of every layer, output layer."""
    macs, width = 0, n_features
    for _ in range(n_layers):
        macs += TIME_STEP * 4 * UNITS * (width + UNITS)
        width = UNITS
    return 2 * (macs + UNITS * H)


def time_batches(samples, scaling, batch_size):
    """The Python side of an epoch: gather and scale every batch, in order."""
    start = time.perf_counter()
    for first in range(0, len(samples), batch_size):
        scaling.network_inputs(samples[first : first + batch_size])
    return time.perf_counter() - start


def keras_fit_epoch(model, inputs, target, weight, batch_size):
    """(a): one epoch of ``Model.fit`` on in-memory arrays; seconds, loss."""
    start = time.perf_counter()
    history = model.fit(
        inputs,
        target,
        sample_weight=weight,
        batch_size=batch_size,
        epochs=1,
        shuffle=False,
        verbose=0,
    )
    return time.perf_counter() - start, history.history["loss"][-1]


def step_function(model, jit_compile):
    """(b): a plain training step, the loss as ``compile`` defines it."""
    import tensorflow as tf

    optimizer = model.optimizer

    @tf.function(jit_compile=jit_compile, reduce_retracing=True)
    def step(x, y, w):
        with tf.GradientTape() as tape:
            predicted = model(x, training=True)
            loss = model.compute_loss(x=x, y=y, y_pred=predicted, sample_weight=w)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(
            zip(gradients, model.trainable_variables, strict=True)
        )
        return loss

    return step


def step_epoch(step, inputs, target, weight, batch_size, n_batches=None):
    """(b): one epoch of ``step`` over in-memory batches; seconds, mean loss.

    With ``n_batches``, only the first ones, the time scaled to the epoch.
    """
    firsts = range(0, len(inputs), batch_size)
    start, losses = time.perf_counter(), []
    for first in firsts[:n_batches]:
        part = slice(first, first + batch_size)
        losses.append(step(inputs[part], target[part], weight[part]))
    seconds = (time.perf_counter() - start) * len(firsts) / len(losses)
    return seconds, float(np.mean(losses))


def matmul_ceiling(n_windows, batch_size):
    """(c): seconds for an epoch's worth of the LSTM's matrix products, and
    the GFLOP/s of one large product."""
    import tensorflow as tf

    rng = np.random.default_rng(0)
    shapes = [(batch_size, 1 + UNITS), (batch_size, 2 * UNITS)]
    pairs = [
        (
            tf.constant(rng.normal(size=a).astype(np.float32)),
            tf.constant(rng.normal(size=(a[1], 4 * UNITS)).astype(np.float32)),
        )
        for a in shapes
    ]
    # forward, plus two products each backward: 3 per layer and time step
    repeats = 3 * TIME_STEP * -(-n_windows // batch_size)

    @tf.function
    def products(n):
        total = tf.zeros((batch_size, 4 * UNITS))
        for _ in tf.range(n):
            for a, b in pairs:
                total += tf.matmul(a, b)
        return total

    products(tf.constant(10))
    start = time.perf_counter()
    products(tf.constant(repeats))
    seconds = time.perf_counter() - start
    big = tf.constant(rng.normal(size=(2048, 2048)).astype(np.float32))
    tf.matmul(big, big).numpy()
    start = time.perf_counter()
    for _ in range(5):
        tf.matmul(big, big).numpy()
    peak = 5 * 2 * 2048**3 / (time.perf_counter() - start) / 1e9
    return seconds, peak


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, default=None)
    args = parser.parse_args()
    keras = import_keras()
    import tensorflow as tf

    train = load_panel("m3-monthly")[0]
    print("sklstm, 1 epoch ...", file=sys.stderr)
    one = fit_sklstm(train, 1)
    print("sklstm, 3 epochs ...", file=sys.stderr)
    three = fit_sklstm(train, 3)
    epoch = (three.train_seconds_ - one.train_seconds_) / 2
    print("sklstm, batches gathered one at a time, 1 and 3 epochs ...", file=sys.stderr)
    in_memory, _network.IN_MEMORY_BYTES = _network.IN_MEMORY_BYTES, 0
    gathered_epoch = fit_sklstm(train, 3).train_seconds_
    gathered_epoch = (gathered_epoch - fit_sklstm(train, 1).train_seconds_) / 2
    _network.IN_MEMORY_BYTES = in_memory
    samples, target, weight = one.captured_
    scaling, batch_size = one._scaling(), one.batch_size_
    n_steps = -(-len(target) // batch_size)
    gather = time_batches(samples, scaling, batch_size)

    start = time.perf_counter()
    inputs = _network.window_arrays(samples, scaling.network_inputs)
    make_inputs = time.perf_counter() - start
    target3 = target[:, :, None]
    weight32 = weight.astype(np.float32)
    rows = []

    def network():
        """The network sklstm started from: same seed, same initial weights."""
        return build_lstm_network(
            TIME_STEP,
            inputs.shape[2],
            units=UNITS,
            n_layers=2,
            dropout=0.2,
            optimizer="adam",
            learning_rate=one.learning_rate,
            loss=one.loss_,
            seed=0,
            zero_output=True,
            output_steps=H,
        )

    print("(a) Model.fit on arrays ...", file=sys.stderr)
    model = network()
    _, keras_loss = keras_fit_epoch(model, inputs, target3, weight32, batch_size)
    keras_seconds, _ = keras_fit_epoch(model, inputs, target3, weight32, batch_size)
    results = {"(a) keras Model.fit, in-memory arrays": keras_seconds}
    print("(a) Model.fit on arrays, LSTM not unrolled ...", file=sys.stderr)
    unroll, _network.UNROLL_STEPS = _network.UNROLL_STEPS, 0
    model = network()
    _network.UNROLL_STEPS = unroll
    keras_fit_epoch(model, inputs, target3, weight32, batch_size)  # trace
    looped, _ = keras_fit_epoch(model, inputs, target3, weight32, batch_size)
    for jit in (False, True):
        print(f"(b) tf.function step, jit_compile={jit} ...", file=sys.stderr)
        model = network()
        step = step_function(model, jit)
        # XLA is slow here: its epoch is timed on 40 batches, scaled
        n_batches = 40 if jit else None
        step_epoch(step, inputs, target3, weight32, batch_size, 2)  # trace
        seconds, _ = step_epoch(step, inputs, target3, weight32, batch_size, n_batches)
        results[f"(b) tf.function step, jit_compile={jit}"] = seconds
    print("(c) matrix products ...", file=sys.stderr)
    ceiling, peak = matmul_ceiling(len(target), batch_size)

    flop = 3 * flop_per_window(inputs.shape[2]) * len(target)
    fastest = min(results.values())
    rows.append(("sklstm epoch (LSTMForecaster, inputs made once)", epoch))
    rows.append(("  making the inputs once (`window_arrays`)", make_inputs))
    rows.append(("sklstm epoch, batches gathered one at a time", gathered_epoch))
    rows.append(("  of which gathering and scaling in Python", gather))
    rows += list(results.items())
    rows.append(("(a) the same, LSTM not unrolled", looped))
    rows.append(("(c) the epoch's matrix products alone (ceiling)", ceiling))
    lines = [
        f"Machine: {platform.machine()}, {len(__import__('os').sched_getaffinity(0))} "
        f"CPU cores, Python {platform.python_version()}, TensorFlow "
        f"{tf.__version__}, Keras {keras.__version__}.",
        f"M3 monthly: {len(target)} windows of {TIME_STEP} x {inputs.shape[2]}, "
        f"batch {batch_size}, {n_steps} steps an epoch; "
        f"{flop / 1e9:.0f} GFLOP an epoch; one 2048^3 product: {peak:.0f} GFLOP/s.",
        f"First epoch's loss from the same initial weights, in the same order: "
        f"sklstm {one.history_['loss'][0]:.6f}, (a) {keras_loss:.6f}.",
        "",
        "| path | s an epoch | ms a step | windows/s | GFLOP/s | / fastest (a), (b) |",
        "|---|---|---|---|---|---|",
    ]
    for name, seconds in rows:
        lines.append(
            f"| {name} | {seconds:.2f} | {seconds / n_steps * 1000:.1f} | "
            f"{len(target) / seconds:,.0f} | {flop / seconds / 1e9:.1f} | "
            f"{seconds / fastest:.2f} |"
        )
    text = "\n".join(lines)
    print(text)
    if args.output:
        args.output.write_text(text + "\n")


if __name__ == "__main__":
    main()
