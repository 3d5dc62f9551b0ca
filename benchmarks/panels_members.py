"""What the forecasts of the recommended call's members say: how far each
method moves from the last value against how far the series moved, and
means of the members other than the call's, judged without a refit.

For each panel and origin of ``benchmarks/panels.py`` (``--validation 1``
the last ``h`` values of the training parts, ``2`` and ``3`` those before;
``0`` the test parts, to diagnose scores already taken, never to choose):
the call without Theta (seed 0) is fitted once and each lookback member's
forecast kept in ``--cache`` (as AutoETS's and AutoTheta's are). Printed:

* the drift: the mean over the series of (value - last value) / MASE scale
  over the horizon, of the actual values and of each method's forecasts
  (a method's mean scaled bias is its drift less the actual one);
* each lever's change of mean MASE against the call (the members' mean
  with Theta's share 0.25), and over all the (panel, origin) pairs: on how
  many it is better, its mean change and its worst;
* where origins k and k + 1 are both given, the same for choices made at
  origin k on the errors at origin k + 1 (whose horizon ends where origin
  k's training parts end): Theta's share per panel or per series, or a
  correction by each series' bias.

A series without a window gets `ThetaForecaster`'s forecast in every
network forecast, as the call gives it. Run from the repository root::

    python benchmarks/panels_members.py --validation 1,2,3 --cache DIR
"""

import argparse
import warnings
from pathlib import Path

import numpy as np
from m3 import mase_scale
from panels import (
    PANELS,
    cached,
    load_panel,
    members_of,
    part_name,
    sklstm_forecasts,
    statsforecast_forecast,
)
from scipy.stats import rankdata

from sklstm import ThetaForecaster
from sklstm.forecasting import forecast

LEVERS = {
    "median of the members": lambda f: (
        0.75 * _median(f["members"], f["theta"]) + 0.25 * f["theta"]
    ),
    "median of the members and Theta": lambda f: _median(
        np.concatenate([f["members"], f["theta"][None]]), f["theta"]
    ),
    "Theta's share 0.2": lambda f: _share(f, f["theta"], 0.2),
    "Theta's share 0.33": lambda f: _share(f, f["theta"], 0.33),
    "Theta's share 0.5": lambda f: _share(f, f["theta"], 0.5),
    "Theta's share 0.1 at step 1 to 0.4 at step h": lambda f: _share(
        f, f["theta"], np.linspace(0.1, 0.4, len(f["theta"]))[:, None]
    ),
    "static and dynamic Theta, 0.125 each": lambda f: _share(
        f, (f["theta"] + f["dynamic theta"]) / 2, 0.25
    ),
    "AutoTheta in place of Theta": lambda f: _share(f, f["AutoTheta"], 0.25),
    "0.2 Theta and 0.2 AutoETS": lambda f: _share(
        f, (f["theta"] + f["AutoETS"]) / 2, 0.4
    ),
    "Theta's share 0.5 on the shorter half of the series": lambda f: _share(
        f, f["theta"], np.where(f["length"] < np.median(f["length"]), 0.5, 0.25)
    ),
    "Theta's share 0.5 where the members disagree most (upper half)": lambda f: _share(
        f, f["theta"], np.where(_disagreement_rank(f) > 0.5, 0.5, 0.25)
    ),
    "Theta's share 0.25 to 0.5 by the members' disagreement": lambda f: _share(
        f, f["theta"], 0.25 + 0.25 * _disagreement_rank(f)
    ),
}
"""Means of other members than the call's, from the kept forecasts."""

SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)
"""Theta's shares a choice on the previous origin picks from."""

PREVIOUS = {
    "Theta's share per panel, the best at the previous origin": lambda f, g: _share(
        f,
        f["theta"],
        SHARES[np.argmin([_mase(g, _share(g, g["theta"], w)) for w in SHARES])],
    ),
    "Theta's share per series, the best at the previous origin": lambda f, g: _share(
        f, f["theta"], _best_share_per_series(f, g)
    ),
    "each series' bias at the previous origin, a quarter taken off": lambda f, g: (
        _share(f, f["theta"], 0.25) - 0.25 * _previous_bias(f, g) * f["scale"]
    ),
}
"""Choices made, per panel or per series, on the previous origin's errors
(origin k + 1's horizon ends where origin k's training parts end): what a
choice in `fit` on a held-out last horizon would make."""


