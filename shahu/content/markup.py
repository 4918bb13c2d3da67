"""The one place that builds markup: HTML for the page and the map's popups, on markupsafe.

Every value that reaches HTML goes through `html()` (escaped unless already `Markup`), JSON for a
`<script>` through `script_json`, text for Streamlit markdown through `md`; nothing else escapes.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import markupsafe

from shahu.core.formatting import cny_100m
from shahu.core.i18n import t
from shahu.core.labels import lang_col, localized, provenance_label
from shahu.core.palette import BUILDING_COLOR, PROVENANCE_COLORS, SECTOR_COLORS, SELECTED_COLOR
from shahu.data.schemas import Institution, Project

if TYPE_CHECKING:
    from shahu.content.building_card import Card
    from shahu.content.tables import ProductTile
    from shahu.data.metrics import Kpi


class Markup(markupsafe.Markup):
    """HTML we made, every data string in it escaped. `st.html` takes it as it is through
    `_repr_html_` (a plain string it first looks up on the file system)."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)


def escape(value: object) -> Markup:
    """`value` as HTML text (`Markup` passes through unchanged)."""
    return Markup.escape(value)


def html(template: str, /, **values: object) -> Markup:
    """`template` (our own markup, never data) with each `{name}` filled by `values`, escaped."""
    return Markup(template).format(**values)


def join(parts: Iterable[object], separator: str = "") -> Markup:
    """`parts` one after another, each escaped unless already `Markup`."""
    return Markup(separator).join(parts)


