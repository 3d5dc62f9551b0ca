"""ES-RNN's per-series level and season, learnt jointly with the network.

A probe of issue 18's first lever, not part of the library. Smyl's ES-RNN
(winner of M4) gives each series its own Holt-Winters smoothing: a level
``l_t = a y_t / s_t + (1 - a) l_(t-1)`` and multiplicative seasonal factors
``s_(t+m) = g y_t / l_t + (1 - g) s_t``, with ``a``, ``g`` and the first
season's factors parameters of each series, trained by gradient descent
together with one global LSTM. The network sees the log of a window
divided by its seasonal factors and by the level at the window's end, and
forecasts the ``h`` next values on the same footing. (The cheap version, a
classical decomposition first, was worse: benchmarks/panels.md, "Seasonal
factors".)

Here: two LSTM layers of 50 and a dense output of ``h`` steps, windows of
``1.5 h`` values (at least one season), the mean absolute error on the log
footing plus ES-RNN's penalty on the level's wiggles (50 times the mean
square of the second differences of the log level), 4,000 steps of 256
windows, each from a series drawn at random and an end drawn at random
among its windows; the smoothing runs over the whole training part of the
series drawn. ``a`` starts at 0.5 and ``g`` at 0.12, and the per-series
parameters learn ten times as fast as the network (Adam at 0.01 and
0.001). ``--footing relative`` takes each ratio less 1 in place of its
log (the forecast does not compound); ``--learn`` says which per-series
parameters are learnt: ``smoothing`` (``a`` and ``g``), ``factors`` (the
first season's), ``both`` (the default) or ``none`` (a fixed Holt-Winters
footing); ``--series-lr`` is their learning rate; ``--whole-series``
makes each step's windows every window of a few series (256 on average),
as Smyl trained, in place of one window each of 256; ``--window`` is the
window's length in horizons. A series too short for
a window gets `ThetaForecaster`'s forecast, as the call gives it. Scored
against the call's kept forecasts (``benchmarks/panels_members.py --cache
DIR``): the network alone, ES-RNN alone, and each in the call's mean with a
quarter of Theta::

    python benchmarks/esrnn_probe.py --validation 1 --cache DIR
"""

import argparse
import time
from pathlib import Path

import numpy as np
import tensorflow as tf
from panels import PANELS, load_panel
from panels_members import _mase, _share, panel_forecasts

STEPS = 4000
BATCH = 256
UNITS = 50
LEVEL_PENALTY = 50.0


