"""What the app keeps: results cached by (dataset fingerprint, step, parameters), share links, the schedule
that clears out what has expired, and the count of wrong passwords."""

from insight.store.cache import DATA_DIR_ENV, Store, cache_key, code_version, default_data_dir, default_store
from insight.store.housekeeping import PURGE_EVERY_SECONDS, Housekeeper
from insight.store.shares import DEFAULT_SHARE_DAYS, UNAVAILABLE_TO_VIEWER, Share, ShareRegistry, SharingUnavailable
from insight.store.throttle import PasswordThrottle

__all__ = [
    "DATA_DIR_ENV",
    "DEFAULT_SHARE_DAYS",
    "PURGE_EVERY_SECONDS",
    "Housekeeper",
    "PasswordThrottle",
    "Share",
    "ShareRegistry",
    "SharingUnavailable",
    "Store",
    "UNAVAILABLE_TO_VIEWER",
    "cache_key",
    "code_version",
    "default_data_dir",
    "default_store",
]