def script_json(value: object) -> Markup:
    """`value` as JSON to put inside a `<script>`: the `</` guard (and `<!--`), so no string in it
    can close the script or open a comment; the rest stays as written (popups are HTML)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("</", "<\\/").replace("<!--", "<\\u0021--"))


def unescape(text: object) -> str:
    """HTML text (plotly's labels) back to the plain text it shows."""
    return markupsafe.Markup(str(text)).unescape()


def markdown_args(body: Markup) -> dict[str, object]:
    """`st.markdown`'s arguments to show `body`, HTML we made, as HTML: the one place that lets
    markdown take HTML, and only from `Markup`."""
    if not isinstance(body, Markup):
        raise TypeError(f"markdown takes HTML only as Markup, got {type(body).__name__}")
    return {"body": str(body), "unsafe_allow_html": True}


# ── CSS ─────────────────────────────────────────────────────────────────────────────────────


def css_string(text: object) -> Markup:
    """`text` as a quoted CSS string; every character but ASCII letters, digits and spaces is a
    hex escape, so nothing in it can end the string, the rule or the `<style>` element."""
    body = "".join(
        c if c == " " or (c.isascii() and c.isalnum()) else f"\\{ord(c):x} " for c in str(text)
    )
    return Markup(f'"{body}"')


def stylesheet(path: Path) -> Markup:
    """One of our stylesheets as a `<style>` element, read once per change of the file (one
    `stat` a call; docs/PERFORMANCE.md item 12)."""
    info = path.stat()
    return _style_tag(path, info.st_mtime_ns, info.st_size)


@functools.lru_cache(maxsize=8)
def _style_tag(path: Path, mtime_ns: int, size: int) -> Markup:
    return html("<style>{css}</style>", css=Markup(path.read_text(encoding="utf-8")))


# ── Streamlit markdown ──────────────────────────────────────────────────────────────────────

_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>!|~$])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])", re.MULTILINE)
# GitHub-flavoured markdown turns bare `http://…`, `www.…` and `a@b.c` into links, after
# escapes are resolved (so a backslash does not stop it, and the escapes inside such a link
# show, `\_`). An invisible word joiner before the `:`, `.` or `@` that makes one a link
# leaves text that reads the same and links nowhere (after any `www`: the parser also links
# `_www.…`, where `_` counts as part of a word).
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(?=://)|(?<=www)(?=\.)|(?=@)")
# Streamlit markdown also draws `:material/name:` icons and `:name:` emoji: a word joiner after
# the first colon keeps them text.
_SHORTCODE = re.compile(r":(?=[\w/+\\-]+:)")
WORD_JOINER = "\u2060"


def md(text: object) -> str:
    """Data shown through Streamlit markdown stays literal text: no links (not even bare URLs),
    images, HTML, math, icons or emoji."""
    escaped = _MARKDOWN_INLINE.sub(r"\\\1", str(text))
    escaped = _AUTOLINK.sub(WORD_JOINER, escaped)
    escaped = _SHORTCODE.sub(":" + WORD_JOINER, escaped)

    def defuse(m: re.Match) -> str:
        mark = m.group(2)
        return m.group(1) + (mark[:-1] + "\\" + mark[-1] if mark[0].isdigit() else "\\" + mark)

    return _MARKDOWN_LINE_START.sub(defuse, escaped)


_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")


def md_bold(text: object) -> str:
    """Data text for Streamlit markdown with its `**bold**` kept, all else literal (`md`), on one
    line: the markdown subset a story point may use."""
    line, at, out = " ".join(str(text).split()), 0, []
    for bold in _BOLD.finditer(line):
        out += [md(line[at : bold.start()]), f"**{md(bold[1])}**"]
        at = bold.end()
    return "".join([*out, md(line[at:])])


# ── Headline figures and cards: one element each (docs/PERFORMANCE.md item 23) ──────────────

MAX_PER_ROW = 4


def figures_grid(
    kpis: Sequence[Kpi], key: str, per_row: int = MAX_PER_ROW, note: str = ""
) -> Markup:
    """Headline figures (label, value, the source under it), `per_row` (1–4) to a row, and a
    `note` under them; `key` names the block (`data-figures`). app.css lays them out."""
    if not 1 <= per_row <= MAX_PER_ROW:
        raise ValueError(f"per_row must be 1 to {MAX_PER_ROW}, got {per_row!r}")
    figures = join(
        html(
            '<div class="shahu-kpi" role="listitem"><p class="shahu-kpi-label">{label}</p>'
            '<p class="shahu-kpi-value">{value}</p>{source}</div>',
            label=k.label,
            value=k.value,
            source=html('<p class="shahu-kpi-source">{help}</p>', help=k.help) if k.help else "",
        )
        for k in kpis
    )
    block = (
        html(
            '<div class="shahu-kpis shahu-kpis-{per_row}" data-figures="{key}" role="list">'
            "{figures}</div>",
            per_row=per_row,
            key=key,
            figures=figures,
        )
        if kpis
        else ""
    )
    return join([block, html('<p class="shahu-kpis-note">{note}</p>', note=note) if note else ""])


@dataclass(frozen=True)
class Section:
    """A titled part of a sector card: a list (or `empty` when it has no item), a paragraph, a note."""

    title: str = ""
    items: tuple[str, ...] = ()
    empty: str = ""
    text: str = ""
    note: str = ""  # in italics


def sector_summary(
    heading: str, text: str, kpis: Sequence[Kpi], key: str, sections: Iterable[Section] = ()
) -> Markup:
    """A sector's card: heading, its line of text, its figures side by side, then its sections
    (app.css draws it bordered in a `_cardsN` grid)."""
    per_row = min(max(len(kpis), 1), MAX_PER_ROW)
    parts = [html("<h3>{heading}</h3><p>{text}</p>", heading=heading, text=text)]
    parts.append(figures_grid(kpis, key, per_row))
    for s in sections:
        if s.title:
            parts.append(html("<p><strong>{title}</strong></p>", title=s.title))
        if s.items:
            items = join(html("<li>{item}</li>", item=i) for i in s.items)
            parts.append(html("<ul>{items}</ul>", items=items))
        elif s.empty:
            parts.append(html("<p>{empty}</p>", empty=s.empty))
        if s.text:
            parts.append(html("<p>{text}</p>", text=s.text))
        if s.note:
            parts.append(html("<p><em>{note}</em></p>", note=s.note))
    return html('<div class="shahu-card">{parts}</div>', parts=join(parts))


def product_grid(cards: Sequence[ProductTile], lang: str) -> Markup:
    """The finance product tiles, three to a row (one on a phone): name, provenance badge, kind
    and launch, description, then provider, scale and source in small type."""
    out = [
        html(
            '<div class="shahu-card"><h4>{title}</h4><p><span class="shahu-badge '
            'shahu-badge-{colour}">{badge}</span></p><p class="shahu-small">{meta}</p>'
            "{body}{details}</div>",
            title=c.title,
            colour=PROVENANCE_COLORS[c.provenance],
            badge=provenance_label(c.provenance, lang),
            meta=c.meta,
            body=html("<p>{body}</p>", body=c.body) if c.body else "",
            details=join(html('<p class="shahu-small">{line}</p>', line=d) for d in c.details),
        )
        for c in cards
    ]
    return html('<div class="shahu-cards shahu-cards-3">{cards}</div>', cards=join(out))


# The map: popups, tooltips and the legend

# folium puts popups and tooltips inside JS template literals (`…`), where these three still act.
_TEMPLATE_LITERAL = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def for_template_literal(text: object) -> Markup:
    """`text` as HTML (escaped unless `Markup`) with backtick, `$` and backslash as character
    references, so a JS template literal holding it takes it as plain text."""
    return Markup(str(escape(text)).translate(_TEMPLATE_LITERAL))


def _map_html(template: str, /, **values: object) -> Markup:
    """`html()` for the map: every value also safe inside a template literal."""
    return html(template, **{k: for_template_literal(v) for k, v in values.items()})


def building_popup(card: Card, lang: str) -> Markup:
    """A building's popup: its card's name, role, firms, growth, project count and source."""
    rows = [
        _map_html("<div>{role}</div>", role=card.role) if card.role else "",
        _map_html(
            "<div><b>{label}</b>: {firms}</div>", label=t("card.firms", lang), firms=card.firms
        )
        if card.firms
        else "",
        _map_html("<div>{growth}</div>", growth=card.growth) if card.growth else "",
        _map_html(
            "<div><b>{label}</b>: {n}</div>", label=t("card.projects", lang), n=len(card.projects)
        )
        if card.projects
        else "",
    ]
    return _map_html(
        "<div class='shahu-card'><h4>{name}</h4>{rows}<div class='muted'>{accuracy_label}: "
        "{accuracy} · {provenance}<br>{source_label}: {source}</div></div>",
        name=card.name,
        rows=join(rows),
        accuracy_label=t("card.accuracy_label", lang),
        accuracy=card.accuracy,
        provenance=card.provenance,
        source_label=t("card.source", lang),
        source=card.source,
    )


def project_popup(row: dict, lang: str) -> Markup:
    """A project's popup (a row of projects.csv): name, sector, amount, status, provenance, source."""
    return _map_html(
        "<div class='shahu-card'><h4>{name}</h4>"
        "<div><b>{sector_label}</b>: {sector}</div>"
        "<div><b>{amount_label}</b>: {amount}</div>"
        "<div><b>{status_label}</b>: {status}</div>"
        "<div class='muted'>{provenance} · {source}</div></div>",
        name=str(row[lang_col("name", lang)]),
        sector_label=t("card.sector", lang),
        sector=t("sector." + row[Project.sector], lang),
        amount_label=t("card.amount", lang),
        amount=cny_100m(row[Project.amount_cny_100m], lang),
        status_label=t("card.status", lang),
        status=t("status." + row[Project.status], lang),
        provenance=provenance_label(row[Project.provenance], lang),
        source=localized(row, Project.source, lang),
    )


def institution_popup(row: dict, lang: str) -> Markup:
    """An institution's popup (a row of institutions.csv): name, category, provenance, source."""
    return _map_html(
        "<div class='shahu-card'><h4>{name}</h4>"
        "<div><b>{category_label}</b>: {category}</div>"
        "<div class='muted'>{provenance} · {source}</div></div>",
        name=str(row[lang_col("name", lang)]),
        category_label=t("card.category", lang),
        category=t("category." + row[Institution.category], lang),
        provenance=provenance_label(row[Institution.provenance], lang),
        source=localized(row, Institution.source, lang),
    )


def feature_tooltip(name: object, note: object = "") -> Markup:
    """A belt, lake or road tooltip: its name in bold, and its note under it when it has one."""
    return _map_html(
        "<b>{name}</b>{note}", name=name, note=_map_html("<br>{note}", note=note) if note else ""
    )


def water_label(name: object, area: str = "") -> Markup:
    """The lake's name written on it, with its area (e.g. "3.08 km²") in small type under it."""
    return _map_html(
        '<div class="shahu-water">{name}{area}</div>',
        name=name,
        area=_map_html("<small>{area}</small>", area=area) if area else "",
    )


def map_legend(
    lang: str, compact: bool, samples: bool = False, *, belt_color: str, sample_color: str
) -> Markup:
    """The legend's rows under its title, in the colours the layers are drawn in (grey samples
    and their dashed clusters too, when drawn)."""

    def row(style: str, label: str, kind: str = "") -> Markup:
        template = {
            "": "<div><i style='{style}'></i>{label}</div>",
            "sq": "<div><i class='sq' style='{style}'></i>{label}</div>",
            "samples": "<div class='samples'><i style='{style}'></i><b>{label}</b></div>",
        }[kind]
        return _map_html(template, style=style, label=t(label, lang))

    rows = [
        _map_html("<summary><b>{title}</b></summary>", title=t("map.legend.title", lang)),
        row(f"background:{BUILDING_COLOR}", "map.legend.building"),
    ]
    if not compact:
        rows.append(row(f"background:{SELECTED_COLOR}", "map.legend.selected"))
        for sector in ("carbon_finance", "carbon_tech", "carbon_industry"):
            rows.append(row(f"background:{SECTOR_COLORS[sector]}", "sector." + sector))
        ring = "border:2px solid #4d4d4d;box-sizing:border-box;background:#fff"
        rows.append(row(ring, "map.legend.cluster"))
        if samples:
            rows.append(row(f"background:{sample_color}", "truth.map_samples", "samples"))
            hatched = (
                "border:2px dashed #222;box-sizing:border-box;"
                "background:repeating-linear-gradient(135deg,#555 0 3px,#8c8c8c 3px 6px)"
            )
            rows.append(row(hatched, "polish.legend_sample_cluster", "samples"))
    rows.append(
        row(f"border:2px dashed {belt_color};background:transparent", "map.legend.belt", "sq")
    )
    rows.append(row("background:#9cc9e8", "map.legend.lake", "sq"))
    return join(rows)
