"""The session's language on every script run: the browser's (`st.context.locale`) unless the sidebar switch chose
another for this session. The decision is `insight.language_choice.session_language`; this only wires it."""

from __future__ import annotations

import streamlit as st

from insight.i18n import LANGUAGES, _, set_language
from insight.language_choice import browser_language, session_language

# No page prefix (ui.VIEW_PREFIXES): a share link carries neither, so a link opens in the language of its viewer.
CHOSEN = "language"  # what the switch chose for this session; absent until it is used
SWITCH = "language_switch"  # the switch's own state: always the language shown


def _remember_choice() -> None:
    if st.session_state.get(SWITCH) in LANGUAGES:  # a click on the chosen option unselects it: keep the choice
        st.session_state[CHOSEN] = st.session_state[SWITCH]


def apply_language() -> str:
    """Make this run's language the session's (call first, before anything is drawn), and return it."""
    lang = session_language(st.session_state.get(CHOSEN), browser_language(st.context.locale))
    st.session_state[SWITCH] = lang
    set_language(lang)
    return lang


def language_switch() -> None:
    """The sidebar's language switch; a change reruns the page in the chosen language."""
    st.sidebar.segmented_control(
        _("Language"),
        list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=SWITCH,
        on_change=_remember_choice,
        label_visibility="collapsed",
    )
