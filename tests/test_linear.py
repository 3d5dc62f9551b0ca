import numpy as np
import pytest
from sklearn.linear_model import RidgeCV

from sklstm._chunks import CHUNK_ROWS
from sklstm._linear import RidgeAutoregression

ALPHAS = np.logspace(-6, 2, 9)


@pytest.mark.parametrize("noise", [1e-3, 0.3, 3.0])
@pytest.mark.parametrize("weighted", [False, True])
def test_same_model_as_ridgecv_in_chunks(noise, weighted):
    # More rows than one chunk, so that the sums run over several chunks.
    rng = np.random.default_rng(0)
    n, time_step, n_features = CHUNK_ROWS + 500, 6, 2
    windows = rng.normal(size=(n, time_step, n_features))
    y = windows[:, :, 0] @ np.linspace(-1, 1, time_step) + noise * rng.normal(size=n)
    weight = rng.uniform(0.5, 2, n) if weighted else None
    flat = windows.reshape(n, -1)
    reference = RidgeCV(alphas=ALPHAS).fit(flat, y, sample_weight=weight)
    linear = RidgeAutoregression(ALPHAS).fit(windows, y, weight)
    assert linear.alpha_ == reference.alpha_
    np.testing.assert_allclose(linear.coef_, reference.coef_, atol=1e-10)
    np.testing.assert_allclose(linear.intercept_, reference.intercept_, atol=1e-10)
    np.testing.assert_allclose(linear.predict(windows), reference.predict(flat))
    np.testing.assert_allclose(linear.predict(flat), reference.predict(flat))


def test_leave_one_out_picks_a_small_penalty_for_an_exact_autoregression():
    y = np.sin(np.arange(300) / 5)
    windows = np.lib.stride_tricks.sliding_window_view(y[:-1], 10)[:, :, None]
    linear = RidgeAutoregression(ALPHAS).fit(windows, y[10:])
    assert linear.alpha_ <= 1e-3
    np.testing.assert_allclose(linear.predict(windows), y[10:], atol=1e-4)
