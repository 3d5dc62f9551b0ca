"""Matplotlib figures of forecasts.

matplotlib is imported inside the functions, so that ``import sklstm`` stays
light, and no figure goes through ``pyplot``: nothing is shown, no GUI backend
is touched, and figures are freed when the caller drops them.
"""

import numpy as np
import pandas as pd

from ._panel_plot import INTERVAL_ALPHA, plot_panel_forecast
from ._search_plot import plot_search_heatmap

__all__ = [
    "plot_forecast",
    "plot_future_forecast",
    "plot_loss",
    "plot_panel_forecast",
    "plot_search_heatmap",
]


def plot_forecast(y_true, y_pred, *, train=None, interval=None, ax=None, title=None):
    """Plot true values against one-step-ahead forecasts.

    Parameters
    ----------
    y_true : pandas.Series or array-like of shape (n_timesteps,)
        True values of the forecast rows. A Series with a DatetimeIndex puts
        dates on the x axis; its name labels the y axis.
    y_pred : pandas.Series or array-like of shape (n_timesteps,)
        Forecasts of the same rows (NaN where there is no forecast, drawn as
        a gap). Arrays are placed at the positions of ``y_true``.
    train : pandas.Series or array-like, default=None
        The series before ``y_true``, drawn in grey. Arrays are placed just
        before the positions of ``y_true``.
    interval : array-like of shape (n_timesteps, 2), default=None
        Lower and upper bounds of the forecasts (as
        `ConformalForecaster.predict_interval` returns them), shaded.
    ax : matplotlib.axes.Axes, default=None
        Where to draw. By default a new `matplotlib.figure.Figure` is made,
        outside ``pyplot``: save it with ``ax.figure.savefig(path)``.
    title : str, default=None
        Title of the axes.

    Returns
    -------
    ax : matplotlib.axes.Axes
        With the lines ``"train"`` (when given), ``"true"`` and
        ``"predicted"``, the band ``"interval"`` (when given), a legend and
        axis labels.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.plotting import plot_forecast
    >>> ax = plot_forecast(np.arange(5.0), np.arange(5.0) + 0.5, train=np.arange(10.0))
    >>> [line.get_label() for line in ax.get_lines()]
    ['train', 'true', 'predicted']
    """
    true_x, true_y = _positions(y_true, "y_true")
    _, pred_y = _positions(y_pred, "y_pred")
    if len(pred_y) != len(true_y):
        raise ValueError(
            f"y_true has {len(true_y)} values but y_pred has {len(pred_y)}; "
            "pass the forecasts of the same rows."
        )
    if isinstance(y_pred, pd.Series) and isinstance(y_true, pd.Series):
        if not y_pred.index.equals(y_true.index):
            raise ValueError(
                "y_pred and y_true have different indexes; pass the forecasts "
                "of the same rows (or y_pred as an array)."
            )
    if train is not None:
        if isinstance(train, pd.Series) != isinstance(y_true, pd.Series):
            raise TypeError(
                "Pass train and y_true both as pandas Series (placed by their "
                "index) or both as arrays (train first, then y_true)."
            )
        train_x, train_y = _positions(train, "train")
        if not isinstance(y_true, pd.Series):
            true_x = true_x + len(train_y)
    if interval is not None:
        interval = _bounds(interval, len(true_y))
    ax = _new_axes() if ax is None else ax
    if train is not None:
        ax.plot(train_x, train_y, color="0.6", label="train")
    ax.plot(true_x, true_y, color="C0", label="true")
    ax.plot(true_x, pred_y, color="C1", linestyle="--", label="predicted")
    if interval is not None:
        ax.fill_between(
            true_x, *interval.T, color="C1", alpha=INTERVAL_ALPHA, label="interval"
        )
    _finish(ax, y_true, train, title)
    return ax


