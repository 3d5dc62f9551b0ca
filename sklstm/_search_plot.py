"""`plot_search_heatmap`: a grid search's scores over two parameters;
public as `sklstm.plotting.plot_search_heatmap`.

Like `sklstm.plotting`, it imports matplotlib inside the function and nothing
of the package.
"""

import numpy as np
import pandas as pd


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
        from matplotlib.figure import Figure

        figsize = (1.4 * best.shape[1] + 3, 0.8 * best.shape[0] + 2)
        ax = Figure(figsize=figsize, layout="constrained").add_subplot()
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
