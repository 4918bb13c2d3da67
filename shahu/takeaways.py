"""Things an investor takes home: the map as one offline HTML file, and a one-page brief.

The map file inlines Leaflet, its plugins, their stylesheets and images, so it opens in any
browser with no internet and no server. The brief is a printable HTML page built only from
escaped data, in the visitor's language, with every figure's source.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from datetime import date
from html import escape
from pathlib import Path

import pandas as pd

from shahu import assets
from shahu.data import Dataset
from shahu.formatting import cny_100m, date_label
from shahu.i18n import t
from shahu.labels import lang_col, provenance_label
from shahu.metrics import headline
from shahu.schemas import SECTORS, FinanceProduct, Metric, Project

_VENDOR_URL = re.compile(re.escape(assets.URL_PREFIX) + r"/([\w./-]+)")
_SCRIPT_TAG = re.compile(r'<script src="(' + re.escape(assets.URL_PREFIX) + r'/[^"]+)"></script>')
_LINK_TAG = re.compile(
    r'<link rel="stylesheet" href="(' + re.escape(assets.URL_PREFIX) + r'/[^"]+)"/>'
)
_CSS_URL = re.compile(r"url\(['\"]?(?!data:|#)([^'\")]+)['\"]?\)")


def _vendor_path(url: str) -> Path:
    rel = url[len(assets.URL_PREFIX) + 1 :]
    path = (assets.VENDOR_DIR / rel).resolve()
    if assets.VENDOR_DIR.resolve() not in path.parents:
        raise ValueError(f"not a vendored asset: {url}")
    return path


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def _inline_css(path: Path) -> str:
    css = path.read_text(encoding="utf-8")

    def embed(match: re.Match) -> str:
        target = (path.parent / match.group(1)).resolve()
        return f"url({_data_uri(target)})" if target.is_file() else match.group(0)

    return _CSS_URL.sub(embed, css)


def inline_assets(html: str) -> str:
    """Replace every link to a vendored script or stylesheet by its content."""

    def script(match: re.Match) -> str:
        code = _vendor_path(match.group(1)).read_text(encoding="utf-8")
        return "<script>" + code.replace("</script", "<\\/script") + "</script>"

    def style(match: re.Match) -> str:
        return "<style>" + _inline_css(_vendor_path(match.group(1))) + "</style>"

    html = _SCRIPT_TAG.sub(script, html)
    html = _LINK_TAG.sub(style, html)
    if _VENDOR_URL.search(html):
        raise ValueError("a vendored asset is still linked, not inlined")
    return html


def map_html(m) -> str:
    """A folium map as one self-contained HTML document (no server, no internet)."""
    return inline_assets(m.get_root().render())


def brief_html(ds: Dataset, lang: str, today: date | None = None) -> str:
    """The one-page investor brief: headline figures, sectors, finance products, sources."""
    e = escape
    today = today or date.today()
    kpis = headline(ds["metrics"], lang)
    name = lang_col("name", lang)
    parts = [
        f"<!doctype html><html lang='{'en' if lang == 'en' else 'zh-CN'}'><head><meta charset='utf-8'>",
        f"<title>{e(t('brief.title', lang))}</title><style>{_BRIEF_CSS}</style></head><body>",
        f"<h1>{e(t('brief.title', lang))}</h1>",
        f"<p class='lede'>{e(t('overview.lede', lang))}</p>",
        f"<h2>{e(t('brief.figures', lang))}</h2><div class='kpis'>",
    ]
    for kpi in kpis:
        parts.append(
            f"<div class='kpi'><div class='v'>{e(kpi.value)}</div><div class='l'>{e(kpi.label)}</div>"
            f"<div class='s'>{e(kpi.help)}</div></div>"
        )
    parts.append(f"</div><h2>{e(t('brief.sectors', lang))}</h2>")
    parts.append(_sector_table(ds["projects"], lang))
    parts.append(f"<h2>{e(t('brief.products', lang))}</h2><ul>")
    for row in ds["finance_products"].to_dict("records"):
        launched = row[FinanceProduct.launched_on]
        when = f" · {e(date_label(launched, lang))}" if launched else ""
        prov = provenance_label(row[FinanceProduct.provenance], lang)
        parts.append(
            f"<li><b>{e(row[name])}</b> — {e(t('kind.' + row[FinanceProduct.kind], lang))}"
            f"{when} <span class='s'>({e(prov)}; {e(row[FinanceProduct.source])})</span></li>"
        )
    parts.append(f"</ul><h2>{e(t('brief.sources', lang))}</h2><ul>")
    sources = sorted(
        set(ds["metrics"][Metric.source])
        | set(ds["projects"][Project.source])
        | set(ds["finance_products"][FinanceProduct.source])
    )
    parts += [f"<li>{e(s)}</li>" for s in sources]
    parts.append(
        f"</ul><p class='note'>{e(t('app.provenance_note', lang))}</p>"
        f"<p class='note'>{e(t('brief.generated', lang, date=date_label(today.isoformat(), lang)))}</p>"
        "</body></html>"
    )
    return "".join(parts)


def _sector_table(projects: pd.DataFrame, lang: str) -> str:
    e = escape
    head = "".join(
        f"<th>{e(t(k, lang))}</th>"
        for k in ("card.sector", "brief.projects", "brief.disclosed", "brief.undisclosed")
    )
    rows = []
    for sector in SECTORS:
        part = projects[projects[Project.sector] == sector]
        amounts = part[Project.amount_cny_100m]
        disclosed = amounts.notna().any()
        total = cny_100m(float(amounts.sum()), lang) if disclosed else t("fmt.undisclosed", lang)
        rows.append(
            f"<tr><td>{e(t('sector.' + sector, lang))}</td><td>{len(part)}</td>"
            f"<td>{e(total)}</td>"
            f"<td>{int(amounts.isna().sum())}</td></tr>"
        )
    return f"<table><tr>{head}</tr>{''.join(rows)}</table><p class='s'>{e(t('brief.amount_note', lang))}</p>"


_BRIEF_CSS = """
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; max-width: 820px;
  margin: 24px auto; padding: 0 16px; color: #1f2937; line-height: 1.5; }
h1 { color: #14532d; margin-bottom: 4px; } h2 { color: #14532d; border-bottom: 2px solid #d1fae5; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 10px; }
.kpi { border: 1px solid #d1d5db; border-radius: 8px; padding: 8px 10px; }
.kpi .v { font-size: 1.4rem; font-weight: 700; color: #14532d; } .kpi .l { font-size: .9rem; }
.s, .note { color: #6b7280; font-size: .8rem; } table { border-collapse: collapse; width: 100%; }
td, th { border: 1px solid #d1d5db; padding: 4px 8px; text-align: left; }
@media print { body { margin: 0; } h2 { break-after: avoid; } }
"""
