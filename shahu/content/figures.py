"""Headline figures and cards as HTML: a row of figures (label, value, source) is one element, and
so is a card (a sector's, a finance product's).

One element for a row of figures, instead of a container and an `st.metric` each: a first visit
sends every element as a message of its own, and a room of phones opening the page at once pays
for each (issue 14). The source is printed under its figure rather than hidden in a tooltip:
visible on a phone, on paper and to a screen reader, and an estimate is marked where it stands.
Every string is escaped here; app.css lays them out (figures `n` to a row and two on a phone,
product cards three to a row and one on a phone).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from shahu.content.tables import PROVENANCE_COLORS, ProductCard
from shahu.core.labels import provenance_label
from shahu.data.metrics import Kpi

MAX_PER_ROW = 4


def grid(kpis: Sequence[Kpi], key: str, per_row: int = MAX_PER_ROW, note: str = "") -> str:
    """The cards of `kpis`, `per_row` (1–4) to a row, and a `note` under them; `key` names the
    block (`data-figures`)."""
    if not 1 <= per_row <= MAX_PER_ROW:
        raise ValueError(f"per_row must be 1 to {MAX_PER_ROW}, got {per_row!r}")
    cards = "".join(
        f'<div class="shahu-kpi" role="listitem">'
        f'<p class="shahu-kpi-label">{escape(k.label)}</p>'
        f'<p class="shahu-kpi-value">{escape(k.value)}</p>'
        + (f'<p class="shahu-kpi-source">{escape(k.help)}</p>' if k.help else "")
        + "</div>"
        for k in kpis
    )
    block = (
        f'<div class="shahu-kpis shahu-kpis-{per_row}" data-figures="{escape(key)}" role="list">'
        f"{cards}</div>"
        if kpis
        else ""
    )
    return block + (f'<p class="shahu-kpis-note">{escape(note)}</p>' if note else "")


@dataclass(frozen=True)
class Section:
    """A titled part of a card: a list (or `empty` when it has no item), a paragraph, a note."""

    title: str = ""
    items: tuple[str, ...] = ()
    empty: str = ""
    text: str = ""
    note: str = ""  # in italics


def card(heading: str, text: str, kpis: Sequence[Kpi], key: str, sections=()) -> str:
    """A card as one element: heading, its line of text, its figures side by side, then its
    sections (app.css draws it bordered in a `_cardsN` grid)."""
    per_row = min(max(len(kpis), 1), MAX_PER_ROW)
    parts = [f"<h3>{escape(heading)}</h3><p>{escape(text)}</p>", grid(kpis, key, per_row)]
    for s in sections:
        if s.title:
            parts.append(f"<p><strong>{escape(s.title)}</strong></p>")
        if s.items:
            parts.append("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in s.items) + "</ul>")
        elif s.empty:
            parts.append(f"<p>{escape(s.empty)}</p>")
        if s.text:
            parts.append(f"<p>{escape(s.text)}</p>")
        if s.note:
            parts.append(f"<p><em>{escape(s.note)}</em></p>")
    return f'<div class="shahu-card">{"".join(parts)}</div>'


def product_grid(cards: Sequence[ProductCard], lang: str) -> str:
    """The finance product cards, three to a row (one on a phone): name, provenance badge, kind
    and launch, description, then provider, scale and source in small type."""
    out = []
    for c in cards:
        badge = f"shahu-badge shahu-badge-{PROVENANCE_COLORS[c.provenance]}"
        details = "".join(f'<p class="shahu-small">{escape(line)}</p>' for line in c.details)
        out.append(
            f'<div class="shahu-card"><h4>{escape(c.title)}</h4>'
            f'<p><span class="{badge}">{escape(provenance_label(c.provenance, lang))}</span></p>'
            f'<p class="shahu-small">{escape(c.meta)}</p>'
            + (f"<p>{escape(c.body)}</p>" if c.body else "")
            + f"{details}</div>"
        )
    return f'<div class="shahu-cards shahu-cards-3">{"".join(out)}</div>'
