"""`plot_panel_forecast`: many series and their forecasts, a grid of small
panels; public as `sklstm.plotting.plot_panel_forecast`.

Like `sklstm.plotting`, it imports matplotlib inside the function and nothing
of the package.
"""

import numpy as np
import pandas as pd

INTERVAL_ALPHA = 0.25
"""Opacity of the shaded prediction interval."""


def plot_panel_forecast(
    history,
    forecast,
    *,
    series=None,
    errors=None,
    max_series=9,
    n_worst=None,
    coverage=None,
    ncols=3,
    title=None,
    random_state=0,
):
    """Plot many series and their forecasts, one small panel each.

    Parameters
    ----------
    history : pandas.DataFrame of shape (n_timesteps, n_series)
        The observed series, one column each (a long table: see
        `sklstm.forecasting.from_long`), NaN before a series starts.
    forecast : pandas.DataFrame
        The forecasts of the steps after ``history``: columns ``("forecast" |
        "lower" | "upper", series)`` as `PanelConformalForecaster.forecast`
        returns them, a wide frame of forecasts alone, or a long table with
        the columns ``unique_id``, ``ds``, ``forecast`` (and ``lower``,
        ``upper``), as ``forecast(..., output="long")`` returns it.
    series : list, default=None
        The series to draw, in this order. By default every series when
        there are at most ``max_series``, else the ``n_worst`` with the
        largest ``errors`` and a random sample of the others.
    errors : array-like or pandas.Series of shape (n_series,), default=None
        A validation error of each series (e.g. the ``series_errors_`` of a
        fitted `PanelConformalForecaster`), in the order of ``history``'s
        columns or indexed by series; shown in the panels' titles.
    max_series : int, default=9
        The most panels drawn when ``series`` is None.
    n_worst : int, default=None
        Of those, how many are the worst by ``errors``; by default a third.
    coverage : float, default=None
        Coverage of the intervals, for the legend.
    ncols : int, default=3
        Panels a row.
    title : str, default=None
        Title of the figure.
    random_state : int, default=0
        Seeds the sample of series.

    Returns
    -------
    figure : matplotlib.figure.Figure
        Outside ``pyplot``; ``figure.axes`` holds one panel per series
        drawn, titled by the series' name (``"worst"`` and its error for the
        worst), with the history, the forecast (dashed) and the interval.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklstm.plotting import plot_panel_forecast
    >>> history = pd.DataFrame(np.arange(40.0).reshape(10, 4), columns=list("abcd"))
    >>> ahead = pd.DataFrame(np.ones((3, 4)), index=[10, 11, 12], columns=list("abcd"))
    >>> figure = plot_panel_forecast(history, ahead, max_series=3,
    ...                              errors=[0.5, 2.0, 1.0, 0.1])
    >>> [ax.get_title() for ax in figure.axes]
    ['b (worst, error 2)', 'c (error 1)', 'd (error 0.1)']
    """
    from matplotlib.figure import Figure

    centers, lowers, uppers = _panel_parts(forecast)
    names = list(history.columns)
    if errors is not None:
        errors = (
            errors.reindex(names)
            if isinstance(errors, pd.Series)
            else pd.Series(np.asarray(errors, dtype=float), index=names)
        )
    worst = []
    if series is None:
        series, worst = _panel_sample(names, errors, max_series, n_worst, random_state)
    unknown = [name for name in series if name not in names]
    if unknown:
        raise ValueError(
            f"series {unknown[0]!r} is not a column of history; its columns are "
            f"{', '.join(map(str, names[:10]))}{' ...' if len(names) > 10 else ''}."
        )
    nrows = -(-len(series) // ncols)
    figure = Figure(figsize=(4 * ncols, 2.6 * nrows), layout="constrained")
    axes = figure.subplots(nrows, ncols, squeeze=False).ravel()
    for ax, name in zip(axes[: len(series)], series, strict=True):
        past = history[name].dropna()
        ax.plot(past.index, past.to_numpy(float), color="C0", lw=1, label="history")
        center = centers[name]
        ax.plot(
            past.index[-1:].append(center.index),
            np.r_[past.to_numpy(float)[-1:], center.to_numpy(float)],
            color="C1",
            linestyle="--",
            lw=1,
            label="forecast",
        )
        if lowers is not None:
            label = "interval" if coverage is None else f"{coverage:.0%} interval"
            ax.fill_between(
                center.index,
                lowers[name].to_numpy(float),
                uppers[name].to_numpy(float),
                color="C1",
                alpha=INTERVAL_ALPHA,
                label=label,
            )
        notes = ["worst"] if name in worst else []
        if errors is not None and np.isfinite(errors[name]):
            notes.append(f"error {errors[name]:.3g}")
        ax.set_title(f"{name} ({', '.join(notes)})" if notes else str(name), fontsize=9)
        ax.tick_params(labelsize=7)
        ax.tick_params(axis="x", labelrotation=30)
        ax.grid(True, alpha=0.3)
    for ax in axes[len(series) :]:
        figure.delaxes(ax)
    axes[0].legend(fontsize=7, loc="upper left")
    if title:
        figure.suptitle(title)
    return figure


def _panel_parts(forecast):
    """Wide frames of the forecasts, lower and upper bounds (None without)."""
    if {"unique_id", "ds", "forecast"} <= set(forecast.columns):
        parts = [c for c in ("forecast", "lower", "upper") if c in forecast]
        forecast = forecast.pivot(index="ds", columns="unique_id", values=parts)
    if forecast.columns.nlevels == 2:
        if "lower" in forecast.columns.get_level_values(0):
            return forecast["forecast"], forecast["lower"], forecast["upper"]
        return forecast["forecast"], None, None
    return forecast, None, None


def _panel_sample(names, errors, max_series, n_worst, random_state):
    """The series drawn by default (the worst first), and the worst."""
    if len(names) <= max_series:
        return names, []
    worst = []
    if errors is not None:
        n_worst = max_series // 3 if n_worst is None else min(n_worst, max_series)
        worst = list(errors.dropna().sort_values(ascending=False).index[:n_worst])
    others = [name for name in names if name not in worst]
    rng = np.random.default_rng(random_state)
    picked = rng.choice(len(others), size=max_series - len(worst), replace=False)
    return worst + [others[i] for i in sorted(picked)], worst
