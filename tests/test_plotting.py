"""plot_forecast: the lines, their data and labels; no files, no pyplot."""

import numpy as np
import pandas as pd
import pytest
from matplotlib._pylab_helpers import Gcf
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from sklstm import load_airline
from sklstm.plotting import plot_forecast


@pytest.fixture
def airline_parts():
    y = load_airline()
    y_train, y_test = y.iloc[:100], y.iloc[100:]
    y_pred = pd.Series(y_test.to_numpy() + 5.0, index=y_test.index)
    return y_train, y_test, y_pred


def lines_by_label(ax):
    return {line.get_label(): line for line in ax.get_lines()}


def test_series_with_dates(airline_parts):
    y_train, y_test, y_pred = airline_parts
    ax = plot_forecast(y_test, y_pred, train=y_train, title="airline")

    assert isinstance(ax, Axes)
    lines = lines_by_label(ax)
    assert list(lines) == ["train", "true", "predicted"]
    np.testing.assert_array_equal(lines["train"].get_ydata(), y_train.to_numpy())
    np.testing.assert_array_equal(lines["true"].get_ydata(), y_test.to_numpy())
    np.testing.assert_array_equal(lines["predicted"].get_ydata(), y_pred.to_numpy())
    np.testing.assert_array_equal(lines["true"].get_xdata(), y_test.index.to_numpy())
    np.testing.assert_array_equal(
        lines["predicted"].get_xdata(), y_test.index.to_numpy()
    )
    # The train part is grey, the others are not.
    r, g, b, _ = to_rgba(lines["train"].get_color())
    assert r == g == b
    assert len(set(to_rgba(lines["true"].get_color())[:3])) > 1
    # Dates on the x axis, names as labels, a legend with the three lines.
    assert "Date" in type(ax.xaxis.get_major_formatter()).__name__
    assert ax.get_xlabel() == "month"
    assert ax.get_ylabel() == "passengers"
    assert ax.get_title() == "airline"
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["train", "true", "predicted"]


def test_arrays_are_placed_after_train():
    train = np.arange(10.0)
    y_true = np.arange(10.0, 15.0)
    y_pred = np.array([np.nan, 11.5, 12.5, 13.5, 14.5])  # NaN: no forecast
    ax = plot_forecast(y_true, y_pred, train=train)

    lines = lines_by_label(ax)
    np.testing.assert_array_equal(lines["train"].get_xdata(), np.arange(10))
    np.testing.assert_array_equal(lines["true"].get_xdata(), np.arange(10, 15))
    np.testing.assert_array_equal(lines["predicted"].get_xdata(), np.arange(10, 15))
    np.testing.assert_array_equal(lines["predicted"].get_ydata(), y_pred)
    assert ax.get_xlabel() == "time step"
    assert ax.get_ylabel() == "value"


def test_array_forecast_takes_the_dates_of_y_true(airline_parts):
    _, y_test, y_pred = airline_parts
    ax = plot_forecast(y_test, y_pred.to_numpy())

    lines = lines_by_label(ax)
    assert list(lines) == ["true", "predicted"]
    np.testing.assert_array_equal(
        lines["predicted"].get_xdata(), y_test.index.to_numpy()
    )


def test_draws_on_the_given_axes():
    fig = Figure()
    ax = fig.add_subplot()
    assert plot_forecast([1.0, 2.0], [1.5, 2.5], ax=ax) is ax
    assert len(ax.get_lines()) == 2
    assert fig.axes == [ax]


def test_no_files_and_no_pyplot_figure(airline_parts, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    n_pyplot_figures = len(Gcf.get_all_fig_managers())
    y_train, y_test, y_pred = airline_parts

    ax = plot_forecast(y_test, y_pred, train=y_train)

    assert list(tmp_path.iterdir()) == []
    # A plain Figure, not one registered with pyplot (which would need a
    # backend and stay in memory until closed).
    assert len(Gcf.get_all_fig_managers()) == n_pyplot_figures
    assert type(ax.figure) is Figure


def test_saved_figure_is_a_png(airline_parts, tmp_path):
    y_train, y_test, y_pred = airline_parts
    path = tmp_path / "forecast.png"
    plot_forecast(y_test, y_pred, train=y_train).figure.savefig(path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_length_mismatch_is_an_error():
    with pytest.raises(ValueError, match="y_true has 3 values but y_pred has 2"):
        plot_forecast([1.0, 2.0, 3.0], [1.0, 2.0])


def test_forecasts_of_other_rows_are_an_error(airline_parts):
    _, y_test, y_pred = airline_parts
    with pytest.raises(ValueError, match="different indexes"):
        plot_forecast(y_test, y_pred.shift(1, freq="MS"))


def test_train_and_y_true_of_different_kinds_are_an_error(airline_parts):
    y_train, y_test, y_pred = airline_parts
    with pytest.raises(TypeError, match="both as pandas Series"):
        plot_forecast(y_test, y_pred, train=y_train.to_numpy())


def test_2d_input_is_an_error():
    with pytest.raises(ValueError, match="must be 1-D"):
        plot_forecast(np.ones((3, 2)), np.ones(3))
