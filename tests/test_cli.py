"""``python -m sklstm demo``: exit code, printed results, the PNG, quiet output."""

import os
import re
import subprocess
import sys
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest

from sklstm import (
    LSTMForecaster,
    PanelConformalForecaster,
    ThetaCombination,
    ThetaForecaster,
    load_airline,
    make_forecast_pipeline,
)
from sklstm.__main__ import main
from sklstm._cli._csv import read_series
from sklstm.forecasting import forecast as forecast_series

from .conftest import read_shared_series

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# What TensorFlow, absl and the C++ runtime print when they are not silenced.
TF_LOG = re.compile(
    r"cuda|absl|onednn|tensorflow|cpu_feature_guard|xla|^[IWEF]\d{4} ",
    re.IGNORECASE | re.MULTILINE,
)


def clean_env():
    """The environment of a user who set nothing: TensorFlow at its defaults."""
    env = dict(os.environ)
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)
    env.pop("MPLBACKEND", None)
    return env


def run_sklstm(*args, cwd=None, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "sklstm", *args],
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=cwd,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def quick_demo(tmp_path_factory):
    """One run of the quick demo, shared by the tests of this module."""
    folder = tmp_path_factory.mktemp("demo")
    png = folder / "x.png"  # written for "x": matplotlib's suffix, said as it is
    result = run_sklstm(
        "demo", "--quick", "--output", str(folder / "x"), cwd=folder, timeout=600
    )
    return result, png


def test_demo_exits_0(quick_demo):
    result, _ = quick_demo
    assert result.returncode == 0, result.stderr


def test_demo_is_quiet(quick_demo):
    result, _ = quick_demo
    assert TF_LOG.search(result.stdout) is None, result.stdout
    assert TF_LOG.search(result.stderr) is None, result.stderr
    assert result.stderr == ""


def test_demo_prints_the_search_table_sorted_by_rank(quick_demo):
    out = quick_demo[0].stdout
    header = re.search(
        r"^ *rank +time_step +units +epochs +mean test MAE +std test MAE "
        r"+fit time \(s\)$",
        out,
        re.MULTILINE,
    )
    assert header, out
    rows = re.findall(
        r"^ *(\d+) +(\d+) +(\d+) +(\d+) +([\d.]+) +([\d.]+) +([\d.]+)$",
        out[header.end() :],
        re.MULTILINE,
    )
    assert len(rows) == 2, out  # the quick grid
    ranks = [int(row[0]) for row in rows]
    mae = [float(row[4]) for row in rows]
    assert ranks == sorted(ranks) and ranks[0] == 1
    assert mae == sorted(mae) and mae[0] > 0
    assert {row[1:4] for row in rows} == {("12", "4", "1"), ("12", "4", "2")}
    assert all(float(row[6]) > 0 for row in rows)  # fit times
    # The held-out LSTM is the best of the search.
    best = rows[0]
    assert f"LSTM (time_step={best[1]}, units={best[2]}, epochs={best[3]})" in out


def printed_scores(out, label):
    match = re.search(rf"^{label} +([\d.]+) +([\d.]+)$", out, re.MULTILINE)
    assert match, f"no scores for {label!r} in:\n{out}"
    return float(match[1]), float(match[2])


def test_demo_prints_held_out_scores(quick_demo):
    out = quick_demo[0].stdout
    y = load_airline().to_numpy()
    n_train = round(0.8 * len(y))
    test = np.arange(n_train, len(y))
    scale = np.mean(np.abs(y[12:n_train] - y[: n_train - 12]))
    expected = {
        "naive": np.mean(np.abs(y[test] - y[test - 1])),
        r"seasonal naive \(season 12\)": np.mean(np.abs(y[test] - y[test - 12])),
    }
    assert f"MASE = MAE / {scale:.2f}" in out
    for label, mae in expected.items():
        printed_mae, printed_mase = printed_scores(out, label)
        assert printed_mae == pytest.approx(mae, abs=1e-3)
        assert printed_mase == pytest.approx(mae / scale, abs=1e-3)
    lstm_mae, lstm_mase = printed_scores(out, r"LSTM \(.*\)")
    assert lstm_mae > 0
    assert lstm_mase == pytest.approx(lstm_mae / scale, abs=2e-3)


def test_demo_saves_a_png(quick_demo):
    result, png = quick_demo
    assert f"plot saved to {png.resolve()}" in result.stdout
    data = png.read_bytes()
    assert data[:8] == PNG_MAGIC
    assert len(data) > 10_000
    # Nothing else was written in the working folder.
    assert sorted(p.name for p in png.parent.iterdir()) == ["x.png"]


def test_help():
    result = run_sklstm("--help")
    assert result.returncode == 0, result.stderr
    assert "usage: sklstm" in result.stdout
    assert "demo" in result.stdout


def test_demo_help():
    result = run_sklstm("demo", "--help")
    assert result.returncode == 0, result.stderr
    for option in ("--output", "--quick", "--seed"):
        assert option in result.stdout


