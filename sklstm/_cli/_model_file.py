"""The model files of ``sklstm forecast --save-model`` and ``sklstm predict``.

A joblib file of a dict: the fitted model and what ``predict`` needs to read
the CSV file again (the target columns, the date column, the frequency) and
to say what the model is (its parameters, the sklstm version that saved it).
"""

from .._version import __version__
from ._errors import InputError, one_line

MODEL_FORMAT = "sklstm forecast model"
"""The ``format`` entry of a model file; anything else is not one."""


def save_model(path, model, y, params, id_col=None, value_col=None):
    """Write a fitted model with what ``predict`` needs to read a CSV again.

    Parameters
    ----------
    path : str or Path
    model : ConformalForecaster or PanelConformalForecaster
        Fitted: a `ConformalForecaster` for one series, a
        `PanelConformalForecaster` for several (files of earlier releases
        hold the pipeline alone).
    y : pandas.Series or pandas.DataFrame
        The series it was fitted on (``read_series`` output).
    params : dict
        The parameters chosen for the pipeline.
    id_col, value_col : str, default=None
        For a long file (``--id-col``): its columns of ids and values.
    """
    import joblib

    joblib.dump(
        {
            "format": MODEL_FORMAT,
            "sklstm_version": __version__,
            "model": model,
            "target": list(y.columns) if y.ndim == 2 else y.name,
            "time_col": y.index.name,
            "id_col": id_col,
            "value_col": value_col,
            "freq": y.index.freq.freqstr,
            "params": params,
        },
        path,
    )


def load_model(path):
    """Read a file written by `save_model`.

    Unpickling runs code from the file: load only files you trust.

    Returns
    -------
    saved : dict
        ``model``, ``target`` (a list for several series), ``time_col``,
        ``freq``, ``params``; ``id_col`` and ``value_col`` for a long file
        (absent from files of earlier releases).

    Raises
    ------
    InputError
        When the file is missing or is not such a file.
    """
    import joblib

    not_a_model = (
        f"{path} is not a sklstm model file (one written by sklstm forecast "
        "--save-model)"
    )
    try:
        saved = joblib.load(path)
    except FileNotFoundError:
        raise InputError(f"{path} does not exist.") from None
    except Exception as error:  # unpickling fails in many ways on other files
        raise InputError(f"{not_a_model}: {one_line(error)}") from None
    if not isinstance(saved, dict) or saved.get("format") != MODEL_FORMAT:
        raise InputError(f"{not_a_model}.")
    return saved
