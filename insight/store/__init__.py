"""What the app keeps: results cached by (dataset fingerprint, step, parameters), and share links."""

from insight.store.cache import DATA_DIR_ENV, Store, cache_key, code_version, default_data_dir, default_store
from insight.store.shares import DEFAULT_SHARE_DAYS, Share, ShareRegistry

__all__ = [
    "DATA_DIR_ENV",
    "DEFAULT_SHARE_DAYS",
    "Share",
    "ShareRegistry",
    "Store",
    "cache_key",
    "code_version",
    "default_data_dir",
    "default_store",
]
