"""The ``sklstm`` command: its parser and `main` (``python -m sklstm``).

One subcommand per task: ``demo``, ``forecast`` (one or several columns of a
CSV file) and ``predict`` (again, from a saved model). The work is imported when a
subcommand runs, so ``--help`` answers without loading TensorFlow. Problems
with the user's files are reported in one line on stderr, with exit code 2.
"""

import argparse
import sys
from pathlib import Path

from .._version import __version__


def build_parser():
    """The argument parser of the ``sklstm`` command."""
    parser = argparse.ArgumentParser(
        prog="sklstm",
        description="The Keras LSTM time-series recipe as scikit-learn estimators.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    commands = parser.add_subparsers(
        title="commands", dest="command", metavar="COMMAND", required=True
    )
    demo = commands.add_parser(
        "demo",
        help="search, score and plot the LSTM recipe on the airline series",
        description=(
            "Run the recipe on the airline passengers series (1949-1960): "
            "MinMaxScaler -> WindowTransformer -> LSTMForecaster in GridSearchCV "
            "over TimeSeriesSplit(n_splits=3) on the first 80%; print the "
            "search results, the held-out one-step-ahead MAE and MASE beside "
            "the naive and seasonal naive forecasts, and save a plot of true "
            "against predicted values. Takes a few minutes on 2 CPU cores."
        ),
    )
    demo.add_argument(
        "--output",
        type=png_path,
        default=Path("sklstm-demo.png"),
        metavar="PATH",
        help="where to save the PNG plot (default: %(default)s)",
    )
    demo.add_argument(
        "--quick",
        action="store_true",
        help="tiny networks and two candidates: seconds instead of minutes",
    )
    demo.add_argument(
        "--seed",
        type=int,
        default=0,
        help="random_state of the LSTM (default: %(default)s)",
    )
    _add_forecast_parser(commands)
    _add_predict_parser(commands)
    return parser


def positive_int(text):
    """An argparse type: an integer >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number")
    return value


def at_least_two(text):
    """An argparse type: an integer >= 2 (a number of folds)."""
    value = positive_int(text)
    if value < 2:
        raise argparse.ArgumentTypeError("it takes at least 2 folds")
    return value


def png_path(text):
    """An argparse type: a plot's path, ``.png`` added where it has no suffix
    (the file matplotlib writes)."""
    path = Path(text)
    return path if path.suffix else path.with_name(path.name.rstrip(".") + ".png")


def positive_ints(text):
    """An argparse type: one or several comma-separated integers >= 1."""
    return [positive_int(part.strip()) for part in text.split(",")]


def power(text):
    """An argparse type: "auto", "none" (None) or an exponent in [0, 1]."""
    if text in ("auto", "none"):
        return None if text == "none" else text
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not auto, none or a number from 0 to 1, e.g. 0.5"
        )
    return value


def coverage(text):
    """An argparse type: a share strictly between 0 and 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1, e.g. 0.9")
    return value


def _add_output_arguments(command):
    """The options ``forecast`` and ``predict`` share: what to forecast and write."""
    command.add_argument(
        "--steps",
        type=positive_int,
        required=True,
        metavar="N",
        help="how many steps after the last row to forecast",
    )
    command.add_argument(
        "--output",
        type=Path,
        metavar="FILE.csv",
        help="write the forecast there (first column: the future dates; then "
        "forecast, lower, upper for one series; for several, each series' column "
        "and its _lower and _upper; a long file (--id-col) is written long: "
        "id,date,forecast,lower,upper) instead of printing it",
    )
    command.add_argument(
        "--plot",
        type=png_path,
        metavar="FILE.png",
        help="save a plot of the history, the forecast and its interval (for "
        "several series, a grid of up to 9: a sample and the worst in the "
        "held-out windows)",
    )
    command.add_argument(
        "--quiet",
        action="store_true",
        help="print nothing but the forecast table (when there is no --output), "
        "and no progress",
    )


