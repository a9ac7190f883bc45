"""Date and time columns: their numeric parts, at fit and predict, and in CSV files."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from skmeta import Dataset, MetaClassifier, load_csv
from skmeta.dates import DateTimeEncoder, find_date_columns, parse_dates
from skmeta.metafeatures import extract_metafeatures


def _weekday_task(n=800, seed=0):
    """Timestamps at random hours over two years; the class is "weekend".

    Nearly every timestamp is its own category, so one-hot encoding (at most
    20 levels) carries no signal; the weekday part carries all of it.
    """
    rng = np.random.default_rng(seed)
    hours = rng.integers(0, 2 * 365 * 24, n)
    when = pd.Timestamp("2023-01-01") + pd.to_timedelta(hours, unit="h")
    X = pd.DataFrame({"when": when, "noise": rng.normal(size=n)})
    return X, np.asarray(when.day_of_week >= 5, dtype=int)


# -- the encoder -----------------------------------------------------------------


def test_parts_of_a_naive_column_and_missing_values():
    X = pd.DataFrame({"when": pd.to_datetime(["2024-01-01 08:00", None,
                                              "2025-03-09 17:30"])})
    encoded = DateTimeEncoder().fit_transform(X)
    assert list(encoded.columns) == [
        "when_elapsed_days", "when_year", "when_month", "when_day", "when_weekday",
        "when_hour", "when_minute",
    ]
    first, missing, last = encoded.to_numpy()
    assert first.tolist() == [0.0, 2024, 1, 1, 0, 8, 0]
    assert np.isnan(missing).all()
    assert last[0] == pytest.approx(433 + 9.5 / 24)
    assert last[1:].tolist() == [2025, 3, 9, 6, 17, 30]


def test_parts_that_do_not_vary_are_left_out():
    X = pd.DataFrame({"day": pd.to_datetime(["2024-05-01", "2024-05-02", "2024-05-06"])})
    columns = DateTimeEncoder().fit(X).get_feature_names_out().tolist()
    assert columns == ["day_elapsed_days", "day_day", "day_weekday"]


def test_time_zone_aware_parts_are_local_and_elapsed_time_is_absolute():
    utc = pd.to_datetime(["2024-03-03 23:30", "2024-03-04 23:30"]).tz_localize("UTC")
    tokyo = pd.DataFrame({"t": utc.tz_convert("Asia/Tokyo")})
    encoder = DateTimeEncoder().fit(tokyo)
    encoded = encoder.transform(tokyo)
    # 23:30 UTC on Sunday is 08:30 on Monday in Tokyo.
    assert encoded["t_weekday"].tolist() == [0.0, 1.0]
    assert encoded["t_elapsed_days"].tolist() == [0.0, 1.0]
    # The same instants in another zone: converted to the zone seen at fit.
    same = encoder.transform(pd.DataFrame({"t": utc.tz_convert("America/New_York")}))
    pd.testing.assert_frame_equal(same, encoded)
    with pytest.raises(ValueError, match="had time zone Asia/Tokyo at fit but is naive"):
        encoder.transform(pd.DataFrame({"t": utc.tz_localize(None)}))


def test_text_at_transform_is_parsed_and_bad_text_named():
    X, _ = _weekday_task(50)
    encoder = DateTimeEncoder().fit(X)
    as_text = X.assign(when=X["when"].dt.strftime("%Y-%m-%d %H:%M:%S"))
    pd.testing.assert_frame_equal(encoder.transform(as_text), encoder.transform(X))
    with pytest.raises(ValueError, match="column 'when' held dates and times at fit"):
        encoder.transform(X.assign(when="not a date"))


def test_timedelta_becomes_seconds_and_names_stay_unique():
    X = pd.DataFrame({"wait": pd.to_timedelta(["1h", None, "90s"]),
                      "wait_seconds": [1.0, 2.0, 3.0]})
    encoded = DateTimeEncoder().fit_transform(X)
    assert list(encoded.columns) == ["wait_seconds_", "wait_seconds"]
    assert encoded["wait_seconds_"].tolist()[::2] == [3600.0, 90.0]
    assert np.isnan(encoded["wait_seconds_"].iloc[1])


def test_frames_without_dates_pass_through():
    X = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]})
    assert DateTimeEncoder().fit_transform(X) is X


# -- datasets, meta-features and the estimators --------------------------------


def test_dataset_and_metafeatures_count_the_parts_as_numeric():
    X, y = _weekday_task(200)
    dataset = Dataset(X, y)
    assert "when_weekday" in dataset.X.columns
    assert dataset.n_features == DateTimeEncoder().fit(X).transform(X).shape[1]
    values = extract_metafeatures(X, y, groups=["general"], random_state=0)
    assert values["n_categorical"] == 0
    assert values["n_numeric"] == dataset.n_features


def test_a_weekday_target_is_learned_from_the_parts():
    X, y = _weekday_task()
    train, test = slice(0, 600), slice(600, None)
    settings = {"portfolio": ["random_forest", "logistic_regression"],
                "n_evaluations": 3, "cv": 3, "random_state": 0}
    model = MetaClassifier(**settings).fit(X[train], y[train])
    with_parts = model.score(X[test], y[test])
    # The old treatment: the timestamp as a category.
    as_category = X.assign(when=X["when"].astype(str))
    one_hot = MetaClassifier(**settings).fit(as_category[train], y[train])
    assert with_parts > 0.95
    assert one_hot.score(as_category[test], y[test]) < 0.8
    # At predict, dates read as text (a CSV file) give the same predictions.
    as_text = X[test].assign(when=X["when"][test].astype(str))
    np.testing.assert_array_equal(model.predict(as_text), model.predict(X[test]))
    assert model.n_features_in_ == 2 and list(model.feature_names_in_) == ["when", "noise"]
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(restored.predict(X[test]), model.predict(X[test]))
    assert clone(model).get_params() == model.get_params()


# -- CSV files ----------------------------------------------------------------------


def test_find_date_columns_takes_iso_dates_only():
    frame = pd.DataFrame({
        "day": ["2024-03-01", None, "2024-03-02"],
        "stamp": ["2024-03-01T12:30:00Z", "2024-03-01 12:31", "2024-03-02T00:00+01:00"],
        "us": ["03/01/2024", "03/02/2024", None],
        "code": ["2024-03-01", "n/a", "2024-03-02"],
        "empty": [None, None, None],
        "number": [1, 2, 3],
    })
    assert find_date_columns(frame) == ["day", "stamp"]
    parsed = parse_dates(frame, ["day", "stamp", "us"])
    assert isinstance(parsed["stamp"].dtype, pd.DatetimeTZDtype)  # offsets: UTC
    assert parsed["us"].iloc[1] == pd.Timestamp("2024-03-02")
    with pytest.raises(ValueError, match="column 'code' does not parse as dates"):
        parse_dates(frame, ["code"])
    with pytest.raises(ValueError, match="no such column"):
        parse_dates(frame, ["missing"])


def test_load_csv_parses_dates_on_request(tmp_path):
    X, y = _weekday_task(100)
    path = tmp_path / "dates.csv"
    X.assign(target=y).to_csv(path, index=False)
    assert "when" in load_csv(path).X.columns  # text, left as it is by default
    for parse in ("auto", ["when"]):
        dataset = load_csv(path, parse_dates=parse)
        assert "when" not in dataset.X.columns
        assert "when_weekday" in dataset.X.columns
