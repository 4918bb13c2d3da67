"""The one Streamlit-aware module besides the pages: cached data, the language, shared state.

Tables are cached with `st.cache_data` keyed on the data files' fingerprint (size, mtime and a content hash),
so a staff refresh shows up on the next rerun with no restart.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from shahu import assets, auth, importer, tour
from shahu.cards import name_col
from shahu.data import Dataset, fingerprint, load_dataset
from shahu.filters import PARAM_NAMES, Filters, apply, describe, from_params, to_params
from shahu.formatting import md
from shahu.i18n import normalize_lang, t
from shahu.maps import BASEMAPS, PointRows, point_rows
from shahu.paths import data_dir, geo_dir
from shahu.schemas import PROJECT_STATUSES, SECTORS, Building, Project

if TYPE_CHECKING:
    from plotly.graph_objects import Figure

LANG_KEY = "lang"
VIEW_KEYS = {"map": ("building", "basemap")}  # widget state that is part of a page's link
FILTERS_KEY = "filters"
_FW = {
    "sectors": "fw_sector",
    "statuses": "fw_status",
    "buildings": "fw_building",
    "amount": "fw_amount",
    "undisclosed": "fw_undisclosed",
    "search": "fw_search",
}


_LAST_GOOD: dict[str, dict[str, pd.DataFrame]] = {}  # per data folder: its last valid tables


@st.cache_data(show_spinner=False, max_entries=4)
def _dataset(data: str, geo: str, stamp: tuple) -> Dataset:
    last_good = _LAST_GOOD.setdefault(data, {})
    ds = load_dataset(Path(data), Path(geo), last_good=dict(last_good))
    last_good.update(ds.fresh())
    return replace(ds, stamp=stamp)


def dataset() -> Dataset:
    """The validated data, reloaded only when a file changed on disk."""
    data, geo = data_dir(), geo_dir()
    return _dataset(str(data), str(geo), fingerprint(data, geo))


@st.cache_data(show_spinner=False, max_entries=64)
def _point_rows(
    stamp: tuple,
    lang: str,
    basemap: str,
    filter_params: tuple,
    selected: str | None,
    compact: bool,
    _ds: Dataset,
) -> PointRows:
    projects = apply(
        _ds["projects"],
        from_params(dict(filter_params), tuple(_ds["buildings"][Building.building_id])),
    )
    return point_rows(
        _ds, lang, basemap=basemap, projects=projects, selected=selected, compact=compact
    )


def map_rows(
    ds: Dataset,
    lang: str,
    basemap: str = "none",
    selected: str | None = None,
    compact: bool = False,
) -> PointRows:
    """The map's markers for this data, language, base map, filters and selection (cached)."""
    params = () if compact else tuple(sorted(to_params(filters(ds)).items()))
    return _point_rows(ds.stamp, lang, basemap, params, selected, compact, ds)


@st.cache_resource(show_spinner=False, max_entries=64)
def _project_chart(
    chart: str, stamp: tuple, lang: str, filter_params: tuple, _build: Callable, _ds: Dataset
) -> Figure:
    known = tuple(_ds["buildings"][Building.building_id])
    return _build(apply(_ds["projects"], from_params(dict(filter_params), known)), lang)


def project_chart(build: Callable[[pd.DataFrame, str], Figure], ds: Dataset, lang: str) -> Figure:
    """`build(the visitor's filtered projects, lang)`, made once per data, language and filters.

    A cache_resource: `st.plotly_chart` only reads a figure (it copies it with `to_dict`), so
    one figure serves every visitor, where a cache_data copy would re-validate it on each hit.
    """
    params = tuple(sorted(to_params(filters(ds)).items()))
    name = f"{build.__module__}.{build.__qualname__}"
    return _project_chart(name, ds.stamp, lang, params, build, ds)


@st.cache_resource(show_spinner=False)
def ensure_assets() -> bool:
    """Vendored Leaflet files in place (normally done by `make`); True once installed."""
    if not assets.installed():
        assets.install()
    return assets.installed()


def leave_legacy_multipage() -> None:
    """Make sure app.py's `st.navigation` is in charge, even on a deep link to a fresh server.

    Streamlit treats an app with a `pages/` folder as a legacy (v1) multipage app until some
    session has called `st.navigation`; until then a deep link such as `/map` runs the page
    file directly, without app.py (streamlit/streamlit#9624). Every page calls this first: it
    switches the process to `st.navigation` and reruns, so app.py frames the page as usual.
    """
    if getattr(PagesManager, "uses_pages_directory", False):
        PagesManager.uses_pages_directory = False
        st.rerun()


