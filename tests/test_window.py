"""WindowTransformer: the data contract of DESIGN.md, row for row."""

import numpy as np
import pandas as pd
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.model_selection import TimeSeriesSplit

from sklstm import ThetaForecaster, WindowTransformer
from sklstm._window import window_shape_of


def reference_windows(series, time_step, horizon):
    """The recipe's loop: row t holds rows t-horizon-time_step+1 .. t-horizon,
    NaN for the rows before the start of the series."""
    n_rows, n_features = series.shape
    out = np.full((n_rows, time_step, n_features), np.nan)
    for t in range(n_rows):
        for step in range(time_step):
            source = t - horizon - time_step + 1 + step
            if source >= 0:
                out[t, step] = series[source]
    return out.reshape(n_rows, -1)


@settings(max_examples=60, deadline=None)
@given(
    n_rows=st.integers(8, 40),
    n_features=st.integers(1, 3),
    time_step=st.integers(1, 5),
    horizon=st.integers(1, 3),
    split=st.floats(0.3, 0.9),
    seed=st.integers(0, 2**16),
)
def test_windows_match_reference_and_continue(
    n_rows, n_features, time_step, horizon, split, seed
):
    assume(n_rows > time_step + horizon)  # else fit refuses: tested below
    series = np.random.default_rng(seed).normal(size=(n_rows, n_features))
    expected = reference_windows(series, time_step, horizon)
    in_sample = WindowTransformer(time_step, horizon).fit_transform(series)
    np.testing.assert_array_equal(in_sample, expected)

    cut = int(split * n_rows)
    if cut <= time_step + horizon:
        return
    before = series.copy()
    transformer = WindowTransformer(time_step, horizon).fit(series[:cut])
    continued = transformer.transform(series[cut:])
    assert continued.shape == (n_rows - cut, time_step * n_features)
    np.testing.assert_array_equal(continued, expected[cut:])
    np.testing.assert_array_equal(series, before)  # input untouched


@settings(max_examples=30, deadline=None)
@given(
    n_rows=st.integers(10, 30),
    time_step=st.integers(1, 4),
    horizon=st.integers(1, 3),
    row=st.integers(0, 29),
)
def test_no_look_ahead(n_rows, time_step, horizon, row):
    """Changing row t, or anything later, never changes the window of row t."""
    row = row % n_rows
    series = np.arange(n_rows, dtype=float).reshape(-1, 1)
    changed = series.copy()
    changed[row:] += 1000.0
    windows = WindowTransformer(time_step, horizon).fit_transform(series)
    windows_changed = WindowTransformer(time_step, horizon).fit_transform(changed)
    np.testing.assert_array_equal(windows[: row + 1], windows_changed[: row + 1])


def test_in_sample_transform_of_fitted_data():
    X = np.arange(20.0).reshape(-1, 1)
    transformer = WindowTransformer(3).fit(X)
    np.testing.assert_array_equal(
        transformer.transform(X), transformer.fit_transform(X)
    )
    has_nan = np.isnan(transformer.transform(X)).any(axis=1)
    assert has_nan[:3].all() and not has_nan[3:].any()
    # The fitted rows followed by new ones: still in-sample windows, no gap.
    longer = np.arange(25.0).reshape(-1, 1)
    np.testing.assert_array_equal(
        transformer.transform(longer), reference_windows(longer, 3, 1)
    )


def test_a_float32_copy_of_the_fitted_series_is_in_sample():
    """The fitted series again at float32 gets the in-sample windows (it was
    taken for a continuation: its first windows held the fitted series'
    last rows, values of the future); so does ThetaForecaster."""
    X = np.cumsum(np.random.default_rng(0).normal(size=(30, 1)), axis=0) + 0.1
    transformer = WindowTransformer(3).fit(X)
    windows = transformer.transform(X.astype(np.float32))
    assert np.isnan(windows[:3]).any(axis=1).all()
    theta = ThetaForecaster().fit(X, X[:, 0])
    assert np.isnan(theta.predict(X.astype(np.float32))[0])
    np.testing.assert_allclose(
        theta.predict(X.astype(np.float32)), theta.predict(X), rtol=1e-5
    )


