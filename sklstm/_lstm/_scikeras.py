"""scikeras, imported once TensorFlow has been quieted (`import_keras`).

scikeras imports TensorFlow itself, which prints its C++ log lines unless
`import_keras` came first; `_forecaster` takes scikeras from here.
"""

from ._network import import_keras

import_keras()

from scikeras.utils.random_state import tensorflow_random_state  # noqa: E402
from scikeras.wrappers import KerasRegressor  # noqa: E402

__all__ = ["KerasRegressor", "tensorflow_random_state"]
