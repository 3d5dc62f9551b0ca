"""Write the models of sklstm 0.1.0 that ``tests/test_saved_models.py`` loads.

Run once, at commit c3cd2ab (sklstm 0.1.0, before the modules moved into
``_lstm/`` and ``_cli/``), from the repository root::

    python tests/data/make_saved_models.py

It writes ``*.joblib`` models, pickled with the module paths of 0.1.0, and
``predictions_0.1.0.json``, what they predicted then. Tiny networks (one layer
of 2 units, 1 epoch): the files are a few KB and the figures mean nothing but
themselves. Do not run it again: the point is that the files were made by the
old code.
"""

import json
import subprocess
import sys
from pathlib import Path

import joblib
import pandas as pd
from sklearn.linear_model import Ridge

from sklstm import CompleteWindows, LSTMForecaster, load_airline, make_forecast_pipeline
from sklstm.forecasting import forecast

HERE = Path(__file__).parent


def two_series():
    """The airline series and a copy that starts two years later."""
    y = load_airline()
    return pd.DataFrame({"a": y, "b": y.shift(24)})


def tiny_lstm(**params):
    return LSTMForecaster(units=2, n_layers=1, epochs=1, random_state=0, **params)


def main():
    y = load_airline()
    Y = two_series()
    models = {
        "lstm_one_series": (
            make_forecast_pipeline(tiny_lstm(), time_step=12).fit(y.to_frame(), y),
            y,
        ),
        "lstm_two_series": (
            make_forecast_pipeline(tiny_lstm(), time_step=12, output_steps=2).fit(Y, Y),
            Y,
        ),
        "ridge_two_series": (
            make_forecast_pipeline(CompleteWindows(Ridge()), time_step=12).fit(Y, Y),
            Y,
        ),
    }
    predictions = {}
    for name, (model, history) in models.items():
        joblib.dump(model, HERE / f"{name}.joblib")
        X = history.to_frame() if history.ndim == 1 else history
        predictions[name] = {
            "predict_last_24": model.predict(X).reshape(len(X), -1)[-24:].tolist(),
            "forecast_6": forecast(model, history, steps=6).to_numpy().tolist(),
        }
    cli_model = HERE / "cli_forecast.joblib"
    cli_output = HERE / "cli_forecast_0.1.0.csv"
    subprocess.run(
        [
            *(sys.executable, "-m", "sklstm", "forecast"),
            *(str(Path("sklstm/datasets/airline.csv")), "--steps", "6"),
            *("--time-step", "12", "--units", "2", "--epochs", "1", "--layers", "1"),
            *("--interval-folds", "2", "--quiet", "--seed", "0"),
            *("--save-model", str(cli_model), "--output", str(cli_output)),
        ],
        check=True,
    )
    (HERE / "predictions_0.1.0.json").write_text(
        json.dumps(predictions, indent=1) + "\n"
    )


if __name__ == "__main__":
    main()