def _add_forecast_parser(commands):
    forecast = commands.add_parser(
        "forecast",
        help="tune, fit and forecast columns of a CSV file, with intervals",
        description=(
            "Forecast the next N values of a column of a CSV file with the "
            "LSTM recipe (MinMaxScaler -> WindowTransformer -> LSTMForecaster). "
            "The rows must be evenly spaced in time (the frequency is inferred "
            "from the dates). With several values for --time-step, --units or "
            "--epochs, GridSearchCV over TimeSeriesSplit picks the candidate "
            "with the lowest MAE of one-step-ahead forecasts; the best is "
            "fitted on the whole series and forecasts recursively, with split "
            "conformal prediction intervals calibrated for each step ahead. "
            "Several columns are several series: one model for all of them, "
            "the README's many-series call (all --steps at once, one network "
            "per window length of 1, 1.5, 2 and 3 times --steps, a quarter of "
            "the Theta method), searched only where several values are given, "
            "on the MAE relative to the naive forecast's (averaged over "
            "series), with intervals calibrated on every series' held-out "
            "last steps relative to its own scale; a series may start late "
            "(empty cells before its first value). A long file (one row per "
            "series and date, --id-col) is read the same way and the forecast "
            "written long."
        ),
    )
    forecast.add_argument("csv", type=Path, metavar="CSV", help="the data file")
    forecast.add_argument(
        "--target",
        metavar="COLUMN[,COLUMN...]",
        help="the column to forecast, or several comma-separated columns "
        "(default: every column with numbers other than the dates)",
    )
    forecast.add_argument(
        "--id-col",
        metavar="COLUMN",
        help="read a long file: this column names the series, one row per "
        "series and date (with --target the column of values, --time-col the "
        "dates); the forecast is written long, one row per series and date",
    )
    forecast.add_argument(
        "--time-col",
        metavar="COLUMN",
        help="the column of dates, e.g. 2024-01-31, 2024-01, 20240131 (YYYYMMDD), "
        "202401 (YYYYMM) or 2024 (default: the first other column)",
    )
    _add_output_arguments(forecast)
    forecast.add_argument(
        "--coverage",
        type=coverage,
        metavar="P",
        help="share of future values the intervals should hold (default: 0.9)",
    )
    forecast.add_argument(
        "--save-model",
        type=Path,
        metavar="FILE.joblib",
        help="save the fitted model, to forecast again with sklstm predict",
    )
    forecast.add_argument(
        "--plot-search",
        type=png_path,
        metavar="FILE.png",
        help="save a heatmap of the search's MAE over time_step x units",
    )
    forecast.add_argument(
        "--plot-loss",
        type=png_path,
        metavar="FILE.png",
        help="save the training loss per epoch of the final model",
    )
    grid = forecast.add_argument_group(
        "model and search",
        "One value fixes a parameter; several comma-separated values are "
        "searched (e.g. --units 16,50).",
    )
    grid.add_argument(
        "--time-step",
        type=positive_ints,
        metavar="T[,T...]",
        help="window lengths in rows (default: one and two seasons when the "
        "frequency has one, e.g. 12,24 for months, else 6,12; only those that "
        "fit the training folds; several series: one model for each of N, "
        "1.5N, 2N and 3N rows, N = --steps, their mean forecast)",
    )
    grid.add_argument(
        "--units",
        type=positive_ints,
        metavar="U[,U...]",
        help="width of each LSTM layer (default: 16,50; several series: 50)",
    )
    grid.add_argument(
        "--epochs",
        type=positive_ints,
        metavar="E[,E...]",
        help="training epochs (default: 20; several series: auto, about 8,000 "
        "gradient steps)",
    )
    grid.add_argument(
        "--power",
        type=power,
        default="auto",
        metavar="P",
        help="exponent of the VarianceStabilizer applied to the series before "
        "the model: auto (chosen from the data), a number from 0 (a log) to 1 "
        "(no change), or none for the recipe's pipeline (default: auto)",
    )
    grid.add_argument(
        "--layers",
        type=positive_int,
        metavar="N",
        default=2,
        help="stacked LSTM layers (default: %(default)s)",
    )
    grid.add_argument(
        "--folds",
        type=at_least_two,
        metavar="K",
        default=3,
        help="TimeSeriesSplit folds of the search (default: %(default)s)",
    )
    grid.add_argument(
        "--interval-folds",
        type=at_least_two,
        metavar="K",
        help="folds over the latest half of the series that calibrate the "
        "intervals (default: 5); for several series, held-out windows of --steps "
        "rows (default: enough for 20 errors a step, at most 5)",
    )
    grid.add_argument(
        "--seed",
        type=int,
        default=0,
        metavar="N",
        help="random_state of the LSTM (default: %(default)s)",
    )


def _add_predict_parser(commands):
    predict = commands.add_parser(
        "predict",
        help="forecast again from a model saved by sklstm forecast --save-model",
        description=(
            "Forecast the next N values after the last row of a CSV file with "
            "a model saved by sklstm forecast --save-model, without training. "
            "The file must hold the series the model was fitted on (the same "
            "columns and frequency), possibly with newer rows appended. The "
            "model file is unpickled: load only files you trust."
        ),
    )
    predict.add_argument(
        "--model", type=Path, required=True, metavar="FILE.joblib", help="the model"
    )
    predict.add_argument("csv", type=Path, metavar="CSV", help="the data file")
    _add_output_arguments(predict)
    predict.add_argument(
        "--coverage",
        type=coverage,
        metavar="P",
        help="share of future values the intervals should hold (default: the "
        "coverage the model was saved with)",
    )


def _check_paths(parser, args):
    """Output folders exist and no output overwrites an input, before any work."""
    inputs = {args.csv.resolve()}
    if getattr(args, "model", None):
        inputs.add(args.model.resolve())
    for option in ("output", "plot", "plot_search", "plot_loss", "save_model"):
        path = getattr(args, option, None)
        if path is None:
            continue
        flag = "--" + option.replace("_", "-")
        if not path.parent.is_dir():
            parser.error(f"{flag} {path}: the folder {path.parent} does not exist.")
        if path.resolve() in inputs:
            parser.error(f"{flag} {path} would overwrite an input file.")


def main(argv=None):
    """Run the ``sklstm`` command.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments after the program name; by default ``sys.argv[1:]``.

    Returns
    -------
    exit_code : int
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "demo":
        folder = args.output.parent
        if not folder.is_dir():
            parser.error(f"--output {args.output}: the folder {folder} does not exist.")
        from ._demo import run_demo

        return run_demo(args.output, quick=args.quick, seed=args.seed)
    if args.command in ("forecast", "predict"):
        _check_paths(parser, args)
        from ._errors import one_line
        from ._forecast import run_forecast
        from ._predict import run_predict

        run = run_forecast if args.command == "forecast" else run_predict
        try:
            return run(args)
        except (ValueError, TypeError, OSError) as error:
            # bad files and settings (InputError), values the estimators
            # refuse, outputs that cannot be written: one line, no traceback
            print(f"sklstm {args.command}: error: {one_line(error)}", file=sys.stderr)
            return 2
    parser.error(f"unknown command {args.command!r}")  # pragma: no cover
