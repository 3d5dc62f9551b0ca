"""Matplotlib figures of forecasts.

matplotlib is imported inside the functions, so that ``import sklstm`` stays
light, and no figure goes through ``pyplot``: nothing is shown, no GUI backend
is touched, and figures are freed when the caller drops them.
"""

import numpy as np
import pandas as pd

from ._panel_plot import INTERVAL_ALPHA, plot_panel_forecast
from .forecasting import _future_index

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
    if not isinstance(center, pd.Series):  # no index: right after history
        if isinstance(history, pd.Series):
            future_x = _future_index(history.index, len(future_y)).to_numpy()
        else:
            future_x = future_x + len(history_y)
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


def plot_search_heatmap(
    search,
    x="time_step",
    y="units",
    *,
    negate=None,
    score_label=None,
    ax=None,
    title=None,
):
    """Heatmap of the mean test score of a grid search over two parameters.

    Parameters
    ----------
    search : GridSearchCV or dict
        A fitted search, or its ``cv_results_``.
    x, y : str, default="time_step", "units"
        Parameters on the x and y axes: a full name
        (``"window__time_step"``) or the part after the last ``__`` when
        that is unambiguous. Where other parameters vary too, each cell
        shows the best of their candidates.
    negate : bool, default=None
        Show ``-score``, i.e. the error of a ``"neg_..."`` scorer (lower is
        better). By default True when ``search.scoring`` is such a string.
    score_label : str, default=None
        Label of the colour bar; by default ``"mean test score"``, or
        ``"mean test <error>"`` for a negated ``"neg_<error>"`` scorer.
    ax : matplotlib.axes.Axes, default=None
        Where to draw; by default a new `matplotlib.figure.Figure`, outside
        ``pyplot``.
    title : str, default=None
        Title of the axes.

    Returns
    -------
    ax : matplotlib.axes.Axes
        The image has one cell per (``y``, ``x``) pair, each annotated with
        its score; the best cell is outlined.

    Examples
    --------
    >>> from sklstm.plotting import plot_search_heatmap
    >>> results = {
    ...     "param_window__time_step": [12, 24, 12, 24],
    ...     "param_lstm__units": [16, 16, 50, 50],
    ...     "mean_test_score": [-30.0, -25.0, -28.0, -26.0],
    ... }
    >>> ax = plot_search_heatmap(results, negate=True)
    >>> ax.images[0].get_array().shape
    (2, 2)
    """
    results = getattr(search, "cv_results_", search)
    scoring = getattr(search, "scoring", None)
    negative_scorer = isinstance(scoring, str) and scoring.startswith("neg_")
    negate = negative_scorer if negate is None else negate
    if score_label is None:
        score_label = "mean test score"
        if negate:
            error = scoring[4:].replace("_", " ") if negative_scorer else "error"
            score_label = f"mean test {error}"
    x_key, y_key = _param_key(results, x), _param_key(results, y)
    table = pd.DataFrame(
        {
            "x": list(results[x_key]),
            "y": list(results[y_key]),
            "score": np.asarray(results["mean_test_score"], dtype=float),
        }
    )
    best = table.pivot_table(index="y", columns="x", values="score", aggfunc="max")
    values = -best.to_numpy() if negate else best.to_numpy()
    if ax is None:
        ax = _new_axes(figsize=(1.4 * best.shape[1] + 3, 0.8 * best.shape[0] + 2))
    image = ax.imshow(values, cmap="viridis_r" if negate else "viridis", aspect="auto")
    ax.figure.colorbar(image, ax=ax, label=score_label)
    ax.set_xticks(range(best.shape[1]), [str(v) for v in best.columns])
    ax.set_yticks(range(best.shape[0]), [str(v) for v in best.index])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    middle = np.nanmean([np.nanmin(values), np.nanmax(values)])
    bright_is_high = not negate  # viridis is bright at the top of its range
    for (row, column), value in np.ndenumerate(values):
        bright = (value > middle) == bright_is_high
        ax.text(
            column,
            row,
            f"{value:#.4g}",
            ha="center",
            va="center",
            color="black" if bright else "white",
        )
    row, column = np.unravel_index(np.nanargmax(best.to_numpy()), best.shape)
    from matplotlib.patches import Rectangle

    ax.add_patch(
        Rectangle(
            (column - 0.5, row - 0.5),
            1,
            1,
            fill=False,
            edgecolor="red",
            linewidth=2.5,
            label="best",
        )
    )
    others = [
        key.removeprefix("param_")
        for key in results
        if key.startswith("param_")
        and key not in (x_key, y_key)
        and len({str(v) for v in results[key]}) > 1
    ]
    if title is None:
        title = score_label
        if others:
            title += f" (each cell: best over {', '.join(others)})"
    ax.set_title(title)
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


def _param_key(results, name):
    """The ``param_...`` key of ``cv_results_`` for a full or short name."""
    params = [key for key in results if key.startswith("param_")]
    if f"param_{name}" in params:
        return f"param_{name}"
    matches = [key for key in params if key.endswith(f"__{name}")]
    if len(matches) != 1:
        names = ", ".join(key.removeprefix("param_") for key in params)
        raise ValueError(
            f"{name!r} matches {len(matches)} searched parameters; pass one of: "
            f"{names}."
        )
    return matches[0]


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
