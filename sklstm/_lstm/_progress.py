"""One progress line for a long fit: epoch, loss, elapsed and time left.

Keras' own progress bar tells the time left in the current epoch; a fit of
thousands of series runs for minutes over many epochs, so `LSTMForecaster
(verbose=1)` draws this line instead, redrawn in place on stderr after each
epoch.
"""

import functools
import sys
import time

from ._network import import_keras


def epoch_progress(stream=None, label="fit"):
    """A Keras callback that redraws ``"fit: epoch 3/14, loss 0.0123, 0:41
    elapsed, about 2:03 left"`` after each epoch.

    Parameters
    ----------
    stream : file, default=None
        Where to draw; by default ``sys.stderr`` at the time of each epoch.
    label : str, default="fit"
        What the line starts with.

    Returns
    -------
    keras.callbacks.Callback
    """
    return _epoch_progress_class()(stream, label)


def describe_epoch(label, epoch, epochs, loss, elapsed):
    """The text of the line after ``epoch`` (1-based) of ``epochs``."""
    left = elapsed / epoch * (epochs - epoch)
    loss_text = "" if loss is None else f", loss {loss:.4g}"
    return (
        f"{label}: epoch {epoch}/{epochs}{loss_text}, {clock(elapsed)} elapsed, "
        f"about {clock(left)} left"
    )


def clock(seconds):
    """``"m:ss"``."""
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes}:{seconds:02d}"


@functools.cache
def _epoch_progress_class():
    keras = import_keras()

    class EpochProgress(keras.callbacks.Callback):
        def __init__(self, stream, label):
            super().__init__()
            self.stream, self.label = stream, label

        def on_train_begin(self, logs=None):
            # a fit that trains in two parts (network_weight="auto") counts once
            if not hasattr(self, "_start"):
                self._start = time.monotonic()
                self._first = None

        def on_epoch_end(self, epoch, logs=None):
            if self._first is None:
                self._first = epoch
            epochs = self.params.get("epochs") or epoch + 1
            done = epoch + 1 - self._first
            total = epochs - self._first
            elapsed = time.monotonic() - self._start
            loss = (logs or {}).get("loss")
            line = describe_epoch(self.label, done, total, loss, elapsed)
            stream = self.stream or sys.stderr
            stream.write("\r" + line + " ")
            if done == total:
                stream.write("\n")
            stream.flush()

    return EpochProgress
