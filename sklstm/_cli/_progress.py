"""A one-line progress display for a grid search, on a terminal only.

``GridSearchCV`` has no callback, but it calls its scorer once after each
fit (``n_jobs=1``: in order, in this process), so `CountingScorer` wraps the
scorer and moves a `SearchProgress` on by one fit.
"""

import time


class SearchProgress:
    """Fits done, elapsed and time left, redrawn in place on ``stream``.

    Parameters
    ----------
    n_candidates, n_folds : int
        Size of the search: ``n_candidates * n_folds`` fits.
    stream : file
        Where to draw; nothing is drawn unless it is a terminal.
    enabled : bool, default=True
        False draws nothing (``--quiet``).
    """

    def __init__(self, n_candidates, n_folds, stream, *, enabled=True):
        self.n_candidates = n_candidates
        self.n_folds = n_folds
        self.stream = stream
        self.enabled = enabled and stream.isatty()
        self.done = 0
        self._start = time.monotonic()

    @property
    def total(self):
        return self.n_candidates * self.n_folds

    def advance(self):
        """Count one more fit and redraw the line."""
        self.done += 1
        if not self.enabled:
            return
        elapsed = time.monotonic() - self._start
        left = elapsed / self.done * (self.total - self.done)
        self.stream.write(
            f"\rsearch: {self.done}/{self.total} fits ({self.n_candidates} "
            f"candidates x {self.n_folds} folds), {_clock(elapsed)} elapsed, "
            f"about {_clock(left)} left "
        )
        if self.done == self.total:
            self.stream.write("\n")
        self.stream.flush()


class CountingScorer:
    """A scorer that counts its calls on a `SearchProgress`.

    Parameters
    ----------
    scorer : callable
        ``scorer(estimator, X, y) -> float``, e.g. from
        ``sklearn.metrics.get_scorer``.
    progress : SearchProgress
    """

    def __init__(self, scorer, progress):
        self.scorer = scorer
        self.progress = progress

    def __call__(self, estimator, X, y):
        score = self.scorer(estimator, X, y)
        self.progress.advance()
        return score


def _clock(seconds):
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes}:{seconds:02d}"
