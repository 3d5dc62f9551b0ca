"""Where the recommended call loses on a panel: mean MASE by series length.

One panel and origin of ``benchmarks/panels.py`` (``--validation 1`` the last
``h`` values of the training parts, ``2`` those before; never the test part
when choosing settings): the recommended call (seed 0), its linear path,
AutoETS, AutoTheta and the naive forecast, their mean MASE over the series
in each quarter of the training lengths. Run from the repository root::

    python benchmarks/panels_by_length.py m3-quarterly --validation 1 --cache DIR

``--cache`` is that of ``panels.py`` (the statistical forecasts are reused,
else computed and kept there).
"""

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from m3 import mase_scale
from panels import (
    PANELS,
    cached,
    load_panel,
    mase_by_series,
    part_name,
    sklstm_forecasts,
    statsforecast_forecast,
)

from sklstm._panel_conformal import seasonal_naive


def main():
    """Parse the command line, score the panel and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("panel", choices=list(PANELS))
    parser.add_argument("--validation", type=int, default=1, choices=[1, 2])
    parser.add_argument("--cache", type=Path)
    args = parser.parse_args()
    train, test, h, season = load_panel(args.panel, args.validation)
    scale = mase_scale(train, season)
    fallback = seasonal_naive(train, h, season)
    full, linear, _ = sklstm_forecasts(train, h, season, 0, {}, "auto")
    scores = {
        "sklstm": mase_by_series(full, test, scale, fallback),
        "linear path": mase_by_series(linear, test, scale, fallback),
    }
    for method in ("AutoETS", "AutoTheta"):
        forecast, _ = cached(
            args.cache,
            f"{args.panel}-{part_name(args.validation)}-{method}",
            lambda m=method: statsforecast_forecast(m, train, h, season),
        )
        scores[method] = mase_by_series(forecast, test, scale, fallback)
    scores["naive"] = mase_by_series(fallback, test, scale, fallback)
    frame = pd.DataFrame(scores)
    frame["length"] = train.notna().sum().to_numpy()
    frame = frame[np.isfinite(scale) & (scale > 0)]
    quarter = pd.qcut(frame["length"], 4, duplicates="drop")
    by_length = frame.groupby(quarter, observed=True).mean()
    by_length.insert(0, "series", frame.groupby(quarter, observed=True).size())
    by_length.loc["all"] = [len(frame), *frame.mean()]
    print(f"{args.panel}, {part_name(args.validation)}, seed 0", file=sys.stderr)
    by_length = by_length.drop(columns="length")
    print("| length | " + " | ".join(by_length.columns) + " |")
    print("|" + "---|" * (1 + len(by_length.columns)))
    for label, row in by_length.iterrows():
        cells = [f"{row['series']:.0f}"] + [f"{v:.3f}" for v in row.iloc[1:]]
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
