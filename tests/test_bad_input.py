# ruff: noqa: E501  (the catalogue is a table: one case per entry, unwrapped)
"""Every bad input gets our own clear ValueError or TypeError, naming the
problem and the fix: the catalogue of the "Bad input" table of the user guide
(docs/user_guide/data.md).

Each case checks the exception type and key words of the problem and of the
fix, and that no TensorFlow exception or traceback text reaches the user.
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import Ridge
from sklearn.model_selection import TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

from sklstm import (
    CompleteWindows,
    ConformalForecaster,
    LSTMForecaster,
    NaiveForecaster,
    SeasonalNaiveForecaster,
    WindowTransformer,
)

from .conftest import TINY_LSTM

SERIES = np.sin(np.arange(40) / 3)
X = SERIES.reshape(-1, 1)
WINDOWS = WindowTransformer(4).fit_transform(X)
DATES = pd.date_range("2000-01", periods=40, freq="MS")
FRAME = pd.DataFrame({"y": SERIES}, index=DATES)


def with_nan(array, rows, value=np.nan):
    array = np.array(array, dtype=float)
    array[rows] = value
    return array


def lstm():
    return LSTMForecaster(**TINY_LSTM)


def pipeline():
    return make_pipeline(MinMaxScaler(), WindowTransformer(4), lstm())


def naive_pipeline():
    return make_pipeline(WindowTransformer(4), NaiveForecaster())


@pytest.fixture(scope="module")
def fitted():
    """One fit of each kind, shared by the predict-time cases."""
    return {
        "window": WindowTransformer(4).fit(X),
        "lstm": lstm().fit(WINDOWS, SERIES),
        "pipeline": pipeline().fit(X, SERIES),
        "naive": NaiveForecaster().fit(WINDOWS, SERIES),
        "conformal": ConformalForecaster(naive_pipeline(), cv=2).fit(X, SERIES),
    }


def gap_fold():
    train, test = list(TimeSeriesSplit(n_splits=2, gap=3).split(FRAME))[-1]
    return FRAME.iloc[train], SERIES[train], FRAME.iloc[test]


# (id, call, exception type, regex of the problem and the fix); ``call`` takes
# the dict of fitted estimators.
CASES = [
    # NaN and inf, with row numbers
    ("window fit NaN", lambda f: WindowTransformer(4).fit(with_nan(X, [5, 9])),
     ValueError, r"NaN or infinity in rows 5, 9.*interpolate"),
    ("window fit inf", lambda f: WindowTransformer(4).fit(with_nan(X, 7, np.inf)),
     ValueError, r"NaN or infinity in rows 7.*interpolate"),
    ("window transform NaN", lambda f: f["window"].transform(with_nan(X[:5], 2)),
     ValueError, r"rows 2 .*interpolate"),
    ("lstm fit NaN in X", lambda f: lstm().fit(with_nan(WINDOWS, [20, 31]), SERIES),
     ValueError, r"rows 20, 31.*interpolate"),
    ("lstm fit inf in y", lambda f: lstm().fit(WINDOWS, with_nan(SERIES, 30, np.inf)),
     ValueError, r"y contains NaN or infinity in rows 30.*interpolate"),
    ("lstm predict NaN", lambda f: f["lstm"].predict(with_nan(WINDOWS[4:], 3)),
     ValueError, r"rows 3 .*interpolate"),
    ("pipeline fit NaN", lambda f: pipeline().fit(with_nan(X, 12), SERIES),
     ValueError, r"rows 12 .*interpolate"),
    # MinMaxScaler in front answers inf and text itself, in scikit-learn's words
    ("pipeline predict inf", lambda f: f["pipeline"].predict(with_nan(X[:6], 1, -np.inf)),
     ValueError, r"Input X contains infinity"),
    ("naive fit NaN in y", lambda f: NaiveForecaster().fit(WINDOWS, with_nan(SERIES, 15)),
     ValueError, r"y contains NaN or infinity in rows 15"),
    ("conformal fit NaN in y", lambda f: ConformalForecaster(naive_pipeline()).fit(X, with_nan(SERIES, 33)),
     ValueError, r"y contains NaN or infinity in rows 33"),
    # values too large to compute with
    ("lstm fit 1e300", lambda f: lstm().fit(WINDOWS * 1e300, SERIES),
     ValueError, r"beyond \+-1e\+30 in rows 2, 3, .*Rescale.*MinMaxScaler"),
    ("lstm fit 1e300 y", lambda f: lstm().fit(WINDOWS, SERIES * 1e300),
     ValueError, r"y holds values beyond.*Rescale"),
    # non-numeric data
    ("window text column", lambda f: WindowTransformer(4).fit(pd.DataFrame({"y": list("abcdefgh")})),
     TypeError, r"non-numeric columns \['y'\].*pd.to_numeric"),
    ("window date column", lambda f: WindowTransformer(4).fit(FRAME.reset_index()),
     TypeError, r"non-numeric columns \['index'\].*dates belong in the index"),
    ("window bool column", lambda f: WindowTransformer(4).fit(FRAME > 0),
     TypeError, r"non-numeric columns.*astype\(float\)"),
    ("window strings", lambda f: WindowTransformer(4).fit(X.astype(str)),
     TypeError, r"holds <U\d+ values.*dtype=float"),
    ("window object text", lambda f: WindowTransformer(4).fit(np.array([["a"]] * 8, dtype=object)),
     TypeError, r"not numbers.*'a'.*pd.to_numeric"),
    ("window complex", lambda f: WindowTransformer(4).fit(X.astype(complex)),
     ValueError, r"Complex data not supported.*\.real"),
    ("window sparse", lambda f: WindowTransformer(4).fit(__import__("scipy.sparse").sparse.csr_matrix(X)),
     TypeError, r"sparse input is not supported.*toarray"),
    ("lstm text y", lambda f: lstm().fit(WINDOWS, np.array(["a"] * 40)),
     TypeError, r"y holds <U1 values.*dtype=float"),
    ("pipeline text column", lambda f: pipeline().fit(pd.DataFrame({"y": ["a"] * 40}), SERIES),
     ValueError, r"could not convert string to float: 'a'"),
    ("conformal text y", lambda f: ConformalForecaster(naive_pipeline()).fit(X, np.array(["a"] * 40)),
     TypeError, r"y holds <U1 values"),
    # empty input, one row, too short
    ("window fit empty", lambda f: WindowTransformer(4).fit(X[:0]),
     ValueError, r"X is empty.*no rows.*at least one row"),
    ("window transform empty", lambda f: f["window"].transform(X[:0]),
     ValueError, r"X is empty"),
    ("window no columns", lambda f: WindowTransformer(4).fit(np.zeros((10, 0))),
     ValueError, r"no columns.*one column"),
    ("lstm fit empty", lambda f: lstm().fit(WINDOWS[:0], SERIES[:0]),
     ValueError, r"X is empty"),
    ("lstm predict empty", lambda f: f["lstm"].predict(WINDOWS[:0]),
     ValueError, r"X is empty"),
    ("pipeline fit empty", lambda f: pipeline().fit(X[:0], SERIES[:0]),
     ValueError, r"empty|0 sample"),
    ("naive fit empty", lambda f: NaiveForecaster().fit(WINDOWS[:0], SERIES[:0]),
     ValueError, r"X is empty"),
    ("conformal fit empty", lambda f: ConformalForecaster(naive_pipeline()).fit(X[:0], SERIES[:0]),
     ValueError, r"need more than 5 rows, got 0.*longer series"),
    ("window fit one row", lambda f: WindowTransformer(4).fit(X[:1]),
     ValueError, r"series of 1 sample.*longer series or a smaller time_step"),
    ("lstm fit one row", lambda f: lstm().fit(WINDOWS[-1:], SERIES[-1:]),
     ValueError, r"Only 1 sample.*longer series or a smaller time_step"),
    ("naive fit one row", lambda f: NaiveForecaster().fit(WINDOWS[-1:], SERIES[-1:]),
     ValueError, r"Only 1 sample.*longer series"),
    ("window short series", lambda f: WindowTransformer(4).fit(X[:5]),
     ValueError, r"time_step=4 and horizon=1 need more than 5.*smaller time_step"),
    ("lstm short series", lambda f: lstm().fit(WINDOWS[:5], SERIES[:5]),
     ValueError, r"longer than time_step \+ horizon"),
    ("pipeline short series", lambda f: pipeline().fit(X[:5], SERIES[:5]),
     ValueError, r"need more than 5.*smaller time_step"),
    ("complete windows short", lambda f: CompleteWindows(Ridge()).fit(WINDOWS[:5], SERIES[:5]),
     ValueError, r"longer than time_step \+ horizon"),
    ("naive horizon longer than the data", lambda f: NaiveForecaster(horizon=3).fit(np.asarray(WINDOWS[4:6]), SERIES[4:6]),
     ValueError, r"horizon=3 .*shorter horizon"),
    ("naive horizon not the windows'", lambda f: NaiveForecaster(horizon=3).fit(WINDOWS, SERIES),
     ValueError, r"horizon=3, but the windows were made with horizon=1; leave horizon=None"),
    # X and y of different lengths
    ("lstm length mismatch", lambda f: lstm().fit(WINDOWS, SERIES[:30]),
     ValueError, r"X has 40 rows but y has 30.*same rows"),
    ("pipeline length mismatch", lambda f: pipeline().fit(X, SERIES[:30]),
     ValueError, r"X has 40 rows but y has 30"),
    ("naive length mismatch", lambda f: NaiveForecaster().fit(WINDOWS, SERIES[:30]),
     ValueError, r"X has 40 rows but y has 30"),
    ("conformal length mismatch", lambda f: ConformalForecaster(naive_pipeline()).fit(X, SERIES[:30]),
     ValueError, r"X has 40 rows but y has 30"),
    # 1-D or 3-D where 2-D is expected
    ("window 1-D", lambda f: WindowTransformer(4).fit(SERIES),
     ValueError, r"2-D.*got 1-D.*reshape\(-1, 1\)"),
    ("window Series", lambda f: WindowTransformer(4).fit(FRAME["y"]),
     ValueError, r"got 1-D.*df\[\['y'\]\]"),
    ("window 3-D", lambda f: WindowTransformer(4).fit(np.zeros((10, 2, 2))),
     ValueError, r"2-D.*got 3-D.*Reshape"),
    ("lstm 1-D", lambda f: lstm().fit(SERIES, SERIES),
     ValueError, r"got 1-D.*WindowTransformer in front"),
    ("lstm 4-D", lambda f: lstm().fit(np.zeros((10, 2, 2, 1)), SERIES[:10]),
     ValueError, r"got 4-D.*WindowTransformer in front"),
    ("pipeline 1-D", lambda f: f["pipeline"].predict(SERIES),
     ValueError, r"got 1-D|Reshape"),
    ("lstm ragged list", lambda f: lstm().fit([[1.0, 2.0], [3.0]], [1.0, 2.0]),
     ValueError, r"ragged.*same number of columns"),
    # wrong number of features, or windows of another shape, at predict
    ("window transform features", lambda f: f["window"].transform(np.zeros((5, 2))),
     ValueError, r"X has 2 features, but WindowTransformer is expecting 1.*same columns"),
    ("lstm predict features", lambda f: f["lstm"].predict(np.zeros((3, 5))),
     ValueError, r"has 5 features.*expecting 4.*WindowTransformer used in fit"),
    ("lstm predict 3-D shape", lambda f: f["lstm"].predict(np.zeros((3, 2, 2))),
     ValueError, r"2 steps x 2 feature.*fitted on windows of 4 steps x 1"),
    ("pipeline predict features", lambda f: f["pipeline"].predict(np.zeros((5, 2))),
     ValueError, r"2 features.*expecting 1"),
    ("naive predict features", lambda f: f["naive"].predict(np.zeros((3, 2))),
     ValueError, r"2 features.*expecting 4"),
    # parameters out of range, every estimator
    ("window time_step 0", lambda f: WindowTransformer(0).fit(X),
     ValueError, r"'time_step' parameter of WindowTransformer must be an int in the range \[1"),
    ("window horizon 0", lambda f: WindowTransformer(horizon=0).fit(X),
     ValueError, r"'horizon' parameter.*range \[1"),
    ("window time_step float", lambda f: WindowTransformer(2.5).fit(X),
     ValueError, r"'time_step' parameter.*Got 2.5"),
    *[
        (f"lstm {name}={value!r}", lambda f, name=name, value=value: LSTMForecaster(**{name: value}).fit(WINDOWS, SERIES),
         ValueError, rf"'{name}' parameter of LSTMForecaster must be")
        for name, value in [
            ("units", 0), ("n_layers", 0), ("dropout", 1.0), ("dropout", -0.1),
            ("epochs", 0), ("batch_size", 0), ("learning_rate", 0),
            ("loss", "hinge"), ("linear_path", "yes"), ("window_norm", 1.5),
            ("early_stopping", "no"), ("validation_fraction", 1.0),
            ("n_iter_no_change", 0), ("average_epochs", 0), ("average_epochs", "all"),
            ("shuffle", "no"), ("warm_start", None),
            ("random_state", "seed"), ("verbose", -1),
        ]
    ],
    ("lstm average_epochs with early stopping", lambda f: LSTMForecaster(early_stopping=True, average_epochs=3).fit(WINDOWS, SERIES),
     ValueError, r"early_stopping=True and average_epochs both choose the final weights"),
    ("lstm window_norm without linear path", lambda f: LSTMForecaster(linear_path=False, window_norm=True).fit(WINDOWS, SERIES),
     ValueError, r"window_norm=True needs linear_path=True"),
    ("lstm negative sample_weight", lambda f: lstm().fit(WINDOWS, SERIES, sample_weight=-np.ones(len(SERIES))),
     ValueError, r"Negative values in data passed to `sample_weight`"),
    ("lstm zero sample_weight", lambda f: lstm().fit(WINDOWS, SERIES, sample_weight=np.zeros(len(SERIES))),
     ValueError, r"Sample weights must contain at least one non-zero number"),
    ("lstm weight only without history", lambda f: lstm().fit(WINDOWS, SERIES, sample_weight=np.r_[np.ones(3), np.zeros(len(SERIES) - 3)]),
     ValueError, r"sample_weight is 0 for every row with a full window.*positive weight"),
    ("lstm optimizer name", lambda f: LSTMForecaster(**{**TINY_LSTM, "optimizer": "bogus"}).fit(WINDOWS, SERIES),
     ValueError, r"optimizer='bogus' is not a Keras optimizer name; use e.g. 'adam'"),
    ("lstm optimizer type", lambda f: LSTMForecaster(**{**TINY_LSTM, "optimizer": 123}).fit(WINDOWS, SERIES),
     TypeError, r"optimizer must be a name such as 'adam' or a keras.optimizers.Optimizer"),
    ("pipeline lstm units", lambda f: pipeline().set_params(lstmforecaster__units=-1).fit(X, SERIES),
     ValueError, r"'units' parameter of LSTMForecaster"),
    ("naive horizon 0", lambda f: NaiveForecaster(horizon=0).fit(WINDOWS, SERIES),
     ValueError, r"'horizon' parameter of NaiveForecaster"),
    ("naive feature -1", lambda f: NaiveForecaster(feature=-1).fit(WINDOWS, SERIES),
     ValueError, r"'feature' parameter of NaiveForecaster"),
    ("naive feature beyond", lambda f: NaiveForecaster(feature=3).fit(WINDOWS, SERIES),
     ValueError, r"feature=3, but the windows have 1 feature.*set feature"),
    ("seasonal season 0", lambda f: SeasonalNaiveForecaster(0).fit(WINDOWS, SERIES),
     ValueError, r"'season' parameter of SeasonalNaiveForecaster"),
    ("seasonal season beyond window", lambda f: SeasonalNaiveForecaster(12).fit(WINDOWS, SERIES),
     ValueError, r"do not reach 11 steps back; use time_step >= 12"),
    ("seasonal horizon beyond season", lambda f: SeasonalNaiveForecaster(2, horizon=3).fit(np.asarray(WINDOWS), SERIES),
     ValueError, r"horizon=3 is longer than season=2.*shorter horizon"),
    ("complete windows regressor", lambda f: CompleteWindows(None).fit(WINDOWS, SERIES),
     ValueError, r"'regressor' parameter of CompleteWindows"),
    *[
        (f"conformal {name}={value!r}", lambda f, name=name, value=value: ConformalForecaster(naive_pipeline(), **{name: value}).fit(X, SERIES),
         ValueError, rf"'{name}' parameter of ConformalForecaster")
        for name, value in [("coverage", 0), ("coverage", 1.5), ("cv", 1), ("scale", "log"), ("max_steps", 0)]
    ],
    ("conformal estimator", lambda f: ConformalForecaster(None).fit(X, SERIES),
     ValueError, r"'estimator' parameter of ConformalForecaster"),
    ("conformal interval coverage", lambda f: f["conformal"].predict_interval(X, coverage=0.0),
     ValueError, r"coverage=0.0 .*between 0 and 1"),
    ("conformal forecast coverage", lambda f: f["conformal"].forecast(SERIES, 1, coverage=2),
     ValueError, r"coverage=2 .*between 0 and 1"),
    ("conformal forecast steps", lambda f: f["conformal"].forecast(SERIES, 3),
     ValueError, r"steps=3.*max_steps=1.*refit with max_steps >= 3"),
    # DatetimeIndex policy
    ("unsorted dates", lambda f: WindowTransformer(4).fit(FRAME.iloc[::-1]),
     ValueError, r"not sorted.*sort_index"),
    ("duplicated dates", lambda f: WindowTransformer(4).fit(pd.concat([FRAME[:20], FRAME[19:]])),
     ValueError, r"repeats dates \(2001-08-01.*groupby\(level=0\)"),
    ("irregular dates", lambda f: WindowTransformer(4).fit(FRAME.drop(DATES[7])),
     ValueError, r"not evenly spaced.*asfreq"),
    # dates reach WindowTransformer behind MinMaxScaler with pandas output only
    ("pipeline unsorted dates", lambda f: pipeline().set_output(transform="pandas").fit(FRAME.iloc[::-1], SERIES),
     ValueError, r"not sorted.*sort_index"),
    ("transform irregular dates", lambda f: WindowTransformer(4).fit(FRAME[:30]).transform(FRAME[30:].drop(DATES[33])),
     ValueError, r"not evenly spaced"),
    ("transform other frequency", lambda f: WindowTransformer(4).fit(FRAME[:30]).transform(
        pd.DataFrame({"y": SERIES[:3]}, index=pd.date_range(DATES[30], periods=3, freq="D"))),
     ValueError, r"do not step by MS.*asfreq\('MS'\)"),
    ("transform other time zone", lambda f: WindowTransformer(4).fit(FRAME[:30]).transform(FRAME[30:].tz_localize("UTC")),
     ValueError, r"time zone UTC.*tz_localize"),
    # continuation after a gap: TimeSeriesSplit(gap>0)
    ("gap>0 transform", lambda f: WindowTransformer(2).fit(gap_fold()[0]).transform(gap_fold()[2]),
     ValueError, r"X starts at .*gap=0"),
    ("gap>0 pipeline predict", lambda f: pipeline().set_output(transform="pandas").fit(*gap_fold()[:2]).predict(gap_fold()[2]),
     ValueError, r"X starts at .*gap=0"),
    ("gap>0 conformal", lambda f: ConformalForecaster(naive_pipeline(), cv=TimeSeriesSplit(2, gap=2)).fit(FRAME, SERIES),
     ValueError, r"gap=0"),
    # predict before fit
    ("window transform unfitted", lambda f: WindowTransformer().transform(X),
     NotFittedError, r"not fitted yet.*Call 'fit'"),
    ("lstm predict unfitted", lambda f: lstm().predict(WINDOWS),
     NotFittedError, r"not fitted yet.*Call 'fit'"),
    ("pipeline predict unfitted", lambda f: pipeline().predict(X),
     NotFittedError, r"not fitted yet.*Call 'fit'"),
    ("naive predict unfitted", lambda f: SeasonalNaiveForecaster().predict(WINDOWS),
     NotFittedError, r"not fitted yet"),
    ("complete windows predict unfitted", lambda f: CompleteWindows(Ridge()).predict(WINDOWS),
     NotFittedError, r"not fitted yet"),
    ("conformal interval unfitted", lambda f: ConformalForecaster(naive_pipeline()).predict_interval(X),
     NotFittedError, r"not fitted yet"),
]  # fmt: skip


def _case_params():
    for case in CASES:
        if isinstance(case, tuple) and len(case) == 4:
            case = pytest.param(*case)
        yield pytest.param(*case.values, id=case.values[0], marks=case.marks)


@pytest.mark.parametrize("name, call, error, match", list(_case_params()))
def test_bad_input_is_answered_clearly(fitted, name, call, error, match):
    with pytest.raises(error, match=match) as caught:
        call(fitted)
    assert isinstance(caught.value, (ValueError, TypeError))
    assert not type(caught.value).__module__.startswith(("tensorflow", "keras"))
    message = str(caught.value)
    for noise in ("tensorflow", "keras.src", "Traceback"):
        assert noise not in message, message
