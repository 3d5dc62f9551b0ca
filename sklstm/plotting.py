"""Matplotlib figures of forecasts.

matplotlib is imported inside the functions, so that ``import sklstm`` stays
light, and no figure goes through ``pyplot``: nothing is shown, no GUI backend
is touched, and figures are freed when the caller drops them.
"""

import numpy as np
import pandas as pd

__all__ = ["plot_forecast"]


def plot_forecast(y_true, y_pred, *, train=None, ax=None, title=None):
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
    ax : matplotlib.axes.Axes, default=None
        Where to draw. By default a new `matplotlib.figure.Figure` is made,
        outside ``pyplot``: save it with ``ax.figure.savefig(path)``.
    title : str, default=None
        Title of the axes.

    Returns
    -------
    ax : matplotlib.axes.Axes
        With the lines ``"train"`` (when given), ``"true"`` and
        ``"predicted"``, a legend and axis labels.

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
    if ax is None:
        from matplotlib.figure import Figure

        ax = Figure(figsize=(9, 4), layout="constrained").add_subplot()
    if train is not None:
        ax.plot(train_x, train_y, color="0.6", label="train")
    ax.plot(true_x, true_y, color="C0", label="true")
    ax.plot(true_x, pred_y, color="C1", linestyle="--", label="predicted")
    ax.set_xlabel(_index_label(y_true, train))
    ax.set_ylabel(_value_label(y_true, train))
    if title is not None:
        ax.set_title(title)
    ax.legend()
    ax.grid(True, alpha=0.3)
    if isinstance(getattr(y_true, "index", None), pd.DatetimeIndex):
        from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

        locator = AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    return ax


def _positions(values, name):
    """x and y of a Series (its index) or an array (0, 1, ...)."""
    if isinstance(values, pd.Series):
        index = values.index
        x = (
            index.to_numpy()
            if isinstance(index, pd.DatetimeIndex)
            else np.asarray(index)
        )
        return x, values.to_numpy(dtype=float)
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
