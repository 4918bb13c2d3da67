"""The app's pages, written once: navigation, the tour, links and the benchmark all read this table."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode


@dataclass(frozen=True)
class Page:
    """One page: its key (also its URL path; "" for the overview at "/"), file, title key, icon.
    `sections` are its parts, drawn as tabs: `?section=` opens one, else the first opens, or
    `filtered_section` while the visitor's filters are on."""

    key: str
    file: str
    title_key: str
    icon: str
    staff: bool = False
    sections: tuple[str, ...] = ()
    filtered_section: str | None = None  # the part a filter change brings into view

    @property
    def url(self) -> str:
        return f"/{self.key}"

    def href(self, params: dict[str, str] | None = None) -> str:
        """A relative link to this page with `params` in the query string."""
        return f"{self.url}?{urlencode(params)}" if params else self.url


PAGES: tuple[Page, ...] = (
    Page("", "pages/overview.py", "nav.overview", ":material/dashboard:"),
    Page("map", "pages/map.py", "nav.map", ":material/map:"),
    Page(
        "signings",
        "pages/signings.py",
        "nav.signings",
        ":material/handshake:",
        sections=("glance", "table", "charts"),
        filtered_section="table",
    ),
    Page(
        "sectors",
        "pages/sectors.py",
        "nav.sectors",
        ":material/donut_large:",
        sections=("sectors", "projects"),
    ),
    Page(
        "finance",
        "pages/finance.py",
        "nav.finance",
        ":material/savings:",
        sections=("products", "market", "calculator", "institutions"),
    ),
    Page("updates", "pages/updates.py", "nav.updates", ":material/update:"),
    Page("data", "pages/data.py", "nav.data", ":material/upload_file:", staff=True),
)
BY_KEY = {page.key: page for page in PAGES}
FILTERED = frozenset({"signings", "map"})  # pages that list projects share the sidebar filters


def page(key: str) -> Page:
    """The page for `key` ("" or "overview" is the overview)."""
    return BY_KEY["" if key == "overview" else key]


def tabs() -> tuple[tuple[Page, str | None], ...]:
    """Every (page, tab) a visitor can open, in order; a page without tabs once, with None."""
    return tuple((p, part) for p in PAGES for part in p.sections or (None,))