def lang() -> str:
    """The visitor's language: session state, first seeded from `?lang=` in the URL."""
    leave_legacy_multipage()
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = normalize_lang(st.query_params.get(LANG_KEY))
    return normalize_lang(st.session_state[LANG_KEY])


def sync_lang_to_url() -> None:
    """Keep `?lang=` in the URL so a copied link opens in the same language."""
    current = lang()
    if st.query_params.get(LANG_KEY) != current:
        st.query_params[LANG_KEY] = current


def filters(ds: Dataset) -> Filters:
    """The visitor's project filters: one value in session state, first seeded from the URL."""
    if FILTERS_KEY not in st.session_state:
        known = tuple(ds["buildings"][Building.building_id])
        st.session_state[FILTERS_KEY] = from_params(st.query_params.to_dict(), known)
    return st.session_state[FILTERS_KEY]


def filtered_projects(ds: Dataset) -> pd.DataFrame:
    return apply(ds["projects"], filters(ds))


def _amount_ceiling(ds: Dataset) -> float:
    top = ds["projects"][Project.amount_cny_100m].max()
    return float(max(1.0, -(-top // 1))) if top == top else 1.0


def _store_filters(ceiling: float) -> None:
    ss = st.session_state
    lo, hi = ss.get(_FW["amount"], (0.0, ceiling))
    ss[FILTERS_KEY] = Filters(
        sectors=tuple(ss.get(_FW["sectors"], ())),
        statuses=tuple(ss.get(_FW["statuses"], ())),
        buildings=tuple(ss.get(_FW["buildings"], ())),
        amount_min=None if lo <= 0 else float(lo),
        amount_max=None if hi >= ceiling else float(hi),
        undisclosed=bool(ss.get(_FW["undisclosed"], True)),
        search=str(ss.get(_FW["search"], "")).strip(),
    )


def set_filters(f: Filters) -> None:
    """Replace the visitor's filters; the widgets and the URL follow on this run."""
    st.session_state[FILTERS_KEY] = f


def _reset_filters() -> None:
    set_filters(Filters())


def filter_controls(ds: Dataset, lang: str) -> None:
    """The one set of filter widgets (in the sidebar), shared by every page that lists projects."""
    f = filters(ds)
    ceiling = _amount_ceiling(ds)
    ss = st.session_state
    ss[_FW["sectors"]] = list(f.sectors)
    ss[_FW["statuses"]] = list(f.statuses)
    ss[_FW["buildings"]] = list(f.buildings)
    ss[_FW["amount"]] = (f.amount_min or 0.0, min(f.amount_max or ceiling, ceiling))
    ss[_FW["undisclosed"]] = f.undisclosed
    ss[_FW["search"]] = f.search
    names = dict(
        zip(ds["buildings"][Building.building_id], ds["buildings"][name_col(lang)], strict=True)
    )
    changed = {"on_change": _store_filters, "args": (ceiling,)}
    st.markdown(f"**{t('filters.title', lang)}**")
    st.text_input(t("filters.search", lang), key=_FW["search"], max_chars=60, **changed)
    st.multiselect(
        t("filters.sector", lang),
        SECTORS,
        key=_FW["sectors"],
        placeholder=t("filters.all", lang),
        format_func=lambda s: t(f"sector.{s}", lang),
        **changed,
    )
    st.multiselect(
        t("filters.status", lang),
        PROJECT_STATUSES,
        key=_FW["statuses"],
        placeholder=t("filters.all", lang),
        format_func=lambda s: t(f"status.{s}", lang),
        **changed,
    )
    st.multiselect(
        t("filters.building", lang),
        list(names),
        key=_FW["buildings"],
        placeholder=t("filters.all", lang),
        format_func=names.get,
        **changed,
    )
    st.slider(t("filters.amount", lang), 0.0, ceiling, key=_FW["amount"], step=0.1, **changed)
    st.checkbox(t("filters.undisclosed", lang), key=_FW["undisclosed"], **changed)
    shown, total = len(apply(ds["projects"], f)), len(ds["projects"])
    if f.active:
        st.caption(t("filters.active", lang, n=shown, total=total))
        st.button(
            t("filters.reset", lang), on_click=_reset_filters, icon=":material/filter_alt_off:"
        )
    else:
        st.caption(t("filters.inactive", lang, total=total))


def filter_banner(ds: Dataset, lang: str) -> None:
    """The “filters active · reset” bar inside the page, visible even where the sidebar is hidden."""
    f = filters(ds)
    if not f.active:
        st.caption(t("filters.hint", lang))
        return
    buildings = ds["buildings"]
    names = dict(zip(buildings[Building.building_id], buildings[name_col(lang)], strict=True))
    shown, total = len(apply(ds["projects"], f)), len(ds["projects"])
    with st.container(border=True):
        text, button = st.columns([4, 1], vertical_alignment="center")
        text.markdown(
            f"**{t('filters.active', lang, n=shown, total=total)}**  \n"
            + md(" · ".join(describe(f, lang, names)))
        )
        button.button(
            t("filters.reset", lang),
            key="filters_reset_page",
            on_click=_reset_filters,
            icon=":material/filter_alt_off:",
            width="stretch",
        )


def sync_url(ds: Dataset, page: str = "") -> None:
    """Mirror language, filters, presenter step and the page's view into the URL (a shareable link)."""
    sync_lang_to_url()
    wanted = to_params(filters(ds))
    if presenting():
        wanted.update(present="1", step=str(tour_index() + 1))
    for key in VIEW_KEYS.get(page, ()):
        value = st.session_state.get(key)
        if value and value != "none":
            wanted[key] = str(value)
    managed = (*PARAM_NAMES, "present", "step", "building", "basemap", "focus")
    for name in managed:
        if name in wanted:
            if st.query_params.get(name) != wanted[name]:
                st.query_params[name] = wanted[name]
        elif name in st.query_params:
            del st.query_params[name]


def seed_from_url(key: str, allowed) -> None:
    """Let `?key=value` set a widget's state when the link is opened (and only then)."""
    wanted = st.query_params.get(key)
    marker = f"_url_{key}"
    if wanted and wanted != st.session_state.get(marker):
        st.session_state[marker] = wanted
        if wanted in set(allowed):
            st.session_state[key] = wanted


def seed_view(ds: Dataset, page: str) -> None:
    """Restore the page's view (e.g. the map's building and base map) from an opened link."""
    allowed = {"building": ds["buildings"][Building.building_id], "basemap": BASEMAPS}
    for key in VIEW_KEYS.get(page, ()):
        seed_from_url(key, allowed[key])


PRESENT_KEY = "present"
STEP_KEY = "tour_step"


def presenting() -> bool:
    """Presenter mode: switched on by `?present=1` or the sidebar toggle, kept for the session."""
    if PRESENT_KEY not in st.session_state:
        st.session_state[PRESENT_KEY] = st.query_params.get("present") == "1"
        st.session_state[STEP_KEY] = tour.clamp(st.query_params.get("step"))
    return bool(st.session_state[PRESENT_KEY])


def tour_index() -> int:
    return int(st.session_state.get(STEP_KEY, 0))


def _go(index: int, lang: str) -> None:
    """Open tour step `index` (0-based) on its page, with its view parameters."""
    index = tour.clamp(index + 1)
    step = tour.STEPS[index]
    st.session_state[STEP_KEY] = index
    params = {"lang": lang, "present": "1", "step": str(index + 1), **step.params}
    st.session_state.pop("_url_building", None)
    st.switch_page(f"pages/{step.page or 'overview'}.py", query_params=params)


def tour_bar(lang: str) -> None:
    """The presenter's bar: step n of 8, its title and script line, Back / Next / Exit."""
    index = tour_index()
    step = tour.STEPS[index]
    with st.container(border=True):
        text, back, forward, leave = st.columns([7, 1, 1, 1], vertical_alignment="center")
        text.markdown(
            f"**{t('tour.step_of', lang, n=index + 1, total=len(tour.STEPS))} · "
            f"{t(f'tour.{step.key}.title', lang)}**  \n{t(f'tour.{step.key}.script', lang)}"
        )
        if back.button(t("tour.back", lang), disabled=index == 0, use_container_width=True):
            _go(index - 1, lang)
        if forward.button(
            t("tour.next", lang),
            disabled=index == len(tour.STEPS) - 1,
            type="primary",
            use_container_width=True,
        ):
            _go(index + 1, lang)
        if leave.button(t("tour.exit", lang), use_container_width=True):
            st.session_state[PRESENT_KEY] = False
            st.rerun()


def start_tour(lang: str) -> None:
    st.session_state[PRESENT_KEY] = True
    _go(0, lang)


def share_link() -> str:
    """The absolute address of exactly this view (page, language, filters, selection)."""
    base = (st.context.url or "").split("?")[0]
    query = urlencode(st.query_params.to_dict())
    return f"{base}?{query}" if query else base


SHARE_KEY = "share_link"


def share_field(lang: str) -> None:
    """The link to this view in a text field, ready to select and copy.

    A text field, not `st.code`: the code block's highlighter is a 1.5 MB script that every
    first visit would have to load before the map (about 250 ms on our 2-core machine).
    """
    st.session_state[SHARE_KEY] = share_link()
    st.text_input(t("share.title", lang), key=SHARE_KEY, label_visibility="collapsed")


STAFF_KEY = "staff_who"


def staff_password() -> str | None:
    """The staff password from SHAHU_ADMIN_PASSWORD or st.secrets; None when neither is set."""
    try:
        secret = st.secrets.get(auth.SECRET_NAME)
    except Exception:  # no secrets file (or an unreadable one) just means "not configured"
        secret = None
    return auth.configured_password(os.environ, secret)


def _sign_in() -> None:
    ss = st.session_state
    given, ss["staff_pw"] = ss.get("staff_pw", ""), ""
    if auth.password_ok(given, staff_password()):
        ss[STAFF_KEY] = importer.clean_who(ss.get("staff_name"))
    else:
        ss["staff_denied"] = True


def _sign_out() -> None:
    st.session_state.pop(STAFF_KEY, None)


def staff_who() -> str | None:
    """The signed-in staff member allowed to write, or None (always None with no password set)."""
    return st.session_state.get(STAFF_KEY) if staff_password() else None


def staff_panel(lang: str) -> str | None:
    """The sign-in form, or who is signed in; returns the name allowed to write, else None."""
    if staff_password() is None:
        st.info(t("staff.read_only", lang), icon=":material/lock:")
        return None
    who = staff_who()
    if who:
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.success(t("staff.signed_in", lang, who=md(who)), icon=":material/verified_user:")
        right.button(t("staff.sign_out", lang), on_click=_sign_out, width="stretch")
        return who
    with st.form("staff_sign_in"):
        st.markdown(f"**{t('staff.sign_in', lang)}**")
        st.text_input(t("staff.name", lang), key="staff_name", max_chars=40)
        st.text_input(t("staff.password", lang), key="staff_pw", type="password")
        st.form_submit_button(t("staff.sign_in_button", lang), on_click=_sign_in, type="primary")
    if st.session_state.pop("staff_denied", False):
        st.error(t("staff.wrong_password", lang))
    st.caption(t("staff.preview_only", lang))
    return None


FLASH_KEY, ROUND_KEY = "staff_flash", "staff_round"


def staff_write(action: Callable[..., importer.Outcome], lang: str, *args, **kwargs) -> None:
    """Button callback: check the sign-in again, import or restore, keep the outcome to show.

    A successful write starts a new round, which gives the page's upload field a new key (empty).
    """
    if (who := staff_who()) is not None:
        outcome = action(*args, who, **kwargs)
        problems = outcome.plan.problems if outcome.plan else []
        st.session_state[FLASH_KEY] = (outcome.ok, outcome.message(lang), problems)
        st.session_state[ROUND_KEY] = staff_round() + outcome.ok


def staff_round() -> int:
    return st.session_state.get(ROUND_KEY, 0)


def staff_flash() -> tuple[bool, str, list] | None:
    """The last write's (ok, message, problems), once."""
    return st.session_state.pop(FLASH_KEY, None)


_UPLOADER_STYLE = """<style>
[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
  content: %s; font-size: 14px; }
</style>"""


def file_uploader(label: str, lang: str, **kwargs):
    """`st.file_uploader` in the visitor's language.

    Streamlit's own button text ("Upload") and size note ("5MB per file • CSV, XLSX") are English
    only: the button is relabelled from the catalogue and the note, which our label already
    states, is hidden.
    """
    st.html(_UPLOADER_STYLE % json.dumps(t("staff.upload_button", lang), ensure_ascii=False))
    return st.file_uploader(label, **kwargs)
