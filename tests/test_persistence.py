"""A fitted pipeline saved with joblib predicts the same in a fresh process."""

import subprocess
import sys
import textwrap

import numpy as np

FIT_AND_SAVE = """
import joblib, numpy as np, sys
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler
from sklstm import LSTMForecaster, WindowTransformer, load_airline
y = load_airline().to_numpy()
pipe = make_pipeline(MinMaxScaler(), WindowTransformer(12),
                     LSTMForecaster(units=4, n_layers=1, epochs=2, random_state=0))
pipe.fit(y[:100].reshape(-1, 1), y[:100])
joblib.dump(pipe, sys.argv[1])
np.save(sys.argv[2], pipe.predict(y[100:].reshape(-1, 1)))
"""

LOAD_AND_PREDICT = """
import joblib, numpy as np, sys
from sklstm import load_airline
y = load_airline().to_numpy()
np.save(sys.argv[2], joblib.load(sys.argv[1]).predict(y[100:].reshape(-1, 1)))
"""


def run(script, *args):
    subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *map(str, args)], check=True
    )


def test_same_predictions_across_processes_and_after_loading(tmp_path):
    model = tmp_path / "pipe.joblib"
    run(FIT_AND_SAVE, model, tmp_path / "fitted.npy")
    run(FIT_AND_SAVE, tmp_path / "again.joblib", tmp_path / "refitted.npy")
    run(LOAD_AND_PREDICT, model, tmp_path / "loaded.npy")
    fitted = np.load(tmp_path / "fitted.npy")
    assert np.isfinite(fitted).all()
    np.testing.assert_array_equal(np.load(tmp_path / "refitted.npy"), fitted)
    np.testing.assert_array_equal(np.load(tmp_path / "loaded.npy"), fitted)
