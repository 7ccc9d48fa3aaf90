"""Segments: scaling, clustering, the k sweep, profiles, personas, stability, unusual customers, the CLI key."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score, silhouette_score

from insight import segment as sg
from insight.errors import InsightError, NotEnoughData, SchemaError
from insight.pipeline import Choices, Pipeline
from insight.report import summary
from tests.conftest import SHARED_DATA

XY = {"numeric": ["x", "y"], "categorical": [], "pii": []}


def _blobs(centers: list[tuple[float, float]], n: int = 60, sd: float = 0.3, seed: int = 0):
    rng = np.random.default_rng(seed)
    pts = np.vstack([rng.normal(c, sd, (n, 2)) for c in centers])
    truth = np.repeat(np.arange(len(centers)), n)
    frame = pd.DataFrame({"customer_id": [f"C{i:04d}" for i in range(len(pts))], "x": pts[:, 0], "y": pts[:, 1]})
    return frame, truth


def _rfm(seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Four behaviour groups: (recency days, orders, spend per order) around these values."""
    rng = np.random.default_rng(seed)
    groups = {
        "big": (10, 25, 100, 80),
        "bargain": (300, 1, 12, 200),
        "drifting": (420, 9, 35, 120),
        "regular": (20, 16, 35, 200),
    }
    rows, truth = [], []
    for name, (rec, freq, aov, n) in groups.items():
        f = np.maximum(1, rng.poisson(freq, n))
        a = aov * rng.lognormal(0, 0.2, n)
        rows.append(
            pd.DataFrame(
                {
                    "recency_days": rng.normal(rec, rec * 0.15 + 3, n).clip(0),
                    "frequency": f,
                    "monetary": f * a,
                    "avg_order_value": a,
                    "email": [f"{name}{i}@example.com" for i in range(n)],
                }
            )
        )
        truth += [name] * n
    frame = pd.concat(rows, ignore_index=True)
    frame.insert(0, "customer_id", [f"K{i:04d}" for i in range(len(frame))])
    return frame, np.array(truth)


RFM_ROLES = {"numeric": [], "categorical": [], "pii": ["email"]}


# --- features and scaling ---------------------------------------------------------------------------------------


def test_candidates_never_include_ids_pii_or_label() -> None:
    frame = pd.DataFrame(
        {
            "customer_id": ["a", "b"],
            "monetary": [1.0, 2.0],
            "age": [30, 40],
            "phone": [1, 2],
            "churned": [0, 1],
            "plan": ["x", "y"],
            "feedback_count": [1.0, 3.0],
        }
    )
    roles = {"numeric": ["age", "phone", "churned", "feedback_count"], "categorical": ["plan"], "pii": ["phone"]}
    roles["label"] = "churned"
    cand = sg.candidate_features(frame, roles)
    assert cand == {"behaviour": ["monetary"], "numeric": ["age", "feedback_count"], "categorical": ["plan"]}
    assert sg.default_features(frame, roles) == ["monetary", "age"]  # feedback counts stay optional


def test_prepare_rejects_personal_data_and_tiny_tables() -> None:
    frame, _ = _rfm()
    with pytest.raises(SchemaError, match="email"):
        sg.prepare(frame, RFM_ROLES, ["recency_days", "email"])
    with pytest.raises(SchemaError, match="at least one"):
        sg.prepare(frame, RFM_ROLES, [])
    with pytest.raises(NotEnoughData, match="at least 10 customers"):
        sg.prepare(frame.head(5), RFM_ROLES, ["recency_days"])


def test_constant_columns_are_not_default_and_too_few_profiles_is_explained() -> None:
    frame = pd.DataFrame(
        {"customer_id": range(12), "plan": ["a", "b", "c"] * 4, "score": [np.nan] * 12, "site": ["x"] * 12}
    )
    roles = {"numeric": ["score"], "categorical": ["plan", "site"], "pii": []}
    assert sg.default_features(frame, roles) == ["plan"]  # no numbers that vary: the categories are used
    _, X = sg.prepare(frame, roles, ["plan"])
    assert sg.sweep(X).table["k"].tolist() == [2, 3]  # three kinds of customer: at most three segments
    seg = sg.analyse(frame, roles, k=3)
    assert sorted(p.name for p in seg.personas) == ["Mostly a", "Mostly b", "Mostly c"]
    with pytest.raises(NotEnoughData, match="only 3 different kind"):
        sg.analyse(frame, roles, features=["plan"], k=4)


