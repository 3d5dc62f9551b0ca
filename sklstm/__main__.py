"""Command line: ``python -m sklstm demo``, also installed as ``sklstm``.

One subcommand per task (only ``demo`` so far). The work is imported when a
subcommand runs, so ``--help`` answers without loading TensorFlow.
"""

import argparse
import sys
from pathlib import Path

from . import __version__


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
        type=Path,
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
    return parser


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
    parser.error(f"unknown command {args.command!r}")  # pragma: no cover


if __name__ == "__main__":
    sys.exit(main())
