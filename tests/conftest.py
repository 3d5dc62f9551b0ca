"""Shared test data and the small settings that keep the suite fast."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

# A network small enough to train in about a second on 2 CPU cores.
TINY_LSTM = dict(units=4, n_layers=1, epochs=2, batch_size=16, random_state=0)


def read_shared_series(name):
    """A series of ../shared/data as a float Series with its ``ds`` index."""
    path = SHARED_DATA / f"{name}.csv"
    if not path.exists():
        pytest.skip(f"{path} is not here (tests read ../shared/data)")
    frame = pd.read_csv(path)
    return pd.Series(frame["y"].to_numpy(float), index=frame["ds"], name=name)


@pytest.fixture
def sine():
    """A noisy sine wave of 120 points as (X, y): X one column, y the same series."""
    rng = np.random.default_rng(0)
    y = np.sin(np.arange(120) / 4) + 0.05 * rng.standard_normal(120)
    return y.reshape(-1, 1), y
