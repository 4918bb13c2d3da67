"""Helpers that several test modules share: the app in AppTest, and data folders to compare and edit."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from streamlit.proto.Block_pb2 import Block as BlockProto
from streamlit.testing.v1 import AppTest

from shahu.content.markup import WORD_JOINER
from shahu.core import sitemap
from shahu.core.i18n import CATALOGUE, t
from shahu.core.paths import DEFAULT_DATA_DIR, ROOT
from shahu.data.schemas import TABLES
from shahu.ui import filters as ui_filters
from shahu.ui import share as ui_share
from tests.accounts import ACCOUNTS, PASSWORD

RAW_KEY = re.compile(r"^[a-z_]+(\.[a-z_0-9]+)+$")

# The one list of pages, the sitemap's, each named by its file (None: the overview, the default
# page at "/", which a fresh AppTest opens without switching).
PAGES = [p.file if p.key else None for p in sitemap.PAGES]
PUBLIC_PAGES = [p.file if p.key else None for p in sitemap.PAGES if not p.staff]  # not staff's
TABBED_PAGES = [p.file for p in sitemap.PAGES if p.sections]  # signings, sectors, finance
DATA_PAGE = sitemap.page("data").file


def fresh_app(page: str | None = None, timeout: float = 60) -> AppTest:
    """app.py in AppTest, not yet run, set to open on `page` (a file such as "pages/map.py"):
    its first run draws that page, as a link to it does, without a run of the overview first.

    Before a first run AppTest finds a page by its file name: that is the page's URL key here
    (tests/unit/test_navigation.py checks it)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if page:
        at.switch_page(page)
    return at


def run_page(
    page: str | None = None, lang: str = "zh", timeout: float = 60, part: str | None = None
) -> AppTest:
    """app.py with `page` (e.g. "pages/map.py") selected and the language set as by `?lang=`;
    `part`: on that tab of the page, as by `?section=`. One run of app.py."""
    at = fresh_app(page, timeout)
    at.query_params["lang"] = lang
    if page and part:
        at.query_params["section"] = part
    return at.run()


def parts(page: str | None) -> tuple[str | None, ...]:
    """The tabs a visitor can open on `page` (a file such as "pages/finance.py"; None: the
    overview), or `(None,)` for a page without tabs: a walk over a page walks each of them."""
    return tuple(
        part for p, part in sitemap.tabs() if p.file == page or (page is None and not p.key)
    )


def page_parts(pages) -> list[tuple[str | None, str | None]]:
    """(page, tab) for every tab of every page in `pages`."""
    return [(page, part) for page in pages for part in parts(page)]


def tab_container(at: AppTest) -> BlockProto.TabContainer | None:
    """The page's tab strip as sent to the browser (None: the page draws no tabs)."""
    nodes = [at.main]
    while nodes:
        node = nodes.pop()
        proto = getattr(node, "proto", None)
        if isinstance(proto, BlockProto) and proto.WhichOneof("type") == "tab_container":
            return proto.tab_container
        nodes.extend(getattr(node, "children", {}).values())
    return None


def open_tab(at: AppTest) -> str | None:
    """The label of the tab the page shows open (None: the page draws no tabs)."""
    strip = tab_container(at)
    return None if strip is None else at.tabs[strip.default_tab_index].label


def open_part(at: AppTest, part: str) -> AppTest:
    """Bring tab `part` of the page into view, as a link naming it does (`?section=`)."""
    at.query_params["section"] = part
    return at.run()


@dataclass
class Figure:
    """One headline figure as a visitor reads it (`markup.figures_grid`): label, value, source line."""

    label: str = ""
    value: str = ""
    source: str = ""
    block: str = ""  # the block's `data-figures` key


