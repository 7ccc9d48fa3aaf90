"""Streamlit-side helpers shared by the pages, one module per concept; everything analytic lives in `insight`.

- `session`: the active dataset (an upload or the demo), the owner's personal data, the pipeline on the store
- `background`: slow sections computed in worker processes and shown when ready; the server's start and stop
- `sharing`: the share panel and a session opened from a share link
- `password`: the optional password gate
- `display`: verdicts, user-fixable errors, safe downloads
"""

from ui.background import PENDING, ask, background_jobs, computed, prepare_server, refresh_when_ready, stop_server
from ui.display import download_csv, show_error, show_verdict
from ui.password import client_address, password_gate, password_throttle, secret
from ui.session import active_dataset, load_files, personal_data, pipeline, read_only
from ui.sharing import (
    PAGES,
    VIEW_PREFIXES,
    close_shared_view,
    housekeeper,
    keep_shared_view,
    open_shared_view,
    share_panel,
    share_registry,
    share_url,
    sidebar_status,
    view_params,
)

__all__ = [
    "PAGES",
    "PENDING",
    "ask",
    "VIEW_PREFIXES",
    "active_dataset",
    "background_jobs",
    "client_address",
    "close_shared_view",
    "computed",
    "download_csv",
    "housekeeper",
    "keep_shared_view",
    "load_files",
    "open_shared_view",
    "password_gate",
    "password_throttle",
    "personal_data",
    "pipeline",
    "prepare_server",
    "read_only",
    "refresh_when_ready",
    "secret",
    "share_panel",
    "share_registry",
    "share_url",
    "show_error",
    "show_verdict",
    "sidebar_status",
    "stop_server",
    "view_params",
]
