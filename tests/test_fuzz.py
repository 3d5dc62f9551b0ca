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


# --- many series: wide frames and long tables with the defects people have ---

PANEL_FUZZ = settings(FUZZ, max_examples=300)

WIDE_DEFECTS = [
    "duplicate name", "all NaN", "gap", "inf", "text", "bool", "object",
    "dates", "too short", "late start", "huge", "no rows", "one row", "reorder",
]  # fmt: skip
NAMED_DEFECTS = {"gap", "inf", "text", "bool", "object", "dates"}
TIME_STEP = 4


@st.composite
def wide_panels(draw):
    """A wide frame of 2 to 5 series with one to three defects; the defects
    and the series they hit."""
    n_rows = draw(st.integers(6, 30))
    n_series = draw(st.integers(2, 5))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    values = 50 + rng.normal(size=(n_rows, n_series)).cumsum(axis=0)
    names = [f"s{i}" for i in range(n_series)]
    frame = pd.DataFrame(values, columns=names)
    defects = draw(st.lists(st.sampled_from(WIDE_DEFECTS), min_size=1, max_size=3))
    first = ("all NaN", "too short", "late start")  # they blank values
    last = ("no rows", "one row")  # they drop rows
    defects = sorted(defects, key=lambda d: (d not in first) + (d in last))
    hit = set()
    for defect in defects:
        column = draw(st.integers(0, n_series - 1))
        name = frame.columns[column]
        row = draw(st.integers(2, n_rows - 2))
        if defect == "duplicate name":
            frame.columns = [*frame.columns[:-1], frame.columns[0]]
        elif frame.iloc[:, column].dtype.kind != "f":
            continue  # a column already made text, dates...
        elif defect in ("all NaN", "too short", "late start"):
            start = {"all NaN": n_rows, "too short": n_rows - 2, "late start": row}
            frame.iloc[: start[defect], column] = np.nan
        elif defect in ("gap", "inf", "huge"):
            if frame.iloc[row - 1, column] == frame.iloc[row - 1, column]:  # started
                special = {"gap": np.nan, "inf": np.inf, "huge": 1e300}[defect]
                frame.iloc[row, column] = special
                hit.add(name)
        elif defect == "text":
            frame[name] = frame[name].astype(str)
            hit.add(name)
        elif defect == "bool":
            frame[name] = frame[name] > 50
            hit.add(name)
        elif defect == "object":
            frame[name] = frame[name].astype(object)
            frame.iloc[row, column] = "n/a"
            hit.add(name)
        elif defect == "dates":
            frame[name] = pd.date_range("2000-01-01", periods=n_rows, freq="D")
            hit.add(name)
        elif defect == "no rows":
            frame = frame.iloc[:0]
        elif defect == "one row":
            frame = frame.iloc[-1:]
        elif defect == "reorder":
            frame = frame[frame.columns[::-1]]
    return frame, defects, hit


def forecast_panel(frame):
    from sklearn.linear_model import Ridge

    from sklstm import CompleteWindows, make_forecast_pipeline
    from sklstm.forecasting import forecast

    model = make_forecast_pipeline(
        CompleteWindows(Ridge()), time_step=TIME_STEP, output_steps=2
    )
    model.fit(frame, frame)
    return forecast(model, frame, steps=3)


@PANEL_FUZZ
@given(case=wide_panels())
def test_malformed_wide_panels_are_refused_naming_a_series_or_forecast(case):
    frame, defects, hit = case
    before = frame.copy()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ahead = forecast_panel(frame)
    except (ValueError, TypeError) as error:
        message = str(error)
        assert not type(error).__module__.startswith(("tensorflow", "keras", "numpy"))
        # a defect of one series is refused naming it (the first check that
        # fails may be another defect's, so one of those hit)
        if hit and not ({"duplicate name", "no rows", "one row"} & set(defects)):
            assert any(repr(name) in message for name in hit), (defects, message)
        return
    finally:
        pd.testing.assert_frame_equal(frame, before)  # input never changed
    assert not (hit & {"text", "bool", "object", "dates"}), (defects, hit)
    assert ahead.shape == (3, frame.shape[1])
    assert list(ahead.columns) == list(frame.columns)
    n_values = frame.notna().sum().to_numpy()
    finite = np.isfinite(ahead.to_numpy())
    # a series with a full last window has every forecast, one without none
    has_window = n_values >= TIME_STEP
    assert (finite.all(axis=0) | ~finite.any(axis=0)).all()
    assert (finite.all(axis=0) <= has_window).all()


