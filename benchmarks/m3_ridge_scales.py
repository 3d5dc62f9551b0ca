"""What a global ridge's windows are divided by, on M3's validation months.

One ``RidgeCV(alphas=logspace(-6, 3, 10))`` per step ahead (18) on the windows
of 36 values of every series, each window and its targets taken relative to
the window's last value and divided by a scale: the series' range, its
standard deviation, its mean absolute first or seasonal difference (each on
its whole training part), or the window's own standard deviation or mean
absolute difference. Values are those of the pipeline before the windows
(`VarianceStabilizer`), forecasts are transformed back. Series shorter than
a window and a target get the seasonal naive forecast. Prints the mean MASE
over every series, over the series forecast by the ridge, and the mean
sMAPE. ``validation``: the last 18 months of each training part are the test
part (settings are chosen there); ``test``: the competition's test parts.

Run from the repository root::

    python benchmarks/m3_ridge_scales.py validation range,std,sdiff,wstd
"""

import sys
import warnings

import numpy as np
from m3 import load_panel, mase_scale, score, seasonal_naive
from sklearn.linear_model import RidgeCV

from sklstm import VarianceStabilizer

TIME_STEP, H = 36, 18
ALPHAS = np.logspace(-6, 3, 10)


def series_scales(values, kind):
    """One scale per series (column), from all its known values."""
    scales = []
    for column in values.T:
        v = column[~np.isnan(column)]
        scales.append(
            {
                "range": np.ptp(v),
                "std": v.std(),
                "absdiff": np.mean(np.abs(np.diff(v))),
                "sdiff": np.mean(np.abs(v[12:] - v[:-12])),
            }[kind]
        )
    return np.array(scales)


def window_scales(windows, kind):
    """One scale per window, from the window alone."""
    if kind == "wstd":
        return windows.std(axis=1, keepdims=True)
    return np.abs(np.diff(windows, axis=1)).mean(axis=1, keepdims=True)  # wabsdiff


def main(mode, kinds):
    train, test, h = load_panel("m3", validation=mode == "validation")
    stabilizer = VarianceStabilizer().fit(train)
    values = stabilizer.transform(train)
    ends = values[-TIME_STEP:].T
    own = ~np.isnan(ends).any(axis=1)
    ends = np.nan_to_num(ends)
    for kind in kinds.split(","):
        per_series = kind in ("range", "std", "absdiff", "sdiff")
        scales = series_scales(values, kind) if per_series else None
        windows, targets, window_series = [], [], []
        for j, column in enumerate(values.T):
            v = column[~np.isnan(column)]
            for t in range(TIME_STEP, len(v)):
                target = np.full(H, np.nan)
                target[: min(H, len(v) - t)] = v[t : t + H]
                windows.append(v[t - TIME_STEP : t])
                targets.append(target)
                window_series.append(j)
        windows, targets = np.array(windows), np.array(targets)
        if per_series:
            scale, end_scale = scales[window_series][:, None], scales[:, None]
        else:
            scale, end_scale = window_scales(windows, kind), window_scales(ends, kind)
        scale, end_scale = np.maximum(scale, 1e-6), np.maximum(end_scale, 1e-6)
        last, end_last = windows[:, -1:], ends[:, -1:]
        windows, targets = (windows - last) / scale, (targets - last) / scale
        relative_ends = (ends - end_last) / end_scale
        steps = np.zeros((len(ends), H))
        for s in range(H):
            known = ~np.isnan(targets[:, s])
            ridge = RidgeCV(alphas=ALPHAS).fit(windows[known], targets[known, s])
            steps[:, s] = ridge.predict(relative_ends)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # no feature names
            ahead = stabilizer.inverse_transform((steps * end_scale + end_last).T)
        ahead = np.where(own[None, :], ahead, seasonal_naive(train, h).to_numpy())
        mase, smape = score(ahead, test.to_numpy(), mase_scale(train))
        print(
            f"{kind}: MASE all {np.nanmean(mase):.4f}, own "
            f"{np.nanmean(mase[own]):.4f} ({own.sum()} series), sMAPE "
            f"{smape.mean():.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main(*sys.argv[1:])