@pytest.mark.parametrize(
    ("scaling", "center", "spread"),
    [("zscore", "mean", "std"), ("minmax", "min", "range"), ("robust", "median", "iqr")],
)
def test_scalings(scaling: str, center: str, spread: str) -> None:
    frame = pd.DataFrame({"customer_id": list("abcdefgh"), "v": [1.0, 2, 3, 4, 5, 6, 7, 8]})
    out = sg.FeatureScaler(numeric=["v"], scaling=scaling, log="off").fit_transform(frame)[:, 0]
    stats = {
        "mean": out.mean(),
        "std": out.std(),
        "min": out.min(),
        "range": np.ptp(out),
        "median": np.median(out),
        "iqr": np.subtract(*np.percentile(out, [75, 25])),
    }
    assert stats[center] == pytest.approx(0.0, abs=1e-12)
    assert stats[spread] == pytest.approx(1.0)


def test_log_only_for_skewed_columns_and_imputation() -> None:
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "customer_id": range(500),
            "spend": rng.lognormal(3, 1.5, 500),  # skew far above 2
            "orders": rng.gamma(4.0, 1.0, 500),  # skew about 2 / sqrt(4) = 1
            "age": rng.normal(40, 10, 500),
        }
    )
    frame.loc[0, "age"] = np.nan
    auto = sg.FeatureScaler(numeric=["spend", "orders", "age"]).fit(frame)
    assert auto.log_columns_ == ["spend"]
    assert sg.FeatureScaler(numeric=["spend", "orders", "age"], log="on").fit(frame).log_columns_ == ["spend", "orders"]
    assert sg.FeatureScaler(numeric=["spend", "orders", "age"], log="off").fit(frame).log_columns_ == []
    X = auto.transform(frame)
    assert np.isfinite(X).all()
    assert X[0, 2] == pytest.approx((frame["age"].median() - auto.center_[2]) / auto.scale_[2])


def test_one_hot_keeps_zero_one_and_top_categories() -> None:
    frame = pd.DataFrame({"customer_id": range(6), "plan": ["a", "a", "a", "b", "b", None], "n": range(6)})
    scaler = sg.FeatureScaler(numeric=["n"], categorical=["plan"], max_categories=2).fit(frame)
    X = scaler.transform(frame)
    assert scaler.get_feature_names_out() == ["n", "plan=a", "plan=b"]
    assert X[:, 1:].tolist() == [[1, 0], [1, 0], [1, 0], [0, 1], [0, 1], [0, 0]]


# --- clustering -------------------------------------------------------------------------------------------------

THREE = [(0, 0), (5, 0), (0, 5)]


@pytest.mark.parametrize(
    ("algorithm", "linkage"),
    [
        ("kmeans", "ward"),
        ("gmm", "ward"),
        ("agglomerative", "ward"),
        ("agglomerative", "average"),
        ("agglomerative", "complete"),
    ],
)
def test_each_algorithm_recovers_clear_groups(algorithm: str, linkage: str) -> None:
    frame, truth = _blobs(THREE)
    _, X = sg.prepare(frame, XY, ["x", "y"])
    model = sg.Segmenter(algorithm=algorithm, n_segments=3, linkage=linkage).fit(X)
    assert adjusted_rand_score(truth, model.labels_) == 1.0
    assert model.n_segments_ == 3 and model.cluster_centers_.shape == (3, 2)
    assert (model.predict(X) == model.labels_).all()


def test_segments_numbered_from_the_largest() -> None:
    rng = np.random.default_rng(0)
    pts = np.vstack([rng.normal(0, 0.2, (20, 2)), rng.normal(5, 0.2, (70, 2)), rng.normal(-5, 0.2, (40, 2))])
    labels = sg.Segmenter(n_segments=3).fit(pts).labels_
    assert np.bincount(labels).tolist() == [70, 40, 20]


