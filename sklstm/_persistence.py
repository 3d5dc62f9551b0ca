"""Pickles remember the sklstm version; loading warns when the minor differs.

Like scikit-learn's ``InconsistentVersionWarning``: a model saved by another
minor version of sklstm may load with other attributes than the code expects,
so loading it says which versions are involved and what to do.
"""

import warnings

from ._version import __version__


class InconsistentVersionWarning(UserWarning):
    """A model was saved by another minor version of sklstm than the running one.

    Attributes
    ----------
    estimator_name : str
        Class of the loaded estimator.
    current_sklstm_version : str
        The sklstm version that loads it.
    original_sklstm_version : str or None
        The sklstm version that saved it; None when it is too old to say.
    """

    def __init__(
        self, *, estimator_name, current_sklstm_version, original_sklstm_version
    ):
        self.estimator_name = estimator_name
        self.current_sklstm_version = current_sklstm_version
        self.original_sklstm_version = original_sklstm_version
        saved = original_sklstm_version or "an unknown version"
        install = (
            f"pip install sklstm=={original_sklstm_version}"
            if original_sklstm_version
            else "install the version that saved it"
        )
        super().__init__(
            f"Loading a {estimator_name} saved with sklstm {saved} into sklstm "
            f"{current_sklstm_version}. It may fail or predict differently. "
            f"Refit it with sklstm {current_sklstm_version}, or {install} to "
            "use it as saved."
        )


def _minor(version):
    return tuple(version.split(".")[:2])


class VersionedPickleMixin:
    """Store the sklstm version in the pickled state; warn on loading it with
    another minor version.

    Put it first in the bases, before ``BaseEstimator``, whose
    ``__getstate__`` and ``__setstate__`` it extends.

    A fitted attribute added in a later release is missing from a model
    saved before it: a class lists it in ``_saved_defaults`` (name -> the
    value that gives the behaviour of the releases without it), and loading
    such a model sets it, so that the model keeps working as it did.
    """

    _saved_defaults = {}

    def __getstate__(self):
        # a copy: object.__getstate__ may return the instance's own __dict__
        state = dict(super().__getstate__())
        state["_sklstm_version"] = __version__
        return state

    def __setstate__(self, state):
        saved = state.pop("_sklstm_version", None)
        running = __version__
        if saved is None or _minor(saved) != _minor(running):
            warnings.warn(
                InconsistentVersionWarning(
                    estimator_name=type(self).__name__,
                    current_sklstm_version=running,
                    original_sklstm_version=saved,
                ),
                stacklevel=2,
            )
        fitted = any(key.endswith("_") and not key.startswith("_") for key in state)
        if fitted:
            for name, value in self._saved_defaults.items():
                state.setdefault(name, value)
        super().__setstate__(state)
