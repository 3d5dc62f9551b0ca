"""Long tables in and out: from_long, to_long, forecast(..., output="long")."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge

from sklstm import CompleteWindows, make_forecast_pipeline
from sklstm.forecasting import forecast, from_long, to_long


def long_table(n=30):
    """Three monthly series, "late" starting 10 months after the others."""
    dates = pd.date_range("2020-01-01", periods=n, freq="MS")
    t = np.arange(n)
    rows = [
        pd.DataFrame({"unique_id": "small", "ds": dates, "y": 5 + np.sin(t)}),
        pd.DataFrame({"unique_id": "big", "ds": dates, "y": 5000 + 900 * np.cos(t)}),
        pd.DataFrame({"unique_id": "late", "ds": dates[10:], "y": t[10:] * 1.0}),
    ]
    return pd.concat(rows, ignore_index=True)


def test_from_long_pivots_to_the_wide_frame_with_nan_before_a_late_start():
    long = long_table()
    before = long.copy()
    wide = from_long(long)
    pd.testing.assert_frame_equal(long, before)  # input untouched
    assert sorted(wide.columns) == ["big", "late", "small"]
    assert wide.index.freqstr == "MS" and wide.index.name == "ds"
    assert wide["late"].isna().sum() == 10 and wide["late"].iloc[10:].notna().all()
    assert wide.loc["2020-03-01", "small"] == pytest.approx(5 + np.sin(2))


def test_to_long_inverts_from_long():
    long = long_table()
    back = to_long(from_long(long))
    back = back.sort_values(["unique_id", "ds"]).reset_index(drop=True)
    expected = long.sort_values(["unique_id", "ds"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(back, expected, check_dtype=False)


def test_a_series_time_multiindex_frame_is_read_as_the_long_table():
    long = long_table()
    indexed = long.set_index(["unique_id", "ds"])
    pd.testing.assert_frame_equal(from_long(indexed), from_long(long))


def test_a_panel_of_monthly_periods_is_read_by_their_first_days():
    """sktime often indexes time by a PeriodIndex: its months are read as
    their first days (they were refused as not dates)."""
    long = long_table()
    periods = long.assign(ds=long.ds.dt.to_period("M"))
    wide = from_long(periods.set_index(["unique_id", "ds"]))
    pd.testing.assert_frame_equal(wide, from_long(long))


def test_several_value_columns_and_integer_time_steps():
    long = pd.DataFrame(
        {
            "store": ["a"] * 4 + ["b"] * 3,
            "t": [0, 1, 2, 3, 1, 2, 3],
            "sales": np.arange(7.0),
            "visits": np.arange(7.0) * 10,
        }
    )
    wide = from_long(long, id_col="store", time_col="t", target=["sales", "visits"])
    assert list(wide.index) == [0, 1, 2, 3]
    assert wide[("visits", "b")].tolist()[1:] == [40.0, 50.0, 60.0]
    assert np.isnan(wide[("sales", "b")].iloc[0])


def test_forecasts_of_integer_steps_keep_their_spacing():
    """Time steps 0, 7, 14, ... (weeks counted in days): the forecasts are
    at the next steps of 7, as the grid of from_long is."""
    t = np.arange(0, 280, 7)
    long = pd.DataFrame(
        {"unique_id": np.repeat(["a", "b"], len(t)), "ds": np.tile(t, 2)}
    ).assign(y=lambda d: 10 + np.sin(np.arange(len(d))) + 5 * (d.unique_id == "b"))
    Y = from_long(long)
    model = make_forecast_pipeline(CompleteWindows(Ridge()), time_step=4).fit(Y, Y)
    future = forecast(model, Y, steps=2, output="long")
    assert sorted(set(future["ds"])) == [280, 287]
    part = Y[Y.index < 200]  # a mask: an integer index, no longer a range
    assert list(forecast(model, part, steps=2).index) == [203, 210]


def test_a_gap_in_one_of_several_value_columns_is_refused():
    """With several targets, one target's NaN is not hidden by another's
    value on that date; the fix in the message runs."""
    dates = pd.date_range("2020-01-01", periods=4, freq="MS")
    long = pd.DataFrame(
        {"store": "a", "ds": dates, "sales": [1, np.nan, 3, 4], "price": 1.0}
    )
    with pytest.raises(ValueError, match="Series 'a' has no 'sales' on 2020-02-01"):
        from_long(long, id_col="store", target=["price", "sales"])
    with pytest.raises(ValueError, match="transform") as caught:
        from_long(long, id_col="store", target="sales")
    fix = str(caught.value).split("e.g. ")[1].split("), or")[0]
    exec(fix, {"df": long})  # the suggested fix, as written, fills the gap
    assert from_long(long, id_col="store", target="sales")["a"].tolist() == [1, 2, 3, 4]


@pytest.mark.parametrize(
    "as_given",
    [lambda hours: hours, lambda hours: hours.strftime("%Y-%m-%dT%H:%M:%S%z")],
    ids=["zoned dates", "text with offsets"],
)
def test_hours_across_the_change_from_summer_time(as_given):
    """Hourly dates in Berlin across the night the clocks go back: every
    hour once (read as wall time, 02:00 came twice and was refused)."""
    hours = pd.date_range("2024-10-26", periods=72, freq="h", tz="Europe/Berlin")
    long = pd.DataFrame({"unique_id": "a", "ds": as_given(hours), "y": 1.0})
    wide = from_long(long)
    assert len(wide) == 72 and wide.index.freqstr == "h"
    assert wide.index[0] == hours[0]


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda d: pd.concat([d, d.iloc[[3]]]), ["'small'", "2020-04-01", "one row"]),
        (lambda d: d.drop(index=[15, 16]), ["'small'", "2021-04-01", "skip dates"]),
        (lambda d: d.drop(index=d.index[d.ds > "2022-01-01"][-5:]), ["'late'", "stop"]),
        (
            lambda d: d.assign(
                ds=d.ds.where(d.index != 40, pd.Timestamp("2021-03-15"))
            ),
            ["'big'", "2021-03-15", "grid"],
        ),
        (
            lambda d: d.assign(y=d.y.astype(object).where(d.index != 70, "n/a")),
            ["'late'", "70", "not numbers"],
        ),
        (
            lambda d: d.assign(y=d.y.where(d.index != 5, np.inf)),
            ["'small'", "infinite"],
        ),
        (
            lambda d: d.assign(ds=d.ds.astype(str).where(d.index != 2, "1600-01-01")),
            ["'small'", "1677", "row(s) 2"],
        ),
        (lambda d: d.drop(columns="y"), ["a column of values"]),
        (lambda d: d.iloc[:0], ["no rows"]),
    ],
    ids=[
        "duplicate",
        "gap",
        "ends-early",
        "off-grid",
        "text",
        "inf",
        "1600",
        "no-y",
        "empty",
    ],
)
def test_malformed_long_tables_name_the_series_and_dates(change, words):
    with pytest.raises(ValueError) as error:
        from_long(change(long_table()))
    for word in words:
        assert word in str(error.value)


def test_forecast_returns_long_output_with_unique_id_ds_forecast():
    wide = from_long(long_table(60))
    model = make_forecast_pipeline(CompleteWindows(Ridge()), time_step=6).fit(
        wide, wide
    )
    long = forecast(model, wide, steps=3, output="long")
    assert list(long.columns) == ["unique_id", "ds", "forecast"]
    assert len(long) == 9 and set(long.unique_id) == {"small", "big", "late"}
    wide_ahead = forecast(model, wide, steps=3)
    first = long[long.unique_id == "big"].forecast.to_numpy()
    np.testing.assert_allclose(first, wide_ahead["big"].to_numpy())
    assert long.ds.iloc[0] == pd.Timestamp("2025-01-01")


def test_coverage_without_a_model_with_intervals_says_how_to_get_them():
    wide = from_long(long_table(60))
    model = make_forecast_pipeline(CompleteWindows(Ridge()), time_step=6).fit(
        wide, wide
    )
    with pytest.raises(ValueError, match="PanelConformalForecaster"):
        forecast(model, wide, steps=3, coverage=0.9)


def test_forecast_matches_series_by_name_and_refuses_unknown_ones():
    wide = from_long(long_table(60))
    model = make_forecast_pipeline(CompleteWindows(Ridge()), time_step=6)
    model.fit(wide, wide)
    ahead = forecast(model, wide, steps=2)
    reordered = forecast(model, wide[["late", "small", "big"]], steps=2)
    assert list(reordered.columns) == ["late", "small", "big"]
    pd.testing.assert_frame_equal(reordered[wide.columns], ahead)
    with pytest.raises(ValueError, match=r"not seen in fit: 'new'.*model.fit\(Y, Y\)"):
        forecast(model, wide.assign(new=wide["big"]), steps=2)
    with pytest.raises(ValueError, match=r"history has 2 \(it lacks 'late'\)"):
        forecast(model, wide[["small", "big"]], steps=2)


def test_one_series_with_intervals_comes_back_long_under_its_name():
    from sklearn.pipeline import make_pipeline

    from sklstm import (
        ConformalForecaster,
        NaiveForecaster,
        WindowTransformer,
        load_airline,
    )

    y = load_airline()
    naive = make_pipeline(WindowTransformer(12), NaiveForecaster())
    model = ConformalForecaster(naive, max_steps=3).fit(y.to_frame(), y)
    long = forecast(model, y, steps=3, output="long")
    assert list(long.columns) == ["unique_id", "ds", "forecast", "lower", "upper"]
    assert set(long.unique_id) == {"passengers"} and len(long) == 3
    wide = forecast(model, y, steps=3)  # unchanged: forecast, lower, upper
    np.testing.assert_array_equal(long.upper, wide.upper)