def test_dbscan_finds_groups_and_noise() -> None:
    frame, truth = _blobs(THREE)
    frame = pd.concat([frame, pd.DataFrame({"customer_id": ["O1", "O2"], "x": [10.0, -6], "y": [10.0, 9]})])
    _, X = sg.prepare(frame, XY, ["x", "y"])
    model = sg.Segmenter(algorithm="dbscan").fit(X)
    assert model.n_segments_ == 3
    assert model.labels_[-2:].tolist() == [sg.NOISE, sg.NOISE]
    assert (model.labels_[:-2] == sg.NOISE).sum() <= 2  # a blob's edge may count as noise
    assert adjusted_rand_score(truth, model.labels_[:-2]) > 0.98
    eps, curve = sg.suggest_eps(X, model.min_samples_)
    assert eps == model.eps_ and np.all(np.diff(curve) >= 0)


def test_large_data_fits_a_sample_and_assigns_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sg.MAX_EXACT, "agglomerative", 50)
    frame, truth = _blobs(THREE)
    _, X = sg.prepare(frame, XY, ["x", "y"])
    model = sg.Segmenter(algorithm="agglomerative", n_segments=3).fit(X)
    assert model.fitted_on_ == 50
    assert adjusted_rand_score(truth, model.labels_) == 1.0


def test_bad_choices_say_what_to_do() -> None:
    X = np.random.default_rng(0).normal(size=(12, 2))
    with pytest.raises(NotEnoughData, match="between 2 and 11"):
        sg.Segmenter(n_segments=12).fit(X)
    with pytest.raises(InsightError, match="choose one of kmeans"):
        sg.Segmenter(algorithm="spectral").fit(X)


# --- the k sweep ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("y", "increasing", "expected"),
    [([100, 50, 20, 15, 12, 10], False, 2), ([1, 1, 1, 1, 2, 10], True, 4), ([5, 4], False, 0)],
)
def test_knee_worked_by_hand(y: list[float], increasing: bool, expected: int) -> None:
    assert sg.knee(np.arange(len(y)), np.array(y, float), increasing=increasing) == expected


def test_sweep_suggests_the_planted_number_of_groups() -> None:
    frame, _ = _blobs([(0, 0), (6, 0), (0, 6), (6, 6)], n=50)
    _, X = sg.prepare(frame, XY, ["x", "y"])
    result = sg.sweep(X)
    assert result.table["k"].tolist() == list(range(2, 13))
    assert list(result.table.columns) == ["k", "inertia", "silhouette", "calinski_harabasz", "davies_bouldin"]
    assert result.suggested_k == 4 and result.knee_k == 4
    assert str(result.reason).startswith("4 groups:") and "highest" in str(result.reason)
    assert result.table["inertia"].is_monotonic_decreasing
    with pytest.raises(ValueError, match="DBSCAN"):
        sg.sweep(X, algorithm="dbscan")
    seg = sg.analyse(frame, XY, features=["x", "y"], k=3)  # the fit scores exactly what the sweep scored
    assert seg.silhouette == result.table.set_index("k").loc[3, "silhouette"]
    assert seg.silhouette == pytest.approx(silhouette_score(X, seg.labels), abs=1e-12)


# --- profiles, personas, stability, unusual ---------------------------------------------------------------------


def test_personas_name_rfm_groups() -> None:
    frame, truth = _rfm()
    seg = sg.analyse(frame, RFM_ROLES, k=4)
    assert adjusted_rand_score(truth, seg.labels) == pytest.approx(1.0, abs=0.02)
    named = pd.crosstab(truth, seg.labels_frame()["segment"].to_numpy()).idxmax(axis=1).to_dict()
    assert named == {
        "big": "Big spenders, recently active",
        "bargain": "One-time bargain buyers",
        "drifting": "Former regulars drifting away",
        "regular": "Loyal regulars",
    }
    sizes = seg.profile.sizes
    assert sizes["customers"].sum() == len(frame) and sizes["revenue_share"].sum() == pytest.approx(1.0)
    big = sizes.loc[sizes["segment"] == seg.labels[0], "revenue_share"].item()
    assert big > 0.5  # 80 big spenders bring most of the money
    assert seg.labels_frame({seg.labels[0]: "VIPs"})["segment"].iloc[0] == "VIPs"


