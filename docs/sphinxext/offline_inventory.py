"""Intersphinx inventories written from the installed packages, for offline builds.

``intersphinx`` reads each project's ``objects.inv`` from its web site. When
the site cannot be reached (this project's machines have no network beyond
the package registries) it warns, and ``sphinx -W`` turns that warning into a
failed build. So ``conf.py`` gives every project a second location: an
inventory written here from the installed package, with the URL scheme of
that project's API pages (``modules/generated/<name>.html`` for
scikit-learn, ``reference/api/<name>.html`` for pandas, ...). Intersphinx
tries the web site first; when it fails and the local file works, it only
logs an info line, and the links point to the same pages the web inventory
would give. What the local files lack: the projects' narrative pages and
labels, apart from the few scikit-learn glossary terms and user guide pages
listed below.
"""

import importlib
import inspect
import pkgutil
import zlib
from pathlib import Path

# scikit-learn's own words for what sklstm builds on, cited in the guide.
SKLEARN_TERMS = [
    "cross-validation generator",
    "cross-validation splitter",
    "early stopping",
    "estimator",
    "fit",
    "meta-estimator",
    "n_jobs",
    "predict",
    "random_state",
    "scorer",
    "transform",
    "warm_start",
]
SKLEARN_DOCS = {
    "modules/compose": "Pipelines and composite estimators",
    "modules/cross_validation": "Cross-validation: evaluating estimator performance",
    "modules/grid_search": "Tuning the hyper-parameters of an estimator",
    "modules/model_evaluation": "Metrics and scoring",
    "developers/develop": "Developing scikit-learn estimators",
    "glossary": "Glossary of Common Terms and API Elements",
}
# Labels that the docstrings of scikit-learn's methods (get_metadata_routing,
# set_output), shown on sklstm's class pages, refer to.
SKLEARN_LABELS = {
    "metadata_routing": ("metadata_routing.html#metadata-routing", "Metadata Routing"),
    "df_output_transform": (
        "developers/develop.html#df-output-transform",
        "Developer API for set_output",
    ),
    "sphx_glr_auto_examples_miscellaneous_plot_set_output.py": (
        "auto_examples/miscellaneous/plot_set_output.html"
        "#sphx-glr-auto-examples-miscellaneous-plot-set-output-py",
        "Introducing the set_output API",
    ),
}
# Built-in classes documented in library/stdtypes.html, not functions.html.
PYTHON_STDTYPES = {
    "bytearray",
    "bytes",
    "dict",
    "frozenset",
    "list",
    "memoryview",
    "range",
    "set",
    "str",
    "tuple",
}
# matplotlib documents few of the names sklstm returns; these are they.
MATPLOTLIB = {
    "matplotlib.axes.Axes": ("py:class", "api/axes_api.html#$"),
    "matplotlib.figure.Figure": (
        "py:class",
        "api/_as_gen/matplotlib.figure.Figure.html#$",
    ),
    "matplotlib.figure.Figure.savefig": (
        "py:method",
        "api/_as_gen/matplotlib.figure.Figure.html#$",
    ),
}


def _role(obj):
    if inspect.isclass(obj):
        return "py:exception" if issubclass(obj, BaseException) else "py:class"
    if callable(obj):
        return "py:function"
    return None


def _public_methods(cls):
    return [
        name
        for name, member in inspect.getmembers(cls)
        if not name.startswith("_") and callable(member)
    ]


