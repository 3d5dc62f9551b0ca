"""How the recommended call's time splits on one panel of the development
suite: the Theta method, each lookback member's fit, the forecasts.

The members are fitted one by one as `LookbackEnsemble.fit` fits them
(clones sharing the call's ``training_steps``), on the training parts of
the panel (``--validation K``: those of origin K; 0, the default, the
whole training parts, what the 5-minute target times). Run from the
repository root::

    python benchmarks/panel_time.py m3-monthly
"""

import argparse
import time
import warnings

from panels import PANELS, load_panel
from sklearn.base import clone

from sklstm import (
    LSTMForecaster,
    ThetaForecaster,
    TooFewWindowsError,
    make_forecast_pipeline,
)
from sklstm.forecasting import forecast


def main():
    """Parse the command line, time each part, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("panel", choices=list(PANELS))
    parser.add_argument("--validation", type=int, default=0, choices=[0, 1, 2, 3])
    args = parser.parse_args()
    train, _, h, season = load_panel(args.panel, args.validation)
    call = make_forecast_pipeline(
        LSTMForecaster(random_state=0),
        time_step="auto",
        output_steps=h,
        combine="theta",
        season=season,
    )
    ensemble = call.estimator
    rows = []
    theta = ThetaForecaster(season=season, output_steps=h)
    rows.append(("Theta method, fit", timed(theta.fit, train, train), ""))
    members = []
    for step in ensemble.time_steps:
        member = clone(ensemble.estimator).set_params(**{ensemble.param: step})
        start = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # the too-short series
                member.fit(train, train)
        except TooFewWindowsError:
            note = "left out: too long for the series"
        else:
            lstm = member.regressor_[-1]
            note = f"{lstm.epochs_} epochs of batch {lstm.batch_size_}"
            members.append(member)
        seconds = time.perf_counter() - start
        rows.append((f"member time_step={step}, fit", seconds, note))
    for model in (theta, *members):
        rows.append(
            ("forecast, " + name_of(model), timed(forecast, model, train, h), "")
        )
    total = sum(seconds for _, seconds, _ in rows)
    print(f"{args.panel}, {train.shape[1]} series, h={h}: {total:.1f} s in all")
    print("| part | seconds | share | |\n|---|---|---|---|")
    for part, seconds, note in rows:
        print(f"| {part} | {seconds:.1f} | {seconds / total:.0%} | {note} |")


def timed(function, *args):
    """Seconds that ``function(*args)`` takes."""
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def name_of(model):
    """The Theta method, or a member by its window length."""
    if isinstance(model, ThetaForecaster):
        return "Theta method"
    return f"member time_step={model.regressor_['window'].time_step}"


if __name__ == "__main__":
    main()
