"""sklstm.plotting: the lines, bands and cells, their data and labels; no files."""

import numpy as np
import pandas as pd
import pytest
from matplotlib._pylab_helpers import Gcf
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from sklstm import load_airline
from sklstm.plotting import (
    plot_forecast,
    plot_future_forecast,
    plot_loss,
    plot_panel_forecast,
    plot_search_heatmap,
)

from .conftest import TINY_LSTM


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


# --- intervals, forecasts beyond the data, search heatmaps, loss curves ---


def test_interval_is_a_shaded_band(airline_parts):
    _, y_test, y_pred = airline_parts
    interval = np.column_stack([y_pred - 10, y_pred + 10])
    ax = plot_forecast(y_test, y_pred, interval=interval)

    (band,) = ax.collections
    assert band.get_label() == "interval"
    # The band spans lower .. upper of every forecast.
    vertices = band.get_paths()[0].vertices[:, 1]
    assert vertices.min() == pytest.approx(interval[:, 0].min())
    assert vertices.max() == pytest.approx(interval[:, 1].max())
    with pytest.raises(ValueError, match=r"interval must have shape \(44, 2\)"):
        plot_forecast(y_test, y_pred, interval=interval[:3])


def test_future_forecast_joins_the_history(airline_parts):
    y_train, _, _ = airline_parts
    future_index = pd.date_range(y_train.index[-1], periods=4, freq="MS")[1:]
    future = pd.DataFrame(
        {"forecast": [1.0, 2.0, 3.0], "lower": [0.0, 0.5, 1.0], "upper": [2, 4, 6]},
        index=future_index,
    )
    ax = plot_future_forecast(y_train, future, coverage=0.8, title="next")

    lines = lines_by_label(ax)
    assert list(lines) == ["history", "forecast"]
    np.testing.assert_array_equal(lines["history"].get_ydata(), y_train.to_numpy())
    # The forecast line starts at the last observed value.
    np.testing.assert_array_equal(
        lines["forecast"].get_ydata(), [y_train.iloc[-1], 1.0, 2.0, 3.0]
    )
    np.testing.assert_array_equal(
        lines["forecast"].get_xdata()[1:], future_index.to_numpy()
    )
    assert [c.get_label() for c in ax.collections] == ["80% interval"]
    assert ax.get_ylabel() == "passengers" and ax.get_title() == "next"
    assert "Date" in type(ax.xaxis.get_major_formatter()).__name__


def test_future_forecast_of_arrays_follows_the_history():
    ax = plot_future_forecast(np.arange(5.0), np.array([5.0, 6.0]))
    lines = lines_by_label(ax)
    np.testing.assert_array_equal(lines["forecast"].get_xdata(), [4, 5, 6])
    assert len(ax.collections) == 0  # no interval without lower and upper


def test_future_forecast_of_an_array_follows_a_dated_history(airline_parts):
    """An array of forecasts has no index: after a Series with dates it
    takes the months after the last one (it was drawn at 0, 1, ... or
    raised)."""
    y_train, _, _ = airline_parts
    ax = plot_future_forecast(y_train, np.array([1.0, 2.0]))
    expected = pd.date_range(y_train.index[-1], periods=3, freq="MS")
    np.testing.assert_array_equal(
        lines_by_label(ax)["forecast"].get_xdata(), expected.to_numpy()
    )
    ax = plot_future_forecast(pd.Series([1.0, 2, 3]), [4.0])
    np.testing.assert_array_equal(lines_by_label(ax)["forecast"].get_xdata(), [2, 3])


SEARCH_RESULTS = {
    "param_window__time_step": [12, 24, 12, 24, 12, 24, 12, 24],
    "param_lstm__units": [16, 16, 50, 50, 16, 16, 50, 50],
    "param_lstm__epochs": [10, 10, 10, 10, 20, 20, 20, 20],
    "mean_test_score": [-30.0, -25.0, -28.0, -26.0, -29.0, -27.0, -20.0, -31.0],
}


