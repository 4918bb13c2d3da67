"""Presenter mode and its guided tour bar: step n of 8, the script line, Back / Next / Exit, the
clicker's keys, and on the last step a QR code for the room."""

from __future__ import annotations

import streamlit as st

from shahu.content import markup, tour
from shahu.core.i18n import t
from shahu.core.paths import STATIC_DIR
from shahu.ui import share
from shahu.ui.state import dataset, forget_url_seed

PRESENT_KEY = "present"
STEP_KEY = "tour_step"
MAP_VIEW = ("building",)  # map widgets a step sets (none named = cleared)


def presenting() -> bool:
    """Presenter mode: switched on by `?present=1` or the sidebar button, kept for the session."""
    on = st.session_state.get(PRESENT_KEY)
    if on is None:
        on = st.session_state[PRESENT_KEY] = st.query_params.get("present") == "1"
        st.session_state[STEP_KEY] = tour.clamp(st.query_params.get("step"))
    return bool(on)


def index() -> int | None:
    """The current step, 0-based; None outside presenter mode."""
    return int(st.session_state.get(STEP_KEY, 0)) if presenting() else None


def go(step: int, lang: str) -> None:
    """Open tour step `step` (0-based) on its page, with its view parameters."""
    page, params = tour.step_target(step, lang)
    st.session_state[STEP_KEY] = tour.clamp(params["step"])
    for key in MAP_VIEW if page.key == "map" else ():
        forget_url_seed(key)  # the step's building selects it again
        if key not in params:
            st.session_state.pop(key, None)  # the belt step shows no building's card
    st.switch_page(page.file, query_params=params)


def step_part(page: str) -> str | None:
    """The part of `page` (its `section`) the current tour step is about; None outside presenter
    mode, or when the step names none."""
    current = index()
    step = None if current is None else tour.STEPS[current]
    return step.params.get("section") if step and step.page == page else None


def start(lang: str) -> None:
    st.session_state[PRESENT_KEY] = True
    go(0, lang)


def follow(page: str, lang: str) -> None:
    """In presenter mode the step decides the page: `/?present=1` opens step 1 on the map."""
    current = index()
    if current is not None and tour.STEPS[current].page != page:
        go(current, lang)


def _keys(lang: str) -> None:
    """The clicker: keys drive the bar's buttons, in this page and inside the map's frame."""
    config = {
        "keys": {key: action for action, keys in tour.KEYS.items() for key in keys},
        "hint": t("tour.keys_hint", lang),
        "black": t("tour.black_label", lang),
    }
    script = (STATIC_DIR / "present.js").read_text(encoding="utf-8")
    st.html(
        markup.html(
            "<script>window.shahuPresenter = {config};\n{script}</script>",
            config=markup.script_json(config),
            script=markup.Markup(script),  # our own file
        ),
        unsafe_allow_javascript=True,
    )


def bar(lang: str) -> None:
    """The presenter's bar above the page."""
    current = index() or 0
    last = len(tour.STEPS) - 1
    with st.container(border=True, key="tour_bar"):
        widths = [7, 1, 1, 1] if current != last else [4, 3, 1, 1, 1]  # last: a QR for the room
        cols = st.columns(widths, vertical_alignment="center")
        text, (back, forward, leave) = cols[0], cols[-3:]
        title, script = dataset().derived(tour.words, current, lang)
        text.markdown(
            f"**{t('tour.step_of', lang, n=current + 1, total=len(tour.STEPS))} · "
            f"{title}**  \n{script}"
        )
        if back.button(
            t("tour.back", lang), disabled=current == 0, key="tour_back", width="stretch"
        ):
            go(current - 1, lang)
        if forward.button(
            t("tour.next", lang),
            disabled=current == last,
            type="primary",
            key="tour_next",
            width="stretch",
        ):
            go(current + 1, lang)
        if leave.button(t("tour.exit", lang), key="tour_exit", width="stretch"):
            st.session_state[PRESENT_KEY] = False
            st.rerun()
        if st.button(t("tour.first", lang), key="tour_first"):  # Home; hidden by present.css
            go(0, lang)
        if current == last:
            page, params = tour.step_target(current, lang)
            with cols[1]:
                share.qr_panel(page.url, tour.audience_params(params), lang, stage=True)
    _keys(lang)
