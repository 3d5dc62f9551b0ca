"""The ``sklstm`` command line; ``sklstm/__main__.py`` runs `_main.main`.

- `_main`: the argument parser (every option and its help) and `main`, which
  imports a subcommand's work only when it runs, so that ``sklstm --help``
  answers without TensorFlow;
- `_demo` (``sklstm demo``) and `_forecast` (``sklstm forecast``,
  ``sklstm predict``): the subcommands;
- `_search`: the grid search both subcommands run, `_progress` its progress
  line, `_folds` the window lengths and folds that a series' rows allow;
- `_csv`: reading the user's CSV file (`_long_csv` a long one, ``--id-col``),
  `_model_file` the model files, `_errors` the one-line errors.

Nothing outside this package imports it: the library does not depend on its
command line.
"""
