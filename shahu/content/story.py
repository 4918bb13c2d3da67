"""The overview's “为什么是沙湖 / Why Sha Lake” points from story.csv, in order: a markdown list
(data text escaped, `**bold**` kept), each point tagged unless reported, and the sources cited."""

from __future__ import annotations

from dataclasses import dataclass

from shahu.content.markup import md, md_bold
from shahu.core.i18n import t
from shahu.core.labels import lang_col, localized, tagged
from shahu.data.dataset import Dataset
from shahu.data.schemas import StoryPoint


@dataclass(frozen=True)
class Story:
    points: str  # a markdown list, one item per point; "" when there is none to show
    sources: str  # “来源：长江日报 2025-09”, each source once (markdown, escaped)


def story(ds: Dataset, lang: str) -> Story:
    frame = ds.tables.get("story")
    if frame is None or frame.empty:
        return Story("", "")
    rows = frame.sort_values([StoryPoint.order, StoryPoint.point_id], kind="stable")
    text = lang_col("text", lang)
    items = [
        f"- {md_bold(tagged(row[text], row[StoryPoint.provenance], lang))}"
        for _, row in rows.iterrows()
    ]
    cited = dict.fromkeys(localized(row, StoryPoint.source, lang) for _, row in rows.iterrows())
    sources = t("fmt.semicolon", lang).join(s for s in cited if s)
    return Story("\n".join(items), md(t("overview.story_sources", lang, sources=sources)))
