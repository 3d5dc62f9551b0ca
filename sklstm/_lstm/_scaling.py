"""What the LSTM learns: the linear path's residual, scaled, and its inputs.

With ``linear_path``, a ridge autoregression (`RidgeAutoregression`) is fitted
on the windows in closed form and the network learns what it leaves, divided
by each window's spread (with ``window_norm``), centred and scaled; without,
the network learns ``y`` min-max scaled, as the recipe does. With
``window_norm`` the network also sees each window relative to its last step,
over its spread, scaled per feature. `ResidualScaling` is that map, fitted in
`LSTMForecaster.fit` and undone on its forecasts.
"""

import numpy as np

from .._chunks import chunks, map_chunks
from ._linear import RidgeAutoregression

# Ridge penalties of the linear path, chosen by efficient leave-one-out: on
# min-max scaled windows a fixed alpha=1 shrinks the autoregression too much.
_LINEAR_ALPHAS = np.logspace(-6, 2, 9)


class ResidualScaling:
    """The map between the targets and the network's output and inputs.

    `LSTMForecaster` stores its parts as fitted attributes (``linear_``,
    ``target_offset_``, ``target_scale_``, ``spread_median_``,
    ``input_scale_``), which is what its pickles hold.

    Parameters
    ----------
    linear : RidgeAutoregression or None
        The linear path; None without one.
    target_offset, target_scale : float
        The network learns the target (residual) minus ``target_offset``,
        divided by ``target_scale``.
    spread_median : float or None, default=None
        Median spread of the training windows, with ``window_norm``; None
        without.
    input_scale : ndarray of shape (n_features,) or None, default=None
        Scale of the relative windows, with ``window_norm``.
    """

    def __init__(
        self, linear, target_offset, target_scale, spread_median=None, input_scale=None
    ):
        self.linear = linear
        self.target_offset, self.target_scale = target_offset, target_scale
        self.spread_median, self.input_scale = spread_median, input_scale

    @classmethod
    def fit(cls, samples, targets, sample_weight, *, linear_path, window_norm):
        """Fit the scaling; return it and the network's target.

        Parameters
        ----------
        samples : SeriesWindows or ndarray of shape (n, time_step, n_features)
            The training windows.
        targets : ndarray of shape (n,) or (n, output_steps)
            Overwritten (it can be as long as the windows); NaN where a step
            has no target.
        sample_weight : ndarray or None
        linear_path, window_norm : bool

        Returns
        -------
        scaling : ResidualScaling
        target : ndarray of float32, shaped as ``targets``
            0 where a step has no target (its weight is 0).
        """
        scaling = cls(None, 0.0, 1.0)
        if window_norm:
            scaling.spread_median = float(np.median(_window_std(samples))) or 1.0
            sums = np.zeros((2, samples.shape[2]))
            for rows in chunks(len(samples)):
                relative = scaling._relative(samples[rows])
                sums += relative.sum(axis=(0, 1)), (relative**2).sum(axis=(0, 1))
            mean, mean_square = sums / (len(samples) * samples.shape[1])
            scaling.input_scale = np.sqrt(np.maximum(mean_square - mean**2, 0)) + 1e-12
        if linear_path:
            scaling.linear = RidgeAutoregression(_LINEAR_ALPHAS).fit(
                samples, targets, sample_weight
            )
            spread = scaling._spread(samples).reshape(-1, *[1] * (targets.ndim - 1))
            targets -= scaling.linear.predict(samples).reshape(targets.shape)
            targets /= spread
            scaling.target_offset = float(np.nanmean(targets))
            scaling.target_scale = float(np.nanstd(targets)) or 1.0
        else:
            scaling.target_offset = float(np.nanmin(targets))
            scaling.target_scale = float(np.nanmax(targets) - np.nanmin(targets)) or 1.0
        targets -= scaling.target_offset
        targets /= scaling.target_scale
        return scaling, np.nan_to_num(targets, copy=False).astype(np.float32)

    def network_inputs(self, windows):
        """The LSTM's float32 input for a batch of windows: as they are, or with
        ``window_norm`` relative to their last step and scaled."""
        if self.spread_median is None:
            return windows.astype(np.float32)
        return (self._relative(windows) / self.input_scale).astype(np.float32)

    def to_target(self, samples, scaled):
        """The network's scaled output ``(n, output_steps)`` in target units
        (the windows' footing, `sklstm._panel.window_targets`)."""
        y_pred = self.target_offset + self.target_scale * scaled.astype(float)
        if self.linear is not None:
            y_pred *= self._spread(samples)[:, None]
            y_pred += self.linear.predict(samples).reshape(y_pred.shape)
        return y_pred

    def _spread(self, windows):
        """Each window's spread relative to the typical one (1 without
        ``window_norm``)."""
        if self.spread_median is None:
            return np.ones(len(windows))
        return np.maximum(_window_std(windows) / self.spread_median, 0.1)

    def _relative(self, windows):
        """Windows relative to their last step, divided by their spread."""
        return (windows - windows[:, -1:, :]) / self._spread(windows)[:, None, None]


def best_blend_weight(actual, network, weight):
    """The ``w`` in [0, 1] that minimises ``sum(weight * |actual - w * network|)``.

    That sum is piecewise linear in ``w``, with a kink at each ``actual /
    network``: its minimum is the median of those ratios weighted by
    ``weight * |network|``, clipped to [0, 1].

    Parameters
    ----------
    actual, network, weight : ndarray of the same shape
        What the network should add to the linear path, what it adds, and
        each term's weight (0 leaves it out).

    Returns
    -------
    w : float
        1.0 when no term has a positive weight and a non-zero ``network``.
    """
    weight = np.ravel(weight * np.abs(network))
    keep = weight > 0
    if not keep.any():
        return 1.0
    ratio = np.ravel(actual)[keep] / np.ravel(network)[keep]
    order = np.argsort(ratio)
    cumulative = np.cumsum(weight[keep][order])
    median = ratio[order][np.searchsorted(cumulative, cumulative[-1] / 2)]
    return float(np.clip(median, 0.0, 1.0))


def _window_std(windows):
    """Standard deviation of each window, a chunk of windows at a time."""
    return map_chunks(lambda part: part.std(axis=(1, 2)), windows)
