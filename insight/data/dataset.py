"""The pipeline from uploaded files to a `Dataset`: read, type, understand, check, clean, build the customer table.

Pages and the CLI call `build_dataset` (or `load_demo`) and read
everything else from the returned `Dataset`.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from insight import demo
from insight.data.assemble import assemble_customers, customer_groups
from insight.data.cleaning import CleaningOptions, clean, log_entry, read_log
from insight.data.dialect import ReadReport
from insight.data.kinds import borrow_customer_ids, ignored_columns, infer_kind, link_items, validate_roles
from insight.data.outcome import outcome_question
from insight.data.privacy import deployment_key, pseudonymise
from insight.data.quality import QualityReport, quality_report
from insight.data.redact import mask_free_text
from insight.data.roles import KINDS, Roles, infer_roles
from insight.data.sandbox import read_upload
from insight.data.standard import standardize
from insight.data.types import TypeReport, parse_types
from insight.errors import InsightError, ReadError
from insight.i18n import N_
from insight.outcome_words import Outcome, outcome_of
from insight.store import default_data_dir

Progress = Callable[[float, str], None]
_CURRENCY_COLUMN = re.compile(r"currency|w[äa]hrung|devise|moneda|moeda|valuta|货币|币种", re.I)


@dataclass
class Table:
    """One uploaded file after reading and cleaning."""

    name: str
    kind: str
    frame: pd.DataFrame
    roles: Roles
    rows_raw: int
    read_report: ReadReport
    currency: dict[str, str] = field(default_factory=dict)  # money columns: the symbol they were written with
    in_use: bool = True  # False: its customers are not those analysed (see `Dataset.customer_groups`)
    questions: dict[str, list[str]] = field(default_factory=dict)  # role: the columns the founder must choose from
    _standard: pd.DataFrame | None = field(default=None, repr=False)

    def standard(self) -> pd.DataFrame:
        """The frame with role-named, typed columns (see `insight.data.standard.standardize`)."""
        if self._standard is None:
            self._standard = standardize(self.frame, self.roles)
        return self._standard

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_standard": None}  # derived: rebuilt on use, not stored twice

    def ignored(self) -> dict[str, str]:
        """The columns given no role, with the reason."""
        return ignored_columns(self.frame, self.roles)


@dataclass
class Dataset:
    """Everything the pages need about the data in use."""

    fingerprint: str
    name: str
    tables: list[Table]
    customers: pd.DataFrame
    customer_roles: dict[str, Any]
    cleaning_log: list[dict[str, Any]]
    quality: list[QualityReport]
    options: CleaningOptions = field(default_factory=CleaningOptions)
    customer_groups: list[list[str]] = field(default_factory=list)  # files about the same customers, per group
    _transactions: pd.DataFrame | None = field(default=None, init=False, repr=False)
    _transactions_built: bool = field(default=False, init=False, repr=False)

    @property
    def pii_columns(self) -> list[str]:
        """The customer table's personal-data columns (their values are pseudonyms)."""
        return [c for c in self.customer_roles.get("pii", []) if c in self.customers]

    def table(self, kind: str) -> Table | None:
        """The first table of a kind in use, or None."""
        return next((t for t in self.tables if t.kind == kind and t.in_use), None)

    def tables_of(self, kind: str) -> list[Table]:
        """All tables of a kind in use."""
        return [t for t in self.tables if t.kind == kind and t.in_use]

    @property
    def currency(self) -> str | None:
        """The currency of the orders: the symbol their amounts (or unit prices) were written with, else a
        currency column holding one code (GBP, EUR …), else None."""
        tables = self.tables_of("transactions")
        for table in tables:
            for role in ("amount", "unit_price"):
                if table.roles.get(role) in table.currency:
                    return table.currency[table.roles[role]]
        for table in tables:
            for column in table.frame.columns:
                if _CURRENCY_COLUMN.search(str(column)):
                    codes = table.frame[column].dropna().astype(str).str.strip().str.upper()
                    if len(codes) and codes.nunique() == 1 and re.fullmatch(r"[A-Z]{3}", codes.iloc[0]):
                        return codes.iloc[0]
        return None

    @property
    def outcome(self) -> Outcome:
        """What the churn models predict, in words: the customer table's label column, else leaving derived from
        dated orders, else none yet."""
        tx = self.transactions()
        derived = tx is not None and {"customer_id", "timestamp"} <= set(tx.columns)
        return outcome_of(self.customer_roles.get("label"), derived=derived)

    @property
    def revenue_column(self) -> str | None:
        """The column counted as revenue in the orders files: the amount (what was paid), or quantity x unit price
        when there is no amount; None without orders or money."""
        names = []
        for t in self.tables_of("transactions"):
            amount, price, quantity = (t.roles.get(r) for r in ("amount", "unit_price", "quantity"))
            names.append(amount or (f"{quantity} × {price}" if quantity and price else price))
        return ", ".join(dict.fromkeys(n for n in names if n)) or None

    def notes(self) -> list[str]:
        """What the upload leaves open for the founder to decide (the JSON's `notes`)."""
        return [
            f"{t.name}: two or more columns could be the outcome ({', '.join(repr(c) for c in t.questions['label'])});"
            " none was picked. Which column is the outcome you care about? Choose it on the Data page, or with "
            f"--role '{t.name}:COLUMN=label'."
            for t in self.tables
            if t.questions.get("label")
        ]

    def transactions(self) -> pd.DataFrame | None:
        """Every orders / payments file as one standard frame (an orders file and its order lines together,
        as the customer table counts them), or None without one. Analyses of orders read this; it is built
        once and shared, so callers must not change it."""
        if not self._transactions_built:
            frames = [t.standard() for t in self.tables_of("transactions")]
            self._transactions = pd.concat(frames, ignore_index=True) if len(frames) > 1 else next(iter(frames), None)
            self._transactions_built = True
        return self._transactions

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_transactions": None, "_transactions_built": False}