def main():
    """Parse the command line, fit or load each panel's members, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--validation",
        default="1",
        help="comma-separated: 0 the test parts, k >= 1 a validation origin",
    )
    parser.add_argument("--panels", default=",".join(PANELS), help="comma-separated")
    parser.add_argument("--cache", type=Path, required=True)
    args = parser.parse_args()
    origins = [int(k) for k in args.validation.split(",")]
    panels = args.panels.split(",")
    drift_of = ("test", "network", "linear", "theta", "AutoETS", "AutoTheta")
    _row("panel", "origin", "actual", "network", "linear path", "Theta", *drift_of[4:])
    _row(*["---"] * 8)
    kept = {}
    for name in panels:
        for origin in origins:
            f = kept[name, origin] = panel_forecasts(name, origin, args.cache)
            drifts = (f"{_drift(f, f[k]):+.2f}" for k in drift_of)
            _row(name, part_name(origin), *drifts)
    changes = {lever: [] for lever in LEVERS}
    for f in kept.values():
        call = _mase(f, _share(f, f["theta"], 0.25))
        for lever, mean in LEVERS.items():
            changes[lever].append(_mase(f, mean(f)) / call - 1)
    _changes_table(changes, panels, origins)
    followed = [k for k in origins if k + 1 in origins]
    if followed:
        changes = {lever: [] for lever in PREVIOUS}
        for name in panels:
            for origin in followed:
                f, g = kept[name, origin], kept[name, origin + 1]
                call = _mase(f, _share(f, f["theta"], 0.25))
                for lever, choice in PREVIOUS.items():
                    changes[lever].append(_mase(f, choice(f, g)) / call - 1)
        _changes_table(changes, panels, followed)


def _changes_table(changes, panels, origins):
    """Print each lever's change of mean MASE per panel and origin, and how
    many pairs it is better on, its mean change and its worst."""
    print()
    origins_said = " / ".join(str(k) for k in origins)
    _row(
        f"lever (change %, origins {origins_said})", *panels, "better", "mean", "worst"
    )
    _row(*["---"] * (len(panels) + 4))
    for lever, change in changes.items():
        change = np.reshape(change, (len(panels), len(origins))) * 100
        cells = (" / ".join(f"{c:+.1f}" for c in row) for row in change)
        better = f"{np.sum(change < 0)} of {change.size}"
        _row(lever, *cells, better, f"{change.mean():+.2f}", f"{change.max():+.2f}")


def _row(*cells):
    """Print one row of a markdown table."""
    print("| " + " | ".join(cells) + " |")


def panel_forecasts(name, origin, cache):
    """The kept or fitted forecasts of one panel at one origin, as arrays of
    shape (h, n_series) (``members``: (n_members, h, n_series))."""
    train, test, h, season = load_panel(name, origin)
    part = part_name(origin)
    path = cache / f"{name}-{part}-members.npz"
    if not path.exists():
        _, linear, model = sklstm_forecasts(
            train, h, season, 0, {}, "auto", theta=False
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # the too-short series
            members = [forecast(m, train, h).to_numpy() for m in members_of(model)]
        cache.mkdir(parents=True, exist_ok=True)
        np.savez(path, members=np.stack(members), linear=linear.to_numpy())
    saved = np.load(path)
    f = {
        "members": saved["members"],
        "linear": saved["linear"],
        "test": test.to_numpy(),
    }
    for key, dynamic in (("theta", False), ("dynamic theta", True)):
        theta = ThetaForecaster(season=season, output_steps=h, dynamic=dynamic)
        f[key] = forecast(theta.fit(train, train), train, h).to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all members NaN
        f["network"] = np.nanmean(f["members"], axis=0)  # as the ensemble does
    # a series without a window: Theta's forecast, as the call gives it
    for key in ("network", "linear"):
        f[key] = np.where(np.isnan(f[key]), f["theta"], f[key])
    for method in ("AutoETS", "AutoTheta"):
        stem = f"{name}-{part}-{method}"
        frame, _ = cached(
            cache, stem, lambda m=method: statsforecast_forecast(m, train, h, season)
        )
        f[method] = frame.to_numpy()
    f["scale"] = mase_scale(train, season)
    f["series"] = list(train.columns)
    f["last"] = train.ffill().iloc[-1].to_numpy()
    f["length"] = train.notna().sum().to_numpy()
    return f


def _share(f, other, weight):
    """The members' mean with ``other``'s forecast at ``weight``."""
    return (1 - weight) * f["network"] + weight * other


def _previous_values(f, g, values):
    """``values`` of the previous origin (one per series of ``g``) for the
    series of ``f``; NaN where a series was too short for that origin."""
    where = {series: i for i, series in enumerate(g["series"])}
    found = np.array([where.get(series, -1) for series in f["series"]])
    return np.where(found >= 0, np.asarray(values, dtype=float)[found], np.nan)


def _best_share_per_series(f, g):
    """Theta's share with the least error of each series at the previous
    origin (0.25 where the series was too short for it)."""
    errors = [np.abs(_share(g, g["theta"], w) - g["test"]).mean(axis=0) for w in SHARES]
    best = np.asarray(SHARES)[np.argmin(errors, axis=0)]
    return np.nan_to_num(_previous_values(f, g, best), nan=0.25)


def _previous_bias(f, g):
    """Each series' mean scaled error of the call at the previous origin (0
    where the series was too short for it or has no scale)."""
    bias = (_share(g, g["theta"], 0.25) - g["test"]).mean(axis=0) / g["scale"]
    return np.nan_to_num(_previous_values(f, g, bias), nan=0.0, posinf=0.0, neginf=0.0)


def _disagreement_rank(f):
    """Each series' rank in [0, 1] within its panel by how much its members
    disagree: their standard deviation, its mean over the horizon over the
    series' scale (0 where one member or none has a window); 0 for a series
    the protocol does not score."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all members NaN
        spread = np.nan_to_num(np.nanstd(f["members"], axis=0)).mean(axis=0)
    scored = _scored(f)
    rank = np.zeros(len(spread))
    rank[scored] = (rankdata(spread[scored] / f["scale"][scored]) - 1) / max(
        scored.sum() - 1, 1
    )
    return rank


def _median(forecasts, theta):
    """The median over the members that have a window (Theta where none)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all members NaN
        median = np.nanmedian(forecasts, axis=0)
    return np.where(np.isnan(median), theta, median)


def _scored(f):
    """The series with a positive finite scale, which the protocol scores."""
    return np.isfinite(f["scale"]) & (f["scale"] > 0)


def _mase(f, forecast_values):
    """Mean MASE over the scored series."""
    errors = np.abs(f["test"] - forecast_values).mean(axis=0) / f["scale"]
    return errors[_scored(f)].mean()


def _drift(f, forecast_values):
    """Mean over the scored series of (value - last value) / scale."""
    moves = (forecast_values - f["last"]).mean(axis=0) / f["scale"]
    return moves[_scored(f)].mean()


if __name__ == "__main__":
    main()
