"""The LSTM forecaster and its Keras backend: the one door to TensorFlow.

Only `sklstm._lstm._forecaster` (scikeras) and the modules it uses for the
network (`_network`, `_pool`, `_callbacks`) import TensorFlow, Keras or
scikeras, and only when `sklstm.LSTMForecaster` is first used. The numpy
parts are TensorFlow-free and importable on their own: `_auto` resolves every
``"auto"`` parameter from the data, `_scaling` and `_linear` are the residual
scaling and the linear path, `_threads` sizes TensorFlow's thread pools.
This ``__init__`` imports nothing, so that importing those stays light.
"""
