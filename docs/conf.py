"""Sphinx configuration of the sklstm documentation.

Build (offline, warnings are errors; the ``docs`` extra installs what it needs)::

    pip install ".[docs]"
    python -m sphinx -W -b html docs docs/_build/html

The example gallery runs every ``examples/plot_*.py`` at build time. With
``SKLSTM_EXAMPLE_QUICK=1`` in the environment the examples train tiny networks
(seconds instead of minutes), as in the test suite; their printed scores and
figures are then those of the tiny networks, and the gallery says so.
"""

import os
import shutil
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "sphinxext"))

from offline_inventory import write_inventories  # noqa: E402

import sklstm  # noqa: E402

project = "sklstm"
author = "the sklstm developers"
copyright = "the sklstm developers, BSD-3-Clause"
version = release = sklstm.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = [
    "_build",
    "sphinxext",
    "_templates",
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "auto_examples/*.zip",
    "auto_examples/*.json",
    "auto_examples/*.md5",
    "**/*.codeobj.json",
]
templates_path = ["_templates"]
# `name` in docstrings links to the object when it is one (scikit-learn's
# habit), and is shown as code otherwise.
default_role = "py:obj"

# -- API reference: autosummary + numpydoc -----------------------------------
autosummary_generate = True
autosummary_imported_members = True
autodoc_typehints = "none"
# The page's table of contents lists "fit()", not "LSTMForecaster.fit()".
toc_object_entries_show_parents = "hide"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = True
numpydoc_xref_aliases = {
    "DataFrame": "pandas.DataFrame",
    "Series": "pandas.Series",
    "DatetimeIndex": "pandas.DatetimeIndex",
    "ndarray": "numpy.ndarray",
    "Axes": "matplotlib.axes.Axes",
    "Figure": "matplotlib.figure.Figure",
    "Pipeline": "sklearn.pipeline.Pipeline",
    "TransformedTargetRegressor": "sklearn.compose.TransformedTargetRegressor",
    "GridSearchCV": "sklearn.model_selection.GridSearchCV",
    "TimeSeriesSplit": "sklearn.model_selection.TimeSeriesSplit",
    "RandomState": "numpy.random.RandomState",
    "WindowArray": "sklstm.WindowArray",
    "WindowTransformer": "sklstm.WindowTransformer",
    "LSTMForecaster": "sklstm.LSTMForecaster",
}
# Words of numpydoc type descriptions that are not objects.
numpydoc_xref_ignore = "all"

# -- Intersphinx: links to scikit-learn, pandas, NumPy and Matplotlib --------
# Intersphinx downloads each project's objects.inv when the build starts. The
# machines this project runs on reach no web site (only package registries),
# and a failed download is a warning, which -W turns into a failed build. So
# every project has two locations, tried in order: its web site (the full
# inventory, when there is a network; 5 s timeout), then an inventory written
# below from the installed package (docs/sphinxext/offline_inventory.py:
# every public name of scikit-learn, pandas' and NumPy's top-level API,
# scikit-learn's glossary terms used in the guide), with the same page
# addresses as the web inventory. When the first fails and the second works,
# intersphinx logs an info line, not a warning, and the links are the same.
INVENTORIES = write_inventories(DOCS / "_build" / "offline-inventories")
intersphinx_mapping = {
    "python": ("https://docs.python.org/3/", (None, str(INVENTORIES["python"]))),
    "sklearn": (
        "https://scikit-learn.org/stable/",
        (None, str(INVENTORIES["sklearn"])),
    ),
    "pandas": ("https://pandas.pydata.org/docs/", (None, str(INVENTORIES["pandas"]))),
    "numpy": ("https://numpy.org/doc/stable/", (None, str(INVENTORIES["numpy"]))),
    "matplotlib": (
        "https://matplotlib.org/stable/",
        (None, str(INVENTORIES["matplotlib"])),
    ),
}
intersphinx_timeout = 5

# -- Example gallery ----------------------------------------------------------
QUICK = os.environ.get("SKLSTM_EXAMPLE_QUICK") == "1"
if QUICK:  # the gallery's header then says so (examples/GALLERY_HEADER.rst)
    tags.add("quick_examples")  # noqa: F821 (Sphinx defines tags in conf.py)
# sphinx-gallery reruns an example only when its file changed; the output of
# the other mode is thrown away first, so a full build never shows quick runs.
GALLERY = DOCS / "auto_examples"
MODE = GALLERY / ".example-mode"
mode = "quick" if QUICK else "full"
if MODE.is_file() and MODE.read_text() != mode:
    shutil.rmtree(GALLERY)
GALLERY.mkdir(exist_ok=True)
MODE.write_text(mode)
# The examples save their figures where SKLSTM_EXAMPLE_OUTPUT says; the
# scraper in docs/sphinxext/example_figures.py moves them into the gallery.
FIGURES = DOCS / "_build" / "example-figures"
shutil.rmtree(FIGURES, ignore_errors=True)
FIGURES.mkdir(parents=True)
os.environ["SKLSTM_EXAMPLE_OUTPUT"] = str(FIGURES)

sphinx_gallery_conf = {
    "examples_dirs": str(DOCS.parent / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "within_subsection_order": "gallery_order.ExampleOrder",
    "image_scrapers": ("example_figures.saved_figures",),
    "backreferences_dir": "gen_modules/backreferences",
    "doc_module": ("sklstm",),
    "reference_url": {"sklstm": None},
    "download_all_examples": False,
    "remove_config_comments": True,
    "show_memory": False,
    "min_reported_time": 1,
    "matplotlib_animations": False,
}

# -- MyST (the user guide is Markdown) ----------------------------------------
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- HTML ---------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"sklstm {release}"
html_static_path = ["_static"] if (DOCS / "_static").is_dir() else []
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "header_links_before_dropdown": 6,
    "secondary_sidebar_items": ["page-toc", "sourcelink"],
}
html_sidebars = {"index": []}
html_show_sourcelink = True
html_last_updated_fmt = None
