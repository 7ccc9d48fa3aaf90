"""The data layer: from uploaded files to a `Dataset` of typed, understood, cleaned tables and one customer table.

read -> dialect (text tables) -> types -> roles / kinds -> quality -> cleaning -> standard view -> customers.
"""

from insight.data.cleaning import CleaningOptions
from insight.data.dataset import (
    DEMO_NAME,
    Dataset,
    Table,
    build_dataset,
    build_dataset_with_lookup,
    demo_files,
    fingerprint,
    load_demo,
)
from insight.data.roles import KINDS, MULTI_ROLES, SINGLE_ROLES, Roles

__all__ = [
    "DEMO_NAME",
    "KINDS",
    "MULTI_ROLES",
    "SINGLE_ROLES",
    "CleaningOptions",
    "Dataset",
    "Roles",
    "Table",
    "build_dataset",
    "build_dataset_with_lookup",
    "demo_files",
    "fingerprint",
    "load_demo",
]
