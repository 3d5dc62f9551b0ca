"""Coverage of the panel intervals on the monthly series of M3.

`sklstm.PanelConformalForecaster` around the recommended call,
``make_forecast_pipeline(LSTMForecaster(random_state=0), time_step="auto",
output_steps=18, combine="theta", season=12)``, with ``steps=18``,
``n_windows=1`` and ``season=12``: the last 18 months of each training part
are held out, the model fitted on the months before forecasts them, and
each error over its series' MASE scale goes to the pool of its step ahead.
The intervals are the forecast of the model fitted on the whole training
part plus or minus the pooled 90% quantile times the series' scale.

Reported: the share of the 18 x 1,428 held-out values inside the 90%
intervals, overall, by fifth of the series sorted by their scale (smallest
first), by third of the horizon, and the mean width over the scale.

* ``--validation`` (settings are judged here): the training parts' last 18
  months are the test part, as in ``m3.py --validation``;
* without it: the test parts, to be run once after the validation run.

Run from the repository root; the report goes to stdout and is appended to
``--output``::

    python benchmarks/m3_intervals.py --validation --output benchmarks/m3_intervals.md
    python benchmarks/m3_intervals.py --output benchmarks/m3_intervals.md
    python benchmarks/m3_intervals.py --validation --limit 100 --model ridge  # quick
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from m3 import load_panel  # noqa: E402

COVERAGE = 0.9
SEASON = 12


def make_model(kind, h):
    """The recommended call (or a ridge in its place, for a quick check) in
    a `PanelConformalForecaster`."""
    from sklearn.linear_model import Ridge

    from sklstm import (
        CompleteWindows,
        LSTMForecaster,
        PanelConformalForecaster,
        make_forecast_pipeline,
    )

    regressor = LSTMForecaster(random_state=0) if kind == "lstm" else None
    regressor = regressor or CompleteWindows(Ridge())
    pipeline = make_forecast_pipeline(
        regressor, time_step="auto", output_steps=h, combine="theta", season=SEASON
    )
    return PanelConformalForecaster(
        pipeline, coverage=COVERAGE, steps=h, n_windows=1, season=SEASON
    )


def coverage_table(ahead, test, scales):
    """Coverage by fifth of the series sorted by scale, and overall.

    Parameters
    ----------
    ahead : DataFrame
        `PanelConformalForecaster.forecast` output.
    test : DataFrame of shape (h, n_series)
    scales : ndarray of shape (n_series,)

    Returns
    -------
    table : DataFrame
    """
    actual = test.to_numpy(float)
    lower = ahead["lower"].to_numpy(float)
    upper = ahead["upper"].to_numpy(float)
    inside = (actual >= lower) & (actual <= upper)
    width = (upper - lower) / scales
    fifth = pd.qcut(np.argsort(np.argsort(scales)), 5, labels=False)
    rows = []
    for label, columns in [
        *((f"fifth {i + 1} of scale", fifth == i) for i in range(5)),
        ("all series", np.ones(len(scales), bool)),
    ]:
        rows.append(
            {
                "series": label,
                "n": int(columns.sum()),
                "scale from": f"{scales[columns].min():.4g}",
                "scale to": f"{scales[columns].max():.4g}",
                "coverage": inside[:, columns].mean(),
                "steps 1-6": inside[:6, columns].mean(),
                "steps 7-12": inside[6:12, columns].mean(),
                "steps 13-18": inside[12:, columns].mean(),
                "mean width / scale": width[:, columns].mean(),
            }
        )
    return pd.DataFrame(rows)


def markdown(table):
    """A DataFrame as a markdown table, floats with 3 decimals."""
    cells = table.map(lambda v: f"{v:.3f}" if isinstance(v, float) else str(v))
    lines = [list(table.columns), ["---"] * table.shape[1], *cells.to_numpy().tolist()]
    return "\n".join("| " + " | ".join(map(str, line)) + " |" for line in lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--validation", action="store_true")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--model", choices=["lstm", "ridge"], default="lstm")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)

    train, test, h = load_panel("m3", validation=args.validation, limit=args.limit)
    model = make_model(args.model, h)
    start = time.monotonic()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # named in the report
        model.fit(train, train)
    ahead = model.forecast(train, h)
    seconds = time.monotonic() - start
    table = coverage_table(ahead, test, model.scales_)
    part = "validation months (last 18 of x)" if args.validation else "test parts (xx)"
    lines = [
        f"## {args.model}, M3 monthly, {part}, {train.shape[1]} series",
        "",
        f"`python benchmarks/m3_intervals.py {' '.join(argv or sys.argv[1:])}`: "
        f"{COVERAGE:.0%} intervals, fit (2 fits) and forecast in {seconds:.0f} s; "
        f"{len(model.season_naive_)} series too short for a window forecast by "
        "the seasonal naive method; pooled quantiles of |error| / scale at "
        "steps 1, 6, 12, 18: "
        + ", ".join(f"{q:.2f}" for q in model.quantiles()[[0, 5, 11, 17]])
        + f" ({len(model.scores_[0])} held-out errors a step).",
        "",
        markdown(table),
        "",
    ]
    report = "\n".join(lines)
    print(report, flush=True)
    if args.output:
        with open(args.output, "a") as file:
            file.write(report + "\n")


if __name__ == "__main__":
    main()
