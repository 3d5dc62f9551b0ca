"""Where the recommended call loses on a panel: mean MASE by series length,
or by how the horizon moved against the series' recent trend.

One panel and origin of ``benchmarks/panels.py`` (``--validation 1`` the last
``h`` values of the training parts, ``2`` and ``3`` those before; ``0`` the
test parts, to diagnose scores already taken, never to choose settings): the
recommended call (seed 0), its linear path, AutoETS, AutoTheta and the naive
forecast, their mean MASE over the series in each quarter of the training
lengths, or (``--by trend``) in each of three groups: the horizon's mean
level moved from the last value against the last ``h`` steps' trend
("reverses"), beyond that trend carried on to the horizon's middle
("beyond"), or within it ("within"). Run from the repository root::

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
    parser.add_argument("--validation", type=int, default=1, choices=[0, 1, 2, 3])
    parser.add_argument("--by", choices=["length", "trend"], default="length")
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
    frame["trend"] = trend_groups(train, test, h)
    frame = frame[np.isfinite(scale) & (scale > 0)]
    groups = frame["trend"]
    if args.by == "length":
        groups = pd.qcut(frame["length"], 4, duplicates="drop")
    frame = frame.drop(columns=["length", "trend"])
    table = frame.groupby(groups, observed=True).mean()
    table.insert(0, "series", frame.groupby(groups, observed=True).size())
    table.loc["all"] = [len(frame), *frame.mean()]
    print(f"{args.panel}, {part_name(args.validation)}, seed 0", file=sys.stderr)
    print(f"| {args.by} | " + " | ".join(table.columns) + " |")
    print("|" + "---|" * (1 + len(table.columns)))
    for label, row in table.iterrows():
        cells = [f"{row['series']:.0f}"] + [f"{v:.3f}" for v in row.iloc[1:]]
        print(f"| {label} | " + " | ".join(cells) + " |")


def trend_groups(train, test, h):
    """Each series' horizon against its recent trend: "reverses" (its mean
    level moved from the last value against the trend of the last ``h``
    steps), "beyond" (with it, further than that trend carried on to the
    horizon's middle) or "within"."""
    values = [column.dropna().to_numpy() for _, column in train.items()]
    last = np.array([v[-1] for v in values])
    trend = np.array([(v[-1] - v[-1 - h]) if len(v) > h else 0.0 for v in values])
    trend *= (h + 1) / (2 * h)  # per step, carried on to the horizon's middle
    moved = test.to_numpy().mean(axis=0) - last
    beyond = np.where(np.abs(moved) > np.abs(trend), "beyond", "within")
    return np.where(np.sign(moved) * np.sign(trend) < 0, "reverses", beyond)


if __name__ == "__main__":
    main()
