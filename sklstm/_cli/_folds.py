"""What the rows of a series allow: window lengths, folds, their checks.

``sklstm forecast`` searches over ``TimeSeriesSplit`` folds and calibrates its
intervals over folds of the latest half of the series; every training fold
needs full windows. `default_time_steps` picks the windows that fit,
`calibration_folds` makes the interval folds and `check_rows` says, before
any training, how many rows the options given need. Several series calibrate
their intervals over `panel_windows` held-out windows of the last rows
instead; `check_panel_rows` says how many rows those need.
"""

from sklearn.model_selection import TimeSeriesSplit

from ._errors import InputError

MAX_AUTO_TIME_STEP = 60
"""Longest window of the default grid (two seasons of weekly data are 104)."""

INTERVAL_FOLDS = 5
"""Default of ``--interval-folds`` (one series; the most for several)."""

PANEL_ERRORS = 20
"""Several series: held-out windows enough for this many errors a step ahead,
at most `INTERVAL_FOLDS`, by default."""


def default_time_steps(n_rows, season, n_folds, steps, interval_folds):
    """Window lengths to search: one and two seasons, if they fit.

    A window fits when it is at most two thirds of the shortest training
    fold (of the search and of the interval calibration, if any), so that every
    fold trains on at least half as many windows as the window is long.
    Without a known season the candidates are 6 and 12 rows. When none
    fits, the longest that does.

    Parameters
    ----------
    n_rows : int
    season : int or None
        Rows per season (12 for monthly data).
    n_folds, steps : int
        As given to ``sklstm forecast``.
    interval_folds : int or None
        Likewise; None without intervals (several series).

    Returns
    -------
    time_steps : list of int
    """
    shortest = _shortest_search_fold(n_rows, n_folds)
    if interval_folds is not None:
        shortest = min(
            shortest, _shortest_calibration_fold(n_rows, steps, interval_folds)
        )
    longest = max(1, min(2 * shortest // 3, MAX_AUTO_TIME_STEP))
    candidates = [season, 2 * season] if season else [6, 12]
    return [t for t in candidates if t <= longest] or [longest]


def calibration_folds(n_rows, steps, n_folds):
    """The time-ordered folds that calibrate the intervals.

    ``n_folds`` folds over the latest half of the series, as
    `ConformalForecaster` makes them, but each at least ``steps`` rows long,
    so that every step ahead gets out-of-sample residuals.
    """
    return TimeSeriesSplit(n_folds, test_size=max(steps, n_rows // (2 * n_folds)))


def panel_windows(n_series):
    """Held-out windows that calibrate the intervals of ``n_series`` series.

    Enough for `PANEL_ERRORS` errors a step ahead (one per series and
    window), at most `INTERVAL_FOLDS`: each window is one more fit.
    """
    return int(min(INTERVAL_FOLDS, -(-PANEL_ERRORS // n_series)))


def _shortest_search_fold(n_rows, n_folds):
    return n_rows - n_folds * (n_rows // (n_folds + 1))


def _shortest_calibration_fold(n_rows, steps, n_folds):
    return n_rows - n_folds * calibration_folds(n_rows, steps, n_folds).test_size


def check_rows(n_rows, time_step, searched, interval_folds, args, ahead=1):
    """Every training fold needs at least two full windows with targets
    ``ahead`` steps ahead.

    ``interval_folds`` is None without intervals (several series).
    """

    def fits(n):
        shortest = n
        if interval_folds is not None:
            shortest = _shortest_calibration_fold(n, args.steps, interval_folds)
        if searched:
            shortest = min(shortest, _shortest_search_fold(n, args.folds))
        return shortest >= time_step + ahead + 1

    if fits(n_rows):
        return
    needed = next(n for n in range(n_rows + 1, 100 * n_rows + 10_000) if fits(n))
    needs = [f"a search over {args.folds} folds"] if searched else []
    options = ["--time-step"] + (["--steps"] if ahead > 1 else [])
    options += ["--folds"] if searched else []
    if interval_folds is not None:
        needs.append(
            f"intervals up to {args.steps} steps calibrated over {interval_folds} "
            "folds (--interval-folds)"
        )
        options = ["--time-step", "--steps", "--folds", "--interval-folds"]
    needs.append(
        f"windows of {time_step} row(s)"
        + (f" with targets {ahead} steps ahead" if ahead > 1 else "")
    )
    raise InputError(
        f"too few rows: {args.csv} has {n_rows}, but {_in_words(needs)} need at "
        f"least {needed}; use a smaller {_in_words(options, 'or')}."
    )


def check_panel_rows(n_rows, time_step, n_windows, args):
    """The fit before the earliest held-out window needs two full windows
    with targets ``--steps`` ahead (the model forecasts them at once)."""
    needed = n_windows * args.steps + time_step + args.steps + 1
    if n_rows < needed:
        raise InputError(
            f"too few rows: {args.csv} has {n_rows}, but intervals over {n_windows} "
            f"held-out window(s) of {args.steps} steps (--interval-folds, --steps) "
            f"and windows of {time_step} row(s) with targets {args.steps} steps "
            f"ahead need at least {needed}; use a smaller --time-step, --steps or "
            "--interval-folds."
        )


def _in_words(items, last="and"):
    """``"a, b and c"``."""
    return f" {last} ".join([", ".join(items[:-1]), items[-1]] if items[1:] else items)
