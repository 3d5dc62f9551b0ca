"""``python -m sklstm demo``: exit code, printed results, the PNG, quiet output."""

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sklstm import load_airline

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
    png = folder / "x.png"
    result = run_sklstm(
        "demo", "--quick", "--output", str(png), cwd=folder, timeout=600
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