def plot_future_forecast(history, forecast, *, coverage=None, ax=None, title=None):
    """Plot a series and its forecast beyond the end, with the interval shaded.

    Parameters
    ----------
    history : pandas.Series or array-like of shape (n_timesteps,)
        The observed series. A Series with a DatetimeIndex puts dates on the
        x axis; its name labels the y axis.
    forecast : pandas.DataFrame, pandas.Series or array-like of shape (steps,)
        The forecasts of the steps after ``history``: a DataFrame with the
        columns ``forecast``, ``lower`` and ``upper``, as
        `ConformalForecaster.forecast` returns it, or the forecasts alone.
        Placed by its index when it has one, else at the steps right after
        ``history`` (its dates, when ``history`` has them).
    coverage : float, default=None
        Coverage of the interval, for the legend (``"90% interval"``).
    ax : matplotlib.axes.Axes, default=None
        Where to draw; by default a new `matplotlib.figure.Figure`, outside
        ``pyplot``.
    title : str, default=None
        Title of the axes.

    Returns
    -------
    ax : matplotlib.axes.Axes
        With the lines ``"history"`` and ``"forecast"`` (which starts at the
        last observed value, so the two join), the band of the interval
        when ``forecast`` has ``lower`` and ``upper``, a legend and labels.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm.plotting import plot_future_forecast
    >>> future = pd.DataFrame(
    ...     {"forecast": [5.0, 6.0], "lower": [4.0, 4.5], "upper": [6.0, 7.5]},
    ...     index=[5, 6],
    ... )
    >>> ax = plot_future_forecast(pd.Series([1.0, 2, 3, 4, 5]), future, coverage=0.9)
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['history', 'forecast', '90% interval']
    """
    history_x, history_y = _positions(history, "history")
    frame = forecast if isinstance(forecast, pd.DataFrame) else None
    center = frame["forecast"] if frame is not None else forecast
    future_x, future_y = _positions(center, "forecast")
    if not isinstance(center, pd.Series):  # no index: the steps after history
        index = history.index if isinstance(history, pd.Series) else history_x
        future_x = _steps_after(pd.Index(index), len(future_y))
    ax = _new_axes() if ax is None else ax
    ax.plot(history_x, history_y, color="C0", label="history")
    ax.plot(
        np.r_[history_x[-1:], future_x],
        np.r_[history_y[-1:], future_y],
        color="C1",
        linestyle="--",
        label="forecast",
    )
    if frame is not None and {"lower", "upper"} <= set(frame.columns):
        label = "interval" if coverage is None else f"{coverage:.0%} interval"
        ax.fill_between(
            future_x,
            frame["lower"].to_numpy(float),
            frame["upper"].to_numpy(float),
            color="C1",
            alpha=INTERVAL_ALPHA,
            label=label,
        )
    _finish(ax, history, None, title)
    return ax


def plot_loss(model, *, ax=None, title=None):
    """Plot the training (and validation) loss of a fitted LSTMForecaster per epoch.

    Parameters
    ----------
    model : LSTMForecaster, Pipeline, TransformedTargetRegressor or dict
        A fitted `LSTMForecaster`, a Pipeline that ends in one (also what
        `sklstm.make_forecast_pipeline` returns), or its ``history_``: a dict
        with ``"loss"`` and, with early stopping, ``"val_loss"`` per epoch.
    ax : matplotlib.axes.Axes, default=None
        Where to draw; by default a new `matplotlib.figure.Figure`, outside
        ``pyplot``.
    title : str, default=None
        Title of the axes.

    Returns
    -------
    ax : matplotlib.axes.Axes
        With the line ``"training loss"`` and, when the history has it,
        ``"validation loss"``; epochs from 1 on the x axis. A
        `LookbackEnsemble` gives the lines of each member, labelled
        ``"training loss, time_step 18"`` and so on.

    Examples
    --------
    >>> from sklstm.plotting import plot_loss
    >>> ax = plot_loss({"loss": [0.9, 0.5, 0.4], "val_loss": [1.0, 0.7, 0.6]})
    >>> [line.get_label() for line in ax.get_lines()]
    ['training loss', 'validation loss']
    """
    ax = _new_axes(figsize=(7, 4)) if ax is None else ax
    for member, (time_step, history) in enumerate(_training_histories(model)):
        one = time_step is None  # else a member of an ensemble: a colour each
        for line, key in enumerate(("loss", "val_loss")):
            if key in history:
                values = np.asarray(history[key], dtype=float)
                label = ("training loss", "validation loss")[line]
                ax.plot(
                    np.arange(1, len(values) + 1),
                    values,
                    "-" if one or not line else "--",
                    color=f"C{line if one else member}",
                    marker="o",
                    markersize=3,
                    label=label if one else f"{label}, time_step {time_step}",
                )
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.ticklabel_format(axis="y", useOffset=False)  # losses near 1 read as such
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss (on the scaled target)")
    if title is not None:
        ax.set_title(title)
    ax.legend()
    ax.grid(True, alpha=0.3)
    return ax


