"""The Keras callbacks of a fit: early stopping, and the network's weights
averaged over its last epochs (stochastic weight averaging, Izmailov et al.,
2018)."""

import functools

import numpy as np

from ._network import import_keras


def early_stopping(patience):
    """A Keras callback that stops when the validation loss has not improved
    for ``patience`` epochs and restores the best weights.

    Parameters
    ----------
    patience : int

    Returns
    -------
    keras.callbacks.Callback
    """
    keras = import_keras()
    return keras.callbacks.EarlyStopping(patience=patience, restore_best_weights=True)


def weight_averaging(first_epoch):
    """A Keras callback that ends training with the mean of the trainable
    weights at the end of every epoch from ``first_epoch`` (0-based, as Keras
    counts) on.

    Parameters
    ----------
    first_epoch : int
        The first epoch whose weights enter the mean.

    Returns
    -------
    keras.callbacks.Callback
    """
    return _weight_averaging_class()(first_epoch)


@functools.cache
def _weight_averaging_class():
    """The callback class of `weight_averaging`, defined once Keras is imported."""
    keras = import_keras()

    class WeightAveraging(keras.callbacks.Callback):
        def __init__(self, first_epoch):
            super().__init__()
            self.first_epoch = first_epoch
            self.sums, self.count = None, 0

        def on_epoch_end(self, epoch, logs=None):
            if epoch < self.first_epoch:
                return
            variables = self.model.trainable_variables
            values = [np.asarray(v.numpy(), np.float64) for v in variables]
            if self.sums is None:
                self.sums = values
            else:
                self.sums = [s + v for s, v in zip(self.sums, values, strict=True)]
            self.count += 1

        def on_train_end(self, logs=None):
            if self.count:
                variables = self.model.trainable_variables
                for variable, total in zip(variables, self.sums, strict=True):
                    variable.assign((total / self.count).astype(variable.dtype))

    return WeightAveraging
