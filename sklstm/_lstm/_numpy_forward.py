"""The trained network's forward pass in numpy: forecasts without TensorFlow.

Every call into TensorFlow costs about 0.2 ms on 2 cores before any work
(``model.predict`` about 50 ms). One window of the recipe's network (100
steps, 2 x LSTM(50), 3 million multiply-adds) takes about 0.45 ms in numpy;
the XLA-compiled Keras call takes 0.35 ms alone, but a one-row ``predict``
through it took longer (1.04 ms against 0.88 ms, interleaved in one
process), and compiling it takes about 1 s per network. A small network (12
steps, 7 units) takes 0.05 ms in numpy, 0.2 ms through XLA; a batch of
windows about as long as Keras' traced function. `NumpyForward` reads the
weights of a trained network once and computes its output for any batch of
windows, equal to Keras' to float32 rounding (``tests/test_numpy_forward.py``).

The recurrence cannot be vectorised over time, so its cost is the number of
numpy calls per step. The layers are stepped as a wavefront: at step ``s``
layer ``l`` computes time step ``s - l``, from what layer ``l - 1`` computed
at step ``s - 1``, so one matrix product per step serves every layer:

- each window's step buffer holds ``[x_s, 1, h_1, ..., h_L]`` (its input at
  step ``s``, a one for the biases, every layer's last output), and one
  matrix maps it to the gates of every layer, laid out gate by gate
  ``[i, f, o, g]``, each ``[layer 1, ..., layer L]``;
- the sigmoid gates come from the same ``tanh`` call as ``g``:
  ``sigmoid(x) = (1 + tanh(x / 2)) / 2``, the halving folded (exactly) into
  their weights;
- the cell state sits right after ``g``, so that ``[i, f] * [g, c]`` is one
  product and ``c = i g + f c`` one sum of its halves;
- each step writes the layers' outputs straight into the next step's buffer.

That is one product and seven element-wise calls per step, for every layer
together. In the ``L - 1`` steps after the last input the lower layers run
on past the window (on inputs of 0); nothing reads what they compute then.
"""

import numpy as np

BLOCK_VALUES = 2**22
"""Values of the step buffers of one block of windows (16 MB of float32):
the windows of a larger batch go through a block at a time."""

_KERAS_GATES = {"i": 0, "f": 1, "g": 2, "o": 3}  # the order of Keras' columns
_GATES = ("i", "f", "o", "g")  # ours: the sigmoid gates first


