import numpy as np
import pytest
from sklearn.linear_model import Ridge

from sklstm._chunks import CHUNK_ROWS
from sklstm._lstm._linear import RidgeAutoregression

ALPHAS = np.logspace(-6, 2, 9)


def _ridge_on_the_shape(flat, y, n_features, alpha, weight=None):
    """The reference: ``Ridge(alpha)`` on what a regression on the intercept
    and the newest values leaves of the windows and of y (Frisch-Waugh);
    returns the weights of the whole window and the intercept."""
    base = np.hstack([np.ones((len(flat), 1)), flat[:, -n_features:]])
    root = np.ones(len(y)) if weight is None else np.sqrt(weight)
    on_base = np.linalg.lstsq(base * root[:, None], np.c_[flat, y] * root[:, None])[0]
    left = np.c_[flat, y] - base @ on_base
    ridge = Ridge(alpha, fit_intercept=False).fit(left[:, :-1], left[:, -1], weight)
    level = on_base[:, -1] - on_base[:, :-1] @ ridge.coef_
    coef = ridge.coef_.copy()
    coef[-n_features:] += level[1:]
    return coef, level[0]


@pytest.mark.parametrize("noise", [1e-3, 0.3, 3.0])
@pytest.mark.parametrize("weighted", [False, True])
def test_ridge_on_the_window_shape_in_chunks(noise, weighted):
    """The same weights as a ridge that leaves the intercept and the newest
    values unpenalised; the sums run over several chunks."""
    rng = np.random.default_rng(0)
    n, time_step, n_features = CHUNK_ROWS + 500, 6, 2
    windows = rng.normal(size=(n, time_step, n_features))
    y = windows[:, :, 0] @ np.linspace(-1, 1, time_step) + noise * rng.normal(size=n)
    weight = rng.uniform(0.5, 2, n) if weighted else None
    flat = windows.reshape(n, -1)
    linear = RidgeAutoregression(ALPHAS).fit(windows, y, weight)
    coef, intercept = _ridge_on_the_shape(flat, y, n_features, linear.alpha_, weight)
    np.testing.assert_allclose(linear.coef_, coef, atol=1e-9)
    np.testing.assert_allclose(linear.intercept_, intercept, atol=1e-9)
    reference = flat @ coef + intercept
    np.testing.assert_allclose(linear.predict(windows), reference, atol=1e-9)
    np.testing.assert_allclose(linear.predict(flat), reference, atol=1e-9)


def test_penalty_chosen_by_exact_leave_one_out():
    """alpha_ is the penalty whose refits without each window in turn
    predict that window best."""
    rng = np.random.default_rng(1)
    y = np.cumsum(rng.normal(size=80)) + np.sin(np.arange(80))
    windows = np.lib.stride_tricks.sliding_window_view(y[:-1], 8)[:, :, None]
    target, flat = y[8:], windows.reshape(len(windows), -1)
    alphas = np.logspace(-2, 3, 6)
    errors = []
    for alpha in alphas:
        squares = 0.0
        for i in range(len(target)):
            keep = np.arange(len(target)) != i
            coef, intercept = _ridge_on_the_shape(flat[keep], target[keep], 1, alpha)
            squares += (flat[i] @ coef + intercept - target[i]) ** 2
        errors.append(squares)
    linear = RidgeAutoregression(alphas).fit(windows, target)
    assert linear.alpha_ == alphas[np.argmin(errors)]


def test_a_large_penalty_shrinks_toward_the_last_value_not_the_mean():
    """Behind a MinMaxScaler, a strong penalty on a level-shifted series
    still forecasts near the newest values (persistence), where a ridge
    penalising every weight pulls toward the training mean."""
    y = np.r_[np.zeros(60), np.ones(60)] + 0.01 * np.sin(np.arange(120))
    windows = np.lib.stride_tricks.sliding_window_view(y[:-1], 12)[:, :, None]
    target = y[12:]
    linear = RidgeAutoregression([1e3]).fit(windows, target)
    level = windows[-1:, :, :] + 5.0  # far above anything seen
    assert abs(linear.predict(level)[0] - 6.0) < 0.2
    everything = Ridge(1e3).fit(windows.reshape(len(windows), -1), target)
    assert abs(everything.predict(level.reshape(1, -1))[0] - 6.0) > 1


def test_leave_one_out_picks_a_small_penalty_for_an_exact_autoregression():
    y = np.sin(np.arange(300) / 5)
    windows = np.lib.stride_tricks.sliding_window_view(y[:-1], 10)[:, :, None]
    linear = RidgeAutoregression(ALPHAS).fit(windows, y[10:])
    assert linear.alpha_ <= 1e-3
    np.testing.assert_allclose(linear.predict(windows), y[10:], atol=1e-4)
