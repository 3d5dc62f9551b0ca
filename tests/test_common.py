"""scikit-learn's common estimator checks, with each expected failure explained."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from sklstm import (
    CompleteWindows,
    LSTMForecaster,
    NaiveForecaster,
    SeasonalNaiveForecaster,
    VarianceStabilizer,
    WindowTransformer,
)

from .conftest import TINY_LSTM

CONTINUATION = (
    "by design: transform of rows other than the fitted ones continues the "
    "fitted series, so a row's window depends on the rows before it"
)

LEADING_NAN = (
    "by design: leading rows with NaN are WindowTransformer's rows without "
    "history and are skipped; NaN or inf after them raises (test_forecaster)"
)
NO_LEARNING = (
    "by design: a naive forecast copies a value of the window, it learns nothing"
)
UNITS_MAP = (
    "by design: the map to the units of y pairs row t with row t - horizon, so "
    "repeating a row is not weighting it; sample_weight does not apply"
)

LATE_START = (
    "by design: NaN before a column's first value means that series has not "
    "started yet (many series, DESIGN.md); NaN after it raises (test_window, "
    "test_many_series)"
)
SERIES_IN_X = (
    "by design: a 2-D y of k series needs their histories among the window "
    "features; the check's plain matrix is read as the windows of one series "
    "(test_many_series fits k series)"
)

EXPECTED_FAILED_CHECKS = {
    "WindowTransformer": {
        "check_methods_subset_invariance": CONTINUATION,
        "check_methods_sample_order_invariance": CONTINUATION,
        "check_estimators_nan_inf": LATE_START,
    },
    "LSTMForecaster": {
        "check_estimator_tags_renamed": (
            "scikeras.BaseWrapper defines the old _more_tags; LSTMForecaster "
            "defines __sklearn_tags__ itself (test_forecaster checks the tags)"
        ),
        "check_mixin_order": (
            "scikeras.KerasRegressor puts RegressorMixin after BaseEstimator; "
            "the tags RegressorMixin would set are set in __sklearn_tags__"
        ),
        "check_sample_weight_equivalence_on_dense_data": (
            "minibatch SGD: weighting a row is not the same as repeating it"
        ),
        "check_estimators_nan_inf": LEADING_NAN,
        "check_regressor_multioutput": SERIES_IN_X,
    },
    "NaiveForecaster": {
        "check_estimators_nan_inf": LEADING_NAN,
        "check_sample_weight_equivalence_on_dense_data": UNITS_MAP,
    },
    "SeasonalNaiveForecaster": {
        "check_estimators_nan_inf": LEADING_NAN,
        "check_sample_weight_equivalence_on_dense_data": UNITS_MAP,
        "check_fit2d_1feature": (
            "by design: windows of 1 step cannot reach one season back; the "
            "error says which time_step is needed"
        ),
    },
    "CompleteWindows": {
        "check_estimators_nan_inf": LEADING_NAN,
        "check_regressors_train": NO_LEARNING + " (the wrapped NaiveForecaster)",
        "check_regressor_multioutput": SERIES_IN_X,
        "check_sample_weight_equivalence_on_dense_data": UNITS_MAP,
    },
}


def _expected_failed_checks(estimator):
    return EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {})


@parametrize_with_checks(
    [
        WindowTransformer(time_step=2),
        LSTMForecaster(**TINY_LSTM),
        NaiveForecaster(),
        SeasonalNaiveForecaster(season=2),
        CompleteWindows(NaiveForecaster()),
        VarianceStabilizer(),
    ],
    expected_failed_checks=_expected_failed_checks,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)
