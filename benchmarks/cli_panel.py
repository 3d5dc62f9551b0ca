"""``sklstm forecast`` (the command line) on a panel of the development suite.

Writes the training parts of a panel at a validation origin as a wide CSV
file (monthly, quarterly or yearly dates, the series aligned at their end),
runs ``python -m sklstm forecast FILE --steps h --output OUT``, and scores the
written forecast as ``benchmarks/panels.py`` does (mean MASE), with the share
of held-out values inside the 90% intervals::

    python benchmarks/cli_panel.py m3-monthly --validation 1

The forecast should equal the library's call in ``panels.py`` at the same
origin (seed 0): the command line fits that call.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from m3 import mase_scale
from panels import PANELS, load_panel, mean_mase

from sklstm._panel_conformal import seasonal_naive

FREQUENCIES = {12: "MS", 4: "QS", 1: "YS"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("panel", choices=list(PANELS))
    parser.add_argument("--validation", type=int, default=1)
    args = parser.parse_args()
    train, test, h, season = load_panel(args.panel, args.validation)
    dates = pd.date_range(
        end="2000-01-01", periods=len(train), freq=FREQUENCIES[season], name="ds"
    )
    with tempfile.TemporaryDirectory() as folder:
        data, output = Path(folder) / "panel.csv", Path(folder) / "forecast.csv"
        train.set_axis(dates).to_csv(data)
        command = [sys.executable, "-m", "sklstm", "forecast", str(data)]
        command += ["--steps", str(h), "--output", str(output)]
        start = time.perf_counter()
        run = subprocess.run(command, capture_output=True, text=True, check=True)
        seconds = time.perf_counter() - start
        written = pd.read_csv(output, index_col="ds")
    report = [line for line in run.stdout.splitlines() if not line[:1].isspace()]
    print("\n".join(line for line in report if ":" in line and len(line) < 300))
    names = [str(name) for name in train.columns]
    forecast = written[names].set_axis(train.columns, axis=1).reset_index(drop=True)
    lower = written[[f"{name}_lower" for name in names]].to_numpy()
    upper = written[[f"{name}_upper" for name in names]].to_numpy()
    inside = (test.to_numpy() >= lower) & (test.to_numpy() <= upper)
    scale = mase_scale(train, season)
    mase = mean_mase(forecast, test, scale, seasonal_naive(train, h, season))
    print(
        f"{args.panel}, validation origin {args.validation}: mean MASE {mase:.4f}, "
        f"{inside.mean():.1%} of {inside.size} values inside the 90% intervals, "
        f"{seconds:.0f} s"
    )


if __name__ == "__main__":
    main()
