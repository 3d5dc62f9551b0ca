"""Does a series move less over the horizon the longer it is at the origin?

A check of issue 18's lever "the series' age as an input": the network sees
windows only, not how long its series has run, so if the series' movement
over the horizon fell with their length, an age input could tell it that
older series (those at the test origin) move less. For every panel of the
suite, at validation origins 3, 2, 1 and the test parts (the actual values
only, no forecast): each series' drift, the mean over the horizon of
(value - last value) / MASE scale, and its length at the origin; Spearman's
rank correlation between the two, and the mean drift of the shorter and the
longer half of the series. Run from the repository root::

    python benchmarks/panels_age.py
"""

import numpy as np
from m3 import mase_scale
from panels import PANELS, load_panel, part_name
from scipy.stats import spearmanr

ORIGINS = (3, 2, 1, 0)


def age_and_drift(name, validation):
    """Each scored series' length at the origin and its drift over the horizon."""
    train, test, _, season = load_panel(name, validation)
    scale = np.asarray(mase_scale(train, season), float)
    last = train.ffill().iloc[-1].to_numpy()
    drift = ((test.to_numpy() - last) / scale).mean(axis=0)
    length = train.notna().sum().to_numpy()
    scored = np.isfinite(drift) & (scale > 0)
    return length[scored], drift[scored]


def main():
    """Print one row per panel: rank correlation and the halves' mean drift."""
    parts = [part_name(k) for k in ORIGINS]
    print("| panel | " + " | ".join(parts) + " |")
    print("|---" * (len(parts) + 1) + "|")
    for name in PANELS:
        cells = []
        for validation in ORIGINS:
            length, drift = age_and_drift(name, validation)
            rho = spearmanr(length, drift).statistic
            longer = length > np.median(length)
            shorter_half, longer_half = drift[~longer].mean(), drift[longer].mean()
            cells.append(f"{rho:+.2f}: {shorter_half:+.2f} / {longer_half:+.2f}")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
