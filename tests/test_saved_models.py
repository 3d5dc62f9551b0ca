"""Models saved by sklstm 0.1.0 load and predict what they predicted then.

``tests/data`` holds models written by ``tests/data/make_saved_models.py`` at
commit c3cd2ab, before the modules moved into ``sklstm/_lstm/`` and
``sklstm/_cli/``; their pickles name the old module paths
(``sklstm._forecaster.LSTMForecaster``, ``sklstm._panel.SeriesUnits``...), which
the re-export shims keep importable. The figures are compared to float32
precision, that of the network.
"""

import json
import warnings
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest

from sklstm import load_airline
from sklstm.__main__ import main
from sklstm.forecasting import forecast

DATA = Path(__file__).parent / "data"
SAVED = json.loads((DATA / "predictions_0.1.0.json").read_text())


def _history(name):
    y = load_airline()
    if name.endswith("two_series"):
        return pd.DataFrame({"a": y, "b": y.shift(24)})
    return y


@pytest.mark.parametrize("name", sorted(SAVED))
def test_a_model_saved_by_0_1_0_predicts_the_same(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no InconsistentVersionWarning either
        model = joblib.load(DATA / f"{name}.joblib")
    history = _history(name)
    X = history.to_frame() if history.ndim == 1 else history
    expected = SAVED[name]
    y_pred = model.predict(X).reshape(len(X), -1)[-24:]
    np.testing.assert_allclose(y_pred, expected["predict_last_24"], rtol=1e-6)
    ahead = forecast(model, history, steps=6).to_numpy()
    np.testing.assert_allclose(ahead, expected["forecast_6"], rtol=1e-6)
    params = model.get_params()  # parameters added since have their defaults
    if "regressor__lstm__training_steps" in params:
        assert params["regressor__lstm__training_steps"] == 5000


def test_a_model_saved_by_sklstm_forecast_0_1_0_predicts_the_same(tmp_path):
    output = tmp_path / "forecast.csv"
    csv = Path(__file__).parents[1] / "sklstm" / "datasets" / "airline.csv"
    args = ["predict", "--model", str(DATA / "cli_forecast.joblib"), str(csv)]
    assert main([*args, "--steps", "6", "--quiet", "--output", str(output)]) == 0
    expected = pd.read_csv(DATA / "cli_forecast_0.1.0.csv", index_col=0)
    pd.testing.assert_frame_equal(
        pd.read_csv(output, index_col=0), expected, check_exact=False, rtol=1e-6
    )
