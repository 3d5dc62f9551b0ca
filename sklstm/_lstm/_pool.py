"""Networks of discarded estimators, trained again instead of built anew.

TensorFlow keeps the traced training graph of every Keras network it has
trained for as long as the process lives (about 12 MB for a tiny LSTM; raw
``keras.Model.fit`` in a loop grows the same). A grid search fits hundreds of
networks of a few shapes, so when an `LSTMForecaster` is garbage collected its
network goes to this pool, and the next fit of the same shape takes it back,
with the weights, dropout seeds and optimizer state of a freshly built network
copied in: same results, no new graph.
"""

import threading

from ._network import build_lstm_network

MAX_IDLE = 8
"""Networks kept at most; the oldest go first."""

_idle = []  # (key, lease), oldest first
_lock = threading.Lock()


def lease_network(n_steps, n_features, **settings):
    """A network as `build_lstm_network` would build it, reused when one fits.

    Parameters
    ----------
    n_steps, n_features : int
        Shape of one input window.
    **settings
        The keyword arguments of `build_lstm_network`.

    Returns
    -------
    lease : dict
        ``"model"``: the compiled network; ``"predict"``: its traced predict
        function once someone made it (None before); ``"numpy"``: its numpy
        forward pass, a copy of its weights, once someone made it (absent
        before, and dropped when the weights change); ``"key"``: what a
        network must match to be reused. Hand it back with `return_network`.
    """
    fresh = build_lstm_network(n_steps, n_features, **settings)
    key = _key(n_steps, n_features, settings)
    with _lock:
        matches = [i for i, (k, _) in enumerate(_idle) if k == key]
        found = matches[-1] if matches else None  # the latest returned
        lease = _idle.pop(found)[1] if found is not None else None
    if lease is None:
        return {"model": fresh, "predict": None, "key": key}
    _copy_state(fresh, lease["model"])
    lease.pop("numpy", None)  # a copy of the weights it had
    return lease


def return_network(lease):
    """Take back a network whose estimator is gone (or fits a new one)."""
    with _lock:
        _idle.append((lease["key"], lease))
        del _idle[:-MAX_IDLE]


def _key(n_steps, n_features, settings):
    """What the traced graph depends on: shapes, layers, rates, loss, optimizer.

    Initial weights and seeds are copied in, so they are not part of it.
    """
    optimizer = settings["optimizer"]
    if not isinstance(optimizer, str):
        config = sorted(optimizer.get_config().items())
        optimizer = (type(optimizer).__name__, repr(config))
    return (
        n_steps,
        n_features,
        settings["units"],
        settings["n_layers"],
        settings["dropout"],
        optimizer,
        settings["learning_rate"],
        settings["loss"],
        settings["output_steps"],
    )


def _copy_state(fresh, model):
    """Give ``model`` the weights, seed states and optimizer state of ``fresh``."""
    for source, target in zip(fresh.variables, model.variables, strict=True):
        target.assign(source.value)
    if model.optimizer.built:
        fresh.optimizer.build(fresh.trainable_variables)
        pairs = zip(fresh.optimizer.variables, model.optimizer.variables, strict=True)
        for source, target in pairs:
            target.assign(source.value)
