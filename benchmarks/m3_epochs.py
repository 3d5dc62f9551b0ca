"""Score the recommended many-series model after every epoch of one fit.

Fits ``make_forecast_pipeline(LSTMForecaster(random_state=0, **PARAMS),
time_step=36, output_steps=18)`` on M3's monthly panel once, keeps the
network's weights after every epoch, and prints one JSON line with the mean
MASE over the series the model forecasts (``own``) after each epoch, and after
averaging the weights of the last 3 and 5 epochs. Shows how much the score
moves from one epoch to the next, which a single end point cannot.

Run from the repository root::

    python benchmarks/m3_epochs.py NAME validation|test [key=value ...]

``key=value`` as in `m3_levers.py`; ``weights=even`` weighs every series the
same (1 / its number of windows); ``ema=0.999`` trains with Adam keeping an
exponential moving average of the weights (scored after each epoch too).
Lines are appended to ``benchmarks/m3_epochs.jsonl``.
"""

import json
import sys
import time
import warnings
from pathlib import Path

import keras
import numpy as np
from m3 import load_panel, seasonal_naive
from m3_levers import even_weights, scores

from sklstm import LSTMForecaster, make_forecast_pipeline
from sklstm.forecasting import forecast

RESULTS = Path(__file__).with_name("m3_epochs.jsonl")


def main(name, mode, *settings):
    params = {key: json.loads(value) for key, value in (s.split("=") for s in settings)}
    ema = params.pop("ema", None)
    weights = params.pop("weights", None)
    if ema is not None:
        params["optimizer"] = keras.optimizers.Adam(use_ema=True, ema_momentum=ema)
    train, test, h = load_panel("m3", validation=mode == "validation")
    time_step = params.pop("time_step", 36)
    model = make_forecast_pipeline(
        LSTMForecaster(random_state=0, **params), time_step=time_step, output_steps=h
    )
    snapshots = []
    original = LSTMForecaster._initialize_callbacks

    def with_snapshots(self):
        original(self)

        def keep(epoch, logs):
            net = self.model_
            snapshots.append([v.numpy() for v in net.trainable_variables])
            if ema is not None:
                averages = net.optimizer._model_variables_moving_average
                snapshots[-1] = (snapshots[-1], [v.numpy() for v in averages])

        self._fit_callbacks.append(keras.callbacks.LambdaCallback(on_epoch_end=keep))

    LSTMForecaster._initialize_callbacks = with_snapshots
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # series too short
        fit_params = {}
        if weights == "even":
            fit_params["lstm__sample_weight"] = even_weights(train, time_step)
        model.fit(train, train, **fit_params)
    seconds = time.perf_counter() - start
    net = model.regressor_[-1].model_
    fallback = seasonal_naive(train, h)

    def own_mase(weights):
        for variable, value in zip(net.trainable_variables, weights, strict=True):
            variable.assign(value)
        own = scores(forecast(model, train, h), train, test, fallback)[1]
        return round(own, 4)

    raw = [s[0] if ema is not None else s for s in snapshots]
    result = dict(
        name=name,
        mode=mode,
        params={k: v for k, v in params.items() if k != "optimizer"}
        | {"ema": ema, "weights": weights},
        seconds=round(seconds, 1),
        epochs=[own_mase(w) for w in raw],
        swa3=own_mase([np.mean(ws, axis=0) for ws in zip(*raw[-3:], strict=True)]),
        swa5=own_mase([np.mean(ws, axis=0) for ws in zip(*raw[-5:], strict=True)]),
    )
    if ema is not None:
        result["ema_epochs"] = [own_mase(s[1]) for s in snapshots]
    print(json.dumps(result))
    with RESULTS.open("a") as file:
        file.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
