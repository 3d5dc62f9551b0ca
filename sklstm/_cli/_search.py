"""The grid search that ``sklstm demo`` and ``sklstm forecast`` share.

`make_lstm` is the forecaster they search over, `search_forecaster` the
search (``GridSearchCV`` over ``TimeSeriesSplit``) and `search_results_table`
its results as the table both print.
"""

import pandas as pd
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

SCORING = "neg_mean_absolute_error"

# Small enough for a test: one candidate fit takes about a second on 2 cores.
QUICK_LSTM = dict(units=4, n_layers=1, epochs=1, batch_size=16)


def make_lstm(*, quick=False, seed=0, **params):
    """The default `LSTMForecaster`, or a tiny one with ``quick``; ``params``
    set others."""
    from .._lstm._forecaster import LSTMForecaster

    return LSTMForecaster(random_state=seed, **(QUICK_LSTM if quick else {}), **params)


def search_forecaster(pipeline, param_grid, y_train, *, n_splits=3, scoring=SCORING):
    """Fit ``GridSearchCV(pipeline, param_grid)`` on the train part.

    Folds come from ``TimeSeriesSplit(n_splits)``, each test fold right after
    its train fold, so `WindowTransformer` completes the windows of the test
    rows from the train rows. Candidates are ranked by ``scoring`` (the mean
    absolute error by default), and the best one is refitted on the whole
    train part. A failing candidate raises instead of being scored NaN.

    Parameters
    ----------
    pipeline : sklearn.pipeline.Pipeline
    param_grid : dict or list of dict
    y_train : pandas.Series or pandas.DataFrame
        The train part: one series, whose ``X`` is the series as one column,
        or one column per series, which is also ``X``.
    n_splits : int, default=3
    scoring : str or callable, default="neg_mean_absolute_error"

    Returns
    -------
    search : GridSearchCV
        Fitted.
    """
    search = GridSearchCV(
        pipeline,
        param_grid,
        cv=TimeSeriesSplit(n_splits=n_splits),
        scoring=scoring,
        error_score="raise",
    )
    X = y_train if y_train.ndim == 2 else y_train.to_frame()
    return search.fit(X, y_train)


def search_results_table(search):
    """The candidates of a fitted search, best first.

    Parameters
    ----------
    search : GridSearchCV
        Fitted with ``scoring="neg_mean_absolute_error"``.

    Returns
    -------
    table : pandas.DataFrame
        Columns ``rank``, one per searched parameter (short name when it is
        unambiguous), ``mean test MAE``, ``std test MAE`` and ``fit time (s)``
        (mean per fold).
    """
    results = search.cv_results_
    grids = search.param_grid
    names = dict.fromkeys(
        name
        for grid in ([grids] if isinstance(grids, dict) else grids)
        for name in grid
    )
    params = pd.DataFrame(list(results["params"]), columns=list(names))
    short = {name: name.rsplit("__", 1)[-1] for name in params.columns}
    if len(set(short.values())) == len(short):
        params = params.rename(columns=short)
    params = params.map(_describe_value)
    table = pd.concat(
        [
            pd.DataFrame({"rank": results["rank_test_score"]}),
            params,
            pd.DataFrame(
                {
                    "mean test MAE": -results["mean_test_score"],
                    "std test MAE": results["std_test_score"],
                    "fit time (s)": results["mean_fit_time"],
                }
            ),
        ],
        axis=1,
    )
    return table.sort_values("rank", kind="stable").reset_index(drop=True)


def best_params(table):
    """The parameters of the first row of `search_results_table`, as a dict."""
    columns = list(table.columns)
    params = columns[columns.index("rank") + 1 : columns.index("mean test MAE")]
    return table[params].head(1).to_dict("records")[0]


def _describe_value(value):
    """Parameter values for a table: estimators by class name."""
    if hasattr(value, "get_params"):
        return type(value).__name__
    return value
