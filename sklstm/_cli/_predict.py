"""``sklstm predict``: forecast a CSV file again with a model saved by
``sklstm forecast --save-model``, without training."""

import pandas as pd

from .._panel_conformal import PanelConformalForecaster
from ._errors import InputError, MissingColumnError, one_line
from ._forecast import (
    _check_one_series_options,
    _describe_data,
    _describe_params,
    _forecast,
    _read,
    _reporter,
    _write_forecast,
)
from ._model_file import load_model


def run_predict(args, out=None):
    """Forecast from a model saved by ``sklstm forecast --save-model``.

    Parameters
    ----------
    args : argparse.Namespace
        Parsed ``sklstm predict`` options.
    out : file, default=None
        Where the report goes; by default ``sys.stdout`` at the time of the call.

    Returns
    -------
    exit_code : int
        0; bad input raises `InputError`.
    """
    say = _reporter(out, args.quiet)
    saved = load_model(args.model)
    args.id_col = saved.get("id_col")  # absent from files of earlier releases
    target = saved["target"] if args.id_col is None else saved["value_col"]
    y = _read_saved_columns(args, saved, target)
    if y.index.freq != pd.tseries.frequencies.to_offset(saved["freq"]):
        raise InputError(
            f"{args.csv} has frequency {y.index.freq.freqstr}, but the model was "
            f"fitted on {saved['freq']} data."
        )
    model = saved["model"]
    if y.ndim == 2 and not isinstance(model, PanelConformalForecaster):
        _check_one_series_options(args, y)  # saved without panel intervals
        coverage = None
    else:
        calibrated = getattr(model, "steps", None) or model.max_steps
        if args.steps > calibrated:
            raise InputError(
                f"the model's intervals are calibrated up to {calibrated} steps "
                f"ahead, not {args.steps}; use --steps {calibrated} or less, or run "
                f"sklstm forecast again with --steps {args.steps}."
            )
        coverage = args.coverage or model.coverage
    say(_describe_data(args.csv, y))
    say(f"model: {args.model}, {_describe_params(saved['params'])}")
    try:
        forecast = _forecast(model, y, args.steps, coverage)
    except ValueError as error:
        raise InputError(
            f"cannot forecast {args.csv} with {args.model}: {one_line(error)}"
        ) from None
    _write_forecast(
        forecast, y, args, say, coverage=coverage, params=saved["params"], model=model
    )
    return 0


def _read_saved_columns(args, saved, target):
    """The series of ``args.csv`` in the columns the model was fitted on; a
    missing one named without the options of ``forecast`` that ``predict``
    has not."""
    try:
        return _read(args, target, saved["time_col"])
    except MissingColumnError as error:
        missing = MissingColumnError(error.path, error.column, error.columns)
        target = target if isinstance(target, str) else ", ".join(target)
        columns = [saved["time_col"], args.id_col, target]
        names = ", ".join(name for name in columns if name is not None)
        raise InputError(
            f"{missing} {args.model} forecasts the columns it was fitted on "
            f"({names}); name the file's columns so."
        ) from None
