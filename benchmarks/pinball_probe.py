"""``panels.py`` with the network trained on the pinball loss at ``TAU``.

A probe of issue 18's lever list (ES-RNN trains on the pinball loss at 0.49
against a positive bias), not part of the library: the loss is registered
with Keras under the name ``pinball<TAU>`` and admitted as `LSTMForecaster`'s
``loss`` for this process only. Every other argument goes to ``panels.py``::

    python benchmarks/pinball_probe.py 0.49 --validation 1 --methods sklstm

At ``TAU`` = 0.5 the loss is half the mean absolute error, the call's own
loss for several series.
"""

import sys

from keras import ops
from keras.src.losses import ALL_OBJECTS_DICT
from panels import main
from sklearn.utils._param_validation import StrOptions

from sklstm import LSTMForecaster


def pinball(tau):
    """The pinball (quantile) loss at ``tau``, averaged over the steps."""

    def loss(y_true, y_pred):
        error = y_true - y_pred
        return ops.mean(ops.maximum(tau * error, (tau - 1) * error), axis=-1)

    return loss


if __name__ == "__main__":
    tau = float(sys.argv[1])
    name = f"pinball{tau}"
    ALL_OBJECTS_DICT[name] = pinball(tau)
    (options,) = LSTMForecaster._parameter_constraints["loss"]
    allowed = StrOptions(options.options | {name})
    LSTMForecaster._parameter_constraints["loss"] = [allowed]
    sys.argv = [sys.argv[0], *sys.argv[2:], "--param", f'loss="{name}"']
    main()
