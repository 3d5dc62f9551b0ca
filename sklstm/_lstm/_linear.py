"""The linear path: a ridge autoregression on the windows, solved in chunks."""

import numpy as np

from .._chunks import chunks, map_chunks


class RidgeAutoregression:
    """Ridge regression of ``y`` on flattened windows, penalty by leave-one-out.

    The penalty acts on the shape of each window, never on its level: the
    intercept and the weights of the newest value of each feature are not
    penalised (as if the window were taken relative to its newest values).
    Penalised weights then shrink the forecast toward a regression on the
    newest values (persistence, for a series that is its own feature), not
    toward the mean of the training data, whatever the scaling of the
    windows: a ridge behind a ``MinMaxScaler`` follows a level shift as an
    unscaled one does. Otherwise it is ``RidgeCV(alphas)`` with its efficient
    leave-one-out choice of ``alpha``, computed from the Gram matrix of the
    windows, which is accumulated a chunk of rows at a time: a long series is
    never flattened into one ``n x time_step`` copy.

    Parameters
    ----------
    alphas : array-like of float
        Candidate penalties, all positive.

    Attributes
    ----------
    alpha_ : float
        The penalty with the smallest leave-one-out squared error.
    coef_ : ndarray of shape (time_step * n_features,)
        Weights of the flattened window, oldest lag first.
    intercept_ : float
    """

    def __init__(self, alphas):
        self.alphas = alphas

    def fit(self, windows, y, sample_weight=None):
        """Fit on 3-D windows ``(n, time_step, n_features)`` and targets ``y``.

        A 2-D ``y`` ``(n, n_outputs)`` (a whole horizon) gets one ridge per
        output, each on the rows where its target is not NaN; ``coef_`` is
        then ``(time_step * n_features, n_outputs)`` and ``alpha_`` and
        ``intercept_`` one per output. ``sample_weight`` may then be 2-D too.

        Returns
        -------
        self : RidgeAutoregression
        """
        if np.ndim(y) == 2:
            return self._fit_outputs(windows, y, sample_weight)
        n, n_features = len(y), windows.shape[2]
        weight = np.ones(n) if sample_weight is None else np.asarray(sample_weight)
        parts = chunks(n)

        def unpenalized(flat):  # the intercept and the newest values
            return np.hstack([np.ones((len(flat), 1)), flat[:, -n_features:]])

        # Regress the windows and y on the unpenalized columns (Frisch-Waugh):
        # the ridge then works on what they leave.
        base_gram = base_x = base_y = 0.0
        for s in parts:
            flat = _flat(windows[s])
            base = unpenalized(flat)
            weighted = base * weight[s][:, None]
            base_gram = base_gram + weighted.T @ base
            base_x = base_x + weighted.T @ flat
            base_y = base_y + weighted.T @ y[s]
        base_inverse = np.linalg.pinv(base_gram)
        x_on_base, y_on_base = base_inverse @ base_x, base_inverse @ base_y

        def residuals(s):
            flat = _flat(windows[s])
            base = unpenalized(flat)
            root = np.sqrt(weight[s])[:, None]
            return (
                (flat - base @ x_on_base) * root,
                (y[s] - base @ y_on_base) * root[:, 0],
                weight[s] * np.einsum("ij,jk,ik->i", base, base_inverse, base),
            )

        dim = x_on_base.shape[1]
        gram, moment = np.zeros((dim, dim)), np.zeros(dim)
        for s in parts:
            x_left, y_left, _ = residuals(s)
            gram += x_left.T @ x_left
            moment += x_left.T @ y_left
        eigenvalues, eigenvectors = np.linalg.eigh(gram)
        eigenvalues = np.clip(eigenvalues, 0, None)
        alphas = np.asarray(self.alphas, dtype=float)
        shrink = 1 / (eigenvalues[None, :] + alphas[:, None])  # (n_alphas, dim)
        projected = eigenvectors.T @ moment
        loo_error = np.zeros(len(alphas))
        for s in parts:
            x_left, y_left, base_leverage = residuals(s)
            z = x_left @ eigenvectors
            fitted = z @ (shrink * projected).T  # (rows, n_alphas)
            leverage = base_leverage[:, None] + (z**2) @ shrink.T
            residual = y_left[:, None] - fitted
            loo_error += ((residual / (1 - leverage)) ** 2).sum(axis=0)
        # a leverage of 1 (as many lags as windows) makes an error infinite
        best = int(np.argmin(np.where(np.isfinite(loo_error), loo_error, np.inf)))
        self.alpha_ = float(alphas[best])
        self.coef_ = eigenvectors @ (shrink[best] * projected)
        level = y_on_base - x_on_base @ self.coef_
        self.coef_[-n_features:] += level[1:]
        self.intercept_ = float(level[0])
        return self

    def _fit_outputs(self, windows, y, sample_weight):
        weight = np.ones(len(y)) if sample_weight is None else sample_weight
        weight = np.broadcast_to(np.reshape(weight, (len(y), -1)), y.shape)
        fits = [
            RidgeAutoregression(self.alphas).fit(
                windows, np.nan_to_num(target), step_weight * ~np.isnan(target)
            )
            for target, step_weight in zip(y.T, weight.T, strict=True)
        ]
        self.alpha_ = np.array([fit.alpha_ for fit in fits])
        self.coef_ = np.stack([fit.coef_ for fit in fits], axis=1)
        self.intercept_ = np.array([fit.intercept_ for fit in fits])
        return self

    def predict(self, windows):
        """Predictions for windows, 3-D or flattened to 2-D, a chunk at a time."""
        flat_predictions = map_chunks(lambda part: _flat(part) @ self.coef_, windows)
        return flat_predictions + self.intercept_


def _flat(windows):
    return windows.reshape(len(windows), -1)
