"""The linear path: a ridge autoregression on the windows, solved in chunks."""

import numpy as np

from ._chunks import chunks, map_chunks


class RidgeAutoregression:
    """Ridge regression of ``y`` on flattened windows, penalty by leave-one-out.

    The same model as ``RidgeCV(alphas)`` (intercept, efficient leave-one-out
    choice of ``alpha``), computed from the Gram matrix of the windows, which
    is accumulated a chunk of rows at a time: a long series is never flattened
    into one ``n x time_step`` copy.

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
        n = len(y)
        weight = np.ones(n) if sample_weight is None else np.asarray(sample_weight)
        total = weight.sum()
        parts = chunks(n)
        x_mean = sum(weight[s] @ _flat(windows[s]) for s in parts) / total
        y_mean = weight @ y / total
        dim = x_mean.shape[0]
        gram, moment = np.zeros((dim, dim)), np.zeros(dim)
        for s in parts:
            centred = (_flat(windows[s]) - x_mean) * np.sqrt(weight[s])[:, None]
            gram += centred.T @ centred
            moment += centred.T @ ((y[s] - y_mean) * np.sqrt(weight[s]))
        eigenvalues, eigenvectors = np.linalg.eigh(gram)
        eigenvalues = np.clip(eigenvalues, 0, None)
        alphas = np.asarray(self.alphas, dtype=float)
        shrink = 1 / (eigenvalues[None, :] + alphas[:, None])  # (n_alphas, dim)
        projected = eigenvectors.T @ moment
        loo_error = np.zeros(len(alphas))
        for s in parts:
            root = np.sqrt(weight[s])[:, None]
            z = ((_flat(windows[s]) - x_mean) * root) @ eigenvectors
            fitted = z @ (shrink * projected).T  # (rows, n_alphas)
            leverage = weight[s][:, None] / total + (z**2) @ shrink.T
            residual = (y[s, None] - y_mean) * root - fitted
            loo_error += ((residual / (1 - leverage)) ** 2).sum(axis=0)
        # a leverage of 1 (as many lags as windows) makes an error infinite
        best = int(np.argmin(np.where(np.isfinite(loo_error), loo_error, np.inf)))
        self.alpha_ = float(alphas[best])
        self.coef_ = eigenvectors @ (shrink[best] * projected)
        self.intercept_ = float(y_mean - x_mean @ self.coef_)
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
