"""Every script under examples/ runs with tiny settings and saves only where told."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.py"))


def test_there_are_examples():
    assert len(EXAMPLES) >= 2


def private_imports(source):
    """The private sklstm modules and names (a part starting with ``_``) that
    ``source`` imports, as dotted names."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [
            name
            for name in names
            if name.split(".")[0] == "sklstm"
            and any(part.startswith("_") for part in name.split(".")[1:])
        ]
    return found


def test_private_imports_are_found():
    source = (
        "import sklstm\n"
        "import sklstm._csv_series\n"
        "from sklstm import LSTMForecaster, _demo\n"
        "from sklstm._demo import split_train_test as split\n"
        "from sklstm.plotting import plot_forecast\n"
        "from sklearn.utils._param_validation import Interval\n"
    )
    assert private_imports(source) == [
        "sklstm._csv_series",
        "sklstm._demo",
        "sklstm._demo.split_train_test",
    ]


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda path: path.name)
def test_examples_use_only_public_api(script):
    """People copy examples: what one needs is public or written in it."""
    assert private_imports(script.read_text()) == []


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda path: path.name)
def test_example_runs(script, tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    env = dict(os.environ, SKLSTM_EXAMPLE_QUICK="1", SKLSTM_EXAMPLE_OUTPUT=str(output))
    result = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env=env,
        cwd=workdir,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    saved = sorted(output.iterdir())
    assert saved, "the example saved no figure under SKLSTM_EXAMPLE_OUTPUT"
    for path in saved:
        assert path.suffix == ".png"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert list(workdir.iterdir()) == [], "the example wrote outside its output"
