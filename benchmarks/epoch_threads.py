"""One M3 monthly epoch under TensorFlow's thread and oneDNN settings.

The network of ``make_forecast_pipeline(LSTMForecaster(random_state=0),
time_step=36, output_steps=18)`` on M3's 1,428 monthly training parts is
fitted for 2 and for 8 epochs; one epoch is the difference over 6 (setup and
tracing cancel out). Each setting runs in a fresh process, since TensorFlow
reads these variables once, when it starts; the defaults run first and last
to show the run-to-run spread.

Run from the repository root::

    python benchmarks/epoch_threads.py
"""

import json
import os
import subprocess
import sys
import time

SETTINGS = [
    {},
    {"TF_NUM_INTRAOP_THREADS": "2", "TF_NUM_INTEROP_THREADS": "1"},
    {"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "2"},
    {"TF_ENABLE_ONEDNN_OPTS": "0"},
    {},
]


def epoch_seconds():
    """Fit 2 and 8 epochs in this process; one epoch's seconds."""
    import warnings

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    warnings.filterwarnings("ignore")
    from panels import load_panel

    from sklstm import LSTMForecaster, make_forecast_pipeline

    train, _, h, _ = load_panel("m3-monthly")
    seconds = {}
    for epochs in (2, 8):
        lstm = LSTMForecaster(epochs=epochs, random_state=0)
        model = make_forecast_pipeline(lstm, time_step=36, output_steps=h)
        start = time.perf_counter()
        model.fit(train, train)
        seconds[epochs] = time.perf_counter() - start
    return (seconds[8] - seconds[2]) / 6


def main():
    """Time an epoch under each of `SETTINGS`, each in a fresh process."""
    if sys.argv[1:] == ["--one"]:
        print(json.dumps(epoch_seconds()))
        return
    print("| environment | s an epoch |\n|---|---|")
    for setting in SETTINGS:
        run = subprocess.run(
            [sys.executable, __file__, "--one"],
            env={**os.environ, **setting},
            capture_output=True,
            text=True,
            check=True,
        )
        label = " ".join(f"{k}={v}" for k, v in setting.items()) or "(defaults)"
        print(f"| {label} | {json.loads(run.stdout.splitlines()[-1]):.2f} |")


if __name__ == "__main__":
    main()
