"""The version of sklstm, written once.

``pyproject.toml`` reads it (``[tool.setuptools.dynamic]``), ``sklstm`` exports
it as ``__version__``, and the modules that record it (pickles, model files,
``sklstm --version``) import it from here, not from the package's
``__init__``.
"""

__version__ = "0.1.0"