class _FigureParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.figures: list[Figure] = []
        self.block, self.part = "", None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if "shahu-kpis" in classes:
            self.block = attrs.get("data-figures", "")
        if "shahu-kpi" in classes:
            self.figures.append(Figure(block=self.block))
        for part in ("label", "value", "source"):
            if f"shahu-kpi-{part}" in classes:
                self.part = part

    def handle_endtag(self, tag):
        self.part = None

    def handle_data(self, data):
        if self.part and self.figures:
            one = self.figures[-1]
            setattr(one, self.part, getattr(one, self.part) + data)


def figures(at: AppTest, block: str | None = None) -> list[Figure]:
    """The headline figures on the page (every block, or the one named `block`), in order."""
    parser = _FigureParser()
    for el in at.get("html"):
        if "shahu-kpis" in el.proto.body:
            parser.feed(el.proto.body)
    return [f for f in parser.figures if block is None or f.block == block]


def visible_texts(at: AppTest) -> list[str]:
    """Every text a visitor reads: headings, markdown, captions, labels, metric values, alerts."""
    texts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "text",
    ):
        texts += [str(e.value) for e in getattr(at, kind)]
    for kind in (
        "selectbox",
        "multiselect",
        "radio",
        "text_input",
        "slider",
        "number_input",
        "toggle",
        "checkbox",
        "button",
    ):
        texts += [str(e.label) for e in getattr(at, kind)]
    texts += [str(m.label) for m in at.metric] + [str(m.value) for m in at.metric]
    return texts + html_texts(at)


def page_title(at: AppTest) -> str | None:
    """The page's title: the `# ` line of its heading (`blocks.heading`), as shown."""
    for el in at.markdown:
        if el.value.startswith("# "):
            return _shown(el.value.split("\n", 1)[0][2:])
    return None


def page_lede(at: AppTest) -> list[str]:
    """The lines under the page's title (`blocks.heading`), as shown."""
    for el in at.markdown:
        body = el.value.split("\n\n", 1)[1] if el.value.startswith("# ") else el.value
        if body.startswith(":small["):
            return [_shown(line[len(":small[") : -1]) for line in body.split("  \n")]
    return []


def _shown(markdown: str) -> str:
    """Text escaped by `md()` as the page shows it."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(WORD_JOINER, "")


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.texts.append(data.strip())


def card_titles(at: AppTest) -> list[str]:
    """The titles of the finance product cards (`markup.product_grid`) on the page."""
    pattern = re.compile(r'<div class="shahu-card"><h4>(.*?)</h4>')
    return [title for el in at.get("html") for title in pattern.findall(el.proto.body)]


def html_texts(at: AppTest) -> list[str]:
    """The text of every `st.html` element (cards, headline figures), one string per text node."""
    parser = _TextParser()
    for el in at.get("html"):
        parser.feed(el.proto.body)
    return parser.texts


def raw_keys(at: AppTest) -> list[str]:
    """Texts that are catalogue keys shown verbatim (a missing translation)."""
    return [
        text
        for text in visible_texts(at)
        if RAW_KEY.match(text.strip()) or text.strip() in CATALOGUE
    ]


def folium_args(at: AppTest) -> list[dict]:
    """The st_folium component arguments (script, js_links, css_links …) of every map on the page."""
    out = []
    for el in at.get("component_instance"):
        args = getattr(el.proto, "json_args", "")
        if args and "js_links" in args:
            out.append(json.loads(args))
    return out


def strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def untranslated(at) -> list[str]:
    """Catalogue keys shown verbatim anywhere: widgets, charts, tables, the sidebar."""
    texts = list(raw_keys(at))
    for chart in at.get("plotly_chart"):
        texts += list(strings(json.loads(chart.proto.spec)))
    for kind in ("download_button", "tab", "expander"):
        texts += [getattr(el.proto, "label", "") for el in at.get(kind)]
    for group in at.get("button_group"):
        texts += [o.content for o in group.proto.options]
    for frame in at.dataframe:
        texts += [str(c) for c in frame.value.columns]
    return [s for s in texts if RAW_KEY.match(s.strip()) or s.strip() in CATALOGUE]


def assert_clean(at) -> None:
    assert not at.exception, at.exception
    # app.py turns a page's exception into st.error(app.error): that counts as a failure too
    crashed = {t("app.error", lang) for lang in ("zh", "en")}
    assert not crashed & {e.value for e in at.error}, [e.value for e in at.error]


def snapshot(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    """Every file under `folder` (backups and log included) with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in skip
    }