def fingerprint(
    files: list[tuple[str, bytes]], roles: dict | None, kinds: dict | None, options: CleaningOptions
) -> str:
    """sha256 of the uploaded bytes plus role mapping, kinds and cleaning options."""
    h = hashlib.sha256()
    for name, data in sorted(files, key=lambda f: f[0]):
        h.update(name.encode())
        h.update(hashlib.sha256(data).digest())
    h.update(json.dumps([roles or {}, kinds or {}, options.__dict__], sort_keys=True, default=str).encode())
    return h.hexdigest()


def _pseudonymise_personal_columns(table: Table, key: bytes) -> None:
    """The table's personal-data columns become pseudonyms in place (those that serve as no other role: an id
    that is personal data is already a pseudonym), so the Dataset, and every cache built from it, holds none."""
    used = {col for role, col in table.roles.items() if isinstance(col, str)}
    pii = [c for c in table.roles.get("pii", []) if c in table.frame.columns and c not in used]
    if pii:
        table.frame = pseudonymise(table.frame, pii, key)
        table._standard = None


def _pseudonymise_personal_id(file_name: str, frame: pd.DataFrame, roles: Roles, key: bytes) -> list[dict[str, Any]]:
    """When customers are known only by personal data (an email), the id itself becomes a pseudonym, in place."""
    cid = roles.get("customer_id")
    if not cid or cid not in roles.get("pii", []):
        return []
    frame[cid] = pseudonymise(frame[[cid]], [cid], key)[cid]
    n = int(frame[cid].notna().sum())
    return [log_entry(file_name, "customer id pseudonymised", cid, values_changed=n, detail="it is personal data")]


def _join_order_lines(parsed: list[tuple]) -> tuple[list[tuple], dict[str, str | None]]:
    """Lines that borrowed customer ids from an orders table are purchases (or still feedback): re-guess kinds."""
    joined = borrow_customer_ids([(report.file, typed, roles) for report, typed, roles, _, _ in parsed])
    out, notes = [], {}
    for (report, _, roles, types, kind), (frame, note) in zip(parsed, joined, strict=True):
        if note and kind not in ("feedback", "ratings"):
            kind = "transactions"
        out.append((report, frame, roles, types, kind))
        notes[report.file] = note
    return out, notes


def _given(roles: dict[str, Roles] | None, *names: str) -> bool:
    """Whether the founder set this file's roles (then nothing is asked again)."""
    return any((roles or {}).get(name) for name in names)


