"""A probe: the recommended call fitted once on the M3 and M1 panels of one
frequency together, each panel scored on its own.

Does a network that learns the movement of two competitions' periods (M1's
series end in the 1970s, M3's later) forecast better than one that learns
its own panel's? The validation origins of ``benchmarks/panels.py``
(``--validation 1,2,3``), seed 0, the call with Theta; each panel's series
keep their end at the last row. Compare with the call on each panel alone
(``benchmarks/panels_members.py``, or ``panels.py``). Run from the
repository root::

    python benchmarks/panels_pooled.py --validation 1,2,3
"""

import argparse

import pandas as pd
from m3 import mase_scale
from panels import load_panel, mean_mase, sklstm_forecasts

from sklstm._panel_conformal import seasonal_naive

FREQUENCIES = {
    "monthly": ("m3-monthly", "m1-monthly"),
    "quarterly": ("m3-quarterly", "m1-quarterly"),
    "yearly": ("m3-yearly", "m1-yearly"),
}


def main():
    """Parse the command line, fit each frequency's pooled panels, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--validation", default="1", help="comma-separated, 1-3")
    args = parser.parse_args()
    print("| panel | origin | pooled with the other competition's |\n|---|---|---|")
    for origin in (int(k) for k in args.validation.split(",")):
        for panels in FREQUENCIES.values():
            parts = {name: load_panel(name, origin) for name in panels}
            rows = max(len(train) for train, *_ in parts.values())
            pooled = pd.concat(
                [_ended_at(train, rows, name) for name, (train, *_) in parts.items()],
                axis=1,
            )
            h, season = parts[panels[0]][2:]
            full, _, _ = sklstm_forecasts(pooled, h, season, 0, {}, "auto")
            for name, (train, test, *_) in parts.items():
                ahead = full[_ended_at(train, rows, name).columns]
                ahead.columns = train.columns
                scale = mase_scale(train, season)
                fallback = seasonal_naive(train, h, season)
                score = mean_mase(ahead, test, scale, fallback)
                print(f"| {name} | {origin} | {score:.4f} |", flush=True)


def _ended_at(train, rows, name):
    """``train`` padded with NaN rows before it to ``rows`` rows, its columns
    named after the panel (M1 and M3 share series names)."""
    padded = train.reset_index(drop=True)
    padded.index += rows - len(train)
    padded = padded.reindex(range(rows))
    padded.columns = [f"{name}:{column}" for column in train.columns]
    return padded


if __name__ == "__main__":
    main()
