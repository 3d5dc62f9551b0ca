"""Fuzz: malformed input ends in a result without NaN forecasts, or in a clean
ValueError/TypeError; never another exception, a crash or a hang.

Derandomized (the same examples every run). Input read-only checks are in
tests/test_pipeline.py.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sklstm import LSTMForecaster, WindowTransformer

from .conftest import TINY_LSTM

FUZZ = settings(
    derandomize=True,
    deadline=None,
    max_examples=80,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

DTYPES = [float, np.float32, int, bool, complex, object, str, "datetime64[s]"]
SPECIAL = [np.nan, np.inf, -np.inf, 1e300, -1e300, 0.0, 1e-300]


@st.composite
def malformed(draw, n_columns=1):
    """Arrays of odd shapes, dtypes and values, lists, None, pandas objects."""
    kind = draw(st.sampled_from(["array", "list", "none", "frame", "series"]))
    if kind == "none":
        return None
    n_rows = draw(st.integers(0, 30))
    ndim = draw(st.sampled_from([2, 2, 2, 1, 3]))
    columns = draw(st.sampled_from([n_columns, n_columns, 0, n_columns + 1]))
    shape = {1: (n_rows,), 2: (n_rows, columns), 3: (n_rows, columns, 2)}[ndim]
    seed = draw(st.integers(0, 2**16))
    values = np.random.default_rng(seed).normal(size=shape)
    if values.size and draw(st.booleans()):
        flat = values.reshape(-1)
        for _ in range(draw(st.integers(1, 3))):
            flat[draw(st.integers(0, flat.size - 1))] = draw(st.sampled_from(SPECIAL))
    dtype = draw(st.sampled_from(DTYPES))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # casting NaN/inf to int and the like
        values = values.astype(dtype)
    if kind == "list":
        return values.tolist()
    if kind == "series" and ndim == 1:
        return pd.Series(values, index=_odd_index(draw, n_rows))
    if kind == "frame" and ndim == 2:
        return pd.DataFrame(values, index=_odd_index(draw, n_rows))
    return values


def _odd_index(draw, n_rows):
    dates = pd.date_range("2000-01-01", periods=n_rows, freq="D")
    return draw(
        st.sampled_from(
            [
                pd.RangeIndex(n_rows),
                dates,
                dates[::-1],
                dates[[0] * min(n_rows, 1) + list(range(n_rows - 1))][:n_rows],
                pd.Index([f"r{i}" for i in range(n_rows)]),
            ]
        )
    )


def call_cleanly(method, *args):
    """Run ``method``; a ValueError or TypeError is a clean refusal (None)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return method(*args)
    except (ValueError, TypeError) as error:
        assert "Traceback" not in str(error)
        assert not type(error).__module__.startswith(("tensorflow", "keras"))
        return None


@pytest.fixture(scope="module")
def window():
    return WindowTransformer(3).fit(np.arange(10.0).reshape(-1, 1))


@pytest.fixture(scope="module")
def forecaster():
    y = np.sin(np.arange(30) / 3)
    windows = WindowTransformer(3).fit_transform(y.reshape(-1, 1))
    return LSTMForecaster(**TINY_LSTM).fit(windows, y)


@FUZZ
@given(X=malformed(), refit=st.booleans())
def test_window_transformer_fit_and_transform(window, X, refit):
    if refit:
        windows = call_cleanly(WindowTransformer(3).fit_transform, X)
    else:
        windows = call_cleanly(window.transform, X)
    if windows is not None:
        assert windows.shape == (len(X), 3)
        assert np.isfinite(windows[~np.isnan(windows).any(axis=1)]).all()


@FUZZ
@given(X=malformed(n_columns=3))
def test_forecaster_predict(forecaster, X):
    y_pred = call_cleanly(forecaster.predict, X)
    if y_pred is not None:
        complete = ~np.isnan(np.asarray(X, dtype=float).reshape(len(X), -1)).any(axis=1)
        assert y_pred.shape == (len(X),)
        assert np.isfinite(y_pred[complete]).all()


@settings(FUZZ, max_examples=60)
@given(X=malformed(n_columns=3), y=malformed(n_columns=1))
def test_forecaster_fit_refuses_before_keras(X, y):
    """Every malformed pair is refused in validation, before a network is
    built (the estimator has no model_ afterwards)."""
    forecaster = LSTMForecaster(**TINY_LSTM)
    if isinstance(y, np.ndarray) and y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    try:
        valid = np.asarray(X, dtype=float).ndim in (2, 3) and len(X) >= 3
        valid = valid and np.isfinite(np.asarray(y, dtype=float)).all()
        valid = valid and np.abs(np.asarray(X, dtype=float)).max() < 1e30
    except (TypeError, ValueError):
        valid = False
    if valid and len(y) == len(X) and np.asarray(y).dtype.kind in "fiu":
        return  # well-formed: trained in test_forecaster_fit_trains_or_refuses
    assert call_cleanly(forecaster.fit, X, y) is None
    assert not hasattr(forecaster, "model_")


@pytest.mark.parametrize(
    "X, y",
    [
        (np.full((12, 3), 1e29), np.arange(12.0)),
        (np.arange(36.0).reshape(12, 3), np.full(12, -1e29)),
        (
            pd.DataFrame(np.ones((12, 3)), index=[f"r{i}" for i in range(12)]),
            list(range(12)),
        ),
    ],
    ids=["huge X", "huge y", "odd index and list"],
)
def test_forecaster_fit_trains_or_refuses(X, y):
    """A handful of well-formed but odd inputs train, with finite forecasts."""
    forecaster = LSTMForecaster(**TINY_LSTM)
    assert call_cleanly(forecaster.fit, X, y) is not None, "refused good input"
    assert np.isfinite(forecaster.predict(X)).all()