class NumpyForward:
    """The forward pass of a trained stacked LSTM, in numpy.

    It holds a copy of the weights: a network trained further needs a new
    one. `sklstm._lstm._network.numpy_forward` makes it from a Keras network.

    Parameters
    ----------
    lstm_weights : list of (kernel, recurrent_kernel, bias)
        Each LSTM layer's weights as Keras holds them: ``(n_in, 4 u)``,
        ``(u, 4 u)`` and ``(4 u,)``, gates in Keras' order ``i, f, c, o``.
    dense_kernel : ndarray of shape (u, n_outputs)
        The output layer's weights, on the last LSTM layer's output.
    dense_bias : ndarray of shape (n_outputs,)
    """

    def __init__(self, lstm_weights, dense_kernel, dense_bias):
        self.n_features = lstm_weights[0][0].shape[0]
        units = [recurrent.shape[0] for _, recurrent, _ in lstm_weights]
        # where each layer's part of a gate (or of the state) starts
        self.offsets = np.cumsum([0, *units])
        self.step_matrix = _step_matrix(lstm_weights, self.n_features, self.offsets)
        self.dense_kernel = np.asarray(dense_kernel, dtype=np.float32)
        self.dense_bias = np.asarray(dense_bias, dtype=np.float32)

    def __call__(self, windows):
        """The network's output for each window.

        Parameters
        ----------
        windows : ndarray of shape (n, n_steps, n_features)

        Returns
        -------
        output : ndarray of float32, shape (n, n_outputs)
        """
        windows = np.asarray(windows, dtype=np.float32)
        n_steps = windows.shape[1]
        row_values = (n_steps + len(self.offsets)) * self.step_matrix.shape[0]
        block = max(1, BLOCK_VALUES // row_values)
        if len(windows) <= block:
            return self._forward(windows)
        parts = [
            self._forward(windows[start : start + block])
            for start in range(0, len(windows), block)
        ]
        return np.concatenate(parts)

    def _forward(self, windows):
        """`__call__` for one block of windows."""
        n, n_steps, n_features = windows.shape
        offsets = self.offsets
        n_layers, width = len(offsets) - 1, offsets[-1]  # width: one gate, all layers
        n_waves = n_steps + n_layers - 1
        # steps[s] = [x_s, 1, h_1, ..., h_L]; the inputs past the window are 0
        steps = np.zeros((n_waves + 1, n, n_features + 1 + width), np.float32)
        steps[:n_steps, :, :n_features] = windows.transpose(1, 0, 2)
        steps[:, :, n_features] = 1
        outputs = steps[1:, :, n_features + 1 :]  # where step s writes h
        work = np.zeros((n, 5 * width), np.float32)  # [i, f, o, g, c]
        gates, sigmoid_gates = work[:, : 4 * width], work[:, : 3 * width]
        input_forget, candidate_cell = work[:, : 2 * width], work[:, 3 * width :]
        output_gate, cell = work[:, 2 * width : 3 * width], work[:, 4 * width :]
        products = np.empty((n, 2 * width), np.float32)
        new_input, kept_cell = products[:, :width], products[:, width:]
        cell_tanh = np.empty((n, width), np.float32)
        matrix = self.step_matrix
        half = np.array(0.5, np.float32)  # 0-d: cheaper for a ufunc than a scalar
        # np.dot is the faster, but writes only to a contiguous array (one row)
        product = np.dot if n == 1 else np.matmul
        tanh, multiply, add = np.tanh, np.multiply, np.add
        # the outputs as positional arguments: faster than out=
        for wave, (step, output) in enumerate(zip(steps, outputs, strict=False)):
            product(step, matrix, gates)
            tanh(gates, gates)
            multiply(sigmoid_gates, half, sigmoid_gates)
            add(sigmoid_gates, half, sigmoid_gates)
            multiply(input_forget, candidate_cell, products)
            add(new_input, kept_cell, cell)
            tanh(cell, cell_tanh)
            multiply(output_gate, cell_tanh, output)
            if wave < n_layers - 1:  # the layers above have not started yet
                cell[:, offsets[wave + 1] :] = 0
                output[:, offsets[wave + 1] :] = 0
        last = outputs[-1][:, offsets[-2] :]
        return last @ self.dense_kernel + self.dense_bias


def _step_matrix(lstm_weights, n_features, offsets):
    """The matrix from a step buffer ``[x, 1, h_1, ..., h_L]`` to the gates
    ``[i, f, o, g]`` of every layer, the sigmoid gates' columns halved.

    Layer ``l`` reads ``x`` (the first) or ``h_{l-1}``, and its own ``h_l``.
    """
    width = offsets[-1]
    matrix = np.zeros((n_features + 1 + width, 4 * width), np.float32)
    h_rows = [
        slice(n_features + 1 + start, n_features + 1 + stop)
        for start, stop in zip(offsets[:-1], offsets[1:], strict=True)
    ]
    input_rows = [slice(0, n_features), *h_rows[:-1]]
    for layer, (kernel, recurrent, bias) in enumerate(lstm_weights):
        units = recurrent.shape[0]
        for position, gate in enumerate(_GATES):
            keras_columns = slice(
                _KERAS_GATES[gate] * units, (_KERAS_GATES[gate] + 1) * units
            )
            start = position * width + offsets[layer]
            columns = slice(start, start + units)
            matrix[input_rows[layer], columns] = kernel[:, keras_columns]
            matrix[n_features, columns] = bias[keras_columns]
            matrix[h_rows[layer], columns] = recurrent[:, keras_columns]
    matrix[:, : 3 * width] *= 0.5  # sigmoid(x) = (1 + tanh(x / 2)) / 2
    return matrix