def text(folder: Path, table: str) -> str:
    return (folder / TABLES[table].filename).read_text(encoding="utf-8")


def rows(folder: Path, table: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text(folder, table)))
    return list(reader.fieldnames), list(reader)


def as_csv(header: list[str], records: list[dict[str, str]], newline: str = "\n") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(header)
    writer.writerows([r.get(c, "") for c in header] for r in records)
    return out.getvalue()


def edited(folder: Path, table: str, key: str, column: str, value: str) -> str:
    """The current table as CSV text with one cell changed."""
    header, records = rows(folder, table)
    first = TABLES[table].key[0]
    for r in records:
        if r[first] == key:
            r[column] = value
    return as_csv(header, records)


def qp(at: AppTest, key: str) -> str | None:
    """A query parameter as the browser would show it (AppTest may hold a list)."""
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def open_link(
    page: str, *, share_open: bool = False, filters_open: bool = False, **params: str
) -> AppTest:
    """Like opening `/<page>?params` in a new browser tab; `share_open`, `filters_open`: with
    the sidebar's share or filter panel open (both are drawn only when opened)."""
    at = fresh_app(f"pages/{page}.py" if page else None)
    if share_open:
        at.session_state[ui_share.PANEL_KEY] = True
    if filters_open:
        at.session_state[ui_filters.OPEN_KEY] = True
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def button(at, key: str, lang: str):
    return next(b for b in at.button if b.label == t(key, lang))


def sign_in(at, lang: str = "en", password: str = PASSWORD, name: str = "Amy"):
    at.text_input(key="staff_name").input(name)
    at.text_input(key="staff_pw").input(password)
    return button(at, "staff.sign_in_button", lang).click().run()


def staff_page(lang: str = "en", accounts: dict[str, str] | None = ACCOUNTS):
    """The data page with `accounts` as `[staff.accounts]` in the secrets (None: no secrets)."""
    at = fresh_app(DATA_PAGE)
    at.query_params["lang"] = lang
    if accounts is not None:
        at.secrets["staff"] = {"accounts": accounts}
    return at.run()


def _runtime_state(folder: str, names: list[str]) -> list[str]:
    """What a running app or an import adds to a data folder (backups, log, locks, sign-in
    attempts): dot names, never part of the shipped data, never copied."""
    return [name for name in names if name.startswith(".")]


def copy_data(parent: Path) -> Path:
    """A private copy of the shipped data/ at `parent/data`, for an app, the CLI or a test to read
    and change (through SHAHU_DATA_DIR)."""
    target = parent / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target, ignore=_runtime_state)
    return target


def restore_data(target: Path) -> None:
    """Put a copy made by `copy_data` back as shipped, for the next test on the same server: what
    was added (backups, the import log, locks) goes, changed files are written again."""
    shipped = {
        path.relative_to(DEFAULT_DATA_DIR)
        for path in DEFAULT_DATA_DIR.rglob("*")
        if not any(part.startswith(".") for part in path.relative_to(DEFAULT_DATA_DIR).parts)
    }
    for path in sorted(target.rglob("*"), reverse=True):  # a folder's files before the folder
        if path.relative_to(target) not in shipped:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    for name in sorted(shipped):
        source, copy = DEFAULT_DATA_DIR / name, target / name
        if source.is_dir():
            copy.mkdir(exist_ok=True)
        elif not copy.is_file() or copy.read_bytes() != source.read_bytes():
            shutil.copyfile(source, copy)
