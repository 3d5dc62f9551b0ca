"""TensorFlow's thread pools sized from the thread limit of joblib workers.

joblib's process backends (loky, multiprocessing) start every worker with
``OMP_NUM_THREADS`` (and ``MKL_NUM_THREADS``, ``OPENBLAS_NUM_THREADS``, ...)
set to ``cpu_count() // n_jobs``, unless the variable is set in the parent;
dask's nanny starts its workers with ``OMP_NUM_THREADS=1``. BLAS and OpenMP
respect that limit; TensorFlow does not: its intra-op and inter-op pools take
every core, so ``GridSearchCV(n_jobs=2)`` on 2 cores runs 2 x 2 x 2 threads.
`configure_tensorflow_threads` gives TensorFlow the same limit. A process
without ``OMP_NUM_THREADS`` (the main process, unless the user set it) is
left alone, and so is a pool the user sized with TensorFlow's own
``TF_NUM_INTRAOP_THREADS`` / ``TF_NUM_INTEROP_THREADS``.
"""

import os
import sys

#: TensorFlow's own variables (read by its C++ runtime): they take precedence.
_TF_VARIABLES = {
    "intra_op": "TF_NUM_INTRAOP_THREADS",
    "inter_op": "TF_NUM_INTEROP_THREADS",
}


def thread_limit(environ=None):
    """The thread limit that the environment sets for compute libraries.

    Parameters
    ----------
    environ : mapping, default=None
        Environment to read; ``os.environ`` by default.

    Returns
    -------
    limit : int or None
        ``OMP_NUM_THREADS`` as a positive int, or None when it is unset or
        not a positive integer.
    """
    environ = os.environ if environ is None else environ
    try:
        limit = int(environ.get("OMP_NUM_THREADS", ""))
    except ValueError:
        return None
    return limit if limit > 0 else None


def configure_tensorflow_threads(environ=None):
    """Size TensorFlow's intra-op and inter-op pools from ``OMP_NUM_THREADS``.

    Call it after TensorFlow is imported and before it runs anything: the
    pools are fixed when its runtime starts. Later calls, and calls where
    TensorFlow is not imported or already started, change nothing.

    Parameters
    ----------
    environ : mapping, default=None
        Environment to read; ``os.environ`` by default.

    Returns
    -------
    threads : dict
        ``{"intra_op": n, "inter_op": n}`` for the pools this call sized;
        empty when it changed nothing.
    """
    environ = os.environ if environ is None else environ
    limit = thread_limit(environ)
    tf = sys.modules.get("tensorflow")
    if limit is None or tf is None:
        return {}
    threading = tf.config.threading
    current = {
        "intra_op": threading.get_intra_op_parallelism_threads,
        "inter_op": threading.get_inter_op_parallelism_threads,
    }
    setters = {
        "intra_op": threading.set_intra_op_parallelism_threads,
        "inter_op": threading.set_inter_op_parallelism_threads,
    }
    threads = {}
    for pool, variable in _TF_VARIABLES.items():
        if variable in environ or current[pool]() != 0:
            continue  # sized by the user, or by an earlier call
        try:
            setters[pool](limit)
        except RuntimeError:  # the runtime has started: too late to change
            return threads
        threads[pool] = limit
    return threads