def test_a_dated_continuation_that_repeats_the_fitted_values_is_continued():
    """Zeros after zeros: the values match the fitted series, the dates
    follow it, so the windows (and Theta's levels) go on from its end."""
    index = pd.date_range("2000-01-01", periods=24, freq="D")
    X = pd.DataFrame({"y": 0.0}, index=index)
    transformer = WindowTransformer(3).fit(X.iloc[:12])
    assert not np.isnan(transformer.transform(X.iloc[12:])).any()
    theta = ThetaForecaster().fit(X.iloc[:12], X["y"].iloc[:12])
    assert not np.isnan(theta.predict(X.iloc[12:])).any()


def test_continuation_gives_full_windows_to_every_test_fold():
    X = np.arange(60.0).reshape(-1, 1)
    for train, test in TimeSeriesSplit(n_splits=4).split(X):
        transformer = WindowTransformer(6).fit(X[train])
        windows = transformer.transform(X[test])
        assert not np.isnan(windows).any()
        np.testing.assert_array_equal(windows[:, -1], X[test, 0] - 1)


def test_gap_with_arrays_glues_test_fold_to_train_end():
    """Arrays carry no dates: a test fold after a gap is continued as if it
    followed the training rows directly, so its first windows skip the gap."""
    X = np.arange(40.0).reshape(-1, 1)
    train, test = list(TimeSeriesSplit(n_splits=2, gap=3).split(X))[-1]
    windows = WindowTransformer(2).fit(X[train]).transform(X[test])
    assert windows[0].tolist() == [X[train][-2, 0], X[train][-1, 0]]
    assert X[test][0, 0] - X[train][-1, 0] == 4  # the 3 gap rows are skipped


def test_dates_that_follow_on_are_continued():
    """With gap=0 the dates follow on and the windows are complete; a gap is
    refused (tests/test_bad_input.py)."""
    index = pd.date_range("2000-01", periods=40, freq="MS")
    X = pd.DataFrame({"y": np.arange(40.0)}, index=index)
    train, test = list(TimeSeriesSplit(n_splits=2).split(X))[-1]
    windows = WindowTransformer(2).fit(X.iloc[train]).transform(X.iloc[test])
    assert not np.isnan(windows).any()


def test_feature_names_and_pandas_output():
    X = pd.DataFrame({"load": np.arange(10.0), "temp": np.arange(10.0) * 2})
    transformer = WindowTransformer(time_step=2, horizon=3).set_output(
        transform="pandas"
    )
    out = transformer.fit_transform(X)
    assert list(out.columns) == ["load_lag4", "temp_lag4", "load_lag3", "temp_lag3"]
    assert out.loc[7, "load_lag3"] == 4.0 and out.loc[7, "temp_lag4"] == 6.0
    assert window_shape_of(out) == (2, 2)
    names = WindowTransformer(3).fit(np.zeros((9, 1))).get_feature_names_out()
    assert list(names) == ["x0_lag3", "x0_lag2", "x0_lag1"]


def test_output_is_a_read_only_view_with_its_window_shape():
    X = np.arange(30.0).reshape(-1, 3)
    out = WindowTransformer(2).fit_transform(X)
    assert out.window_shape == (2, 3)
    assert not out.flags.writeable
    assert np.shares_memory(out[3:], out[4:])  # windows overlap: no copies


def test_float32_is_preserved():
    X = np.arange(20, dtype=np.float32).reshape(-1, 1)
    assert WindowTransformer(3).fit_transform(X).dtype == np.float32


def test_clone_keeps_parameters():
    transformer = WindowTransformer(time_step=7, horizon=2)
    assert clone(transformer).get_params() == {"time_step": 7, "horizon": 2}
