"""sklstm: the Keras LSTM time-series recipe as scikit-learn estimators.

``import sklstm`` stays light: TensorFlow loads on first use of
`LSTMForecaster`.
"""

from ._baselines import CompleteWindows, NaiveForecaster, SeasonalNaiveForecaster
from ._combination import ThetaCombination
from ._conformal import ConformalForecaster
from ._ensemble import LookbackEnsemble
from ._panel_conformal import PanelConformalForecaster
from ._persistence import InconsistentVersionWarning
from ._pipeline import StabilizedTargetRegressor, make_forecast_pipeline
from ._power import VarianceStabilizer
from ._theta import ThetaForecaster
from ._validation import TooFewWindowsError
from ._version import __version__ as __version__
from ._window import WindowArray, WindowTransformer
from .datasets import load_airline

__all__ = [
    "CompleteWindows",
    "ConformalForecaster",
    "InconsistentVersionWarning",
    "LSTMForecaster",
    "LookbackEnsemble",
    "NaiveForecaster",
    "PanelConformalForecaster",
    "SeasonalNaiveForecaster",
    "StabilizedTargetRegressor",
    "ThetaCombination",
    "ThetaForecaster",
    "TooFewWindowsError",
    "VarianceStabilizer",
    "WindowArray",
    "WindowTransformer",
    "load_airline",
    "make_forecast_pipeline",
]


def __getattr__(name):
    if name == "LSTMForecaster":
        from ._lstm._forecaster import LSTMForecaster

        return LSTMForecaster
    raise AttributeError(f"module 'sklstm' has no attribute {name!r}")
