"""``panels.py`` with the network trained on every window twice: as it is
and mirrored about its last value.

A probe, not part of the library. A global network learns the direction in
which a panel's series moved in the training period and carries it on
(benchmarks/panels.md, "Why the test parts differ"); trained on each window
and its mirror image (the series' own values and the targets negated, on
the windows' footing relative to the last value), it cannot learn a
direction common to the panel, only what each window's own shape says.
The training steps stay as they were (the data is twice as long, so the
batch size or the epochs follow). Works for ``level="last"`` windows
without ``sample_weight``; every argument goes to ``panels.py``::

    python benchmarks/mirror_probe.py --validation 1 --methods sklstm --seeds 0
"""

import numpy as np
from panels import main

from sklstm import LSTMForecaster
from sklstm._lstm import _forecaster


class MirroredWindows:
    """`SeriesWindows` with a sign per pair on the series' own values."""

    def __init__(self, samples, signs):
        self.samples, self.signs = samples, signs
        self.shape = samples.shape

    def __len__(self):
        return len(self.signs)

    def subset(self, index):
        return MirroredWindows(self.samples.subset(index), self.signs[index])

    def __getitem__(self, index):
        windows = self.samples[index]
        windows[:, :, 0] *= self.signs[index][:, None]
        return windows

    def level(self):
        return self.samples.level()


def _mirrored_fit_samples(self, windows, y, rows, series, *, level, horizon):
    """Every training window and its target, then their mirror images."""
    samples, targets = _fit_samples(
        self, windows, y, rows, series, level=level, horizon=horizon
    )
    assert level == "last", "windows relative to their last value only"
    twice = np.r_[np.arange(len(targets)), np.arange(len(targets))]
    signs = np.r_[np.ones(len(targets)), -np.ones(len(targets))]
    return MirroredWindows(samples.subset(twice), signs), np.r_[targets, -targets]


def _resolve_params(params, *, n_series, n_windows):
    """The batch size and epochs of twice the windows."""
    return resolve_params(params, n_series=n_series, n_windows=2 * n_windows)


_fit_samples = LSTMForecaster._fit_samples
resolve_params = _forecaster.resolve_params

if __name__ == "__main__":
    LSTMForecaster._fit_samples = _mirrored_fit_samples
    _forecaster.resolve_params = _resolve_params
    main()
