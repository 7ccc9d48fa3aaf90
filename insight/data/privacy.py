"""Personal data: pseudonymise the `pii` columns with a keyed hash before analysis and export.

The key is secret to the deployment (`insight.store.secret.deployment_key`: `$INSIGHT_SECRET_KEY`, else a
random key kept in the data directory, never empty or short), so a pseudonym cannot be reversed by hashing
guesses, yet the same email always gets the same pseudonym.
"""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pandas as pd

from insight.store.secret import SECRET_ENV, deployment_key

__all__ = ["SECRET_ENV", "deployment_key", "pseudonym", "pseudonymise"]


def pseudonym(value: object, key: bytes) -> str | None:
    """A stable, non-reversible stand-in for one value (missing stays missing)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    digest = hmac.new(key, str(value).strip().lower().encode(), hashlib.sha256).hexdigest()
    return f"anon-{digest[:12]}"


def pseudonymise(df: pd.DataFrame, columns: list[str], key: bytes) -> pd.DataFrame:
    """A copy of `df` with the given columns replaced by pseudonyms (one keyed hash per distinct value, each
    `pseudonym(value, key)`; the keyed hash is set up once and copied per value, which halves the cost)."""
    out = df.copy()
    keyed = hmac.new(key, digestmod=hashlib.sha256)

    def name(value: object) -> str:
        h = keyed.copy()
        h.update(str(value).strip().lower().encode())
        return f"anon-{h.hexdigest()[:12]}"

    for col in columns:
        if col in out:
            codes, distinct = pd.factorize(out[col], use_na_sentinel=True)  # missing values are not among these
            names = np.array([name(v) for v in distinct] + [None], dtype=object)
            out[col] = pd.Series(names[codes], index=out.index, dtype=object)  # code -1 (missing) reads None
    return out