@pytest.mark.parametrize(
    ("column", "words"),
    [
        ("MonthlyCharges", "monthly charges"),
        ("HasCrCard", "has a credit card"),
        ("Annual Income (k$)", "annual income"),
        ("MntWines", "wine spend"),
        ("MntMeatProducts", "meat product spend"),
        ("NumOfProducts", "number of products"),
        ("NumWebPurchases", "number of web purchases"),
        ("AcceptedCmp3", "accepted campaign 3"),
        ("IsActiveMember", "is an active member"),
        ("is_active", "is active"),
        ("宝贝种类", "'宝贝种类'"),
    ],
)
def test_column_names_in_words(column: str, words: str) -> None:
    assert sg.nice_name(column) == words


def test_yes_no_columns_are_told_as_shares() -> None:
    """A 0/1 column (SeniorCitizen) reads '100% vs 40% overall', not '1.0 vs 0.00 overall'."""
    rng = np.random.default_rng(0)
    senior = np.repeat([1, 0, 0, 0, 1], 40)
    frame = pd.DataFrame(
        {
            "customer_id": [f"C{i}" for i in range(200)],
            "SeniorCitizen": senior,
            "MonthlyCharges": np.where(senior == 1, 90.0, 30.0) + rng.normal(0, 2, 200),
        }
    )
    roles = {"numeric": ["SeniorCitizen", "MonthlyCharges"], "categorical": [], "pii": []}
    seg = sg.analyse(frame, roles, k=2)
    senior_segment = next(p for p in seg.personas if p.size == 80)
    assert senior_segment.name == "Mostly senior citizens, high monthly charges"
    assert "senior citizens 100% vs 40%" in senior_segment.description
    assert "(this segment vs all customers: medians or shares)" in senior_segment.description


def test_generic_names_profiles_and_unique_names() -> None:
    frame, _ = _blobs([(0, 0), (6, 0), (0, 6), (3, 3)], n=50)
    frame = frame.rename(columns={"x": "Income (k$)", "y": "score"})
    roles = {"numeric": ["Income (k$)", "score"], "categorical": [], "pii": []}
    seg = sg.analyse(frame, roles, k=4)
    names = {p.name for p in seg.personas}
    assert names == {"High income, low score", "High score, low income", "Low income, low score", "Typical customers"}
    stats = seg.profile.stats
    high = stats[(stats["feature"] == "Income (k$)") & (stats["mean"] > 5)]
    assert high["std_diff"].item() > 1.0 and high["median"].item() == pytest.approx(6, abs=0.2)
    assert all(len(top) == 2 for top in seg.profile.top_features.values())


def test_stability_stable_for_clear_groups_shaky_for_noise() -> None:
    frame, _ = _blobs(THREE)
    _, X = sg.prepare(frame, XY, ["x", "y"])
    labels = sg.Segmenter(n_segments=3).fit(X).labels_
    clear = sg.stability(X, labels, k=3)
    assert clear == pytest.approx(1.0) and sg.stability_word(clear) == "stable"
    noise = np.random.default_rng(0).uniform(size=(400, 8))  # no groups at all: each restart cuts it differently
    labels = sg.Segmenter(n_segments=6).fit(noise).labels_
    assert sg.stability_word(sg.stability(noise, labels, k=6)) == "shaky"


def test_unusual_customers_are_listed_with_the_reason() -> None:
    frame, _ = _rfm()
    frame.loc[5, ["monetary", "avg_order_value"]] = [250_000.0, 8_000.0]  # a wholesale buyer among retail ones
    seg = sg.analyse(frame, RFM_ROLES, k=4)
    top = seg.unusual.iloc[0]
    assert top["customer_id"] == "K0005" and top["score"] >= 3
    assert "spend 250,000" in top["unusual"] and "average order 8,000" in top["unusual"]
    assert len(seg.unusual) <= 3


# --- real and demo data -----------------------------------------------------------------------------------------


