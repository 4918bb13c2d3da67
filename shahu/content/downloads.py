"""What an investor takes home: a one-page brief, a printable HTML page built through `markup`
(every data string escaped), in the visitor's language, with every figure's source (the map file
is `shahu.map.download`)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from shahu.content import events
from shahu.content.markup import Markup, html, join
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

    From the dataset the visitor sees (`samples.visible`): with sample rows in it, a banner says so.
    """
    today = today or date.today()
    name = lang_col("name", lang)
    event = events.newest(ds["events"])  # the newest reported: its line, figures and signings
    marked = any(uses_samples(frame) for frame in ds.tables.values())
    kpis = join(
        html(
            "<div class='kpi'><div class='v'>{value}</div><div class='l'>{label}</div>"
            "<div class='s'>{help}</div></div>",
            value=k.value,
            label=k.label,
            help=k.help,
        )
        for k in events.kpis(event, lang) + tuple(headline(ds["metrics"], lang))
    )
    products = []
    for row in ds["finance_products"].to_dict("records"):
        launched = row[FinanceProduct.launched_on]
        products.append(
            html(
                "<li><b>{name}</b> — {kind}{when} <span class='s'>({prov}; {source})</span></li>",
                name=row[name],
                kind=t("kind." + row[FinanceProduct.kind], lang),
                when=html(" · {date}", date=date_label(launched, lang)) if launched else "",
                prov=provenance_label(row[FinanceProduct.provenance], lang),
                source=localized(row, FinanceProduct.source, lang),
            )
        )
    sources = sorted(
        {
            localized(row, "source", lang)
            for table in ("events", "metrics", "market", "projects", "finance_products")
            for row in ds.tables.get(table, ds["metrics"].iloc[0:0]).to_dict("records")
        }
    )
    signings = events.glance(ds, lang).summary
    suffix = t("truth.title_suffix", lang) if uses_samples(ds["projects"]) else ""
    banner = html("<p class='samples'>{text}</p>", text=t("truth.banner", lang)) if marked else ""
    return str(
        html(
            "<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title>"
            "<style>{css}</style></head><body>{banner}<h1>{title}</h1><p class='lede'>{lede}</p>"
            "<h2>{figures}</h2><div class='kpis'>{kpis}</div><h2>{sectors}</h2><p>{signings}</p>"
            "{table}<h2>{products_title}</h2><ul>{products}</ul><h2>{sources_title}</h2>"
            "<ul>{sources}</ul><p class='note'>{provenance}</p><p class='note'>{generated}</p>"
            "</body></html>",
            lang="en" if lang == "en" else "zh-CN",
            title=t("brief.title", lang),
            css=Markup(_BRIEF_CSS),
            banner=banner,
            lede=events.lede(event, lang),
            figures=t("brief.figures", lang),
            kpis=kpis,
            sectors=t("brief.sectors", lang) + suffix,
            signings=signings,
            table=_sector_table(ds["projects"], lang),
            products_title=t("brief.products", lang),
            products=join(products),
            sources_title=t("brief.sources", lang),
            sources=join(html("<li>{source}</li>", source=s) for s in sources),
            provenance=t("app.provenance_note", lang),
            generated=t("brief.generated", lang, date=date_label(today.isoformat(), lang)),
        )
    )


def _sector_table(projects: pd.DataFrame, lang: str) -> Markup:
    keys = ("card.sector", "brief.projects", "brief.disclosed", "brief.undisclosed")
    head = join(html("<th>{label}</th>", label=t(k, lang)) for k in (*keys, "truth.named_col"))
    rows = []
    for sector in SECTORS:
        part = projects[projects[Project.sector] == sector]
        amounts = part[Project.amount_cny_100m]
        disclosed = amounts.notna().any()
        total = cny_100m(float(amounts.sum()), lang) if disclosed else t("fmt.undisclosed", lang)
        rows.append(
            html(
                "<tr><td>{sector}</td><td>{count}</td><td>{total}</td><td>{undisclosed}</td>"
                "<td>{named}</td></tr>",
                sector=t("sector." + sector, lang),
                count=len(part),
                total=total,
                undisclosed=int(amounts.isna().sum()),
                named=len(aggregates.reported(part)),
            )
        )
    return html(
        "<table><tr>{head}</tr>{rows}</table><p class='s'>{note}</p>",
        head=head,
        rows=join(rows),
        note=t("brief.amount_note", lang),
    )


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
