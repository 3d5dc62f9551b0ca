"""What ``sklstm forecast`` fits: the model and the grid of its options.

One series gets the recipe's pipeline, searched over ``time_step``, ``units``
and ``epochs``; several get the many-series call of the README. Their fits
print no warning about short series: the report says what they would.
"""

import contextlib
import warnings

from .._ensemble import LookbackEnsemble
from .._pipeline import make_forecast_pipeline
from ._search import make_lstm

UNITS, EPOCHS = [16, 50], [20]
"""Defaults of ``--units`` and ``--epochs`` for one series (searched)."""


def model_and_grid(args, several, season, time_steps):
    """The model to fit, the grid of the options given (or their defaults)
    and the fixed settings to report.

    One series: the recipe's pipeline, one-step windows, a grid over
    ``time_step``, ``units`` (default 16 and 50) and ``epochs`` (default 20).
    Several: the many-series call of the README, ``steps`` forecast at once
    and a quarter of the Theta method (`make_forecast_pipeline` with
    ``output_steps``, ``combine="theta"``); by default the window lengths of
    ``time_step="auto"`` (a `LookbackEnsemble`) and the LSTM's own ``units``
    and ``epochs="auto"``, which the options given replace.
    """
    lstm = make_lstm(seed=args.seed, n_layers=args.layers)
    values = {
        "window__time_step": time_steps,
        "lstm__units": args.units or ([lstm.units] if several else UNITS),
        "lstm__epochs": args.epochs or ([lstm.epochs] if several else EPOCHS),
    }
    fixed = {}
    if several:
        pipeline = make_forecast_pipeline(
            lstm,
            # no --time-step: one member per length of "auto"
            time_step=time_steps if args.time_step is None else time_steps[0],
            output_steps=args.steps,
            combine="theta",
            season=season or 1,
            power=args.power,
        )
        if args.time_step is None:
            del values["window__time_step"]
            fixed["time_step"] = ",".join(map(str, time_steps))
    else:
        pipeline = make_forecast_pipeline(lstm, power=args.power)
    grid = {param_name(pipeline, name): v for name, v in values.items()}
    return pipeline, grid, fixed


def shortest_window(model):
    """The shortest window of ``model``, the network's part of the
    many-series call (a `LookbackEnsemble` or one pipeline)."""
    if isinstance(model, LookbackEnsemble):
        return min(model.time_steps)
    return model.get_params()[param_name(model, "window__time_step")]


def param_name(model, suffix):
    """The one parameter of ``model`` named ``suffix`` or ``...__suffix``
    (``lstm__units`` is ``estimator__regressor__lstm__units`` in a
    `ThetaCombination`)."""
    names = [
        name
        for name in model.get_params()
        if name == suffix or name.endswith(f"__{suffix}")
    ]
    if len(names) != 1:  # a model this module does not build
        raise RuntimeError(f"{suffix!r} names {names} of {type(model).__name__}.")
    return names[0]


@contextlib.contextmanager
def panel_warnings_said():
    """Silence the fit's warnings about short series, which the report says.

    A late series may have no values in the first folds (the scaler's all-NaN
    column) or too few for a window (left out of them, and forecast by Theta
    alone where it has none); a window length too long for the rows is left
    out of the ensemble.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "All-NaN slice", RuntimeWarning)
        warnings.filterwarnings("ignore", r"Series .* too short", UserWarning)
        warnings.filterwarnings("ignore", r"time_step .* left out", UserWarning)
        yield