def _questions(typed: pd.DataFrame, roles: Roles, kind: str, asked: bool) -> dict[str, list[str]]:
    """What the guess could not decide for a customer list: the columns that could equally be the outcome."""
    tied = outcome_question(typed, roles) if asked and kind == "customers" else []
    return {"label": tied} if tied else {}


def _understand(
    file_name: str, data: bytes, roles: dict[str, Roles] | None
) -> tuple[ReadReport, pd.DataFrame, Roles, TypeReport]:
    """Read, type and guess one file (roles given by upload name or by the name read, e.g. without '.gz');
    anything unexpected becomes a ReadError naming the file, never a crash."""
    raw, report = read_upload(file_name, data)
    given = (roles or {}).get(file_name) or (roles or {}).get(report.file)
    try:
        typed, types = parse_types(raw)
        return report, typed, given or infer_roles(typed), types
    except InsightError:
        raise
    except Exception as exc:  # noqa: BLE001 - an upload must never show a traceback
        raise ReadError(
            N_(
                "{file} was read but could not be understood ({name}: {exc}). Export it again as CSV "
                "UTF-8, and if it still fails, send us the first rows."
            ),
            file=report.file,
            name=type(exc).__name__,
            exc=exc,
        ) from exc


def draft_tables(
    files: list[tuple[str, bytes]], roles: dict[str, Roles] | None = None, kinds: dict[str, str] | None = None
) -> list[Table]:
    """Each readable file as read and guessed, before checks and cleaning: what the role editor shows when
    the roles do not fit yet (unreadable files are left out; `build_dataset` names them)."""
    out = []
    for file_name, data in files:
        try:
            report, typed, file_roles, _ = _understand(file_name, data, roles)
        except InsightError:
            continue
        kind = (kinds or {}).get(report.file) or infer_kind(typed, file_roles)
        table = Table(report.file, kind, typed, file_roles, len(typed), report)
        table.questions = _questions(typed, file_roles, kind, asked=not _given(roles, file_name, report.file))
        out.append(table)
    return out


def _choose_customers(tables: list[Table], chosen: str | None) -> tuple[list[list[str]], list[dict[str, Any]]]:
    """Group the tables by shared customers; tables outside the chosen group (default: the first) are set
    aside, and the log says why."""
    groups = customer_groups(tables)
    if len(groups) < 2:
        return groups, []
    keep = next((g for g in groups if chosen in g), groups[0])
    log = []
    for g in groups:
        if g is keep:
            continue
        for t in tables:
            if t.name in g:
                t.in_use = False
        log.append(
            log_entry(
                ", ".join(g),
                "not joined",
                detail=f"shares almost no customer ids with {', '.join(keep)} (under 10% of the smaller file): "
                f"analysing the customers of {', '.join(keep)}; choose the other on the Data page",
            )
        )
    return groups, log


def build_dataset(
    files: list[tuple[str, bytes]],
    roles: dict[str, Roles] | None = None,
    kinds: dict[str, str] | None = None,
    cleaning: CleaningOptions | None = None,
    name: str | None = None,
    progress: Progress | None = None,
    pii_key: bytes | None = None,
) -> Dataset:
    """Read, understand, check and clean the files, and build the customer table.

    `roles` and `kinds` (by file name) override the guesses, as the Data page's editor does.
    Columns with the `pii` role are pseudonymised with `pii_key` (default: the deployment's key) in every
    table and in the customer table, so the Dataset holds no personal data in clear and may be cached.
    All unreadable files are reported together in one `ReadError`.
    """
    return build_dataset_with_lookup(files, roles, kinds, cleaning, name, progress, pii_key)[0]


