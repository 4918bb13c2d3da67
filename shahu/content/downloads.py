"""What an investor takes home: a one-page brief, a printable HTML page built only from
escaped data, in the visitor's language, with every figure's source (the map file is
`shahu.map.download`)."""

from __future__ import annotations

from datetime import date
from html import escape

import pandas as pd

from shahu.core.formatting import cny_100m, date_label
from shahu.core.i18n import t
from shahu.core.labels import lang_col, localized, provenance_label
from shahu.data import aggregates
from shahu.data.dataset import Dataset
from shahu.data.metrics import headline
from shahu.data.samples import uses_samples
from shahu.data.schemas import SECTORS, FinanceProduct, Project


def brief_html(ds: Dataset, lang: str, today: date | None = None) -> str:
    """The one-page investor brief: headline figures, sectors, finance products, sources.

    Built from the dataset the visitor sees (`samples.visible`): with sample rows in it, the
    brief says so in a banner and its sector table is marked.
    """
    e = escape
    today = today or date.today()
    kpis = headline(ds["metrics"], lang)
    name = lang_col("name", lang)
    marked = any(uses_samples(frame) for frame in ds.tables.values())
    parts = [
        f"<!doctype html><html lang='{'en' if lang == 'en' else 'zh-CN'}'><head><meta charset='utf-8'>",
        f"<title>{e(t('brief.title', lang))}</title><style>{_BRIEF_CSS}</style></head><body>",
        f"<p class='samples'>{e(t('truth.banner', lang))}</p>" if marked else "",
        f"<h1>{e(t('brief.title', lang))}</h1>",
        f"<p class='lede'>{e(t('overview.lede', lang))}</p>",
        f"<h2>{e(t('brief.figures', lang))}</h2><div class='kpis'>",
    ]
    for kpi in kpis:
        parts.append(
            f"<div class='kpi'><div class='v'>{e(kpi.value)}</div><div class='l'>{e(kpi.label)}</div>"
            f"<div class='s'>{e(kpi.help)}</div></div>"
        )
    signings = aggregates.signings(ds["projects"], ds["metrics"])
    suffix = t("truth.title_suffix", lang) if uses_samples(ds["projects"]) else ""
    parts.append(f"</div><h2>{e(t('brief.sectors', lang) + suffix)}</h2>")
    parts.append(f"<p>{e(aggregates.signings_line(signings, lang))}</p>")
    parts.append(_sector_table(ds["projects"], lang))
    parts.append(f"<h2>{e(t('brief.products', lang))}</h2><ul>")
    for row in ds["finance_products"].to_dict("records"):
        launched = row[FinanceProduct.launched_on]
        when = f" · {e(date_label(launched, lang))}" if launched else ""
        prov = provenance_label(row[FinanceProduct.provenance], lang)
        parts.append(
            f"<li><b>{e(row[name])}</b> — {e(t('kind.' + row[FinanceProduct.kind], lang))}"
            f"{when} <span class='s'>({e(prov)}; "
            f"{e(localized(row, FinanceProduct.source, lang))})</span></li>"
        )
    parts.append(f"</ul><h2>{e(t('brief.sources', lang))}</h2><ul>")
    sources = sorted(
        {
            localized(row, "source", lang)
            for table in ("metrics", "market", "projects", "finance_products")
            for row in ds.tables.get(table, ds["metrics"].iloc[0:0]).to_dict("records")
        }
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
    head += f"<th>{e(t('truth.named_col', lang))}</th>"
    rows = []
    for sector in SECTORS:
        part = projects[projects[Project.sector] == sector]
        named = len(aggregates.reported(part))
        amounts = part[Project.amount_cny_100m]
        disclosed = amounts.notna().any()
        total = cny_100m(float(amounts.sum()), lang) if disclosed else t("fmt.undisclosed", lang)
        rows.append(
            f"<tr><td>{e(t('sector.' + sector, lang))}</td><td>{len(part)}</td>"
            f"<td>{e(total)}</td>"
            f"<td>{int(amounts.isna().sum())}</td><td>{named}</td></tr>"
        )
    return f"<table><tr>{head}</tr>{''.join(rows)}</table><p class='s'>{e(t('brief.amount_note', lang))}</p>"


_BRIEF_CSS = """
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; max-width: 820px;
  margin: 24px auto; padding: 0 16px; color: #1f2937; line-height: 1.5; }
h1 { color: #14532d; margin-bottom: 4px; } h2 { color: #14532d; border-bottom: 2px solid #d1fae5; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 10px; }
.kpi { border: 1px solid #d1d5db; border-radius: 8px; padding: 8px 10px; }
.kpi .v { font-size: 1.4rem; font-weight: 700; color: #14532d; } .kpi .l { font-size: .9rem; }
.s, .note { color: #6b7280; font-size: .8rem; }
.samples { background: #fee2e2; border: 2px solid #b91c1c; color: #7f1d1d; padding: 8px 12px;
  font-weight: 700; border-radius: 6px; } table { border-collapse: collapse; width: 100%; }
td, th { border: 1px solid #d1d5db; padding: 4px 8px; text-align: left; }
@media print { body { margin: 0; } h2 { break-after: avoid; } }
"""
