"""VarianceStabilizer: a power transform that every forecast can be undone from."""

from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.preprocessing import PowerTransformer
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ._persistence import VersionedPickleMixin


class VarianceStabilizer(
    VersionedPickleMixin, OneToOneFeatureMixin, TransformerMixin, BaseEstimator
):
    """Yeo-Johnson power transform with its exponent kept in [0, 1].

    Series whose swings grow with their level (passengers, sunspots, sales)
    become closer to linear and evenly noisy: a linear autoregression fits
    them better. An exponent in [0, 1] only compresses large values (0.5 is
    about a square root, 0 is ``log1p``, 1 the identity), and the transform
    then maps the real line onto itself, so a forecast beyond the training
    range always transforms back. Exponents outside [0, 1] (which
    ``sklearn.preprocessing.PowerTransformer`` may choose) bound the
    transformed range, and a trending forecast past that bound has no
    inverse.

    Parameters
    ----------
    power : "auto" or float in [0, 1], default="auto"
        Exponent of each column. ``"auto"``: the maximum-likelihood exponent
        of ``PowerTransformer(method="yeo-johnson")``, clipped to [0, 1].

    Attributes
    ----------
    lambdas_ : ndarray of shape (n_features,)
        Exponent of each column.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when ``X`` has string column names.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import VarianceStabilizer
    >>> stabilizer = VarianceStabilizer(power=0.5).fit([[0.0], [3.0], [8.0]])
    >>> stabilizer.transform([[3.0], [8.0]]).ravel()
    array([2., 4.])
    >>> stabilizer.inverse_transform([[2.0], [4.0]]).ravel()
    array([3., 8.])
    """

    _parameter_constraints = {
        "power": [StrOptions({"auto"}), Interval(Real, 0, 1, closed="both")],
    }

    def __init__(self, power="auto"):
        self.power = power

    def fit(self, X, y=None):
        """Choose the exponent of each column (NaN values are ignored; a
        column with fewer than 2 values gets 1).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : None
            Ignored.

        Returns
        -------
        self : VarianceStabilizer
        """
        self._validate_params()
        X = validate_data(self, X, dtype=np.float64, ensure_all_finite="allow-nan")
        if self.power == "auto":
            # a column with fewer than 2 values (a series not started yet in
            # this fold) has no exponent to choose: it keeps 1, the identity
            self.lambdas_ = np.ones(X.shape[1])
            enough = (~np.isnan(X)).sum(axis=0) >= 2
            if enough.any():
                with np.errstate(over="ignore", invalid="ignore"):
                    power = PowerTransformer(standardize=False).fit(X[:, enough])
                self.lambdas_[enough] = np.clip(power.lambdas_, 0.0, 1.0)
        else:
            self.lambdas_ = np.full(X.shape[1], float(self.power))
        return self

    def transform(self, X):
        """Transform each column with its exponent; NaN stays NaN.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_features)
        """
        return self._apply(X, _yeo_johnson)

    def inverse_transform(self, X):
        """Undo `transform`; defined for every real value.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features)
        """
        return self._apply(X, _yeo_johnson_inverse)

    def _apply(self, X, function):
        check_is_fitted(self)
        X = validate_data(
            self, X, reset=False, dtype=np.float64, ensure_all_finite="allow-nan"
        )
        columns = zip(X.T, self.lambdas_, strict=True)
        return np.column_stack([function(x, lam) for x, lam in columns])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags


def _yeo_johnson(x, lam):
    """Yeo-Johnson transform of one column, for ``0 <= lam <= 1``."""
    if lam == 1:
        return x.copy()  # the identity, without rounding
    out = np.full_like(x, np.nan)
    positive, negative = x >= 0, x < 0
    if lam == 0:
        out[positive] = np.log1p(x[positive])
    else:
        out[positive] = ((x[positive] + 1) ** lam - 1) / lam
    out[negative] = -((1 - x[negative]) ** (2 - lam) - 1) / (2 - lam)
    return out


def _yeo_johnson_inverse(z, lam):
    """Inverse of `_yeo_johnson`, for ``0 <= lam <= 1`` and any real ``z``."""
    if lam == 1:
        return z.copy()
    out = np.full_like(z, np.nan)
    positive, negative = z >= 0, z < 0
    if lam == 0:
        out[positive] = np.expm1(z[positive])
    else:
        out[positive] = (lam * z[positive] + 1) ** (1 / lam) - 1
    out[negative] = 1 - (1 - (2 - lam) * z[negative]) ** (1 / (2 - lam))
    return out
