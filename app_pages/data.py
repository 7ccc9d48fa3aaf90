"""Data page: upload exports (or use the demo), check what was understood, fix roles, clean, get the customer table."""

from dataclasses import replace

import streamlit as st

from insight.data.cleaning import CleaningOptions
from insight.data.dataset import draft_tables
from insight.data.editor import edit_roles, editor_rows, role_choices, roles_from_rows
from insight.data.hints import KIND_NAMES
from insight.data.roles import KINDS
from insight.errors import InsightError
from insight.formats import count
from insight.i18n import _, join, language
from insight.labels import safe_label, safe_md
from ui import active_dataset, load_files, read_only, show_error
from ui.panels import cleaning_panel, customer_panel, quality_panel

st.title(_("Your data"))
st.caption(
    _(
        "Drop in the exports of your shop, CRM or survey tool: a customer list, an orders or payments log, "
        "feedback or reviews, product ratings. CSV, TSV, Excel (.xlsx, .xls, .ods), Parquet, JSON lines, or .csv.gz."
    )
)

locked = read_only()
uploads = None
left, right = st.columns([1, 3])
if not locked:
    uploads = st.file_uploader(
        _("Upload one or more files"),
        accept_multiple_files=True,
        key="data_upload",
        help=_("Files stay in your browser session; nobody else sees them unless you share a link."),
    )
if not locked and left.button(_("Use the demo shop"), key="data_use_demo"):
    for key in ("dataset", "data_files", "data_roles", "data_kinds", "data_cleaning"):
        st.session_state[key] = None
    st.rerun()

options = st.session_state.get("data_cleaning") or CleaningOptions()
if uploads:
    files = [(f.name, f.getvalue()) for f in uploads]
    if files != st.session_state.get("data_files"):
        st.session_state["data_files"] = files
        st.session_state["data_roles"] = None
        st.session_state["data_kinds"] = None
files = st.session_state.get("data_files")


def rebuild() -> None:
    """Build this session's dataset from its files (or the demo's) and choices, showing progress and any problem."""
    bar = st.progress(0.0, text=_("Reading files…"))
    try:
        st.session_state["dataset"] = load_files(
            files,
            roles=st.session_state.get("data_roles"),
            kinds=st.session_state.get("data_kinds"),
            cleaning=options,
            progress=lambda fraction, text: bar.progress(min(1.0, fraction), text=text),
        )
    except InsightError as exc:
        st.session_state["dataset"] = None
        show_error(exc)
    finally:
        bar.empty()


current = st.session_state.get("dataset")
stale_upload = files and (current is None or current.name != ", ".join(name for name, _data in files))
if stale_upload or active_dataset().options != options:
    rebuild()
ds = active_dataset()
right.markdown(_("Working on **{name}**.").format(name=safe_md(ds.name)))
if files and st.session_state.get("dataset") is None:
    st.warning(_("The upload could not be used (see above); showing the demo shop until it is fixed."))

st.header(_("What was understood"))
failed = bool(files) and st.session_state.get("dataset") is None
roles_now, kinds_now = st.session_state.get("data_roles"), st.session_state.get("data_kinds")
tables = draft_tables(files, roles_now, kinds_now) if failed else ds.tables  # fix the upload, not the demo
editor_key = "draft_" + str(abs(hash(tuple(n for n, _data in files)))) if failed else ds.fingerprint[:16]
for table in [t for t in tables if t.questions.get("label") and not locked]:
    tied = table.questions["label"]
    st.warning(
        safe_md(
            _("{file}: {columns} could each be the outcome, so none was picked yet.").format(
                file=table.name, columns=join(tied)
            )
        ),
        icon="❓",
    )
    choice = st.radio(
        _("Which column is the outcome you care about?"),
        [*tied, ""],
        index=None,
        format_func=lambda c: safe_label(c) if c else _("None of them"),
        key=f"data_outcome_{editor_key}_{table.name}",
    )
    if choice is not None:
        chosen = edit_roles(table, {choice: "label"}) if choice else {**table.roles}
        st.session_state["data_roles"] = {**(st.session_state.get("data_roles") or {}), table.name: chosen}
        rebuild()
        st.rerun()

new_roles, new_kinds, conflicts = {}, {}, False
for i, table in enumerate(tables):
    kind = _(KIND_NAMES.get(table.kind, table.kind))
    title = _("{file} — {kind}, {n} rows").format(file=safe_label(table.name), kind=kind, n=count(table.rows_raw))
    with st.expander(title, expanded=i == 0):
        for note in table.read_report.notes:
            st.caption(f"ℹ️ {safe_md(note)}")
        kind_words = [_(KIND_NAMES[k]) for k in KINDS]  # shown in words, read back as the kind
        held = st.selectbox(
            _("This file holds"), kind_words, index=KINDS.index(table.kind), key=f"data_kind_{editor_key}_{i}"
        )
        new_kinds[table.name] = KINDS[kind_words.index(held)] if held in kind_words else table.kind
        editor = editor_rows(table)
        edited = st.data_editor(
            editor,
            column_config={
                "Column": st.column_config.TextColumn(_("Column")),
                "Role": st.column_config.SelectboxColumn(_("Role"), options=role_choices()),
                "Example": st.column_config.TextColumn(_("Example")),
                "No role because": st.column_config.TextColumn(_("No role because")),
            },
            disabled=["Column", "Example", "No role because"],
            hide_index=True,
            key=f"data_roles_{editor_key}_{language()}_{i}",  # per dataset (a new upload shows its own guess), language
            width="stretch",
        )
        try:
            new_roles[table.name] = roles_from_rows(table, edited)
        except InsightError as exc:
            show_error(exc)
            conflicts = True

if len(ds.customer_groups) > 1:
    groups = [join(list(g)) for g in ds.customer_groups]
    current_group = next((i for i, g in enumerate(ds.customer_groups) if options.customer_file in g), 0)
    chosen = st.selectbox(
        _("These customer lists share almost no customers; analyse the customers of"),
        range(len(groups)),
        index=current_group,
        format_func=lambda i: groups[i],
        key=f"data_customer_group_{ds.fingerprint[:16]}",
        disabled=locked,
    )
    if chosen != current_group:
        st.session_state["data_cleaning"] = replace(options, customer_file=ds.customer_groups[chosen][0])
        st.rerun()

if not locked and st.button(_("Apply these roles and kinds"), key="data_apply_roles", disabled=conflicts):
    st.session_state["data_roles"] = new_roles
    st.session_state["data_kinds"] = new_kinds
    rebuild()
    st.rerun()

st.header(_("Data quality"))
quality_panel(ds.quality)

st.header(_("Cleaning"))
cleaning_panel(options, ds.cleaning_log, locked)

st.header(_("Customer table"))
customer_panel(ds, locked)
