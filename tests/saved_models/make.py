"""Write the models of this folder, saved by the running sklstm release.

``tests/test_persistence.py`` loads every ``*.joblib`` here and checks that
it gives the intervals saved beside it: a release that can no longer load
what an earlier one saved fails there. Run once per release, from the
repository root, and keep the files of earlier releases::

    python tests/saved_models/make.py
"""

from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline

import sklstm
from sklstm import (
    CompleteWindows,
    ConformalForecaster,
    NaiveForecaster,
    PanelConformalForecaster,
    WindowTransformer,
    load_airline,
    make_forecast_pipeline,
)


def models():
    """Fitted models (TensorFlow-free) and the panel they forecast."""
    y = load_airline()
    panel = pd.DataFrame({"a": y, "b": 10 * y, "c": y[::-1].to_numpy()}, index=y.index)
    one = ConformalForecaster(
        make_pipeline(WindowTransformer(12), NaiveForecaster()), max_steps=3
    ).fit(y.to_frame()[:120], y[:120])
    ridge = make_forecast_pipeline(
        CompleteWindows(Ridge()), time_step=12, output_steps=3
    )
    many = PanelConformalForecaster(ridge, steps=3, n_windows=3, season=12)
    return y, panel, one, many.fit(panel, panel)


def intervals(y, panel, one, many):
    """What a loaded model must give again."""
    return {
        "one": one.forecast(y[:120], 3).to_numpy(),
        "many": many.forecast(panel, 3).to_numpy(),
    }


if __name__ == "__main__":
    folder = Path(__file__).parent
    y, panel, one, many = models()
    version = sklstm.__version__
    joblib.dump({"one": one, "many": many}, folder / f"sklstm-{version}.joblib")
    np.savez(folder / f"sklstm-{version}.npz", **intervals(y, panel, one, many))
