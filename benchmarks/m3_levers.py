"""One lever of the recommended many-series model, with and without.

Fits ``make_forecast_pipeline(LSTMForecaster(random_state=0, **PARAMS),
time_step=36, output_steps=18)`` on M3's monthly panel (`m3.load_panel`),
forecasts 18 months and prints one JSON line: the mean MASE over every
series (the seasonal naive forecast stands in for the series shorter than a
window and a target), over the series the model forecast itself
(``own_mase``) and over the series with at least 66 values (``long_mase``:
the same series for every ``time_step`` up to 48), over those with 36 to 65
values (``short_mase``), sMAPE, fit time, the
resolved epochs and batch size, the training loss every 4th epoch, and the
same figures for the fitted model's linear path alone (the network's output
scaled to 0). Settings are chosen in ``validation`` mode (the last 18 months
of each training part).

Run from the repository root::

    python benchmarks/m3_levers.py NAME validation|test [key=value ...]

``key=value`` are `LSTMForecaster` parameters (JSON values: ``epochs=10``,
``level='"absolute"'``), or ``output_steps=1`` (recursive, one step at a
time), ``time_step=24`` (36 otherwise), ``seeds=3`` (the mean forecast of
seeds 0, 1, 2; ``own_mase_by_seed`` has each seed's own), ``weights=mase``
(each series weighted by 1 / its mean absolute seasonal difference, on the
scaled series), ``weights=even`` (each series weighted by 1 / its number of
windows: every series weighs the same).
Lines are appended to ``benchmarks/m3_levers.jsonl``.
"""

import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from m3 import load_panel, mase_scale, score, seasonal_naive
from sklearn.base import clone
from sklearn.preprocessing import MinMaxScaler

from sklstm import LSTMForecaster, VarianceStabilizer, make_forecast_pipeline
from sklstm.forecasting import forecast

RESULTS = Path(__file__).with_name("m3_levers.jsonl")
LONG = 48 + 18  # values of a series with a window and 18 targets at time_step 48


def series_weights(train):
    """1 / each series' mean absolute seasonal difference, scaled as the
    pipeline scales it, broadcast to the panel; mean 1."""
    scaled = MinMaxScaler().fit_transform(VarianceStabilizer().fit_transform(train))
    weight = 1 / np.nanmean(np.abs(scaled[12:] - scaled[:-12]), axis=0)
    return np.broadcast_to(weight / np.nanmean(weight), train.shape)


def even_weights(train, time_step):
    """1 / each series' number of windows, broadcast to the panel; mean 1
    over the windows, so every series weighs the same in the loss."""
    count = np.maximum(train.notna().sum().to_numpy() - time_step, 1)
    weight = 1 / count
    return np.broadcast_to(weight / np.average(weight, weights=count), train.shape)


def scores(ahead, train, test, fallback):
    """Mean MASE over all series, over those forecast, over those long
    enough for every window tried (`LONG`) and over those shorter but with at
    least 36 values, and mean sMAPE."""
    own = ~ahead.isna().any().to_numpy()
    long = (train.notna().sum() >= LONG).to_numpy()
    short = ((train.notna().sum() >= 36) & ~long).to_numpy()
    ahead = ahead.reset_index(drop=True).where(lambda f: f.notna(), fallback)
    mase, smape = score(ahead.to_numpy(), test.to_numpy(), mase_scale(train))
    return (
        float(np.nanmean(mase)),
        float(np.nanmean(mase[own])),
        float(np.nanmean(mase[long])),
        float(np.nanmean(mase[short])),
        float(smape.mean()),
    )


def main(name, mode, *settings):
    params = {key: json.loads(value) for key, value in (s.split("=") for s in settings)}
    seeds = params.pop("seeds", 1)
    weights = params.pop("weights", None)
    train, test, h = load_panel("m3", validation=mode == "validation")
    output_steps = params.pop("output_steps", h)
    time_step = params.pop("time_step", 36)
    model = make_forecast_pipeline(
        LSTMForecaster(random_state=0, **params),
        time_step=time_step,
        output_steps=output_steps,
    )
    fit_params = {}
    if weights == "mase":
        fit_params["lstm__sample_weight"] = series_weights(train)
    if weights == "even":
        fit_params["lstm__sample_weight"] = even_weights(train, time_step)
    start = time.perf_counter()
    forecasts = []
    for seed in range(seeds):
        fitted = clone(model).set_params(regressor__lstm__random_state=seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # series too short
            fitted.fit(train, train, **fit_params)
        forecasts.append(forecast(fitted, train, h))
    seconds = time.perf_counter() - start
    fallback = seasonal_naive(train, h)
    mase, own_mase, long_mase, short_mase, smape = scores(
        sum(forecasts) / seeds, train, test, fallback
    )
    own_by_seed = [scores(f, train, test, fallback)[1] for f in forecasts]
    lstm = fitted.regressor_[-1]
    lstm.target_scale_ = lstm.target_offset_ = 0.0  # the linear path alone
    linear, linear_own, linear_long, linear_short, linear_smape = scores(
        forecast(fitted, train, h), train, test, fallback
    )
    result = dict(
        name=name,
        mode=mode,
        params=params | {"seeds": seeds, "weights": weights, "time_step": time_step},
        mase=round(mase, 4),
        own_mase=round(own_mase, 4),
        long_mase=round(long_mase, 4),
        short_mase=round(short_mase, 4),
        own_mase_by_seed=[round(x, 4) for x in own_by_seed],
        smape=round(smape, 2),
        seconds=round(seconds, 1),
        epochs=lstm.epochs_,
        batch=lstm.batch_size_,
        loss=[round(x, 4) for x in lstm.history_["loss"][::4]],
        linear_mase=round(linear, 4),
        linear_own_mase=round(linear_own, 4),
        linear_long_mase=round(linear_long, 4),
        linear_short_mase=round(linear_short, 4),
        linear_smape=round(linear_smape, 2),
    )
    print(json.dumps(result))
    with RESULTS.open("a") as file:
        file.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