def _training_histories(model):
    """``[(None, history)]``, or ``[(time_step, history), ...]`` of an ensemble."""
    from ._combination import ThetaCombination
    from ._ensemble import LookbackEnsemble

    if isinstance(model, ThetaCombination):
        model = getattr(model, "estimator_", model)
    if not isinstance(model, LookbackEnsemble) or not hasattr(model, "time_steps_"):
        return [(None, _training_history(model))]
    members = zip(model.time_steps_, model.estimators_, strict=True)
    return [(step, _training_history(member)) for step, member in members]


def _training_history(model):
    if isinstance(model, dict):
        history = model
    else:
        model = getattr(model, "regressor_", model)  # make_forecast_pipeline's
        if hasattr(model, "steps"):  # a Pipeline: its final step
            model = model[-1]
        history = getattr(model, "history_", None)
    if not isinstance(history, dict) or "loss" not in history:
        raise TypeError(
            "plot_loss needs a fitted LSTMForecaster, a Pipeline or ensemble of "
            f"such, or a dict of 'loss' per epoch; got {type(model).__name__}."
        )
    return history


def _new_axes(figsize=(9, 4)):
    """Axes of a new Figure outside pyplot (no GUI backend, freed when dropped)."""
    from matplotlib.figure import Figure

    return Figure(figsize=figsize, layout="constrained").add_subplot()


def _finish(ax, values, train, title):
    """Labels, title, legend, grid and date ticks of a series plot."""
    ax.set_xlabel(_index_label(values, train))
    ax.set_ylabel(_value_label(values, train))
    if title is not None:
        ax.set_title(title)
    ax.legend()
    ax.grid(True, alpha=0.3)
    if isinstance(getattr(values, "index", None), pd.DatetimeIndex):
        from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

        locator = AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))


def _bounds(interval, n_values):
    bounds = np.asarray(interval, dtype=float)
    if bounds.shape != (n_values, 2):
        raise ValueError(
            f"interval must have shape ({n_values}, 2) (lower, upper per "
            f"forecast), got {bounds.shape}."
        )
    return bounds


def _positions(values, name):
    """x and y of a Series (its index) or an array (0, 1, ...)."""
    if isinstance(values, pd.Series):
        return values.index.to_numpy(), values.to_numpy(dtype=float)
    array = np.asarray(values, dtype=float)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(
            f"{name} must be 1-D (one value per time step), got shape {array.shape}."
        )
    return np.arange(len(array)), array


def _steps_after(index, steps):
    """The ``steps`` positions after ``index``: by its frequency for dates,
    else by its last spacing."""
    if isinstance(index, pd.DatetimeIndex):
        freq = index.freq or index.inferred_freq
        if freq is None:
            raise ValueError(
                "history's dates have no regular frequency, so the forecast's "
                "dates are unknown; give forecast as a Series with its dates "
                "(sklstm.forecasting.forecast returns one)."
            )
        return pd.date_range(index[-1], periods=steps + 1, freq=freq)[1:].to_numpy()
    spacing = index[-1] - index[-2] if len(index) > 1 else 1
    return index[-1] + spacing * np.arange(1, steps + 1)


def _index_label(y_true, train):
    for series in (y_true, train):
        index = getattr(series, "index", None)
        if isinstance(series, pd.Series) and index.name is not None:
            return str(index.name)
    if isinstance(getattr(y_true, "index", None), pd.DatetimeIndex):
        return "date"
    return "time step"


def _value_label(y_true, train):
    for series in (y_true, train):
        if isinstance(series, pd.Series) and series.name is not None:
            return str(series.name)
    return "value"