def test_help_does_not_load_tensorflow():
    code = (
        "import sys\n"
        "from sklstm.__main__ import main\n"
        "try:\n"
        "    main(['demo', '--help'])\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0, exit.code\n"
        "assert 'tensorflow' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_missing_command_is_an_error():
    result = run_sklstm()
    assert result.returncode == 2
    assert "required" in result.stderr


def test_missing_output_folder_fails_before_training(tmp_path):
    result = run_sklstm("demo", "--output", str(tmp_path / "nowhere" / "x.png"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert "search:" not in result.stdout


def test_console_script():
    script = Path(sys.executable).with_name("sklstm")
    if not script.exists():
        pytest.skip("the sklstm console script is not installed next to python")
    result = subprocess.run(
        [str(script), "demo", "--help"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "usage: sklstm demo" in result.stdout


# --- sklstm forecast / predict: CSV files in, forecasts, plots and models out ---

# The smallest model and search: 2 candidates x 2 folds, 2 calibration folds.
TINY = ["--units", "4", "--epochs", "1", "--layers", "1", "--interval-folds", "2"]
TINY_SEARCH = [*TINY, "--time-step", "4,8", "--folds", "2"]


def write_csv(path, n_rows=60, freq="D", start="2021-01-01", **changes):
    """A smooth daily series as ``date,sales``; ``changes``: line -> row or None."""
    dates = pd.date_range(start, periods=n_rows, freq=freq).strftime("%Y-%m-%d")
    values = 10 + np.sin(np.arange(n_rows) / 3)
    lines = [
        "date,sales",
        *(f"{d},{v:.4f}" for d, v in zip(dates, values, strict=True)),
    ]
    for line, row in changes.items():
        lines[int(line.removeprefix("line")) - 1] = row
    path.write_text("\n".join(line for line in lines if line is not None) + "\n")
    return path


@pytest.fixture(scope="module")
def forecast_run(tmp_path_factory):
    """One searched forecast with every output, shared by the tests below."""
    folder = tmp_path_factory.mktemp("forecast")
    data = write_csv(folder / "sales.csv")
    before = data.read_bytes()
    paths = {
        name: folder / name
        for name in ("out.csv", "plot.png", "search.png", "loss.png", "m.joblib")
    }
    argv = [
        "forecast", str(data), "--target", "sales", "--steps", "5", *TINY_SEARCH,
        "--output", str(paths["out.csv"]), "--plot", str(paths["plot.png"]),
        "--plot-search", str(paths["search.png"]),
        "--plot-loss", str(paths["loss.png"]),
        "--save-model", str(paths["m.joblib"]),
    ]  # fmt: skip
    code, out, err = run_main(argv)
    assert data.read_bytes() == before  # the input is only read
    return code, out, err, data, paths


def run_main(argv):
    """Run ``main(argv)`` in this process; (exit code, stdout, stderr)."""
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit:
            code = exit.code
    return code, out.getvalue(), err.getvalue()


def test_forecast_writes_future_dates_and_intervals(forecast_run):
    code, out, err, _, paths = forecast_run
    assert code == 0, err
    assert err == ""  # stderr is no terminal: no progress line
    forecast = pd.read_csv(paths["out.csv"])
    assert list(forecast.columns) == ["date", "forecast", "lower", "upper"]
    dates = pd.date_range("2021-03-02", periods=5, freq="D").strftime("%Y-%m-%d")
    assert list(forecast["date"]) == list(dates)  # the 5 days after the last row
    assert (forecast["lower"] <= forecast["forecast"]).all()
    assert (forecast["forecast"] <= forecast["upper"]).all()
    assert np.isfinite(forecast[["forecast", "lower", "upper"]].to_numpy()).all()
    assert re.search(r"search: 2 candidates x TimeSeriesSplit\(n_splits=2\)", out)
    assert re.search(r"^ *rank +time_step +units +epochs +mean test MAE", out, re.M)
    assert f"forecast saved to {paths['out.csv']}" in out


def test_forecast_saves_pngs(forecast_run):
    code, out, _, _, paths = forecast_run
    assert code == 0
    for name in ("plot.png", "search.png", "loss.png"):
        data = paths[name].read_bytes()
        assert data[:8] == PNG_MAGIC, name
        assert len(data) > 10_000, name
        assert str(paths[name]) in out


def test_predict_from_the_saved_model_gives_the_same_forecast(forecast_run, capsys):
    _, _, _, data, paths = forecast_run
    again = paths["out.csv"].with_name("again.csv")
    argv = ["predict", "--model", str(paths["m.joblib"]), str(data), "--steps", "5"]
    code, _, err = run_main([*argv, "--output", str(again), "--quiet"])
    assert code == 0, err
    assert again.read_text() == paths["out.csv"].read_text()

    # Without --output the table goes to stdout; --quiet leaves only the table.
    code, out, _ = run_main([*argv, "--quiet"])
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["forecast", "lower", "upper"]
    assert [line.split()[0] for line in lines[2:]] == list(
        pd.read_csv(again)["date"]
    )  # header, index name, then the 5 rows
    assert sorted(data.parent.iterdir()) == sorted([data, again, *paths.values()])


def test_predict_needs_intervals_calibrated_that_far(forecast_run):
    _, _, _, data, paths = forecast_run
    argv = ["predict", "--model", str(paths["m.joblib"]), str(data), "--steps", "6"]
    code, _, err = run_main(argv)
    assert code == 2
    assert "calibrated up to 5 steps" in err


def test_predict_names_the_columns_of_the_model_not_options_it_has_not(
    forecast_run, tmp_path
):
    _, _, _, data, paths = forecast_run
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(data.read_text().replace("date,sales", "date,revenue", 1))
    argv = ["predict", "--model", str(paths["m.joblib"]), str(renamed), "--steps", "5"]
    line = one_error_line(*run_main(argv))
    assert "no column 'sales'; its columns are: date, revenue" in line
    assert "fitted on (date, sales); name the file's columns so" in line
    assert "--target" not in line


def test_a_first_column_of_numbers_is_said_to_be_taken_for_the_dates(tmp_path):
    data = write_csv(tmp_path / "sales.csv")
    swapped = tmp_path / "swapped.csv"
    rows = [line.split(",") for line in data.read_text().splitlines()]
    swapped.write_text("".join(f"{value},{date}\n" for date, value in rows))
    line = one_error_line(*run_main(["forecast", str(swapped), "--steps", "2"]))
    assert "besides 'sales' (the first column, taken for the dates)" in line
    assert "--time-col" in line


def one_error_line(code, out, err):
    """The single stderr line of a refused input (and that nothing ran)."""
    assert code == 2, (out, err)
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


BAD_FILES = {
    "missing column": (
        {}, ["--target", "revenue"], r"no column 'revenue'.*columns are: date, sales"
    ),
    "missing time column": (
        {}, ["--target", "sales", "--time-col", "day"], r"no column 'day'"
    ),
    "unparsable date": (
        {"line5": "2021-13-45,3.0"}, [], r"line 5: '2021-13-45' .* is not a date"
    ),
    "NaN gaps": (
        {"line4": "2021-01-03,", "line7": "2021-01-06,"}, [],
        r"2 missing value\(s\), on line\(s\) 4, 7 \(2021-01-03, 2021-01-06\).*"
        r"interpolate\(\)",
    ),
    "non-numeric target": (
        {"line3": "2021-01-02,ten"}, [], r"line 3: 'ten' in column 'sales' is not a"
    ),
    "duplicated date": (
        {"line4": "2021-01-02,3.0"}, [], r"repeats the date 2021-01-02.*lines 3 and 4"
    ),
    "unsorted dates": (
        {"line3": "2021-01-03,1.0", "line4": "2021-01-02,2.0"}, [],
        r"not in increasing order: line 4",
    ),
    "uneven dates": (
        {"line10": None}, [], r"not evenly spaced: line 10 \(2021-01-10\) does not "
        r"follow 2021-01-08",
    ),
}  # fmt: skip


@pytest.mark.parametrize("problem", list(BAD_FILES))
def test_bad_file_is_one_line_and_exit_2(problem, tmp_path):
    changes, options, message = BAD_FILES[problem]
    data = write_csv(tmp_path / "sales.csv", **changes)
    options = options or ["--target", "sales"]
    argv = ["forecast", str(data), *options, "--steps", "3", *TINY]
    line = one_error_line(*run_main(argv))
    assert line.startswith("sklstm forecast: error: ")
    assert re.search(message, line), line


def test_missing_and_unreadable_files(tmp_path):
    argv = ["--target", "sales", "--steps", "3"]
    line = one_error_line(*run_main(["forecast", str(tmp_path / "no.csv"), *argv]))
    assert "no.csv does not exist" in line
    line = one_error_line(*run_main(["forecast", str(tmp_path), *argv]))
    assert "is a folder" in line
    binary = tmp_path / "image.csv"
    binary.write_bytes(PNG_MAGIC + bytes(range(256)) * 4)
    assert "image.csv" in one_error_line(*run_main(["forecast", str(binary), *argv]))


def test_too_few_rows_says_how_many_are_needed(tmp_path):
    data = write_csv(tmp_path / "short.csv", n_rows=12)
    argv = ["forecast", str(data), "--target", "sales", "--steps", "3", *TINY_SEARCH]
    line = one_error_line(*run_main(argv))
    assert re.search(r"too few rows: .* has 12, .* need at least \d+", line), line


def test_a_file_that_is_not_a_model(tmp_path):
    data = write_csv(tmp_path / "sales.csv")
    fake = tmp_path / "model.joblib"
    fake.write_text("not a model")
    argv = ["predict", "--model", str(fake), str(data), "--steps", "3"]
    line = one_error_line(*run_main(argv))
    assert "model.joblib is not a sklstm model file" in line
    import joblib

    joblib.dump({"some": "dict"}, fake)
    assert "is not a sklstm model file" in one_error_line(*run_main(argv))


def test_forecast_and_predict_help_do_not_load_tensorflow():
    code = (
        "import sys\n"
        "from sklstm.__main__ import main\n"
        "for command in ('forecast', 'predict'):\n"
        "    try:\n"
        "        main([command, '--help'])\n"
        "    except SystemExit as exit:\n"
        "        assert exit.code == 0, exit.code\n"
        "assert 'tensorflow' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    for option in ("--target", "--time-step", "--save-model", "--model"):
        assert option in result.stdout


def test_bad_options_are_refused_before_any_work(tmp_path):
    data = write_csv(tmp_path / "sales.csv")
    argv = ["forecast", str(data), "--target", "sales"]
    code, _, err = run_main([*argv, "--steps", "0"])
    assert code == 2 and "not a positive number" in err
    code, _, err = run_main([*argv, "--steps", "3", "--units", "4,x"])
    assert code == 2 and "'x' is not a whole number" in err
    code, _, err = run_main([*argv, "--steps", "3", "--output", str(data)])
    assert code == 2 and "would overwrite an input file" in err
    code, _, err = run_main([*argv, "--steps", "3", "--plot", "nowhere/x.png"])
    assert code == 2 and "does not exist" in err
    code, _, err = run_main([*argv, "--steps", "3", "--power", "2"])
    assert code == 2 and "'2' is not auto, none or a number from 0 to 1" in err


@pytest.mark.parametrize("power", ["none", "0.5"])
def test_power_option_reaches_the_saved_model(power, tmp_path):
    """--power none fits the recipe's pipeline; a number fixes the exponent."""
    data = write_csv(tmp_path / "sales.csv")
    path = tmp_path / "m.joblib"
    argv = ["forecast", str(data), "--target", "sales", "--steps", "2", *TINY]
    code, out, err = run_main([*argv, "--power", power, "--save-model", str(path)])
    assert code == 0, err
    assert f"power {'none' if power == 'none' else 0.5}" in out
    fitted = joblib.load(path)["model"].estimator_
    if power == "none":
        assert list(fitted.named_steps) == ["scale", "window", "lstm"]
    else:
        assert fitted.transformer_.lambdas_.tolist() == [0.5]
        assert fitted.regressor_.named_steps["stabilize"].lambdas_.tolist() == [0.5]


def test_progress_line_on_a_terminal_only():
    import io

    from sklstm._cli._progress import SearchProgress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    progress = SearchProgress(2, 3, terminal)
    for _ in range(6):
        progress.advance()
    lines = terminal.getvalue().split("\r")
    assert lines[1].startswith("search: 1/6 fits (2 candidates x 3 folds), 0:00")
    assert "left" in lines[1]
    assert lines[-1].startswith("search: 6/6 fits") and lines[-1].endswith("\n")

    for stream, enabled in ((io.StringIO(), True), (Terminal(), False)):
        silent = SearchProgress(1, 2, stream, enabled=enabled)
        silent.advance()
        assert stream.getvalue() == ""


# --- several columns: one global model, one forecast column per series ---

TINY_MANY = ["--units", "4", "--epochs", "1", "--layers", "1", "--folds", "2"]


def write_many_csv(path, c_starts=24, **changes):
    """Airline as ``ds,y,note,b,c``: ``b`` on another scale, ``c`` empty before
    row ``c_starts``, ``note`` text; ``changes``: line -> text (the last field
    is ``c``)."""
    air = read_shared_series("airline")
    lines = ["ds,y,note,b,c"]
    for row, (date, value) in enumerate(air.items()):
        c = "" if row < c_starts else f"{3 * value:.1f}"
        lines.append(f"{date},{value:.1f},ok,{value / 100 + row / 10:.3f},{c}")
    for line, text in changes.items():
        lines[int(line.removeprefix("line")) - 1] = text
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def many_run(tmp_path_factory):
    """One searched forecast of every column of numbers, shared below."""
    folder = tmp_path_factory.mktemp("many")
    data = write_many_csv(folder / "many.csv")
    before = data.read_bytes()
    paths = {
        name: folder / name
        for name in ("out.csv", "search.png", "loss.png", "m.joblib")
    }
    argv = [
        "forecast", str(data), "--steps", "5", *TINY_MANY, "--time-step", "4,8",
        "--output", str(paths["out.csv"]),
        "--plot-search", str(paths["search.png"]),
        "--plot-loss", str(paths["loss.png"]),
        "--save-model", str(paths["m.joblib"]),
    ]  # fmt: skip
    code, out, err = run_main(argv)
    assert data.read_bytes() == before  # the input is only read
    return code, out, err, data, paths


def test_several_columns_give_one_forecast_column_each(many_run):
    code, out, err, _, paths = many_run
    assert code == 0, err
    assert err == ""
    forecast = pd.read_csv(paths["out.csv"])
    bounds = ["y", "y_lower", "y_upper", "b", "b_lower", "b_upper"]
    assert list(forecast.columns) == ["ds", *bounds, "c", "c_lower", "c_upper"]
    dates = pd.date_range("1961-01-01", periods=5, freq="MS").strftime("%Y-%m-%d")
    assert list(forecast["ds"]) == list(dates)
    values = forecast[["y", "b", "c"]].to_numpy()
    assert np.isfinite(values).all()
    for name in ("y", "b", "c"):  # each interval holds its forecast
        assert (forecast[f"{name}_lower"] <= forecast[name]).all()
        assert (forecast[name] < forecast[f"{name}_upper"]).all()
    # widths in each series' own units: b (about y / 100) has the narrowest
    width = {n: (forecast[f"{n}_upper"] - forecast[f"{n}_lower"]).mean() for n in "ybc"}
    assert width["b"] < width["y"] < width["c"]
    # each series in its own units: b is about y / 100 + 14, c about 3 y
    assert (values[:, 1] < values[:, 0]).all() and (values[:, 0] < values[:, 2]).all()
    assert "144 rows of 3 series (y, b, c)" in out
    assert "relative to the naive forecast's, averaged over series" in out
    assert re.search(
        r"^ *rank +time_step +units +epochs +mean test relative MAE", out, re.M
    )
    assert "intervals: 90%, split conformal over 5 held-out window(s) of 5 rows" in out
    for name in ("search.png", "loss.png"):
        assert paths[name].read_bytes()[:8] == PNG_MAGIC, name
    assert "units=4, epochs=1, 1 LSTM layer(s), power auto, 5 steps at once" in out
    # the many-series call: 5 steps at once, a quarter of the Theta method
    fitted = joblib.load(paths["m.joblib"])["model"].estimator_
    assert isinstance(fitted, ThetaCombination) and fitted.theta_weight == 0.25
    assert fitted.estimator_.regressor_[-1].output_steps == 5
    assert fitted.estimator_.regressor_.named_steps["scale"].n_features_in_ == 3


def test_several_series_get_the_many_series_call_of_the_readme(tmp_path):
    """No --time-step: the lookbacks of time_step="auto", Theta, 4 steps at
    once; the same forecast as the Python call."""
    data = write_many_csv(tmp_path / "many.csv")
    out = tmp_path / "out.csv"
    argv = ["forecast", str(data), "--steps", "4", "--units", "4", "--epochs", "1"]
    argv += ["--layers", "1", "--interval-folds", "2", "--output", str(out)]
    code, printed, err = run_main(argv)
    assert code == 0, err
    assert "model: time_step=4,6,8,12, units=4, epochs=1" in printed
    Y = read_series(tmp_path / "many.csv", None)
    lstm = LSTMForecaster(units=4, epochs=1, n_layers=1, random_state=0)
    call = make_forecast_pipeline(
        lstm, time_step="auto", output_steps=4, combine="theta", season=12
    )
    model = PanelConformalForecaster(call, steps=4, n_windows=2, season=12)
    expected = model.fit(Y, Y).forecast(Y, 4)["forecast"]
    written = pd.read_csv(out, index_col="ds")[["y", "b", "c"]]
    np.testing.assert_allclose(written.to_numpy(), expected.to_numpy(), rtol=1e-4)


def test_predict_several_series_from_the_saved_model(many_run):
    _, _, _, data, paths = many_run
    again = paths["out.csv"].with_name("again.csv")
    argv = ["predict", "--model", str(paths["m.joblib"]), str(data), "--steps", "5"]
    code, _, err = run_main([*argv, "--output", str(again), "--quiet"])
    assert code == 0, err
    assert again.read_text() == paths["out.csv"].read_text()
    code, _, err = run_main([*argv, "--output", str(again), "--coverage", "0.5"])
    assert code == 0, err
    narrow, wide = pd.read_csv(again), pd.read_csv(paths["out.csv"])
    assert (narrow["c_upper"] <= wide["c_upper"]).all()
    assert (narrow["c_upper"] < wide["c_upper"]).any()
    line = one_error_line(*run_main([*argv[:-1], "6"]))
    assert "calibrated up to 5 steps ahead, not 6" in line


def test_read_series_chooses_the_columns(tmp_path):
    data = write_many_csv(tmp_path / "many.csv")
    frame = read_series(data, "y,b,c")
    assert list(frame.columns) == ["y", "b", "c"]
    assert frame.index.freqstr == "MS" and frame.index.name == "ds"
    assert frame["c"].isna().sum() == 24 and frame["c"].iloc[24:].notna().all()
    pd.testing.assert_frame_equal(read_series(data, None), frame)
    pd.testing.assert_frame_equal(read_series(data, ["y", "b", "c"]), frame)
    # one column: a Series, as before; a name with a comma is taken whole
    pd.testing.assert_series_equal(read_series(data, " b"), frame["b"])
    odd = tmp_path / "odd.csv"
    odd.write_text('date,"a,b"\n2021-01-01,1\n2021-01-02,2\n2021-01-03,3\n')
    assert read_series(odd, "a,b").tolist() == [1.0, 2.0, 3.0]
    assert read_series(odd, None).name == "a,b"


BAD_MANY = {
    "unknown target": (
        {}, ["--target", "y,revenue"],
        r"many.csv has no column 'revenue' \(--target\); its columns are: ds, y, ",
    ),
    "non-numeric target": (
        {}, ["--target", "y,note"], r"line 2: 'ok' in column 'note' is not a number"
    ),
    "gap inside a series": (
        {"line40": "1952-03,193.0,ok,5.830,"}, [],
        r"column 'c' has 1 missing value\(s\), on line\(s\) 40 \(1952-03-01\), "
        r"after its first value on line 26 .*interpolate\(\)",
    ),
    "name given twice": ({}, ["--target", "y,b,y"], r"names the column 'y' twice"),
    "too few rows for the held-out windows": (
        {}, ["--time-step", "12", "--interval-folds", "50"],
        r"too few rows: .* has 144, but intervals over 50 held-out window\(s\) of "
        r"3 steps .* with targets 3 steps ahead need at least 166",
    ),
}  # fmt: skip


@pytest.mark.parametrize("problem", list(BAD_MANY))
def test_bad_many_series_input_is_one_line_and_exit_2(problem, tmp_path):
    changes, options, message = BAD_MANY[problem]
    data = write_many_csv(tmp_path / "many.csv", **changes)
    argv = ["forecast", str(data), *options, "--steps", "3", *TINY_MANY]
    line = one_error_line(*run_main(argv))
    assert line.startswith("sklstm forecast: error: ")
    assert re.search(message, line), line


def test_a_series_too_short_for_a_window_is_forecast_by_theta_alone(tmp_path):
    data = write_many_csv(tmp_path / "many.csv", c_starts=140)  # 4 values
    out = tmp_path / "out.csv"
    argv = ["forecast", str(data), "--steps", "3", *TINY_MANY, "--time-step", "8"]
    code, printed, err = run_main([*argv, "--output", str(out)])
    assert code == 0, err
    assert err == ""  # no warning: the report says it
    assert (
        "1 series with fewer than 8 values, too short for a window (c): the "
        "Theta method alone forecasts them" in printed
    )
    Y = read_series(data, None)
    theta = ThetaForecaster(season=12, output_steps=3).fit(Y, Y)
    written = pd.read_csv(out)
    expected = forecast_series(theta, Y, 3)["c"]
    np.testing.assert_allclose(written["c"], expected, rtol=1e-6)
    assert np.isfinite(written[["y", "b", "c_lower", "c_upper"]].to_numpy()).all()


def write_short_panel(path, n_rows, n_series=20):
    """``n_series`` monthly series of ``n_rows`` rows, cut from airline."""
    air = read_shared_series("airline").to_numpy()
    dates = pd.date_range("2001-01-01", periods=n_rows, freq="MS", name="ds")
    columns = {f"s{k}": air[k : k + n_rows] * (1 + k / 10) for k in range(n_series)}
    pd.DataFrame(columns, index=dates).to_csv(path)
    return path


def test_defaults_of_one_series_and_of_several():
    from sklstm._cli._main import build_parser
    from sklstm._cli._model import model_and_grid

    args = build_parser().parse_args(["forecast", "x.csv", "--steps", "3"])
    _, grid, fixed = model_and_grid(args, False, 12, [12, 24])
    assert list(grid.values()) == [[12, 24], [16, 50], [20]] and fixed == {}
    model, grid, fixed = model_and_grid(args, True, 12, [3, 4, 6, 9])
    assert list(grid.values()) == [[50], ["auto"]]
    assert fixed == {"time_step": "3,4,6,9"}
    assert model.estimator.time_steps == [3, 4, 6, 9]
    assert model.estimator.estimator.regressor[-1].output_steps == 3


def test_a_search_over_several_series_prints_no_warning(tmp_path):
    data = write_short_panel(tmp_path / "short.csv", n_rows=30)
    argv = ["forecast", str(data), "--steps", "4", "--units", "4,5", "--epochs", "1"]
    code, out, err = run_main([*argv, "--layers", "1", "--folds", "2"])
    assert code == 0, err
    # the first fold's 10 rows have no window of 12 + 4: left out, silently
    assert err == ""
    assert re.search(r"^ *rank +units +epochs +mean test relative MAE", out, re.M)
    line = one_error_line(*run_main([*argv, "--plot-search", str(tmp_path / "s.png")]))
    assert "--plot-search draws the search over time_step x units" in line


def test_window_lengths_too_long_for_the_rows_are_said_and_saved(tmp_path):
    data = write_short_panel(tmp_path / "short.csv", n_rows=14)
    saved = tmp_path / "m.joblib"
    argv = ["forecast", str(data), "--steps", "4", *TINY_MANY, "--save-model"]
    code, out, err = run_main([*argv, str(saved)])
    assert code == 0, err
    assert err == ""
    assert "model: time_step=4,6,8,12," in out
    assert "window lengths fitted: 4, 6, 8 (12 too long for two windows" in out
    assert joblib.load(saved)["params"]["time_step"] == "4,6,8"


def test_a_series_starting_after_the_first_search_fold(tmp_path):
    data = write_many_csv(tmp_path / "many.csv", c_starts=60)
    argv = ["forecast", str(data), "--steps", "2", *TINY_MANY, "--time-step", "4,8"]
    code, _, err = run_main(argv)
    assert code == 0, err


# --- compact dates: YYYYMMDD and YYYYMM digits, read when every value is one ---


def write_compact_csv(path, strftime, freq, start, n_rows=60, blank=()):
    """The first airline values as ``date,y`` with dates written by ``strftime``
    (``"%Y%m%d"``: 19740519); rows in ``blank`` have no value."""
    values = read_shared_series("airline").to_numpy()[:n_rows]
    dates = pd.date_range(start, periods=n_rows, freq=freq).strftime(strftime)
    lines = ["date,y"] + [
        f"{date},{'' if row in blank else value}"
        for row, (date, value) in enumerate(zip(dates, values, strict=True))
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


COMPACT = {
    # a weekly file like NOAA's Mauna Loa CO2 (Sundays, from 1974-05-19)
    "YYYYMMDD weekly": ("%Y%m%d", "W-SUN", "1974-05-19", "W-SUN"),
    "YYYYMMDD daily": ("%Y%m%d", "D", "1958-03-29", "D"),
    "YYYYMM monthly": ("%Y%m", "MS", "1949-01-01", "MS"),
}


@pytest.mark.parametrize("form", list(COMPACT))
def test_compact_dates_are_read_with_their_frequency(form, tmp_path):
    strftime, freq, start, expected = COMPACT[form]
    data = write_compact_csv(tmp_path / "compact.csv", strftime, freq, start)
    y = read_series(data, "y")
    np.testing.assert_array_equal(y.index, pd.date_range(start, periods=60, freq=freq))
    assert y.index.freqstr == expected and y.index.name == "date"
    np.testing.assert_array_equal(y, read_shared_series("airline").to_numpy()[:60])


def test_forecast_of_a_file_with_yyyymmdd_dates(tmp_path):
    data = write_compact_csv(tmp_path / "co2.csv", "%Y%m%d", "W-SUN", "1974-05-19")
    output = tmp_path / "out.csv"
    argv = ["forecast", str(data), "--target", "y", "--steps", "3", *TINY]
    code, out, err = run_main([*argv, "--time-step", "4", "--output", str(output)])
    assert code == 0, err
    assert "from 1974-05-19 to 1975-07-06, frequency W-SUN (52 a season)" in out
    forecast = pd.read_csv(output)
    assert list(forecast["date"]) == ["1975-07-13", "1975-07-20", "1975-07-27"]
    assert np.isfinite(forecast[["forecast", "lower", "upper"]].to_numpy()).all()


def test_gaps_in_a_file_with_compact_dates_name_their_lines(tmp_path):
    data = write_compact_csv(
        tmp_path / "gaps.csv", "%Y%m%d", "D", "1958-03-29", blank=(2, 3)
    )
    argv = ["forecast", str(data), "--target", "y", "--steps", "3", *TINY]
    line = one_error_line(*run_main(argv))
    assert line == (
        "sklstm forecast: error: column 'y' has 2 missing value(s), on line(s) "
        "4, 5 (1958-03-31, 1958-04-01); fill the gaps first, e.g. with pandas: "
        "df['y'] = df['y'].interpolate()."
    )


NOT_DATES = {
    "counts": (["1", "2", "3"], r"holds numbers \(e.g. '1'\), not dates"),
    "eight digits, no date": (
        ["12345678", "12345679", "12345680"],
        r"holds numbers, not dates: line 2, '12345678', is not a YYYYMMDD date "
        r"\(3 such values\)",
    ),
    "one day that does not exist": (
        ["19580227", "19580228", "19580229"],
        r"line 4, '19580229', is not a YYYYMMDD date;",
    ),
    "month 13": (["195811", "195812", "195813"], r"line 4, '195813', is not a YYYYMM"),
    "mixed lengths": (["195801", "19580201", "195803"], r"holds numbers \(e.g."),
}


@pytest.mark.parametrize("problem", list(NOT_DATES))
def test_numbers_that_are_not_dates_are_refused(problem, tmp_path):
    dates, message = NOT_DATES[problem]
    data = tmp_path / "numbers.csv"
    data.write_text("date,y\n" + "".join(f"{date},112.0\n" for date in dates))
    argv = ["forecast", str(data), "--target", "y", "--steps", "1", *TINY]
    line = one_error_line(*run_main(argv))
    assert re.search(message, line), line
    assert "20240131 (YYYYMMDD), 202401 (YYYYMM) or four-digit years" in line


# --- long files: one row per series and date (--id-col) ---


def write_long_csv(path, drop=(), extra=()):
    """Airline as ``store,date,sales`` for three stores on three scales,
    "east" starting two years late; ``drop``: row numbers left out, ``extra``:
    lines added at the end."""
    air = read_shared_series("airline")
    lines = ["store,date,sales"]
    for store, factor, start in (("north", 1, 0), ("south", 100, 0), ("east", 0.1, 24)):
        for date, value in list(air.items())[start:]:
            day = pd.Timestamp(date).strftime("%Y-%m-%d")
            lines.append(f"{store},{day},{value * factor:.2f}")
    lines = [line for row, line in enumerate(lines) if row not in drop]
    path.write_text("\n".join([*lines, *extra]) + "\n")
    return path


LONG = ["--id-col", "store", "--time-col", "date", "--target", "sales"]


def test_a_long_file_is_forecast_long_with_intervals_and_a_panel_plot(tmp_path):
    data = write_long_csv(tmp_path / "sales.csv")
    out, png = tmp_path / "out.csv", tmp_path / "panel.png"
    argv = [
        "forecast",
        str(data),
        *LONG,
        "--steps",
        "4",
        *TINY_MANY,
        "--time-step",
        "8",
    ]
    code, printed, err = run_main([*argv, "--output", str(out), "--plot", str(png)])
    assert code == 0, err
    forecast = pd.read_csv(out)
    assert list(forecast.columns) == ["store", "date", "forecast", "lower", "upper"]
    assert sorted(set(forecast.store)) == ["east", "north", "south"]
    assert len(forecast) == 3 * 4
    assert forecast.groupby("store").date.first().eq("1961-01-01").all()
    assert (forecast.lower <= forecast.forecast).all()
    assert (forecast.forecast <= forecast.upper).all()
    assert (forecast.lower >= 0).all()  # sales are never below 0
    width = (forecast.upper - forecast.lower).groupby(forecast.store).mean()
    assert width["east"] < width["north"] < width["south"]  # each on its scale
    assert "3 series (east, north, south)" in printed
    assert png.read_bytes()[:8] == PNG_MAGIC


BAD_LONG = {
    "duplicate row": ({"extra": ["north,1950-03-01,1"]}, r"'north', on 1950-03-01"),
    "gap": ({"drop": (10, 11)}, r"'north' has no 'sales' on 1949-10-01, 1949-11-01"),
    "text value": ({"extra": ["east,1961-01-01,abc"]}, r"line 410: 'abc' .*'east'"),
    "no value": ({"extra": ["east,1961-01-01,"]}, r"line 410: no value .*'east'"),
    "off the grid": ({"extra": ["east,1960-12-15,3"]}, r"'east', on 1960-12-15"),
    "unknown id column": ({}, r"has no column 'shop' \(--id-col\)"),
}  # fmt: skip


@pytest.mark.parametrize("problem", list(BAD_LONG))
def test_bad_long_files_name_the_series_and_dates(problem, tmp_path):
    changes, message = BAD_LONG[problem]
    data = write_long_csv(tmp_path / "sales.csv", **changes)
    options = list(LONG)
    if problem == "unknown id column":
        options[1] = "shop"
    argv = ["forecast", str(data), *options, "--steps", "3", *TINY_MANY]
    line = one_error_line(*run_main(argv))
    assert re.search(message, line), line


def test_monthly_dates_mid_month_are_refused_with_what_to_write(tmp_path):
    """pandas gives dates on the 15th of each month no frequency: the message
    says they look monthly and how to date them; a long file's message names
    no freq= (an option of from_long that the command line has not)."""
    dates = pd.date_range("1949-01-01", periods=30, freq="MS") + pd.Timedelta(days=14)
    one = tmp_path / "one.csv"
    one.write_text("ds,y\n" + "".join(f"{d.date()},{i}\n" for i, d in enumerate(dates)))
    line = one_error_line(*run_main(["forecast", str(one), "--steps", "2"]))
    assert "all on day 15: date each month by its first day (1949-01-01" in line
    many = tmp_path / "many.csv"
    many.write_text(
        "store,ds,y\n"
        + "".join(f"{s},{d.date()},{i}\n" for s in "ab" for i, d in enumerate(dates))
    )
    argv = ["forecast", str(many), "--id-col", "store", "--steps", "2"]
    line = one_error_line(*run_main(argv))
    assert "resample the series to one frequency. They look monthly" in line
    assert "freq=" not in line


def test_dates_with_utc_offsets_are_read(tmp_path):
    data = tmp_path / "utc.csv"
    days = pd.date_range("2024-01-01", periods=30, freq="D")
    data.write_text(
        "ds,y\n"
        + "".join(f"{d:%Y-%m-%d}T00:00:00+00:00,{i % 7}\n" for i, d in enumerate(days))
    )
    code, out, err = run_main(["forecast", str(data), "--steps", "2", *TINY])
    assert code == 0, err
    assert "2024-01-31 00:00:00+00:00" in out


def test_years_before_1677_are_refused_in_one_line(tmp_path):
    data = tmp_path / "old.csv"
    data.write_text("year,y\n" + "".join(f"{1600 + i},{i}\n" for i in range(30)))
    line = one_error_line(*run_main(["forecast", str(data), "--steps", "2"]))
    assert "'1600', is a year outside 1677 to 2262" in line


@pytest.mark.parametrize(
    "text, options, message",
    [
        ("date,a,a\n2020-01-01,1,2\n2020-02-01,1,2\n2020-03-01,1,2\n", [],
         r"the header names the column 'a' more than once \(columns 2, 3\)"),
        ("store,date,sales\n", LONG, r"has 0 date\(s\): at least 3 are needed"),
        ("store,date,sales\na,2020-01-01,3\n", LONG, r"has 1 date\(s\)"),
    ],
    ids=["duplicate header", "long header only", "long one row"],
)  # fmt: skip
def test_repeated_column_names_and_too_few_dates_are_one_line(
    text, options, message, tmp_path
):
    data = tmp_path / "data.csv"
    data.write_text(text)
    line = one_error_line(*run_main(["forecast", str(data), *options, "--steps", "2"]))
    assert re.search(message, line), line
