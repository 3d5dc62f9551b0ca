"""Real series shipped with sklstm."""

from importlib import resources

import pandas as pd

__all__ = ["load_airline"]


def load_airline():
    """Monthly international airline passengers, 1949-01 to 1960-12.

    Box & Jenkins' classic series (thousands of passengers): trend and a
    yearly season that grows with the level. 144 values.

    Returns
    -------
    y : pandas.Series
        Named ``"passengers"``, float, with a monthly DatetimeIndex
        (frequency ``"MS"``) named ``"month"``.

    Examples
    --------
    >>> from sklstm import load_airline
    >>> y = load_airline()
    >>> y.shape, y.index.freqstr
    ((144,), 'MS')
    """
    with resources.files(__package__).joinpath("airline.csv").open() as f:
        frame = pd.read_csv(f)
    index = pd.DatetimeIndex(pd.to_datetime(frame["ds"]), freq="MS", name="month")
    return pd.Series(frame["y"].to_numpy(float), index=index, name="passengers")