def test_search_heatmap_cells_are_the_best_score_of_each_pair():
    ax = plot_search_heatmap(SEARCH_RESULTS, negate=True)

    (image,) = ax.images
    # rows: units 16, 50; columns: time_step 12, 24; best over epochs, negated.
    np.testing.assert_array_equal(image.get_array(), [[29.0, 25.0], [20.0, 26.0]])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["12", "24"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["16", "50"]
    assert ax.get_xlabel() == "time_step" and ax.get_ylabel() == "units"
    assert [t.get_text() for t in ax.texts] == ["29.00", "25.00", "20.00", "26.00"]
    (best,) = ax.patches
    assert best.get_xy() == (-0.5, 0.5)  # units 50, time_step 12
    assert ax.get_title() == "mean test error (each cell: best over lstm__epochs)"
    assert type(ax.figure) is Figure


def test_search_heatmap_of_a_fitted_search(sine):
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
    from sklearn.pipeline import make_pipeline

    from sklstm import CompleteWindows, WindowTransformer

    X, y = sine
    search = GridSearchCV(
        make_pipeline(WindowTransformer(), CompleteWindows(Ridge())),
        {
            "windowtransformer__time_step": [4, 8, 12],
            "completewindows__regressor__alpha": [0.1, 1.0],
        },
        cv=TimeSeriesSplit(3),
        scoring="neg_mean_absolute_error",
    ).fit(X, y)
    ax = plot_search_heatmap(search, y="alpha")

    assert ax.images[0].get_array().shape == (2, 3)
    np.testing.assert_allclose(
        np.sort(ax.images[0].get_array().ravel()),
        np.sort(-search.cv_results_["mean_test_score"]),
    )
    assert ax.get_title() == "mean test mean absolute error"  # from the scorer
    with pytest.raises(ValueError, match="'units' matches 0 searched parameters"):
        plot_search_heatmap(search)


def test_loss_plot_of_a_history_dict():
    ax = plot_loss({"loss": [0.9, 0.5, 0.4], "val_loss": [1.0, 0.7, 0.65]})
    lines = lines_by_label(ax)
    np.testing.assert_array_equal(lines["training loss"].get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(lines["validation loss"].get_ydata(), [1, 0.7, 0.65])
    assert ax.get_xlabel() == "epoch"
    with pytest.raises(TypeError, match="plot_loss needs a fitted LSTMForecaster"):
        plot_loss(object())


def test_loss_plot_of_a_fitted_forecaster(sine):
    from sklearn.pipeline import make_pipeline

    from sklstm import LSTMForecaster, WindowTransformer

    X, y = sine
    pipe = make_pipeline(
        WindowTransformer(6), LSTMForecaster(**TINY_LSTM, early_stopping=True)
    ).fit(X, y)
    lines = lines_by_label(plot_loss(pipe))
    assert list(lines) == ["training loss", "validation loss"]
    np.testing.assert_array_equal(
        lines["training loss"].get_ydata(), pipe[-1].history_["loss"]
    )
    assert list(lines_by_label(plot_loss(pipe[-1]))) == list(lines)


def test_loss_plot_of_every_member_of_the_many_series_call():
    from sklstm import LSTMForecaster, make_forecast_pipeline

    y = load_airline()
    Y = pd.DataFrame({"a": y, "b": y.shift(24) * 3})
    model = make_forecast_pipeline(
        LSTMForecaster(**TINY_LSTM), time_step=[4, 6], output_steps=4, combine="theta"
    ).fit(Y, Y)
    lines = lines_by_label(plot_loss(model))
    assert list(lines) == ["training loss, time_step 4", "training loss, time_step 6"]
    for line, member in zip(lines.values(), model.estimator_.estimators_, strict=True):
        history = member.regressor_[-1].history_["loss"]
        np.testing.assert_array_equal(line.get_ydata(), history)
    assert lines_by_label(plot_loss(model.estimator_)).keys() == lines.keys()


def panel_and_forecast(n_series=12):
    y = load_airline()
    history = pd.DataFrame(
        {f"s{i}": y * (i + 1) for i in range(n_series)}, index=y.index
    )
    future = pd.date_range("1961-01-01", periods=3, freq="MS")
    center = pd.DataFrame(500.0, index=future, columns=history.columns)
    ahead = pd.concat(
        {"forecast": center, "lower": center - 50, "upper": center + 50}, axis=1
    )
    return history, ahead


def test_panel_forecast_draws_the_worst_and_a_sample_with_intervals():
    history, ahead = panel_and_forecast()
    errors = pd.Series(np.arange(12.0), index=history.columns)  # s11 worst
    figure = plot_panel_forecast(
        history, ahead, errors=errors, max_series=6, coverage=0.9
    )
    assert isinstance(figure, Figure) and not Gcf.get_all_fig_managers()
    titles = [ax.get_title() for ax in figure.axes]
    assert len(titles) == 6
    assert titles[:2] == ["s11 (worst, error 11)", "s10 (worst, error 10)"]
    first = figure.axes[0]
    lines = lines_by_label(first)
    assert list(lines) == ["history", "forecast"]
    np.testing.assert_array_equal(lines["history"].get_ydata(), history["s11"])
    band = first.collections[0].get_paths()[0].vertices[:, 1]
    assert band.min() == 450 and band.max() == 550
    assert [t.get_text() for t in first.get_legend().get_texts()] == [
        "history",
        "forecast",
        "90% interval",
    ]


def test_panel_forecast_takes_the_series_asked_and_long_forecasts():
    from sklstm.forecasting import to_long

    history, ahead = panel_and_forecast()
    long = to_long(ahead)
    figure = plot_panel_forecast(history, long, series=["s3", "s0"])
    assert [ax.get_title() for ax in figure.axes] == ["s3", "s0"]
    with pytest.raises(ValueError, match="'nope' is not a column of history"):
        plot_panel_forecast(history, ahead, series=["nope"])


def test_future_forecast_of_an_array_follows_the_spacing_of_the_history():
    weekly_steps = pd.Series([1.0, 2.0, 3.0], index=[0, 7, 14])
    ax = plot_future_forecast(weekly_steps, [4.0, 5.0])
    np.testing.assert_array_equal(
        lines_by_label(ax)["forecast"].get_xdata(), [14, 21, 28]
    )
    dates = pd.to_datetime(["2020-01-01", "2020-01-02", "2020-03-01"])
    no_frequency = pd.Series([1.0, 2.0, 3.0], index=dates)
    with pytest.raises(ValueError, match="give forecast as a Series with its dates"):
        plot_future_forecast(no_frequency, [4.0])