LONG_DEFECTS = [
    "duplicate row", "gap", "ends early", "off grid", "text", "inf", "NaN value",
    "no id", "no date", "date before 1677", "bool", "shuffle", "no rows",
    "integer steps", "multiindex",
]  # fmt: skip
LONG_NAMED = {"duplicate row", "gap", "ends early", "off grid", "text", "inf"}


@st.composite
def long_tables(draw):
    """A long table of 1 to 4 series (some starting late) with defects."""
    from sklstm.forecasting import to_long

    n_rows = draw(st.integers(3, 15))
    n_series = draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    dates = pd.date_range("2001-01-01", periods=n_rows, freq="MS")
    wide = pd.DataFrame(
        rng.normal(size=(n_rows, n_series)),
        index=dates,
        columns=list("abcd")[:n_series],
    )
    for column in range(n_series):
        wide.iloc[: draw(st.integers(0, n_rows - 1)), column] = np.nan
    long = to_long(wide)
    defects = draw(st.lists(st.sampled_from(LONG_DEFECTS), min_size=0, max_size=2))
    hit = set()
    for defect in defects:
        if long.empty:
            break
        row = draw(st.integers(0, len(long) - 1))
        series = long.unique_id.iloc[row]
        if defect == "duplicate row":
            long = pd.concat([long, long.iloc[[row]]], ignore_index=True)
            hit.add(series)
        elif defect in ("gap", "ends early") and long.ds.dtype.kind in "Mi":
            rows = long[long.unique_id == series].sort_values("ds").index
            if len(rows) >= 3:
                long = long.drop(index=rows[1] if defect == "gap" else rows[-1])
                if (
                    defect == "gap"
                    or long.ds.max() > long.ds[long.unique_id == series].max()
                ):
                    hit.add(series)
        elif defect == "off grid":
            long.loc[long.index[row], "ds"] += pd.Timedelta(hours=5)
            hit.add(series)
        elif defect in ("text", "inf", "NaN value", "bool"):
            special = {"text": "x", "inf": np.inf, "NaN value": np.nan, "bool": True}
            long["y"] = long["y"].astype(object)
            long.loc[long.index[row], "y"] = special[defect]
            if defect in ("text", "inf"):
                hit.add(series)
        elif defect == "no id":
            long.loc[long.index[row], "unique_id"] = None
        elif defect == "no date":
            long["ds"] = long["ds"].astype(object)
            long.loc[long.index[row], "ds"] = None
        elif defect == "date before 1677":
            long["ds"] = long["ds"].astype(str)
            long.loc[long.index[row], "ds"] = "1600-01-01"
        elif defect == "shuffle":
            long = long.sample(frac=1, random_state=row)
        elif defect == "no rows":
            long = long.iloc[:0]
        elif defect == "integer steps" and long.ds.dtype.kind == "M":
            long["ds"] = (long.ds.dt.year * 12 + long.ds.dt.month).astype(int)
    if "multiindex" in defects:
        long = long.set_index(["unique_id", "ds"])
    return long, defects, hit


@PANEL_FUZZ
@given(case=long_tables())
def test_malformed_long_tables_are_refused_naming_a_series_or_pivoted(case):
    from sklstm.forecasting import from_long, to_long

    long, defects, hit = case
    before = long.copy()
    try:
        wide = from_long(long)
    except (ValueError, TypeError) as error:
        message = str(error)
        named = hit and not ({"no id", "no date", "date before 1677"} & set(defects))
        named = named and "no regular frequency" not in message  # says freq=
        if named and not ({"NaN value", "bool", "no rows"} & set(defects)):
            assert any(repr(series) in message for series in hit), (defects, message)
        return
    finally:
        pd.testing.assert_frame_equal(long, before)
    assert not hit, (defects, hit)
    flat = long.reset_index() if isinstance(long.index, pd.MultiIndex) else long
    assert int(wide.notna().sum().sum()) == len(flat)  # every value, once
    back = to_long(wide).sort_values(["unique_id", "ds"]).reset_index(drop=True)
    flat = flat.sort_values(["unique_id", "ds"]).reset_index(drop=True)
    np.testing.assert_allclose(back.y.to_numpy(float), flat.y.to_numpy(float))
