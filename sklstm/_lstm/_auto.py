"""Every ``"auto"`` parameter of `LSTMForecaster`, resolved from the data.

TensorFlow-free: `resolve_params` is what `LSTMForecaster.fit` calls, and a
test can call it with a dict. A new ``"auto"`` rule goes here, with the
benchmark behind it in the parameter's docstring.
"""

import math
from typing import NamedTuple

from .._level import resolve_level

TRAINING_STEPS = 8000
"""`LSTMForecaster`'s default ``training_steps``: on the development suite's
validation horizons, seeds 0 and 1, better than 5,000 on 12 of the 14
(panel, seed) pairs and level on M1 yearly (benchmarks/panels.md,
"Training steps")."""

SAVED_TRAINING_STEPS = 5000
"""The ``training_steps`` of a model saved before the parameter existed."""


class ResolvedParams(NamedTuple):
    """The values `LSTMForecaster.fit` trains with (its ``*_`` attributes)."""

    level: str
    window_norm: bool
    loss: str
    batch_size: int
    epochs: int
    average_epochs: int | None


def resolve_params(params, *, n_series, n_windows):
    """Resolve every ``"auto"`` of `LSTMForecaster` for the training data.

    Parameters
    ----------
    params : dict
        The forecaster's parameters (``get_params()``).
    n_series : int
        Series in ``y``.
    n_windows : int
        Training windows: complete (row, series) pairs with a target.

    Returns
    -------
    resolved : ResolvedParams
    """
    level = resolve_level(params["level"], n_series)
    window_norm = params["window_norm"]
    if window_norm == "auto":
        window_norm = level == "last" and params["linear_path"]
    loss = params["loss"]
    if loss == "auto":
        loss = "mean_absolute_error" if n_series > 1 else "mean_squared_error"
    batch_size = _resolve_batch_size(params["batch_size"], n_windows)
    epochs = _resolve_epochs(
        params["epochs"], -(-n_windows // batch_size), params["training_steps"]
    )
    average_epochs = params["average_epochs"]
    if average_epochs == "auto":
        several = n_series > 1 and not params["early_stopping"]
        average_epochs = max(1, round(epochs / 4)) if several else None
    return ResolvedParams(level, window_norm, loss, batch_size, epochs, average_epochs)


def _resolve_batch_size(batch_size, n_windows):
    """``"auto"``: the smallest of 32, 64, ..., 1,024 that keeps an epoch at
    400 steps or fewer (1,024 beyond)."""
    if batch_size != "auto":
        return batch_size
    doublings = max(0, math.ceil(math.log2(max(n_windows, 1) / (32 * 400))))
    return min(1024, 32 * 2**doublings)


def _resolve_epochs(epochs, steps_per_epoch, training_steps=TRAINING_STEPS):
    """``"auto"``: 20 up to ``training_steps / 20`` steps an epoch, else about
    ``training_steps`` steps."""
    if epochs != "auto":
        return epochs
    return min(20, max(1, round(training_steps / steps_per_epoch)))
