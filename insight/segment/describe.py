"""What the segments look like: the customer map, per-segment profiles, stability across restarts,
and the customers who fit no group well."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score

from insight.i18n import N_, Message, _
from insight.labels import fmt_number, nice_name
from insight.segment.cluster import NOISE, SILHOUETTE_SAMPLE, Segmenter, _centers, _nearest, _sample
from insight.segment.scaling import FeatureScaler
from insight.threads import one_thread
from insight.verdict import RELIABLE, ROUGH, UNRELIABLE, Verdict


@dataclass(frozen=True)
class SegmentMap:
    """2-D PCA coordinates for a sample of customers (`row` indexes the customer table)."""

    points: pd.DataFrame  # row, x, y
    explained: tuple[float, float]


@one_thread
def pca_map(X: np.ndarray, *, sample_size: int = SILHOUETTE_SAMPLE, random_state: int = 0) -> SegmentMap:
    """Project customers onto the two directions that spread them most; keep a sample small enough to draw."""
    n_comp = min(2, X.shape[1], len(X))
    pca = PCA(n_components=n_comp, random_state=random_state).fit(X)
    rows = _sample(len(X), sample_size, random_state)
    xy = np.zeros((len(rows), 2))
    xy[:, :n_comp] = pca.transform(X[rows])
    explained = tuple(float(v) for v in np.pad(pca.explained_variance_ratio_, (0, 2 - n_comp)))
    return SegmentMap(pd.DataFrame({"row": rows, "x": xy[:, 0], "y": xy[:, 1]}), explained)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Profile:
    """Who is in each segment: sizes, per-feature statistics against everyone, and the features that stand out."""

    sizes: pd.DataFrame  # segment, customers, share, revenue, revenue_share
    stats: pd.DataFrame  # segment, feature, mean, median, overall_mean, overall_median, std_diff
    top_features: dict[int, list[str]]
    shares: frozenset[str] = frozenset()  # features told as a share: categories and 0/1 columns (SeniorCitizen)


def profile(customers: pd.DataFrame, scaler: FeatureScaler, labels: np.ndarray) -> Profile:
    """Size, customer and revenue share per segment; each feature's mean/median against the overall one.

    The standardized difference (segment mean minus overall mean, in overall standard deviations) is taken
    after the log transform, so a few huge spenders do not decide what a segment looks like.
    """
    raw = scaler.raw(customers)
    logged = scaler.logged(customers)
    for c, cats in scaler.categories_.items():
        values = customers[c].astype("string").fillna("missing")
        for cat in cats:
            raw[f"{c}={cat}"] = logged[f"{c}={cat}"] = (values == cat).astype(float).to_numpy()
    spread = logged.std(ddof=0).replace(0, 1.0)
    segments = [s for s in np.unique(labels) if s != NOISE] + ([NOISE] if (labels == NOISE).any() else [])
    diffs = ((logged.groupby(labels).mean() - logged.mean()) / spread).loc[segments]
    by_raw = raw.groupby(labels)
    stats = pd.DataFrame(
        {
            "segment": np.repeat(segments, raw.shape[1]).astype(int),
            "feature": np.tile(raw.columns, len(segments)),
            "mean": by_raw.mean().loc[segments].to_numpy().ravel(),
            "median": by_raw.median().loc[segments].to_numpy().ravel(),
            "overall_mean": np.tile(raw.mean().to_numpy(), len(segments)),
            "overall_median": np.tile(raw.median().to_numpy(), len(segments)),
            "std_diff": diffs.to_numpy().ravel(),
        }
    )
    counts = pd.Series(labels).value_counts().loc[segments]
    sizes = pd.DataFrame(
        {"segment": segments, "customers": counts.to_numpy(), "share": counts.to_numpy() / len(labels)}
    )
    if "monetary" in customers.columns:
        revenue = pd.to_numeric(customers["monetary"], errors="coerce").groupby(labels).sum().loc[segments]
        sizes["revenue"] = revenue.to_numpy()
        sizes["revenue_share"] = sizes["revenue"] / (float(revenue.sum()) or 1.0)
    top = {int(s): _top_features(diffs.loc[s]) for s in segments}
    shares = frozenset(c for c in raw.columns if "=" in c or raw[c].dropna().isin([0, 1]).all())
    return Profile(sizes, stats, top, shares)


def _top_features(diff: pd.Series, n: int = 3) -> list[str]:
    """The `n` features that differ most, one per categorical column, by the category over-represented there.

    ("mostly female" says what "few male" says, and better.)
    """
    strength = diff.abs().where(~diff.index.str.contains("="), diff.clip(lower=0))
    out: list[str] = []
    for f in strength.sort_values(ascending=False, kind="stable").index:
        if f.split("=")[0] not in {g.split("=")[0] for g in out}:
            out.append(f)
    return out[:n]


@one_thread
def stability(
    X: np.ndarray,
    reference: np.ndarray,
    *,
    algorithm: str = "kmeans",
    k: int = 4,
    linkage: str = "ward",
    eps: float | None = None,
    seeds: int = 5,
    sample_size: int = 2000,
) -> float:
    """Mean adjusted Rand index between the segments and single-start refits on random 80% subsamples.

    Near 1: customers keep their segment whatever the random start; below ~0.75 the grouping is shaky.
    """
    n = len(X)
    scores = []
    for seed in range(1, seeds + 1):
        rows = _sample(n, min(sample_size, int(0.8 * n)), seed)
        refit = Segmenter(algorithm=algorithm, n_segments=k, linkage=linkage, eps=eps, n_init=1, random_state=seed)
        scores.append(adjusted_rand_score(reference[rows], refit.fit(X[rows]).labels_))
    return float(np.mean(scores))


def stability_word(ari: float) -> str:
    """ "stable" when customers mostly keep their segment across restarts, else "shaky"."""
    return _("stable") if ari >= 0.75 else _("shaky")


def unusual_customers(
    customers: pd.DataFrame,
    scaler: FeatureScaler,
    X: np.ndarray,
    labels: np.ndarray,
    *,
    top: int = 20,
    min_score: float = 3.0,
) -> pd.DataFrame:
    """Customers far from their segment's centre (or in no segment), with what is unusual about them.

    `score` is the distance to the nearest centre over the segment's typical (median) distance; customers
    scoring `min_score` or more are listed, the most unusual first.
    """
    columns = ["customer_id", "segment", "score", "unusual"]
    centers = _centers(X, labels)
    if not len(centers):
        return pd.DataFrame(columns=columns)
    nearest = np.where(labels == NOISE, _nearest(X, centers)[0], labels)
    dist = np.linalg.norm(X - centers[nearest], axis=1)
    typical = np.array([np.median(dist[labels == s]) for s in range(len(centers))])
    score = dist / np.where(typical > 0, typical, dist[labels != NOISE].mean() or 1.0)[nearest]
    order = [i for i in np.argsort(-score, kind="stable")[:top] if score[i] >= min_score or labels[i] == NOISE]
    logged = scaler.logged(customers)
    raw = scaler.raw(customers)
    spread = logged.std(ddof=0).replace(0, 1.0)
    rows = []
    for i in order:
        group = nearest == nearest[i]
        z = ((logged.iloc[i] - logged[group].median()) / spread).abs().sort_values(ascending=False)
        facts = [
            f"{nice_name(f)} {fmt_number(raw.iat[i, raw.columns.get_loc(f)])} "
            f"(typical {fmt_number(raw.loc[group, f].median())})"
            for f in z.index[:2]
            if z[f] >= 1
        ]
        rows.append(
            {
                "customer_id": customers["customer_id"].iat[i],
                "segment": int(labels[i]),
                "score": float(score[i]),
                "unusual": "; ".join(facts) or "an unusual mix of otherwise ordinary values",
            }
        )
    return pd.DataFrame(rows, columns=columns)


NATURAL_GROUPS = 0.25  # silhouette below 0.25: no substantial structure (Kaufman & Rousseeuw's rule of thumb)
ABOVE_NO_STRUCTURE = 0.10  # and it must beat a structureless crowd of the same spread by at least 0.10


def structureless_silhouette(X: np.ndarray, k: int, *, random_state: int = 0) -> float:
    """The silhouette k-means reaches on a crowd with no groups: a Gaussian with X's own mean and covariance.

    Any data split into k parts scores above 0 (about 0.3 for a round crowd), so this, not 0, is the bar
    real groups must clear.
    """
    rng = np.random.default_rng(random_state)
    rows = _sample(len(X), SILHOUETTE_SAMPLE, random_state)
    cov = np.atleast_2d(np.cov(X[rows], rowvar=False))
    crowd = rng.multivariate_normal(X[rows].mean(axis=0), cov, size=len(rows), check_valid="ignore")
    labels = Segmenter(algorithm="kmeans", n_segments=k, n_init=3, random_state=random_state).fit(crowd).labels_
    from insight.segment.k_sweep import _silhouette

    return _silhouette(crowd, labels, random_state)


def segment_verdict(silhouette: float, n_segments: int, reference: float | None = None) -> Verdict:
    """Whether customers form natural groups, against a crowd with no structure (`reference`, else 0)."""
    baseline = Message(
        N_("no structure: the same customers' spread with no groups in it (silhouette {bar:.2f})"),
        bar=reference if reference is not None else 0.0,
    )
    if n_segments < 2 or not np.isfinite(silhouette):
        none = N_("No groups were found: every customer lands in one group or in none.")
        return Verdict(UNRELIABLE, Message(none), baseline)
    weak = silhouette < NATURAL_GROUPS or (reference is not None and silhouette < reference + ABOVE_NO_STRUCTURE)
    if weak:
        figures = Message(N_("silhouette {silhouette:.2f}"), silhouette=silhouette)
        if reference is not None:
            versus = N_("silhouette {silhouette:.2f} vs {reference:.2f} for a crowd with no groups")
            figures = Message(versus, silhouette=silhouette, reference=reference)
        reason = Message(
            N_(
                "Customers form no natural groups ({figures}): the segments are slices of one continuous crowd. "
                "They are still useful for action, but customers near a border look much like their neighbours in "
                "the next segment."
            ),
            figures=figures,
        )
        return Verdict(ROUGH, reason, baseline)
    figures = Message(N_("silhouette {silhouette:.2f}"), silhouette=silhouette)
    if reference is not None:
        against = N_("silhouette {silhouette:.2f}, against {reference:.2f} for a crowd with no groups")
        figures = Message(against, silhouette=silhouette, reference=reference)
    distinct = Message(N_("Customers fall into distinct groups ({figures})."), figures=figures)
    return Verdict(RELIABLE, distinct, baseline)
