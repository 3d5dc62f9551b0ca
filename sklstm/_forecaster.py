"""Moved to `sklstm._lstm._forecaster`; kept for models pickled by sklstm 0.1.0.

Their pickles name ``sklstm._forecaster.LSTMForecaster``. Importing this
module loads TensorFlow, as `LSTMForecaster` does.
"""

from ._lstm._forecaster import LSTMForecaster

__all__ = ["LSTMForecaster"]