def build_dataset_with_lookup(
    files: list[tuple[str, bytes]],
    roles: dict[str, Roles] | None = None,
    kinds: dict[str, str] | None = None,
    cleaning: CleaningOptions | None = None,
    name: str | None = None,
    progress: Progress | None = None,
    pii_key: bytes | None = None,
) -> tuple[Dataset, pd.DataFrame | None]:
    """`build_dataset`, plus the clear values of the customer table's personal-data columns by pseudonymous
    `customer_id` (None without any): the owner's lookup, kept apart from the Dataset so it is never cached."""
    options = cleaning or CleaningOptions()
    if not files:
        raise InsightError(N_("No files to analyze: upload at least one export (CSV, Excel, Parquet or JSON lines)."))
    dataset_key = fingerprint(files, roles, kinds, options)  # of the choices as given: the caches use this key
    roles = copy.deepcopy(roles)  # joining order lines edits a table's roles; never the caller's mapping
    step = progress or (lambda fraction, text: None)
    parsed, problems = [], []
    for i, (file_name, data) in enumerate(files):
        step(0.6 * i / len(files), f"Reading {file_name}")
        try:
            report, typed, file_roles, types = _understand(file_name, data, roles)
        except ReadError as exc:
            problems.append(str(exc))
            continue
        parsed.append((report, typed, file_roles, types, infer_kind(typed, file_roles)))
    if problems:
        raise ReadError(" ".join(problems))
    parsed, borrowed = _join_order_lines(parsed)
    guessed = link_items([(typed, r, k) for _, typed, r, _, k in parsed])
    key = pii_key if pii_key is not None else deployment_key(default_data_dir())
    tables, reports, log = [], [], []
    for (report, typed, file_roles, types, _), kind in zip(parsed, guessed, strict=True):
        kind = (kinds or {}).get(report.file, kind)
        if kind not in KINDS:
            raise InsightError(
                N_("'{kind}' is not a table kind; use one of {value}."), kind=kind, value=", ".join(KINDS)
            )
        validate_roles(typed, file_roles, kind)
        reports.append(quality_report(report.file, typed, file_roles, kind, types.unparsed))
        step(0.6 + 0.3 * len(tables) / len(parsed), f"Cleaning {report.file}")
        cleaned, entries = clean(report.file, typed, file_roles, kind, options)
        entries += _pseudonymise_personal_id(report.file, cleaned, file_roles, key)
        entries += mask_free_text(report.file, cleaned, file_roles)
        read_steps = read_log(report, types)
        if borrowed[report.file]:
            read_steps.append(log_entry(report.file, "joined to its orders", detail=borrowed[report.file]))
        if kind == "customers" and not file_roles.get("customer_id"):
            read_steps.append(
                log_entry(report.file, "no customer id column", detail="one row per customer: numbered row-1, row-2, …")
            )
        log.extend(read_steps + entries)
        table = Table(report.file, kind, cleaned, file_roles, len(typed), report, types.currency)
        table.questions = _questions(typed, file_roles, kind, asked=not _given(roles, file_name, report.file))
        tables.append(table)
    step(0.9, "Building the customer table")
    groups, notes = _choose_customers(tables, options.customer_file)
    log.extend(notes)
    customers, customer_roles = assemble_customers([t for t in tables if t.in_use])
    pii = [c for c in customer_roles["pii"] if c in customers]
    lookup = customers[["customer_id", *pii]].copy() if pii else None
    customers = pseudonymise(customers, pii, key)
    for table in tables:
        _pseudonymise_personal_columns(table, key)
    step(1.0, "Done")
    ds = Dataset(
        fingerprint=dataset_key,
        name=name or ", ".join(f for f, _ in files),
        tables=tables,
        customers=customers,
        customer_roles=customer_roles,
        cleaning_log=log,
        quality=reports,
        options=options,
        customer_groups=groups,
    )
    return ds, lookup


DEMO_NAME = "Demo shop (Bean & Leaf)"


_DEMO_LOCK = threading.Lock()  # sessions opening the app at once wait for one generation instead of each running it


@functools.cache
def _demo_files() -> tuple[tuple[str, bytes], ...]:
    return tuple(demo.generate().files())


def demo_files() -> list[tuple[str, bytes]]:
    """The demo shop's export files (generated once per process, however many sessions ask at once; the same
    bytes every time)."""
    with _DEMO_LOCK:
        return list(_demo_files())


def load_demo(cleaning: CleaningOptions | None = None) -> Dataset:
    """The built-in demo shop, loaded through the same pipeline as an upload."""
    return build_dataset(demo_files(), cleaning=cleaning, name=DEMO_NAME)