class ESRNN(tf.Module):
    """Per-series smoothing parameters and one global network."""

    def __init__(self, values, h, season, window, footing="log"):
        super().__init__()
        self.relative = footing == "relative"
        n_series, self.length = values.shape
        self.h, self.season, self.window = h, season, window
        valid = np.isfinite(values)
        self.first = valid.argmax(axis=1)  # each series' first row
        first_value = values[np.arange(n_series), self.first]
        self.first_value = tf.constant(first_value, tf.float32)
        self.values = tf.constant(np.where(valid, values, 1.0), tf.float32)
        self.valid = tf.constant(valid)
        # logits of a and g: 0.5 and 0.12 at first
        self.smoothing = tf.Variable(tf.tile([[0.0, -2.0]], (n_series, 1)))
        self.log_season = tf.Variable(tf.zeros((n_series, season)))
        self.network = tf.keras.Sequential(
            [
                tf.keras.Input((window, 1)),
                tf.keras.layers.LSTM(UNITS, return_sequences=True),
                tf.keras.layers.LSTM(UNITS),
                tf.keras.layers.Dense(h),
            ]
        )

    def smooth(self, series):
        """Levels ``(n, length)`` and the factors ``(n, length + h)`` of the
        series ``series``: the factor of row ``t`` is the one in use there
        (rows past the end repeat the last season)."""
        y = tf.gather(self.values, series)
        valid = tf.gather(self.valid, series)
        ag = tf.sigmoid(tf.gather(self.smoothing, series))
        a, g = ag[:, 0], ag[:, 1]
        log_s = tf.gather(self.log_season, series)
        log_s -= tf.reduce_mean(log_s, axis=1, keepdims=True)
        factors = [tf.exp(log_s[:, k]) for k in range(self.season)]
        level = tf.gather(self.first_value, series)
        levels, used = [], []
        for t in range(self.length):
            k = t % self.season
            s = factors[k]
            new_level = a * y[:, t] / s + (1 - a) * level
            level = tf.where(valid[:, t], new_level, level)
            if self.season > 1:
                new_s = g * y[:, t] / level + (1 - g) * s
                factors[k] = tf.where(valid[:, t], new_s, s)
            levels.append(level)
            used.append(s)
        for t in range(self.length, self.length + self.h):
            used.append(factors[t % self.season])
        return tf.stack(levels, axis=1), tf.stack(used, axis=1)

    def rows(self, ends):
        """The rows of each window ending at ``ends`` and of the ``h`` values
        after it, and the rows of their factors: a value beyond one season
        ahead takes the factor of the season before it, known at the
        window's end."""
        offsets = np.arange(-self.window + 1, self.h + 1)
        rows = ends[:, None] + offsets[None, :]
        ahead = np.maximum(offsets, 0)
        back = np.where(ahead > 0, (ahead - 1) // self.season * self.season, 0)
        return rows, rows - back

    def footing(self, series, ends, rows, factor_rows):
        """Each window and the ``h`` values after it (`rows`) over their
        factors and the level at the window's end ``ends``: the log of that
        ratio, or with ``footing="relative"`` the ratio less 1."""
        levels, factors = self.smooth(series)
        y = tf.gather(self.values, series)
        y = tf.concat([y, tf.ones((tf.shape(y)[0], self.h))], axis=1)
        base = tf.gather(factors, factor_rows, batch_dims=1)
        base *= tf.gather(levels, ends[:, None], batch_dims=1)
        ratios = tf.gather(y, rows, batch_dims=1) / base
        ratios = ratios - 1 if self.relative else tf.math.log(ratios)
        return ratios[:, : self.window], ratios[:, self.window :], levels, factors

    def forecast(self, series):
        """The ``h`` values after the training part of ``series``."""
        ends = np.full(len(series), self.length - 1)
        rows, factor_rows = self.rows(ends)
        inputs, _, levels, factors = self.footing(series, ends, rows, factor_rows)
        out = self.network(inputs[:, :, None])
        ahead = tf.gather(factors, factor_rows[:, self.window :], batch_dims=1)
        ratios = 1 + out if self.relative else tf.exp(out)
        return (ratios * levels[:, -1:] * ahead).numpy()


def fit_esrnn(
    train,
    h,
    season,
    seed,
    steps=STEPS,
    footing="log",
    learn="both",
    series_lr=1e-2,
    whole_series=False,
    horizons=1.5,
):
    """Fit ES-RNN on a wide training frame; its forecast ``(h, n_series)``
    (NaN for a series too short for a window)."""
    tf.keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    values = train.to_numpy(dtype=float).T
    window = max(round(horizons * h), season)
    model = ESRNN(values, h, season, window, footing)
    lowest_end = model.first + window - 1
    highest_end = values.shape[1] - 1 - h
    trainable = np.nonzero(highest_end >= lowest_end)[0]
    optimizer = tf.keras.optimizers.Adam(1e-3)
    per_series = tf.keras.optimizers.Adam(series_lr)
    learnt = {
        "both": [model.smoothing, model.log_season],
        "smoothing": [model.smoothing],
        "factors": [model.log_season],
        "none": [],
    }[learn]

    @tf.function(reduce_retracing=True)
    def step(series, ends, rows, factor_rows):
        with tf.GradientTape() as tape:
            inputs, targets, levels, _ = model.footing(series, ends, rows, factor_rows)
            loss = tf.reduce_mean(tf.abs(model.network(inputs[:, :, None]) - targets))
            moves = tf.experimental.numpy.diff(tf.math.log(levels), n=2, axis=1)
            total = loss + LEVEL_PENALTY * tf.reduce_mean(tf.square(moves))
        network = model.network.trainable_variables
        gradients = tape.gradient(total, network + learnt)
        optimizer.apply_gradients(zip(gradients[: len(network)], network, strict=True))
        if learnt:
            per_series.apply_gradients(
                zip(gradients[len(network) :], learnt, strict=True)
            )
        return loss

    counts = highest_end + 1 - lowest_end[trainable]
    per_batch = max(1, round(BATCH * len(trainable) / counts.sum()))
    losses = []
    for _ in range(steps):
        if whole_series:  # every window of a few series, 256 on average
            drawn = rng.choice(len(trainable), per_batch, replace=False)
            series = np.repeat(trainable[drawn], counts[drawn])
            ends = np.concatenate(
                [np.arange(lowest_end[s], highest_end + 1) for s in trainable[drawn]]
            )
        else:
            series = rng.choice(trainable, BATCH)
            ends = rng.integers(lowest_end[series], highest_end + 1)
        rows, factor_rows = model.rows(ends)
        losses.append(float(step(series, ends, rows, factor_rows)))
    out = np.full((h, values.shape[0]), np.nan)
    long_enough = np.nonzero(values.shape[1] - model.first >= window)[0]
    for part in np.array_split(long_enough, max(1, len(long_enough) // 512)):
        out[:, part] = model.forecast(part).T
    return out, np.mean(losses[:100]), np.mean(losses[-100:])


def main():
    """Fit ES-RNN on each panel at one origin and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--validation", type=int, default=1)
    parser.add_argument("--panels", default=",".join(PANELS))
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", type=int, default=STEPS)
    parser.add_argument("--footing", choices=["log", "relative"], default="log")
    parser.add_argument(
        "--learn", choices=["both", "smoothing", "factors", "none"], default="both"
    )
    parser.add_argument("--series-lr", type=float, default=1e-2)
    parser.add_argument(
        "--whole-series", action="store_true", help="every window of a few series"
    )
    parser.add_argument("--window", type=float, default=1.5, help="in horizons")
    args = parser.parse_args()
    print(
        "| panel | the call | network alone | ES-RNN alone"
        " | ES-RNN with Theta 0.25 | ES-RNN as a fifth member | s |"
    )
    print("|---|---|---|---|---|---|---|")
    for name in args.panels.split(","):
        train, _, h, season = load_panel(name, args.validation)
        f = panel_forecasts(name, args.validation, args.cache)
        start = time.perf_counter()
        esrnn, first_loss, last_loss = fit_esrnn(
            train,
            h,
            season,
            args.seed,
            args.steps,
            args.footing,
            args.learn,
            args.series_lr,
            args.whole_series,
            args.window,
        )
        seconds = time.perf_counter() - start
        esrnn = np.where(np.isfinite(esrnn), esrnn, f["theta"])
        members = np.concatenate([f["members"], esrnn[None]])
        fifth = np.nanmean(members, axis=0)
        cells = [
            _mase(f, _share(f, f["theta"], 0.25)),
            _mase(f, f["network"]),
            _mase(f, esrnn),
            _mase(f, 0.75 * esrnn + 0.25 * f["theta"]),
            _mase(f, 0.75 * fifth + 0.25 * f["theta"]),
        ]
        print(
            f"| {name} | "
            + " | ".join(f"{c:.4f}" for c in cells)
            + f" | {seconds:.0f} (loss {first_loss:.3f} -> {last_loss:.3f}) |",
            flush=True,
        )


if __name__ == "__main__":
    main()
