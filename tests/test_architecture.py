"""The layout holds: small modules, imports that only run down, no circles.

See the user guide's "Contributing and architecture" page.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "sklstm"
MAX_LINES = 450


def _modules():
    """``{dotted name: path}`` of every module of the package."""
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _imported(name, path):
    """The package's modules that ``name`` imports when it is imported
    (module-level imports; those inside functions run later, by design)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0]
                base = f"{anchor}.{base}" if base else anchor
            targets = [f"{base}.{alias.name}" for alias in node.names]
            targets = [t if t in MODULES else base for t in targets]
        else:
            continue
        found.update(t for t in targets if t in MODULES)
    return found


GRAPH = {name: _imported(name, path) for name, path in MODULES.items()}


@pytest.mark.parametrize("name", MODULES)
def test_no_module_is_over_450_lines(name):
    n_lines = len(MODULES[name].read_text().splitlines())
    assert n_lines <= MAX_LINES, f"{name} has {n_lines} lines; split it by idea"


@pytest.mark.parametrize("name", [n for n in MODULES if n != "sklstm"])
def test_no_module_imports_back_up_from_the_package_init(name):
    assert "sklstm" not in GRAPH[name], (
        f"{name} imports from sklstm/__init__.py; import from the module that "
        "defines the name"
    )


def test_no_import_circles():
    done, path = set(), []

    def visit(name):
        if name in path:
            circle = path[path.index(name) :] + [name]
            raise AssertionError("import circle: " + " -> ".join(circle))
        if name in done:
            return
        path.append(name)
        for imported in sorted(GRAPH[name]):
            visit(imported)
        path.pop()
        done.add(name)

    for name in MODULES:
        visit(name)


def test_resolving_auto_parameters_does_not_load_tensorflow():
    code = (
        "import sys\n"
        "from sklstm._lstm._auto import resolve_params\n"
        "from sklstm._lstm._scaling import ResidualScaling\n"
        "assert 'tensorflow' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
