"""Every script under examples/ runs with tiny settings and saves only where told."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.py"))


def test_there_are_examples():
    assert len(EXAMPLES) >= 2


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
