"""make_forecast_pipeline: the recommended forecasting model in one call."""

from sklearn.compose import TransformedTargetRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from ._power import VarianceStabilizer
from ._window import WindowTransformer


def make_forecast_pipeline(
    forecaster=None, *, time_step=12, horizon=1, power="auto", step="lstm"
):
    """``VarianceStabilizer -> MinMaxScaler -> WindowTransformer -> forecaster``.

    With a ``power``, the target is stabilised the same way and forecasts are
    transformed back (``TransformedTargetRegressor``): the model works on the
    stabilised series and answers in the units of ``y``. Grid parameters then
    start with ``regressor__`` (``regressor__window__time_step``,
    ``regressor__lstm__units``).

    Parameters
    ----------
    forecaster : regressor, default=None
        Anything that takes `WindowTransformer`'s output; ``None`` gives
        ``LSTMForecaster()``.
    time_step : int, default=12
        Window length.
    horizon : int, default=1
        Steps ahead that each row forecasts (`WindowTransformer`'s
        ``horizon``): 1 for one-step and recursive forecasts, ``h`` for a
        direct ``h``-step-ahead model.
    power : "auto", float in [0, 1] or None, default="auto"
        Exponent of the `VarianceStabilizer`. ``None`` leaves the series as it
        is and returns the Pipeline of the Keras recipe (MinMaxScaler ->
        WindowTransformer -> forecaster) without a wrapper.
    step : str, default="lstm"
        Name of the forecaster's step.

    Returns
    -------
    model : TransformedTargetRegressor or Pipeline
        Unfitted. ``X`` is the series as one column (or several columns, the
        target among them) and ``y`` the target, as for the Pipeline.

    Examples
    --------
    >>> from sklstm import NaiveForecaster, make_forecast_pipeline
    >>> model = make_forecast_pipeline(NaiveForecaster())
    >>> list(model.regressor.named_steps)
    ['stabilize', 'scale', 'window', 'lstm']
    >>> list(make_forecast_pipeline(NaiveForecaster(), power=None).named_steps)
    ['scale', 'window', 'lstm']
    """
    if forecaster is None:
        from ._forecaster import LSTMForecaster

        forecaster = LSTMForecaster()
    steps = [
        ("scale", MinMaxScaler()),
        ("window", WindowTransformer(time_step=time_step, horizon=horizon)),
        (step, forecaster),
    ]
    if power is None:
        return Pipeline(steps)
    return TransformedTargetRegressor(
        Pipeline([("stabilize", VarianceStabilizer(power))] + steps),
        transformer=VarianceStabilizer(power),
    )