@pytest.mark.shared_data
def test_mall_customers_five_known_groups() -> None:
    from insight.data.dataset import build_dataset

    ds = build_dataset([("mall_customers.csv", (SHARED_DATA / "mall_customers.csv").read_bytes())])
    features = ["Annual Income (k$)", "Spending Score (1-100)"]
    _, X = sg.prepare(ds.customers, ds.customer_roles, features)
    assert sg.sweep(X).suggested_k == 5
    seg = sg.analyse(ds.customers, ds.customer_roles, features=features)
    centres = ds.customers[features].groupby(seg.labels).mean().to_numpy()
    for known in [(55, 50), (87, 18), (86, 82), (26, 79), (26, 21)]:
        assert np.linalg.norm(centres - known, axis=1).min() < 5, known
    assert seg.silhouette == pytest.approx(0.55, abs=0.02)


@pytest.mark.shared_data
def test_cli_segments_key_with_k_and_algorithm(tmp_path) -> None:
    from insight.cli import main

    out = tmp_path / "out.json"
    assert (
        main(["analyze", str(SHARED_DATA / "mall_customers.csv"), "--k", "4", "--algorithm", "gmm", "--json", str(out)])
        == 0
    )
    seg = json.loads(out.read_text())["segments"]
    assert seg["algorithm"] == "gmm" and seg["k"] == 4 and len(seg["sizes"]) == 4 and sum(seg["sizes"]) == 200
    assert seg["features"] == ["Age", "Annual Income (k$)", "Spending Score (1-100)"]
    assert isinstance(seg["suggested_k"], int) and 0 < seg["silhouette"] < 1
    assert [set(p) for p in seg["personas"]] == [{"name", "size", "description"}] * 4
    assert (
        main(["analyze", str(SHARED_DATA / "mall_customers.csv"), "--algorithm", "spectral", "--json", str(out)]) == 0
    )
    assert "choose one of kmeans" in json.loads(out.read_text())["segments"]["skipped"]


@pytest.fixture(scope="module")
def demo(demo_pipeline: Pipeline):
    from insight import demo as demo_module

    ds = demo_pipeline.ds
    truth = demo_module.generate().truth.set_index("customer_id")["segment"]
    return ds, truth.reindex(ds.customers["customer_id"]).to_numpy()


def test_demo_planted_segments_recovered_at_suggested_k(demo, demo_pipeline: Pipeline) -> None:
    ds, truth = demo
    out = summary.segments(demo_pipeline)
    seg = sg.analyse(ds.customers, ds.customer_roles, k=out["suggested_k"])
    assert adjusted_rand_score(truth, seg.labels) >= 0.8


def test_demo_four_segments_match_the_planted_ones(demo) -> None:
    ds, truth = demo
    seg = sg.analyse(ds.customers, ds.customer_roles, k=4)
    assert adjusted_rand_score(truth, seg.labels) >= 0.75
    named = pd.crosstab(truth, seg.labels_frame()["segment"].to_numpy()).idxmax(axis=1).to_dict()
    assert named == {
        "Big spenders": "Big spenders, recently active",
        "Bargain hunters": "Occasional bargain buyers",  # median 2 orders: not "one-time"
        "Drifting away": "Former regulars drifting away",
        "Regulars": "Loyal regulars",
    }


def test_demo_summary_keys(demo) -> None:
    ds, _ = demo
    out = summary.segments(
        Pipeline(SimpleNamespace(customers=ds.customers, customer_roles=ds.customer_roles)), Choices(k=3)
    )
    assert set(out) == {"algorithm", "k", "suggested_k", "features", "sizes", "silhouette", "personas", "verdict"}
    assert out["k"] == 3 and sum(out["sizes"]) == len(ds.customers) == 2000
    assert out["features"] == ["recency_days", "frequency", "monetary", "avg_order_value", "age"]
    assert len({p["name"] for p in out["personas"]}) == 3


def test_feedback_alone_says_what_to_upload_for_segments() -> None:
    customers = pd.DataFrame({"customer_id": ["a", "b", "c"], "feedback_count": [1, 2, 3], "mean_stars": [5.0, 1, 3]})
    roles = {"numeric": ["feedback_count", "mean_stars"], "categorical": [], "pii": []}
    with pytest.raises(NotEnoughData, match="upload an orders file or a customer list"):
        summary.segments(Pipeline(SimpleNamespace(customers=customers, customer_roles=roles)))