def sklearn_entries():
    """Every name in the ``__all__`` of scikit-learn's public modules, and
    the public methods of its classes, at ``modules/generated/<name>.html``."""
    import sklearn

    entries = {}
    for info in pkgutil.walk_packages(sklearn.__path__, "sklearn."):
        parts = info.name.split(".")
        if any(
            p.startswith("_") or p in ("tests", "experimental", "externals")
            for p in parts
        ):
            continue
        try:
            module = importlib.import_module(info.name)
        except Exception:  # an optional dependency of that module is missing
            continue
        entries[info.name] = ("py:module", f"api/{info.name}.html#module-$")
        for name in getattr(module, "__all__", []):
            try:
                obj = getattr(module, name)
            except ImportError:  # experimental, needs an enable_* import
                continue
            role = _role(obj)
            if role is None:
                continue
            full = f"{info.name}.{name}"
            page = f"modules/generated/{full}.html"
            entries[full] = (role, page + "#$")
            if role == "py:class":
                for method in _public_methods(obj):
                    entries[f"{full}.{method}"] = ("py:method", page + "#$")
    for term in SKLEARN_TERMS:
        entries[term] = ("std:term", f"glossary.html#term-{term.replace(' ', '-')}")
    for doc, title in SKLEARN_DOCS.items():
        entries[doc] = ("std:doc", f"{doc}.html", title)
    for label, (uri, title) in SKLEARN_LABELS.items():
        entries[label] = ("std:label", uri, title)
    return sklearn.__version__, entries


def _top_level(package, page, classes_with_methods=()):
    entries = {}
    for name in dir(package):
        if name.startswith("_"):
            continue
        obj = getattr(package, name)
        role = _role(obj)
        if role is None or inspect.ismodule(obj):
            continue
        full = f"{package.__name__}.{name}"
        entries[full] = (role, page.format(name=full))
        if name in classes_with_methods:
            for method in _public_methods(obj):
                entries[f"{full}.{method}"] = (
                    "py:method",
                    page.format(name=f"{full}.{method}"),
                )
    return entries


def pandas_entries():
    import pandas

    entries = _top_level(
        pandas,
        "reference/api/{name}.html#$",
        classes_with_methods=("Series", "DataFrame", "DatetimeIndex"),
    )
    return pandas.__version__, entries


def numpy_entries():
    import numpy

    entries = _top_level(numpy, "reference/generated/{name}.html#$")
    # numpydoc writes "array-like" in a type as this term.
    entries["array_like"] = ("std:term", "glossary.html#term-array_like")
    return numpy.__version__, entries


def python_entries():
    """The built-in types, functions, constants and exceptions, which
    numpydoc links in parameter types (``bool``, ``int``, ``None``, ...)."""
    import builtins
    import platform

    entries = {}
    for name in dir(builtins):
        obj = getattr(builtins, name)
        if name.startswith("_"):
            continue
        if inspect.isclass(obj) and issubclass(obj, BaseException):
            entries[name] = ("py:exception", "library/exceptions.html#$")
        elif name in PYTHON_STDTYPES:
            entries[name] = ("py:class", "library/stdtypes.html#$")
        elif inspect.isclass(obj) or callable(obj):
            entries[name] = (_role(obj), "library/functions.html#$")
    for name in ("None", "True", "False", "Ellipsis", "NotImplemented"):
        entries[name] = ("py:data", "library/constants.html#$")
    # numpydoc writes "bool" in a type as this label.
    entries["bltin-boolean-values"] = (
        "std:label",
        "library/stdtypes.html#$",
        "Boolean Values",
    )
    return platform.python_version(), entries


def matplotlib_entries():
    import matplotlib

    return matplotlib.__version__, dict(MATPLOTLIB)


def write_inventory(path, project, version, entries):
    """An ``objects.inv`` (Sphinx inventory version 2) of ``entries``:
    name -> (domain:role, uri) or (domain:role, uri, display name)."""
    lines = []
    for name, (role, uri, *display) in sorted(entries.items()):
        shown = display[0] if display else "-"
        if " " in name and role not in ("std:term", "std:label"):
            continue
        lines.append(f"{name} {role} 1 {uri} {shown}\n")
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header.encode() + zlib.compress("".join(lines).encode()))
    return path


PROJECTS = {
    "python": ("Python", python_entries),
    "sklearn": ("scikit-learn", sklearn_entries),
    "pandas": ("pandas", pandas_entries),
    "numpy": ("NumPy", numpy_entries),
    "matplotlib": ("Matplotlib", matplotlib_entries),
}


def write_inventories(folder):
    """Write ``<folder>/<key>-objects.inv`` for every project; return the paths."""
    paths = {}
    for key, (project, entries_of) in PROJECTS.items():
        version, entries = entries_of()
        paths[key] = write_inventory(
            Path(folder) / f"{key}-objects.inv", project, version, entries
        )
    return paths
